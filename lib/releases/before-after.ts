// Before/after a release, per touched endpoint and cohort, from the per-request rollup (request_facts):
// cost per request (mean, p50, p95; exact decimals), latency p95 and error rate, in a window before the
// release and one after it. Each window is `windowDays` long, cut short by the neighbouring release that
// touched the same endpoint (the previous one ends the before-window's reach, the next one the after's).
import Decimal from "decimal.js";
import type pg from "pg";
import { TOUCHED_ENDPOINTS_SQL } from "@/lib/releases/releases";
import { percentChange } from "@/lib/rollups/weekly-report";
import type { Db } from "@/lib/db/client";
import { primaryMetrics, summariseQuality } from "@/lib/quality/read-quality";

export type WindowStats = {
  requests: number;
  /** Exact decimal strings (USD); mean rounded to 12 places like the weekly rollup. */
  totalCost: string;
  meanCost: string | null;
  p50Cost: string | null;
  p95Cost: string | null;
  latencyP95Ms: number | null;
  errorRate: number | null;
};

export type CohortComparison = { cohort: string | null; before: WindowStats; after: WindowStats; meanChangePct: string | null };

export type EndpointComparison = {
  endpoint: string;
  before: { from: string; to: string };
  after: { from: string; to: string };
  /** All cohorts together. */
  all: CohortComparison;
  cohorts: CohortComparison[];
  /**
   * The endpoint's primary quality metric before and after (whole days on each side, the release's own
   * day left out). Filled by `withQuality` where shown; null when the endpoint records no quality
   * metric, and then the latency and error rate above stand in.
   */
  quality: ReleaseQuality | null;
};

/** One side of a release's quality comparison: the samples-weighted rate (0–1, decimal string), or null without samples. */
export type QualitySide = { value: string; samples: number } | null;
export type ReleaseQuality = { metric: string; before: QualitySide; after: QualitySide; changePts: string | null };

const DAY_MS = 86_400_000;
const day = (iso: string) => iso.slice(0, 10);
const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

/**
 * The comparisons with the primary quality metric filled in, for endpoints that record one: the days
 * wholly before the release in the before-window, and the days after the release's day in the after-window.
 */
export async function withQuality(db: Db, comparisons: EndpointComparison[], windowDays: number): Promise<EndpointComparison[]> {
  const primary = await primaryMetrics(db);
  return Promise.all(
    comparisons.map(async (c) => {
      const metric = primary.get(c.endpoint);
      if (!metric) return { ...c, quality: null };
      const shipped = c.before.to;
      const beforeFrom = c.before.from ? day(c.before.from) : day(new Date(Date.parse(shipped) - windowDays * DAY_MS).toISOString());
      const afterTo = c.after.to ? day(c.after.to) : day(new Date(Date.parse(shipped) + windowDays * DAY_MS).toISOString());
      const side = async (from: string, to: string): Promise<QualitySide> => {
        if (from >= to) return null;
        const q = (await summariseQuality(db, from, to, [c.endpoint])).find((x) => x.cohort === null);
        return q && q.samples > 0 ? { value: q.value, samples: q.samples } : null;
      };
      const [before, after] = await Promise.all([side(beforeFrom, day(shipped)), side(nextDay(day(shipped)), nextDay(afterTo))]);
      const changePts = before && after ? new Decimal(after.value).minus(before.value).times(100).toDecimalPlaces(1).toFixed(1) : null;
      return { ...c, quality: { metric, before, after, changePts } };
    }),
  );
}

const EMPTY: WindowStats = { requests: 0, totalCost: "0", meanCost: null, p50Cost: null, p95Cost: null, latencyP95Ms: null, errorRate: null };

type StatRow = {
  release_id: string;
  endpoint: string;
  side: "before" | "after";
  from_ts: Date;
  to_ts: Date;
  cohort: string | null;
  cohort_all: boolean;
  requests: string;
  total_cost: string | null;
  mean_cost: string | null;
  p50_cost: string | null;
  p95_cost: string | null;
  latency_p95_ms: number | null;
  errors: string;
};

const dec = (v: string | null) => (v === null ? null : new Decimal(v).toFixed());

/** The comparison for each of the given releases, by release id. */
export async function beforeAfter(db: pg.Pool | pg.PoolClient, releaseIds: string[], windowDays: number): Promise<Map<string, EndpointComparison[]>> {
  const out = new Map<string, EndpointComparison[]>(releaseIds.map((id) => [id, []]));
  if (releaseIds.length === 0) return out;
  const { rows } = await db.query<StatRow>(
    `WITH re AS (
       SELECT r.id, r.shipped_at, t.endpoint FROM releases r CROSS JOIN LATERAL unnest(${TOUCHED_ENDPOINTS_SQL}) AS t(endpoint)
     ), nb AS (
       SELECT id, endpoint, shipped_at,
         lag(shipped_at) OVER (PARTITION BY endpoint ORDER BY shipped_at, id) AS prev_at,
         lead(shipped_at) OVER (PARTITION BY endpoint ORDER BY shipped_at, id) AS next_at
       FROM re
     ), win AS (
       SELECT id, endpoint, 'before' AS side, greatest(shipped_at - make_interval(days => $2), coalesce(prev_at, '-infinity')) AS from_ts, shipped_at AS to_ts
       FROM nb WHERE id = ANY($1::uuid[])
       UNION ALL
       SELECT id, endpoint, 'after', shipped_at, least(shipped_at + make_interval(days => $2), coalesce(next_at, 'infinity'))
       FROM nb WHERE id = ANY($1::uuid[])
     ), f AS (
       -- The windows' requests in a CTE of their own: a Citus cluster finds them on the workers and runs the
       -- GROUPING SETS and exact percentiles below on the coordinator; one server inlines it.
       SELECT w.id, w.endpoint, w.side, w.from_ts, w.to_ts, f.cohort, f.request_id, f.total_cost, f.latency_ms, f.is_error
       FROM win w
       LEFT JOIN request_facts f ON f.endpoint = w.endpoint AND f.first_ts >= w.from_ts AND f.first_ts < w.to_ts
     )
     SELECT f.id AS release_id, f.endpoint, f.side, f.from_ts, f.to_ts, f.cohort, grouping(f.cohort) = 1 AS cohort_all,
       count(f.request_id) AS requests,
       sum(f.total_cost)::text AS total_cost,
       round(avg(f.total_cost), 12)::text AS mean_cost,
       cr_percentile(array_agg(f.total_cost ORDER BY f.total_cost) FILTER (WHERE f.request_id IS NOT NULL), 0.5)::text AS p50_cost,
       cr_percentile(array_agg(f.total_cost ORDER BY f.total_cost) FILTER (WHERE f.request_id IS NOT NULL), 0.95)::text AS p95_cost,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY f.latency_ms) AS latency_p95_ms,
       count(*) FILTER (WHERE f.is_error) AS errors
     FROM f
     GROUP BY GROUPING SETS ((f.id, f.endpoint, f.side, f.from_ts, f.to_ts, f.cohort), (f.id, f.endpoint, f.side, f.from_ts, f.to_ts))`,
    [releaseIds, windowDays],
  );
  const byEndpoint = new Map<string, Map<string, { before?: StatRow; after?: StatRow; cohorts: Map<string, { before?: StatRow; after?: StatRow; cohort: string | null }> }>>();
  for (const r of rows) {
    const perRelease = byEndpoint.get(r.release_id) ?? new Map();
    byEndpoint.set(r.release_id, perRelease);
    const e = perRelease.get(r.endpoint) ?? { cohorts: new Map() };
    perRelease.set(r.endpoint, e);
    if (r.cohort_all) e[r.side] = r;
    else if (Number(r.requests) > 0) {
      const key = r.cohort ?? "\u0000";
      const c = e.cohorts.get(key) ?? { cohort: r.cohort };
      c[r.side] = r;
      e.cohorts.set(key, c);
    }
  }
  const stats = (r: StatRow | undefined): WindowStats => {
    if (!r || Number(r.requests) === 0) return EMPTY;
    const n = Number(r.requests);
    return {
      requests: n,
      totalCost: dec(r.total_cost) ?? "0",
      meanCost: dec(r.mean_cost),
      p50Cost: dec(r.p50_cost),
      p95Cost: dec(r.p95_cost),
      latencyP95Ms: r.latency_p95_ms,
      errorRate: Number(r.errors) / n,
    };
  };
  const compare = (cohort: string | null, b: StatRow | undefined, a: StatRow | undefined): CohortComparison => {
    const before = stats(b);
    const after = stats(a);
    return { cohort, before, after, meanChangePct: percentChange(after.meanCost, before.meanCost) };
  };
  for (const [releaseId, perRelease] of byEndpoint) {
    const list: EndpointComparison[] = [];
    for (const [endpoint, e] of [...perRelease].sort(([x], [y]) => x.localeCompare(y))) {
      if (!e.before || !e.after) continue;
      list.push({
        endpoint,
        before: { from: isoOrOpen(e.before.from_ts), to: e.before.to_ts.toISOString() },
        after: { from: e.after.from_ts.toISOString(), to: isoOrOpen(e.after.to_ts) },
        all: compare(null, e.before, e.after),
        cohorts: [...e.cohorts.values()]
          .sort((x, y) => (x.cohort ?? "~").localeCompare(y.cohort ?? "~"))
          .map((c) => compare(c.cohort, c.before, c.after)),
        quality: null,
      });
    }
    out.set(releaseId, list);
  }
  return out;
}

function isoOrOpen(d: Date): string {
  return Number.isFinite(d.getTime()) ? d.toISOString() : "";
}
