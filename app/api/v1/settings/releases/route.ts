// The release comparison window: GET (review readers), PUT (admins): {windowDays}.
import { route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { pool } from "@/lib/db/client";
import { releaseSettings, releaseSettingsSchema, updateReleaseSettings } from "@/lib/releases/release-settings";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "review.read" }, async () => Response.json(await releaseSettings(pool())));

export const PUT = route({ permission: "settings.manage", body: releaseSettingsSchema }, async ({ body, principal }) =>
  Response.json(await updateReleaseSettings(pool(), body, actorOf(principal))),
);
