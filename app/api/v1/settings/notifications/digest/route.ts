// When the weekly digest is sent (admins): {enabled, day (1 = Monday … 7 = Sunday), hour (0–23)} in the
// organisation's time zone.
import { route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { pool } from "@/lib/db/client";
import { digestSettingsSchema } from "@/lib/notify/schemas";
import { getSetting, setSettings } from "@/lib/settings/settings";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "notifications.manage" }, async () => Response.json(await getSetting(pool(), "notifications.digest")));

export const PUT = route({ permission: "notifications.manage", body: digestSettingsSchema }, async ({ body, principal }) =>
  Response.json((await setSettings(pool(), actorOf(principal), { "notifications.digest": body }))["notifications.digest"].value),
);
