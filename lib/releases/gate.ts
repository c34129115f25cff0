// The release gate: since a time, is an endpoint's cost per request within its ceiling and its p95
// latency within its budget? Computed from request_facts (requests whose first event is at or after
// `since`), exact to 12 decimal places.
//
// Semantics: fail when the mean cost per request is above the ceiling or the p95 latency above the
// budget (equal passes). With fewer requests than `minRequests` the answer is inconclusive: pass=true
// with a warning reason (a release with little traffic yet does not block the pipeline), status
// "inconclusive". Without a ceiling and a budget there is nothing to hold against: pass with a reason.
import { Decimal } from "decimal.js";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { listTargets, targetFor } from "@/lib/targets/targets";
import type { gateQuery } from "@/lib/releases/schemas";


export type GateResult = {
  pass: boolean;
  status: "pass" | "fail" | "inconclusive";
  reasons: string[];
  endpoint: string;
  cohort: string | null;
  since: string;
  sample: { requests: number; minRequests: number };
  costPerRequest: { mean: string | null; p50: string | null; p95: string | null };
  ceiling: string | null;
  target: string | null;
  latencyP95: number | null;
  latencyBudget: number | null;
};

const usd = (s: string) => `$${new Decimal(s).toFixed()}`;

export async function evaluateGate(db: Db, q: z.output<typeof gateQuery>): Promise<GateResult> {
  const known = await db.query("SELECT 1 FROM endpoints WHERE slug = $1", [q.endpoint]);
  if (!known.rowCount) throw notFound(`Endpoint '${q.endpoint}'`);
  const since = new Date(q.since);
  const { rows } = await db.query<{ requests: number; mean: string | null; p50: string | null; p95: string | null; latency_p95: number | null }>(
    `SELECT count(*)::int AS requests,
       round(sum(total_cost) / nullif(count(*), 0), 12)::text AS mean,
       round(cr_percentile(array_agg(total_cost ORDER BY total_cost), 0.5), 12)::text AS p50,
       round(cr_percentile(array_agg(total_cost ORDER BY total_cost), 0.95), 12)::text AS p95,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) AS latency_p95
     FROM request_facts WHERE endpoint = $1 AND first_ts >= $2 AND ($3::text IS NULL OR cohort = $3)`,
    [q.endpoint, since, q.cohort ?? null],
  );
  const s = rows[0]!;
  const t = targetFor(
    (await listTargets(db, q.endpoint)).flatMap((e) => e.targets),
    q.endpoint,
    q.cohort ?? null,
  );
  const fmt = (v: string | null) => (v === null ? null : new Decimal(v).toFixed());
  const result: GateResult = {
    pass: true,
    status: "pass",
    reasons: [],
    endpoint: q.endpoint,
    cohort: q.cohort ?? null,
    since: since.toISOString(),
    sample: { requests: s.requests, minRequests: q.minRequests },
    costPerRequest: { mean: fmt(s.mean), p50: fmt(s.p50), p95: fmt(s.p95) },
    ceiling: t?.ceilingCost ?? null,
    target: t?.targetCost ?? null,
    latencyP95: s.latency_p95 === null ? null : Math.round(s.latency_p95 * 1000) / 1000,
    latencyBudget: t?.latencyBudgetMs ?? null,
  };
  const scope = `${q.endpoint}${q.cohort ? ` (cohort ${q.cohort})` : ""}`;
  if (s.requests < q.minRequests) {
    result.status = "inconclusive";
    result.reasons.push(`warning: only ${s.requests} request${s.requests === 1 ? "" : "s"} for ${scope} since ${result.since}; at least ${q.minRequests} are needed to judge, so the gate passes without a verdict`);
    return result;
  }
  if (!result.ceiling && result.latencyBudget === null) {
    result.reasons.push(`no ceiling or latency budget is set for ${scope}; nothing to hold the release against`);
  }
  if (result.ceiling && result.costPerRequest.mean) {
    const over = new Decimal(result.costPerRequest.mean).gt(result.ceiling);
    if (over) result.status = "fail";
    result.reasons.push(
      over
        ? `cost per request ${usd(result.costPerRequest.mean)} is over the ceiling ${usd(result.ceiling)} (${s.requests} requests)`
        : `cost per request ${usd(result.costPerRequest.mean)} is within the ceiling ${usd(result.ceiling)} (${s.requests} requests)`,
    );
  }
  if (result.latencyBudget !== null) {
    if (result.latencyP95 === null) {
      result.reasons.push(`no latency was reported, so the p95 latency budget of ${result.latencyBudget} ms cannot be checked`);
    } else {
      const over = s.latency_p95! > result.latencyBudget;
      if (over) result.status = "fail";
      result.reasons.push(
        over
          ? `p95 latency ${result.latencyP95} ms is over the budget of ${result.latencyBudget} ms`
          : `p95 latency ${result.latencyP95} ms is within the budget of ${result.latencyBudget} ms`,
      );
    }
  }
  result.pass = result.status !== "fail";
  return result;
}
