// GET /api/v1/budgets/{id}?month=YYYY-MM: the budget, its forecast with the range and the volume × rate split
// per cohort; PATCH { amountUsd?, ownerId? }; DELETE.
import { route } from "@/lib/auth/api";
import { pool } from "@/lib/db/client";
import { deleteBudget, getBudget, updateBudget } from "@/lib/budgets/budgets";
import { budgetIdParams, budgetMonthQuery, budgetPatchSchema } from "@/lib/budgets/schemas";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "review.read", params: budgetIdParams, query: budgetMonthQuery }, async ({ params, query, principal }) =>
  Response.json(await getBudget(pool(), params.id, principal, query.month)),
);

export const PATCH = route(
  { anyPermission: ["finance.write", "review.write"], refused: "Changing a budget needs finance or a feature owner's role", params: budgetIdParams, body: budgetPatchSchema },
  async ({ params, body, principal }) => Response.json(await updateBudget(pool(), params.id, body, principal)),
);

export const DELETE = route(
  { anyPermission: ["finance.write", "review.write"], refused: "Removing a budget needs finance or a feature owner's role", params: budgetIdParams },
  async ({ params, principal }) => {
    await deleteBudget(pool(), params.id, principal);
    return new Response(null, { status: 204 });
  },
);
