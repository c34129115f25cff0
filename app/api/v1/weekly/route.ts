// GET the weekly review's figures: ?week=YYYY-Www (default: the last complete week) &groupBy=endpoint,cohort
import { route } from "@/lib/auth/api";
import { pool } from "@/lib/db/client";
import { getSetting } from "@/lib/settings/settings";
import { flagRule, isFlagged, thresholdFor } from "@/lib/review/flagging";
import { weeklyReport, type WeeklyRow } from "@/lib/rollups/weekly-report";
import { addWeeks, isoLabel, lastCompleteMonday } from "@/lib/rollups/weeks";
import { weeklyQuery } from "@/lib/review/schemas";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "review.read", query: weeklyQuery }, async ({ query }) => {
  const tz = await getSetting(pool(), "timezone");
  const monday = query.week ?? lastCompleteMonday(new Date(), tz);
  const [report, thresholds] = await Promise.all([weeklyReport(pool(), monday, query.groupBy), flagRule(pool())]);
  // Whether each row's move in mean cost per request passes its threshold (the endpoint's own, else the global one).
  const review = (r: WeeklyRow) => ({
    ...r,
    thresholdPct: thresholdFor(thresholds, r.endpoint),
    flagged: isFlagged(thresholds, { endpoint: r.endpoint, changePct: r.change.meanCost, requests: r.current?.requests ?? 0 }),
  });
  return Response.json({
    week: isoLabel(monday),
    weekStart: monday,
    previousWeek: isoLabel(addWeeks(monday, -1)),
    timezone: tz,
    groupBy: query.groupBy,
    definitions: {
      request: "all events with one requestId; it belongs to the week, endpoint and cohort of its first event",
      cost: "fully loaded: the request's event costs plus its GPU share plus overhead; unpriced events add nothing and are counted",
      percentiles: "exact, linear interpolation between per-request costs (what PostgreSQL's percentile_cont computes)",
      flagged: `the mean cost per request moved by at least thresholdPct (the endpoint's own threshold, else the organisation's) on at least ${thresholds.minRequests} requests this week`,
    },
    minRequests: thresholds.minRequests,
    totals: review(report.totals),
    rows: report.rows.map(review),
  });
});
