// What the budgets pages load: an entry point, taking the app's database handle once per call.
import { pool } from "@/lib/db/client";
import type { Principal } from "@/lib/auth/principal";
import { can } from "@/lib/auth/principal";
import { getBudget, listBudgets, type BudgetView } from "@/lib/budgets/budgets";
import { parseMonth, type Month } from "@/lib/finance/months";
import { AppError } from "@/lib/errors";

export type BudgetChoices = { teams: string[]; features: { slug: string; mine: boolean }[]; plans: string[]; users: { id: string; label: string }[] };

/** The budgets with their forecasts, and what the add form offers (the features the user may budget). */
export async function budgetsPageData(principal: Principal, month?: string): Promise<{ month: string; budgets: BudgetView[]; choices: BudgetChoices; mayCreate: boolean }> {
  const db = pool();
  const m: Month | undefined = month ? (parseMonth(month) ?? undefined) : undefined;
  const me = principal.kind === "user" ? principal.user.id : null;
  const [list, teams, features, plans, users] = await Promise.all([
    listBudgets(db, principal, m),
    db.query<{ slug: string }>("SELECT slug FROM teams ORDER BY slug"),
    db.query<{ slug: string; owner_id: string | null }>("SELECT slug, owner_id FROM features ORDER BY slug"),
    db.query<{ cohort: string }>("SELECT DISTINCT cohort FROM daily_costs WHERE cohort IS NOT NULL AND day >= current_date - 62 ORDER BY cohort LIMIT 200"),
    db.query<{ id: string; name: string; email: string }>("SELECT id, name, email FROM users WHERE NOT disabled ORDER BY name"),
  ]);
  const finance = can(principal, "finance.write") || can(principal, "objects.any");
  return {
    ...list,
    choices: {
      teams: teams.rows.map((t) => t.slug),
      features: features.rows.filter((f) => finance || f.owner_id === me).map((f) => ({ slug: f.slug, mine: f.owner_id === me })),
      plans: plans.rows.map((p) => p.cohort),
      users: users.rows.map((u) => ({ id: u.id, label: `${u.name} (${u.email})` })),
    },
    mayCreate: finance || (can(principal, "review.write") && features.rows.some((f) => f.owner_id === me)),
  };
}

/** One budget for its page; null when it does not exist or the user may not see it. */
export async function budgetPageData(principal: Principal, id: string, month?: string): Promise<BudgetView | null> {
  const m = month ? (parseMonth(month) ?? undefined) : undefined;
  try {
    return await getBudget(pool(), id, principal, m);
  } catch (err) {
    if (err instanceof AppError && err.status === 404) return null;
    throw err;
  }
}
