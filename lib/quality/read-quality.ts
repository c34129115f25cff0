// Reading quality: the stored rows, which metric is an endpoint's primary one, and the primary
// metric over a period (samples-weighted rate and the sum of successes) per endpoint and cohort.
import { Decimal } from "decimal.js";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import type { qualityQuery } from "@/lib/quality/schemas";

export type QualityPoint = { day: string; endpoint: string; cohort: string | null; metric: string; value: string; successes: string; samples: number };

export type QualityWithCost = QualitySummary & {
  requests: number;
  totalCost: string;
  costPerRequest: string | null;
  /** Total cost ÷ successes of the primary metric. */
  costPerSuccess: string | null;
};

/**
 * With `from` and `to`: the primary metric over those days (UTC, both included) beside the cost of the
 * requests that started in them, per endpoint and cohort (cohort null = the whole endpoint).
 */
export async function qualityBesideCost(db: Db, from: string, to: string, endpoint: string | undefined): Promise<QualityWithCost[]> {
  const end = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const quality = await summariseQuality(db, from, end, endpoint ? [endpoint] : undefined);
  if (!quality.length) return [];
  const { rows } = await db.query<{ endpoint: string; cohort: string | null; requests: number; total: string }>(
    `SELECT endpoint, cohort, count(*)::int AS requests, sum(total_cost)::text AS total FROM request_facts
     WHERE endpoint = ANY($3::text[]) AND first_ts >= $1::date::timestamp AT TIME ZONE 'UTC' AND first_ts < $2::date::timestamp AT TIME ZONE 'UTC'
     GROUP BY endpoint, cohort`,
    [from, end, [...new Set(quality.map((q) => q.endpoint))]],
  );
  const whole = new Map<string, { requests: number; total: string }>();
  const byCohort = new Map<string, { requests: number; total: string }>();
  const { rows: wholeRows } = await db.query<{ endpoint: string; requests: number; total: string }>(
    `SELECT endpoint, count(*)::int AS requests, sum(total_cost)::text AS total FROM request_facts
     WHERE endpoint = ANY($3::text[]) AND first_ts >= $1::date::timestamp AT TIME ZONE 'UTC' AND first_ts < $2::date::timestamp AT TIME ZONE 'UTC'
     GROUP BY endpoint`,
    [from, end, [...new Set(quality.map((q) => q.endpoint))]],
  );
  for (const r of wholeRows) whole.set(r.endpoint, r);
  for (const r of rows) if (r.cohort !== null) byCohort.set(`${r.endpoint}\u0000${r.cohort}`, r);
  return quality.map((q) => {
    const c = q.cohort === null ? whole.get(q.endpoint) : byCohort.get(`${q.endpoint}\u0000${q.cohort}`);
    const totalCost = c ? new Decimal(c.total).toFixed() : "0";
    return {
      ...q,
      requests: c?.requests ?? 0,
      totalCost,
      costPerRequest: c?.requests ? new Decimal(c.total).div(c.requests).toDecimalPlaces(12).toFixed() : null,
      costPerSuccess: c ? costPerSuccess(totalCost, q.successes) : null,
    };
  });
}

export async function listQuality(
  db: Db,
  q: z.output<typeof qualityQuery>,
): Promise<{ rows: QualityPoint[]; primary: Record<string, string>; summary?: QualityWithCost[] }> {
  const { rows } = await db.query<QualityPoint>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, endpoint, cohort, metric, value::text AS value, successes::text AS successes, samples
     FROM quality_metrics
     WHERE ($1::text IS NULL OR endpoint = $1) AND ($2::text IS NULL OR metric = $2)
       AND ($3::date IS NULL OR day >= $3) AND ($4::date IS NULL OR day <= $4)
     ORDER BY endpoint, metric, day, cohort NULLS FIRST LIMIT 50000`,
    [q.endpoint ?? null, q.metric ?? null, q.from ?? null, q.to ?? null],
  );
  const primary = await primaryMetrics(db);
  const result: Record<string, string> = {};
  for (const [k, v] of primary) if (!q.endpoint || k === q.endpoint) result[k] = v;
  const summary = q.from && q.to ? await qualityBesideCost(db, q.from, q.to, q.endpoint) : undefined;
  return { rows: rows.map((r) => ({ ...r, value: trim(r.value), successes: trim(r.successes) })), primary: result, ...(summary ? { summary } : {}) };
}

const trim = (s: string) => new Decimal(s).toFixed();

/**
 * The primary metric per endpoint slug: the one chosen on the endpoint page, otherwise the metric
 * first reported for the endpoint (earliest day; alphabetical on the same day).
 */
export async function primaryMetrics(db: Db): Promise<Map<string, string>> {
  const { rows } = await db.query<{ endpoint: string; metric: string }>(
    `SELECT DISTINCT ON (endpoint) endpoint, metric FROM (
       SELECT e.slug AS endpoint, p.metric, 0 AS rank, NULL::date AS day FROM quality_primary_metrics p JOIN endpoints e ON e.id = p.endpoint_id
       UNION ALL
       SELECT endpoint, metric, 1, min(day) FROM quality_metrics GROUP BY endpoint, metric
     ) m ORDER BY endpoint, rank, day, metric`,
  );
  return new Map(rows.map((r) => [r.endpoint, r.metric]));
}

export type QualitySummary = {
  endpoint: string;
  /** NULL: the endpoint as a whole. */
  cohort: string | null;
  metric: string;
  samples: number;
  successes: string;
  /** Samples-weighted rate: Σ successes ÷ Σ samples, 12 decimal places. */
  value: string;
};

/**
 * The primary metric of each endpoint over [from, to) (dates), per cohort and for the endpoint as a
 * whole. The whole endpoint uses, day by day, its all-cohorts row when one was reported and the sum
 * of the cohort rows otherwise.
 */
export async function summariseQuality(db: Db, from: string, to: string, endpoints?: string[]): Promise<QualitySummary[]> {
  const primary = await primaryMetrics(db);
  const pairs = [...primary].filter(([e]) => !endpoints || endpoints.includes(e));
  if (!pairs.length) return [];
  const { rows } = await db.query<{ endpoint: string; cohort: string | null; metric: string; samples: string; successes: string }>(
    `WITH p AS (SELECT * FROM unnest($3::text[], $4::text[]) AS p(endpoint, metric)),
     q AS (SELECT q.* FROM quality_metrics q JOIN p ON p.endpoint = q.endpoint AND p.metric = q.metric WHERE q.day >= $1::date AND q.day < $2::date)
     SELECT endpoint, cohort, metric, sum(samples)::text AS samples, sum(successes)::text AS successes FROM q WHERE cohort IS NOT NULL GROUP BY endpoint, cohort, metric
     UNION ALL
     SELECT endpoint, NULL, metric, sum(samples)::text, sum(successes)::text FROM q
     WHERE cohort IS NULL OR NOT EXISTS (SELECT 1 FROM q q2 WHERE q2.endpoint = q.endpoint AND q2.metric = q.metric AND q2.day = q.day AND q2.cohort IS NULL)
     GROUP BY endpoint, metric`,
    [from, to, pairs.map((p) => p[0]), pairs.map((p) => p[1])],
  );
  return rows.map((r) => ({
    endpoint: r.endpoint,
    cohort: r.cohort,
    metric: r.metric,
    samples: Number(r.samples),
    successes: new Decimal(r.successes).toFixed(),
    value: new Decimal(r.successes).div(r.samples).toDecimalPlaces(12).toFixed(),
  }));
}

/** Total cost ÷ successes, 12 decimal places; null without successes. */
export function costPerSuccess(totalCost: string, successes: string | null | undefined): string | null {
  if (!successes || new Decimal(successes).lte(0)) return null;
  return new Decimal(totalCost).div(successes).toDecimalPlaces(12).toFixed();
}
