// The finance settings: GET (finance readers), PUT (finance writers): {tolerancePct}.
import { route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { pool } from "@/lib/db/client";
import { financeSettings, saveFinanceSettings } from "@/lib/finance/reconciliation";
import { financeSettingsSchema } from "@/lib/finance/schemas";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "finance.read" }, async () => Response.json(await financeSettings(pool())));

export const PUT = route({ permission: "finance.write", body: financeSettingsSchema }, async ({ body, principal }) =>
  Response.json(await saveFinanceSettings(body, actorOf(principal))),
);
