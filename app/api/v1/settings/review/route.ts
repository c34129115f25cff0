// The review settings: GET (review readers), PUT (admins): {timezone?, thresholdPct?, minRequests?}.
import { route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { getReviewSettings, updateReviewSettings } from "@/lib/review/review-settings";
import { reviewSettingsSchema } from "@/lib/review/schemas";
import { pool } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "review.read" }, async () => Response.json(await getReviewSettings(pool())));

export const PUT = route({ permission: "settings.manage", body: reviewSettingsSchema }, async ({ body, principal }) =>
  Response.json(await updateReviewSettings(pool(), body, actorOf(principal))),
);
