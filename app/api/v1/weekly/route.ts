// GET the weekly review's figures: ?week=YYYY-Www (default: the last complete week) &groupBy=endpoint,cohort
import { z } from "zod";
import { route } from "@/lib/auth/api";
import { pool } from "@/lib/db/client";
import { badRequest, fieldErrors } from "@/lib/errors";
import { orgTimezone } from "@/lib/rollups/org-settings";
import { weeklyReport } from "@/lib/rollups/weekly-report";
import { addWeeks, isoLabel, lastCompleteMonday, mondayOf } from "@/lib/rollups/weeks";

export const dynamic = "force-dynamic";

const query = z.object({
  week: z.string().refine((w) => mondayOf(w) !== null, "week must be an ISO week like 2026-W47").optional(),
  groupBy: z
    .string()
    .default("endpoint")
    .transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.enum(["endpoint", "cohort"], { message: "groupBy takes endpoint, cohort or both (endpoint,cohort)" })).max(2)),
});

export const GET = route({ permission: "review.read" }, async ({ req }) => {
  const parsed = query.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) throw badRequest("The query is not valid.", fieldErrors(parsed.error.issues));
  const tz = await orgTimezone(pool());
  const monday = parsed.data.week ? mondayOf(parsed.data.week)! : lastCompleteMonday(new Date(), tz);
  const report = await weeklyReport(pool(), monday, parsed.data.groupBy);
  return Response.json({
    week: isoLabel(monday),
    weekStart: monday,
    previousWeek: isoLabel(addWeeks(monday, -1)),
    timezone: tz,
    groupBy: parsed.data.groupBy,
    definitions: {
      request: "all events with one requestId; it belongs to the week, endpoint and cohort of its first event",
      cost: "fully loaded: the request's event costs plus its GPU share plus overhead; unpriced events add nothing and are counted",
      percentiles: "exact, linear interpolation between per-request costs (what PostgreSQL's percentile_cont computes)",
    },
    totals: report.totals,
    rows: report.rows,
  });
});
