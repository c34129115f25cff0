// POST /api/v1/budgets/{id}/acknowledge?month=YYYY-MM: the owner has seen the month's predicted breach (it leaves My work).
import { route } from "@/lib/auth/api";
import { pool } from "@/lib/db/client";
import { acknowledgeAlert } from "@/lib/budgets/budgets";
import { budgetIdParams } from "@/lib/budgets/schemas";
import { monthQuery } from "@/lib/finance/schemas";

export const dynamic = "force-dynamic";

export const POST = route({ permission: "review.read", params: budgetIdParams, query: monthQuery }, async ({ params, query, principal }) => {
  await acknowledgeAlert(pool(), params.id, query.month, principal);
  return new Response(null, { status: 204 });
});
