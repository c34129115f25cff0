// GET /api/v1/finance/reconciliation?month=YYYY-MM: computed vs invoiced per provider.
import { route } from "@/lib/auth/api";
import { pool } from "@/lib/db/client";
import { reconciliation } from "@/lib/finance/reconciliation";
import { monthQuery } from "@/lib/finance/schemas";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "finance.read", query: monthQuery }, async ({ query }) => Response.json(await reconciliation(pool(), query.month)));
