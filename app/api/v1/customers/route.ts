// GET /api/v1/customers?month=YYYY-MM&q=&sort=cost|margin|requests|costPerRequest&page=&pageSize=&underWater=1
// The month's customers with cost, revenue and margin; under water first.
import { route } from "@/lib/auth/api";
import { pool } from "@/lib/db/client";
import { customerList } from "@/lib/customers/margin";
import { customerListQuery } from "@/lib/customers/schemas";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "finance.read", query: customerListQuery }, async ({ query }) => Response.json(await customerList(pool(), query)));
