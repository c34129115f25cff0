// One price entry (admins): PATCH makes a new version of it, DELETE retires it. Both re-price the
// affected events; with a dry run ("dryRun": true in the body, ?dryRun=1 for DELETE) they only say how.
import { route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { retirePrice, updatePrice } from "@/lib/pricing/price-book";
import { priceChangeSchema, priceIdParams, retirePriceQuery } from "@/lib/pricing/schemas";

export const dynamic = "force-dynamic";

export const PATCH = route({ permission: "prices.manage", params: priceIdParams, body: priceChangeSchema }, async ({ params, body, principal }) =>
  Response.json(await updatePrice(params.id, body.entry, { dryRun: body.dryRun, actor: actorOf(principal) })),
);

export const DELETE = route({ permission: "prices.manage", params: priceIdParams, query: retirePriceQuery }, async ({ params, query, principal }) =>
  Response.json(await retirePrice(params.id, { dryRun: query.dryRun, actor: actorOf(principal) })),
);
