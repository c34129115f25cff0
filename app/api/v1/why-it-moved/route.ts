// GET why an endpoint's mean cost per request moved against the previous week:
// ?endpoint=chat.answer (or "(unattributed)") &week=YYYY-Www (default: the last complete week).
// The change split into mix (cohort shares) and rate (cost within cohorts) per cohort, token and model shifts.
import { route } from "@/lib/auth/api";
import { pool } from "@/lib/db/client";
import { getSetting } from "@/lib/settings/settings";
import { addWeeks, isoLabel, lastCompleteMonday } from "@/lib/rollups/weeks";
import { whyItMoved } from "@/lib/review/review-page-data";
import { whyItMovedQuery } from "@/lib/review/schemas";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "review.read", query: whyItMovedQuery }, async ({ query }) => {
  const monday = query.week ?? lastCompleteMonday(new Date(), await getSetting(pool(), "timezone"));
  const endpoint = query.endpoint === "(unattributed)" ? null : query.endpoint;
  const why = await whyItMoved(pool(), monday, endpoint);
  return Response.json({
    week: isoLabel(monday),
    previousWeek: isoLabel(addWeeks(monday, -1)),
    endpoint: query.endpoint,
    definitions: {
      split: "change = mix + rate; per cohort, mix = (share1 − share0)·(mean0 + mean1)/2 and rate = (mean1 − mean0)·(share0 + share1)/2",
      models: "each model's direct cost over all the endpoint's requests (the parts add up to the mean direct cost per request), and the share of requests that used it",
    },
    why,
    ...(why ? {} : { reason: `no requests for ${query.endpoint} in both ${isoLabel(addWeeks(monday, -1))} and ${isoLabel(monday)}` }),
  });
});
