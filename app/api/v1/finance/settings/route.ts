// The finance settings: GET (finance readers), PUT (finance writers): {tolerancePct}.
import { route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { pool } from "@/lib/db/client";
import { financeSettingsSchema } from "@/lib/finance/schemas";
import { getSetting, setSettings } from "@/lib/settings/settings";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "finance.read" }, async () => Response.json({ tolerancePct: await getSetting(pool(), "finance.tolerancePct") }));

export const PUT = route({ permission: "finance.write", body: financeSettingsSchema }, async ({ body, principal }) => {
  const saved = await setSettings(pool(), actorOf(principal), { "finance.tolerancePct": body.tolerancePct });
  return Response.json({ tolerancePct: saved["finance.tolerancePct"].value });
});
