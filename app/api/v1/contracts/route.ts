// Contracts (admins): negotiated discounts off list price. GET lists the active ones (?history=1 adds
// retired ones); POST adds one. "dryRun": true answers with the re-pricing it would cause (per model and
// month) and changes nothing; without it the contract is stored and the affected events re-priced in the
// same transaction, or refused with 409 when they lie in a closed month.
import { route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { pool } from "@/lib/db/client";
import { listContracts } from "@/lib/pricing/contracts";
import { createContract } from "@/lib/pricing/price-book";
import { contractChangeSchema, listContractsQuery } from "@/lib/pricing/schemas";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "prices.manage", query: listContractsQuery }, async ({ query }) =>
  Response.json({ contracts: await listContracts(pool(), { history: query.history }) }),
);

export const POST = route({ permission: "prices.manage", body: contractChangeSchema }, async ({ body, principal }) => {
  const c = body.contract;
  const result = await createContract(
    {
      id: null,
      provider: c.provider,
      model: c.model,
      percentOff: c.percentOff,
      effectiveFrom: new Date(c.effectiveFrom),
      effectiveTo: c.effectiveTo === null ? null : new Date(c.effectiveTo),
      note: c.note,
    },
    { dryRun: body.dryRun, actor: actorOf(principal) },
  );
  return Response.json(result, { status: body.dryRun ? 200 : 201 });
});
