// GET /api/v1/customers/{id}?month=YYYY-MM: one customer's month, per feature, and twelve months of history.
// PATCH /api/v1/customers/{id} { name?, plan? (null: from its events' cohort), attributes? }.
import { route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { pool } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { updateCustomer } from "@/lib/customers/customers";
import { customerDetail } from "@/lib/customers/margin";
import { customerMonthQuery, customerPatchSchema, customerPathParams } from "@/lib/customers/schemas";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "finance.read", params: customerPathParams, query: customerMonthQuery }, async ({ params, query }) => {
  const detail = await customerDetail(pool(), params.id, query.month);
  if (!detail) throw notFound("Customer");
  return Response.json(detail);
});

export const PATCH = route({ permission: "finance.write", params: customerPathParams, body: customerPatchSchema }, async ({ params, body, principal }) =>
  Response.json(await updateCustomer(params.id, body, actorOf(principal))),
);
