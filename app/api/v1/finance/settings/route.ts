// The finance settings: GET (finance readers), PUT (finance writers): {tolerancePct}.
import { jsonBody, route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { pool } from "@/lib/db/client";
import { financeSettings, saveFinanceSettings } from "@/lib/finance/reconciliation";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "finance.read" }, async () => Response.json(await financeSettings(pool())));

export const PUT = route({ permission: "finance.write" }, async ({ req, principal }) =>
  Response.json(await saveFinanceSettings(await jsonBody(req), actorOf(principal))),
);
