// One contract (admins): DELETE retires it and re-prices the events it discounted back to list
// (?dryRun=1 only says how); refused with 409 when that touches a closed month.
import { route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { retireContract } from "@/lib/pricing/price-book";
import { contractIdParams, retireContractQuery } from "@/lib/pricing/schemas";

export const dynamic = "force-dynamic";

export const DELETE = route({ permission: "prices.manage", params: contractIdParams, query: retireContractQuery }, async ({ params, query, principal }) =>
  Response.json(await retireContract(params.id, { dryRun: query.dryRun, actor: actorOf(principal) })),
);
