// Demo quality metrics and cost targets, anchored on the demo's weeks (lib/demo/generate-events.ts):
// docs.summarise's task_success rises when it moves to a reasoning model in week 8 (a quality
// improvement that cost more); chat.answer's thumbs_up stays flat. Targets: chat.answer's ceiling sits
// between its week-10 and week-11 cost per request, so the week-11 release breaches it; docs.summarise
// is over its target (but under its ceiling) since the reasoning model.
import type pg from "pg";
import { Decimal } from "decimal.js";
import { DEMO_WEEKS, isoWeekStart } from "@/lib/demo/generate-events";
import { seededRandom } from "@/lib/demo/random";
import { ingestQuality } from "@/lib/quality/store-quality";

const WEEK_MS = 7 * 24 * 3_600_000;

type Series = { endpoint: string; metric: string; rate: (week: number) => number };

const SERIES: Series[] = [
  { endpoint: "docs.summarise", metric: "task_success", rate: (w) => (w >= 8 ? 0.91 : 0.78) },
  { endpoint: "chat.answer", metric: "thumbs_up", rate: () => 0.72 },
];

export type DayCount = { day: string; endpoint: string; cohort: string; requests: number };

/**
 * Daily rows per endpoint and cohort: every request is judged (samples = the day's requests), with a
 * success rate that follows the story of its week (0 = the oldest demo week, starting at `firstDay`).
 */
export function generateDemoQuality(counts: readonly DayCount[], firstDay: string): Record<string, unknown>[] {
  const rng = seededRandom(4242);
  const start = Date.parse(`${firstDay}T00:00:00Z`);
  const rows: Record<string, unknown>[] = [];
  for (const c of counts) {
    const s = SERIES.find((x) => x.endpoint === c.endpoint);
    if (!s || c.requests < 1) continue;
    const week = Math.floor((Date.parse(`${c.day}T00:00:00Z`) - start) / WEEK_MS);
    const p = Math.min(1, Math.max(0, s.rate(week) + (rng() - 0.5) * 0.06));
    rows.push({ day: c.day, endpoint: c.endpoint, cohort: c.cohort, metric: s.metric, successes: Math.round(c.requests * p), samples: c.requests });
  }
  return rows;
}

/** Mean cost per request of an endpoint's requests starting in [from, to), from the raw events. */
async function meanCost(db: pg.Pool, endpoint: string, from: Date, to: Date): Promise<Decimal | null> {
  const { rows } = await db.query<{ mean: string | null }>(
    `SELECT sum(cost) / nullif(count(*), 0) AS mean FROM (
       SELECT request_id, sum(coalesce(cost_usd, 0)) AS cost, min(ts) AS first_ts FROM cost_events WHERE endpoint = $1 GROUP BY request_id) r
     WHERE first_ts >= $2 AND first_ts < $3`,
    [endpoint, from, to],
  );
  return rows[0]?.mean ? new Decimal(rows[0].mean) : null;
}

export async function seedDemoQuality(db: pg.Pool, now = new Date()): Promise<void> {
  const first = isoWeekStart(now).getTime() - DEMO_WEEKS * WEEK_MS;
  const { rows: counts } = await db.query<DayCount>(
    `SELECT to_char(first_ts AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, endpoint, cohort, count(*)::int AS requests
     FROM (SELECT request_id, min(ts) AS first_ts, min(endpoint) AS endpoint, min(cohort) AS cohort FROM cost_events
           WHERE endpoint = ANY($1::text[]) AND cohort IS NOT NULL GROUP BY request_id) r
     GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    [SERIES.map((s) => s.endpoint)],
  );
  const r = await ingestQuality(db, generateDemoQuality(counts, new Date(first).toISOString().slice(0, 10)));
  if (r.rejected.length) throw new Error(`demo quality row rejected: ${JSON.stringify(r.rejected[0])}`);
  const week = (w: number) => [new Date(first + w * WEEK_MS), new Date(first + (w + 1) * WEEK_MS)] as const;
  const targets: { endpoint: string; target: Decimal; ceiling: Decimal; revenue: string | null; latency: number }[] = [];
  const chat10 = await meanCost(db, "chat.answer", ...week(10));
  const chat11 = await meanCost(db, "chat.answer", ...week(11));
  if (chat10 && chat11) {
    const target = chat10.times("1.02").toDecimalPlaces(5, Decimal.ROUND_UP);
    const ceiling = Decimal.max(target, chat10.plus(chat11).div(2).toDecimalPlaces(5));
    targets.push({ endpoint: "chat.answer", target, ceiling, revenue: "0.05", latency: 8000 });
  }
  const docs7 = await meanCost(db, "docs.summarise", ...week(7));
  const docs11 = await meanCost(db, "docs.summarise", ...week(11));
  if (docs7 && docs11) {
    const target = docs7.times("1.1").toDecimalPlaces(5, Decimal.ROUND_UP);
    targets.push({ endpoint: "docs.summarise", target, ceiling: Decimal.max(target, docs11.times("1.3").toDecimalPlaces(5, Decimal.ROUND_UP)), revenue: null, latency: 30000 });
  }
  for (const t of targets) {
    await db.query(
      `INSERT INTO cost_targets (endpoint_id, cohort, target_cost, ceiling_cost, revenue_per_request, latency_budget_ms)
       SELECT id, NULL, $2, $3, $4, $5 FROM endpoints WHERE slug = $1 ON CONFLICT DO NOTHING`,
      [t.endpoint, t.target.toFixed(), t.ceiling.toFixed(), t.revenue, t.latency],
    );
  }
}
