// GET the coverage of a week: unattributed spend (no endpoint, or no cohort) and unpriced events, grouped,
// with example requests. ?week=YYYY-Www (default: the last complete week).
import { z } from "zod";
import { route } from "@/lib/auth/api";
import { pool } from "@/lib/db/client";
import { badRequest, fieldErrors } from "@/lib/errors";
import { orgTimezone } from "@/lib/rollups/org-settings";
import { isoLabel, lastCompleteMonday, mondayOf } from "@/lib/rollups/weeks";
import { weekCoverage } from "@/lib/review/coverage";

export const dynamic = "force-dynamic";

const query = z.object({
  week: z.string().refine((w) => mondayOf(w) !== null, "week must be an ISO week like 2026-W47").optional(),
});

export const GET = route({ permission: "review.read" }, async ({ req }) => {
  const parsed = query.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) throw badRequest("The query is not valid.", fieldErrors(parsed.error.issues));
  const monday = parsed.data.week ? mondayOf(parsed.data.week)! : lastCompleteMonday(new Date(), await orgTimezone(pool()));
  return Response.json({ week: isoLabel(monday), weekStart: monday, ...(await weekCoverage(pool(), monday)) });
});
