// GET why an endpoint's mean cost per request moved against the previous week:
// ?endpoint=chat.answer (or "(unattributed)") &week=YYYY-Www (default: the last complete week).
// The change split into mix (cohort shares) and rate (cost within cohorts) per cohort, token and model shifts.
import { z } from "zod";
import { route } from "@/lib/auth/api";
import { pool } from "@/lib/db/client";
import { badRequest, fieldErrors } from "@/lib/errors";
import { orgTimezone } from "@/lib/rollups/org-settings";
import { addWeeks, isoLabel, lastCompleteMonday, mondayOf } from "@/lib/rollups/weeks";
import { whyItMoved } from "@/lib/review/review-page-data";

export const dynamic = "force-dynamic";

const query = z.object({
  week: z.string().refine((w) => mondayOf(w) !== null, "week must be an ISO week like 2026-W47").optional(),
  endpoint: z.string({ error: "endpoint is required: an endpoint slug, or (unattributed)" }).min(1, "endpoint is required: an endpoint slug, or (unattributed)"),
});

export const GET = route({ permission: "review.read" }, async ({ req }) => {
  const parsed = query.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) throw badRequest("The query is not valid.", fieldErrors(parsed.error.issues));
  const monday = parsed.data.week ? mondayOf(parsed.data.week)! : lastCompleteMonday(new Date(), await orgTimezone(pool()));
  const endpoint = parsed.data.endpoint === "(unattributed)" ? null : parsed.data.endpoint;
  const why = await whyItMoved(pool(), monday, endpoint);
  return Response.json({
    week: isoLabel(monday),
    previousWeek: isoLabel(addWeeks(monday, -1)),
    endpoint: parsed.data.endpoint,
    definitions: {
      split: "change = mix + rate; per cohort, mix = (share1 − share0)·(mean0 + mean1)/2 and rate = (mean1 − mean0)·(share0 + share1)/2",
      models: "each model's direct cost over all the endpoint's requests (the parts add up to the mean direct cost per request), and the share of requests that used it",
    },
    why,
    ...(why ? {} : { reason: `no requests for ${parsed.data.endpoint} in both ${isoLabel(addWeeks(monday, -1))} and ${isoLabel(monday)}` }),
  });
});
