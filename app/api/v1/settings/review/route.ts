// The review settings: GET (review readers), PUT (admins): {timezone?, thresholdPct?, minRequests?}.
import { jsonBody, route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { getReviewSettings, updateReviewSettings } from "@/lib/rollups/update-review-settings";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "review.read" }, async () => Response.json(await getReviewSettings()));

export const PUT = route({ permission: "settings.manage" }, async ({ req, principal }) =>
  Response.json(await updateReviewSettings(await jsonBody(req), actorOf(principal))),
);
