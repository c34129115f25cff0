// GET /api/v1/plan-revenue-rates: every plan (customers' plans and plans with a rate) with its assumed
// revenue per request. PUT { rates: [{ plan, revenuePerRequest (null: remove) }] }: set them.
import { route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { pool } from "@/lib/db/client";
import { listPlanRates, setPlanRates } from "@/lib/customers/plan-rates";
import { planRatesSchema } from "@/lib/customers/schemas";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "finance.read" }, async () => Response.json({ plans: await listPlanRates(pool()) }));

export const PUT = route({ permission: "finance.write", body: planRatesSchema }, async ({ body, principal }) =>
  Response.json({ plans: await setPlanRates(pool(), body, actorOf(principal)) }),
);
