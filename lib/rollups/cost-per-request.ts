// Cost per request over any time range, grouped by any of endpoint, feature, team, cohort (from the
// per-request facts: fully-loaded cost, each request counted in the group of its first event) or by
// model and provider (from the events: the direct cost each model added to the requests it served).
import Decimal from "decimal.js";
import type pg from "pg";

export const REQUEST_DIMENSIONS = ["endpoint", "feature", "team", "cohort"] as const;
export const EVENT_DIMENSIONS = ["model", "provider"] as const;
export const GROUP_DIMENSIONS = [...REQUEST_DIMENSIONS, ...EVENT_DIMENSIONS] as const;
export type GroupDimension = (typeof GROUP_DIMENSIONS)[number];

export type CostPerRequestRow = {
  group: Partial<Record<GroupDimension, string | null>>;
  requests: number;
  totalCost: string;
  meanCost: string;
  p50Cost: string;
  p95Cost: string;
  unpricedRequests: number;
};

export type CostPerRequestResult = { basis: "fully-loaded" | "direct cost by model"; rows: CostPerRequestRow[] };

const money = (v: string) => new Decimal(v).toFixed();

export async function costPerRequest(db: pg.Pool, from: Date, to: Date, groupBy: GroupDimension[]): Promise<CostPerRequestResult> {
  const eventLevel = groupBy.some((d) => (EVENT_DIMENSIONS as readonly string[]).includes(d));
  // Dimension names come from the fixed list above, never from the caller's text.
  const dims = groupBy.map((d) => `"${d}"`);
  const select = dims.length ? `${dims.join(", ")},` : "";
  const group = dims.length ? `GROUP BY ${dims.join(", ")}` : "";
  const sql = eventLevel
    ? `WITH per AS (
         SELECT request_id, ${select} sum(cost_usd) AS cost, bool_or(cost_source = 'unpriced') AS unpriced
         FROM cost_events WHERE ts >= $1 AND ts < $2 AND request_id IS NOT NULL
         GROUP BY request_id ${dims.length ? `, ${dims.join(", ")}` : ""})
       SELECT ${select} count(*)::int AS requests, coalesce(sum(cost), 0)::text AS total,
         round(avg(coalesce(cost, 0)), 12)::text AS mean,
         round(cr_percentile(array_agg(coalesce(cost, 0) ORDER BY coalesce(cost, 0)), 0.5), 12)::text AS p50,
         round(cr_percentile(array_agg(coalesce(cost, 0) ORDER BY coalesce(cost, 0)), 0.95), 12)::text AS p95,
         (count(*) FILTER (WHERE unpriced))::int AS unpriced
       FROM per ${group}`
    : `SELECT ${select} count(*)::int AS requests, sum(total_cost)::text AS total, round(avg(total_cost), 12)::text AS mean,
         round(cr_percentile(array_agg(total_cost ORDER BY total_cost), 0.5), 12)::text AS p50,
         round(cr_percentile(array_agg(total_cost ORDER BY total_cost), 0.95), 12)::text AS p95,
         (count(*) FILTER (WHERE unpriced_events > 0))::int AS unpriced
       FROM request_facts WHERE first_ts >= $1 AND first_ts < $2 ${group}`;
  const { rows } = await db.query<Record<string, string | number | null>>(sql, [from, to]);
  return {
    basis: eventLevel ? "direct cost by model" : "fully-loaded",
    rows: rows
      .filter((r) => Number(r.requests) > 0)
      .map((r) => ({
        group: Object.fromEntries(groupBy.map((d) => [d, (r[d] as string | null) ?? null])),
        requests: Number(r.requests),
        totalCost: money(String(r.total)),
        meanCost: money(String(r.mean)),
        p50Cost: money(String(r.p50)),
        p95Cost: money(String(r.p95)),
        unpricedRequests: Number(r.unpriced),
      }))
      .sort((a, b) => new Decimal(b.totalCost).cmp(a.totalCost)),
  };
}
