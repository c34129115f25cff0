// The endpoint page's quality and targets: per week the primary metric (samples-weighted) and the cost
// per successful outcome, next to the endpoint's targets.
import { Decimal } from "decimal.js";
import { addWeeks, isoLabel } from "@/lib/rollups/weeks";
import { costPerSuccess, primaryMetrics, summariseQuality } from "@/lib/quality/read-quality";
import { breachOf, listTargets, marginOf, targetFor, type TargetRow } from "@/lib/targets/targets";
import type { Db } from "@/lib/db/client";

export type QualityWeek = { week: string; value: number | null; samples: number; costPerSuccess: string | null };

export type EndpointQuality = {
  metric: string | null;
  /** Metric names reported for the endpoint, for choosing the primary one. */
  metrics: string[];
  weeks: QualityWeek[];
  targets: TargetRow[];
  /** The last complete week against the all-cohorts targets. */
  last: { week: string; meanCost: string | null; breach: "ceiling" | "target" | null; margin: string | null; costPerSuccess: string | null; quality: string | null };
};

export async function endpointQuality(db: Db, endpoint: string, lastMonday: string): Promise<EndpointQuality> {
  const first = addWeeks(lastMonday, -11);
  const [primary, metricRows, targets, stats] = await Promise.all([
    primaryMetrics(db),
    db.query<{ metric: string }>(`SELECT DISTINCT metric FROM quality_metrics WHERE endpoint = $1 ORDER BY metric`, [endpoint]),
    listTargets(db, endpoint),
    db.query<{ week: string; total_cost: string; mean_cost: string }>(
      `SELECT week::text AS week, total_cost::text, mean_cost::text FROM weekly_stats
       WHERE endpoint = $1 AND NOT endpoint_all AND cohort_all AND week BETWEEN $2::date AND $3::date`,
      [endpoint, first, lastMonday],
    ),
  ]);
  const metric = primary.get(endpoint) ?? null;
  const weeks: QualityWeek[] = [];
  for (let i = 0; i < 12; i++) {
    const monday = addWeeks(first, i);
    const q = metric ? (await summariseQuality(db, monday, addWeeks(monday, 1), [endpoint])).find((s) => s.cohort === null) : undefined;
    const s = stats.rows.find((r) => r.week === monday);
    weeks.push({
      week: isoLabel(monday),
      value: q ? new Decimal(q.value).times(100).toDecimalPlaces(2).toNumber() : null,
      samples: q?.samples ?? 0,
      costPerSuccess: q && s ? costPerSuccess(s.total_cost, q.successes) : null,
    });
  }
  const rows = targets.flatMap((e) => e.targets);
  const t = targetFor(rows, endpoint, null);
  const lastStats = stats.rows.find((r) => r.week === lastMonday);
  const lastWeek = weeks[weeks.length - 1]!;
  return {
    metric,
    metrics: metricRows.rows.map((r) => r.metric),
    weeks,
    targets: rows,
    last: {
      week: isoLabel(lastMonday),
      meanCost: lastStats ? new Decimal(lastStats.mean_cost).toFixed() : null,
      breach: breachOf(lastStats?.mean_cost, t),
      margin: marginOf(lastStats?.mean_cost, t),
      costPerSuccess: lastWeek.costPerSuccess,
      quality: lastWeek.value === null ? null : `${lastWeek.value.toFixed(1)}%`,
    },
  };
}
