// The price book (admins): list active entries (?history=1 adds retired versions) and create an entry.
// A create is a dry run with "dryRun": true (the re-pricing it would cause, nothing changed); without
// it, the entry is stored and the affected events are re-priced in the same transaction.
import { route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { badRequest } from "@/lib/errors";
import { createPrice, listPrices, parseEntryInput } from "@/lib/pricing/price-book";
import { listPricesQuery, priceChangeSchema } from "@/lib/pricing/schemas";
import { pool } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "prices.manage", query: listPricesQuery }, async ({ query }) =>
  Response.json({ prices: await listPrices(pool(), { history: query.history }) }),
);

export const POST = route({ permission: "prices.manage", body: priceChangeSchema }, async ({ body, principal }) => {
  const entry = parseEntryInput(body.entry);
  if (!entry.ok) throw badRequest("The price entry is not valid.", entry.errors);
  const result = await createPrice(entry.entry, { dryRun: body.dryRun, actor: actorOf(principal) });
  return Response.json(result, { status: body.dryRun ? 200 : 201 });
});
