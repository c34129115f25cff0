// GET /api/v1/margin?month=YYYY-MM: the organisation's AI margin (with the previous month), per plan, per
// feature, and how concentrated the cost is over customers.
import { route } from "@/lib/auth/api";
import { pool } from "@/lib/db/client";
import { marginOverview } from "@/lib/customers/margin";
import { customerMonthQuery } from "@/lib/customers/schemas";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "finance.read", query: customerMonthQuery }, async ({ query }) => Response.json(await marginOverview(pool(), query.month)));
