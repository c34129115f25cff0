// The price book (admins): list active entries (?history=1 adds retired versions) and create an entry.
// A create is a dry run with "dryRun": true (the re-pricing it would cause, nothing changed); without
// it, the entry is stored and the affected events are re-priced in the same transaction.
import { z } from "zod";
import { jsonBody, route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { badRequest, fieldErrors } from "@/lib/errors";
import { createPrice, listPrices, parseEntryInput } from "@/lib/pricing/price-book";

export const dynamic = "force-dynamic";

const query = z.object({ history: z.enum(["0", "1", "true", "false"], { message: "history must be 1 or 0" }).optional() });
const body = z.object({ entry: z.unknown(), dryRun: z.boolean({ message: "dryRun must be true or false" }).optional() }).strict();

export const GET = route({ permission: "prices.manage" }, async ({ req }) => {
  const parsed = query.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) throw badRequest("The query is not valid.", fieldErrors(parsed.error.issues));
  const history = parsed.data.history === "1" || parsed.data.history === "true";
  return Response.json({ prices: await listPrices({ history }) });
});

export const POST = route({ permission: "prices.manage" }, async ({ req, principal }) => {
  const parsed = body.safeParse(await jsonBody(req));
  if (!parsed.success) throw badRequest("The request is not valid: send { entry, dryRun? }.", fieldErrors(parsed.error.issues));
  const entry = parseEntryInput(parsed.data.entry);
  if (!entry.ok) throw badRequest("The price entry is not valid.", entry.errors);
  const dryRun = parsed.data.dryRun === true;
  const result = await createPrice(entry.entry, { dryRun, actor: actorOf(principal) });
  return Response.json(result, { status: dryRun ? 200 : 201 });
});
