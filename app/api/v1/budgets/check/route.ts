// POST /api/v1/budgets/check: ask every budget's forecast now (the app also does it every few minutes) and open
// an alert for each predicted breach. Admins.
import { route } from "@/lib/auth/api";
import { pool } from "@/lib/db/client";
import { checkBudgets } from "@/lib/budgets/budgets";

export const dynamic = "force-dynamic";

export const POST = route({ permission: "settings.manage" }, async () => Response.json(await checkBudgets(pool())));
