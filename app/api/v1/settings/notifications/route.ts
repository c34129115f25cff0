// Notification delivery settings (admins): {maxAttempts, backoffBaseSeconds, backoffMaxSeconds}.
import { route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { pool } from "@/lib/db/client";
import { deliverySettingsSchema } from "@/lib/notify/schemas";
import { getSetting, setSettings } from "@/lib/settings/settings";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "notifications.manage" }, async () => Response.json(await getSetting(pool(), "notifications.delivery")));

export const PUT = route({ permission: "notifications.manage", body: deliverySettingsSchema }, async ({ body, principal }) =>
  Response.json((await setSettings(pool(), actorOf(principal), { "notifications.delivery": body }))["notifications.delivery"].value),
);
