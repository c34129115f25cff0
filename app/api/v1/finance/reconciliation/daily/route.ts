// GET /api/v1/finance/reconciliation/daily?month=YYYY-MM[&provider=openai|anthropic]: computed vs the
// providers' reported cost per UTC day and model, largest unexplained gap first, with the dark spend.
import { route } from "@/lib/auth/api";
import { pool } from "@/lib/db/client";
import { dailyReconciliation } from "@/lib/finance/provider-costs/reconcile";
import { dailyReconciliationQuery } from "@/lib/finance/schemas";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "finance.read", query: dailyReconciliationQuery }, async ({ query }) =>
  Response.json(await dailyReconciliation(pool(), query.month, query.provider)),
);
