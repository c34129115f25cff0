// The release comparison window: GET (review readers), PUT (admins): {windowDays}.
import { route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { pool } from "@/lib/db/client";
import { releaseSettingsSchema } from "@/lib/releases/schemas";
import { getSetting, setSettings } from "@/lib/settings/settings";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "review.read" }, async () => Response.json(await getSetting(pool(), "releases")));

export const PUT = route({ permission: "settings.manage", body: releaseSettingsSchema }, async ({ body, principal }) =>
  Response.json((await setSettings(pool(), actorOf(principal), { releases: body })).releases.value),
);
