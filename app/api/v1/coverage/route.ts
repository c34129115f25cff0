// GET the coverage of a week: unattributed spend (no endpoint, or no cohort) and unpriced events, grouped,
// with example requests. ?week=YYYY-Www (default: the last complete week).
import { route } from "@/lib/auth/api";
import { pool } from "@/lib/db/client";
import { getSetting } from "@/lib/settings/settings";
import { isoLabel, lastCompleteMonday } from "@/lib/rollups/weeks";
import { weekCoverage } from "@/lib/review/coverage";
import { coverageQuery } from "@/lib/review/schemas";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "review.read", query: coverageQuery }, async ({ query }) => {
  const monday = query.week ?? lastCompleteMonday(new Date(), await getSetting(pool(), "timezone"));
  return Response.json({ week: isoLabel(monday), weekStart: monday, ...(await weekCoverage(pool(), monday)) });
});
