// GET /api/v1/budgets?month=YYYY-MM: every budget the caller may see with its month-end forecast, breaches first.
// POST /api/v1/budgets { scope, scopeValue?, amountUsd, ownerId? }: finance and admins any budget; a feature's owner
// that feature's (lib/auth/policies.ts mayManageBudget).
import { route } from "@/lib/auth/api";
import { pool } from "@/lib/db/client";
import { createBudget, listBudgets } from "@/lib/budgets/budgets";
import { budgetCreateSchema, budgetMonthQuery } from "@/lib/budgets/schemas";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "review.read", query: budgetMonthQuery }, async ({ query, principal }) => Response.json(await listBudgets(pool(), principal, query.month)));

export const POST = route(
  { anyPermission: ["finance.write", "review.write"], refused: "Setting a budget needs finance or a feature owner's role", body: budgetCreateSchema },
  async ({ body, principal }) => Response.json(await createBudget(pool(), body, principal), { status: 201 }),
);
