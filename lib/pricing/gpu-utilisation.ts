// How full the GPU pools were, pool-hour by pool-hour, and what that did to the cost of a request.
//
// Decisions:
// - A pool-hour's whole cost, idle capacity included, is borne by the requests it served, so an idle
//   pool shows up as a high cost per request: an hour at 3 % utilisation costs its one request the
//   whole hour. idleUsd says how much of the hour paid for idle capacity: cost × (3600 − gpu s) / 3600.
// - requests counts the requests served (allocations with a request id); capacity reported without a
//   request is unattributed and is shown apart as unattributedUsd.
// - costPerRequestUsd = (cost − unattributed) / requests: the mean GPU cost a request bore. Divisions
//   round half-even to 12 fractional digits (a millionth of a micro-dollar); sums are exact.
// - Pool-hours without a price are listed with status "unpriced" and no cost, and are left out of the
//   summary's money (its unpricedHours says how many), never counted as $0.
// - Hours in which a pool served nothing have no row (nothing to spread), so meanUtilisation is the mean
//   over the hours with traffic that reported gpu seconds.
// - gpu_seconds is a sum of doubles (0.015 + 2.2 = 2.2150000000000003); it goes through numeric, which
//   keeps 15 significant digits, so the API and the page show 2.215.
import type { Db } from "@/lib/db/client";
import { Dec } from "@/lib/pricing/price-entry";

export type PoolHourUtilisation = {
  pool: string;
  hour: string;
  status: "priced" | "unpriced";
  split: "proportional" | "equal";
  costUsd: string | null;
  requests: number;
  gpuSeconds: number | null;
  utilisation: number | null;
  idleUsd: string | null;
  unattributedUsd: string;
  costPerRequestUsd: string | null;
};

export type PoolSummary = {
  pool: string;
  hours: number;
  unpricedHours: number;
  totalCostUsd: string;
  requests: number;
  meanUtilisation: number | null;
  idleUsd: string;
  unattributedUsd: string;
  costPerRequestUsd: string | null;
};

export type UtilisationQuery = { pool?: string | null; from?: Date | null; to?: Date | null; limit?: number };

const ROUND = 12;
const money = (s: string | null | undefined) => (s === null || s === undefined ? null : new Dec(s).toFixed());
const per = (total: string, n: number) => (n > 0 ? new Dec(total).dividedBy(n).toDecimalPlaces(ROUND).toFixed() : null);

const HOURS_SQL = `
  SELECT h.pool, h.hour, h.cost_usd::text AS cost_usd, h.status, h.split, h.gpu_seconds::numeric::float8 AS gpu_seconds, h.utilisation,
         coalesce(a.requests, 0)::int AS requests, coalesce(a.unattributed, 0)::text AS unattributed,
         CASE WHEN h.cost_usd IS NULL OR h.gpu_seconds IS NULL THEN NULL
              ELSE round(h.cost_usd * greatest(0, 3600 - h.gpu_seconds::numeric) / 3600, ${ROUND}) END::text AS idle
  FROM gpu_pool_hours h
  -- The hours' shares summed per pool-hour first (on a Citus cluster, on the workers), then joined.
  LEFT JOIN (
    SELECT x.pool, x.hour, count(*) FILTER (WHERE x.request_id <> '') AS requests, sum(x.cost_usd) FILTER (WHERE x.request_id = '') AS unattributed
    FROM gpu_allocations x
    WHERE ($1::text IS NULL OR x.pool = $1) AND ($2::timestamptz IS NULL OR x.hour >= $2) AND ($3::timestamptz IS NULL OR x.hour < $3)
    GROUP BY x.pool, x.hour
  ) a ON a.pool = h.pool AND a.hour = h.hour
  WHERE ($1::text IS NULL OR h.pool = $1) AND ($2::timestamptz IS NULL OR h.hour >= $2) AND ($3::timestamptz IS NULL OR h.hour < $3)`;

type HourRow = {
  pool: string;
  hour: Date;
  cost_usd: string | null;
  status: string;
  split: string;
  gpu_seconds: number | null;
  utilisation: number | null;
  requests: number;
  unattributed: string;
  idle: string | null;
};

export async function gpuUtilisation(
  db: Db,
  q: UtilisationQuery = {},
): Promise<{ hours: PoolHourUtilisation[]; pools: PoolSummary[]; truncated: boolean }> {
  const limit = q.limit ?? 500;
  const params = [q.pool ?? null, q.from ?? null, q.to ?? null];
  const [hours, summary] = await Promise.all([
    db.query<HourRow>(`${HOURS_SQL} ORDER BY h.hour DESC, h.pool LIMIT $4`, [...params, limit + 1]),
    db.query<{
      pool: string;
      hours: number;
      unpriced_hours: number;
      total: string | null;
      requests: number;
      unattributed: string | null;
      mean_utilisation: number | null;
      idle: string | null;
    }>(
      `WITH hours AS (${HOURS_SQL})
       SELECT pool, count(*)::int AS hours, count(*) FILTER (WHERE status <> 'priced')::int AS unpriced_hours,
              sum(cost_usd::numeric) FILTER (WHERE status = 'priced')::text AS total,
              coalesce(sum(requests) FILTER (WHERE status = 'priced'), 0)::int AS requests,
              sum(unattributed::numeric) FILTER (WHERE status = 'priced')::text AS unattributed,
              avg(utilisation) AS mean_utilisation,
              sum(idle::numeric) FILTER (WHERE status = 'priced')::text AS idle
       FROM hours GROUP BY pool ORDER BY pool`,
      params,
    ),
  ]);
  const rows = hours.rows.slice(0, limit);
  return {
    truncated: hours.rows.length > limit,
    hours: rows.map((r) => {
      const cost = money(r.cost_usd);
      const unattributed = money(r.unattributed) ?? "0";
      return {
        pool: r.pool,
        hour: r.hour.toISOString(),
        status: r.status === "priced" ? "priced" : "unpriced",
        split: r.split === "equal" ? "equal" : "proportional",
        costUsd: cost,
        requests: r.requests,
        gpuSeconds: r.gpu_seconds,
        utilisation: r.utilisation,
        idleUsd: money(r.idle),
        unattributedUsd: unattributed,
        costPerRequestUsd: cost === null ? null : per(new Dec(cost).minus(unattributed).toFixed(), r.requests),
      };
    }),
    pools: summary.rows.map((s) => {
      const total = money(s.total) ?? "0";
      const unattributed = money(s.unattributed) ?? "0";
      return {
        pool: s.pool,
        hours: s.hours,
        unpricedHours: s.unpriced_hours,
        totalCostUsd: total,
        requests: s.requests,
        meanUtilisation: s.mean_utilisation,
        idleUsd: money(s.idle) ?? "0",
        unattributedUsd: unattributed,
        costPerRequestUsd: per(new Dec(total).minus(unattributed).toFixed(), s.requests),
      };
    }),
  };
}
