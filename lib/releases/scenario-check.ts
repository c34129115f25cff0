// A release decided on a what-if scenario: attaching one (it must exist, replay an endpoint the release
// touches, and have the candidate named), and, once the release has shipped and traffic after it exists,
// the scenario's projection for the candidate that shipped against the endpoint's actual cost per request.
//
// Decisions:
// - Projected: the saved scenario evaluated now with only the shipped candidate (the engine, exactly as
//   the What if page answers it). A scenario saved without from/to replays the last complete week before
//   the release shipped, not the week before today, which would already be the release's own traffic.
// - Actual: request_facts of the scenario's endpoint (and its cohort or customer) whose first event is at or
//   after the release shipped and before the release comparison window ends (the `releases` setting's
//   windowDays, cut at now): count, mean round(total / n, 12), and p50/p95 by cr_percentile, the rollup's
//   own exact percentile, so both sides are computed the same way.
// - Nothing is shown as "actual" before a request has arrived after shipping.
import Decimal from "decimal.js";
import type { Db } from "@/lib/db/client";
import { badRequest } from "@/lib/errors";
import { validate } from "@/lib/http/validation";
import { getSetting } from "@/lib/settings/settings";
import { evaluateScenario } from "@/lib/whatif/engine";
import { whatifSchema, type Scenario } from "@/lib/whatif/schemas";
import type { ReleaseView } from "@/lib/releases/releases";

export type AttachedScenario = { id: string; name: string; endpoint: string; candidate: number; candidateCount: number };

/** The saved scenario a release is to name, checked: 400 on `scenarioId` when there is none, on `scenarioCandidate` past its candidates. */
export async function scenarioToAttach(db: Db, id: string, candidate: number): Promise<AttachedScenario> {
  const { rows } = await db.query<{ id: string; name: string; endpoint: string; n: number }>(
    "SELECT id, name, endpoint, jsonb_array_length(scenario->'candidates') AS n FROM whatif_scenarios WHERE id = $1",
    [id],
  );
  const s = rows[0];
  if (!s) throw badRequest("The release is not valid: What-if scenario: there is no saved scenario with this id", [{ path: "scenarioId", message: "there is no saved scenario with this id" }]);
  if (candidate > s.n) {
    const message = `the scenario has ${s.n} candidate${s.n === 1 ? "" : "s"}: enter a number from 1 to ${s.n}`;
    throw badRequest(`The release is not valid: Candidate that shipped: ${message}`, [{ path: "scenarioCandidate", message }]);
  }
  return { id: s.id, name: s.name, endpoint: s.endpoint, candidate, candidateCount: s.n };
}

/** Refuses (400 on `scenarioId`) a scenario of an endpoint the release does not touch. */
export function assertScenarioTouched(release: ReleaseView, s: AttachedScenario): void {
  if (release.touchedEndpoints.includes(s.endpoint)) return;
  const message = `the scenario replays ${s.endpoint}, which this release does not touch: add the endpoint (or its feature) to the release, or pick a scenario of an endpoint it touches`;
  throw badRequest(`The release is not valid: What-if scenario: ${message}`, [{ path: "scenarioId", message }]);
}

type Side = { requests: number; mean: string | null; p50: string | null; p95: string | null };

export type ScenarioCheck = {
  scenario: { id: string; name: string; endpoint: string; cohort: string | null; customerId: string | null; candidate: number; candidateName: string };
  /** The replayed window (before shipping) and what it cost as served then and under the candidate. */
  window: { from: string; to: string; timezone: string };
  before: Side;
  projected: Side & { unpricedEvents: number };
  /** After shipping: null until the release has shipped and a request of the endpoint has arrived after it. */
  after: (Side & { from: string; to: string }) | null;
  /** Actual mean after − projected mean, and as a percentage of the projection (2 places). */
  difference: { meanUsd: string; pct: string | null } | null;
  /** Why there is nothing after shipping yet, when there is not. */
  waiting: string | null;
};

const DAY_MS = 86_400_000;

/** The release's scenario projected against the actual after shipping; null when no scenario is attached. */
export async function releaseScenarioCheck(db: Db, release: ReleaseView, now: Date = new Date()): Promise<ScenarioCheck | null> {
  if (!release.scenarioId) return null;
  const { rows } = await db.query<{ id: string; name: string; scenario: unknown }>("SELECT id, name, scenario FROM whatif_scenarios WHERE id = $1", [release.scenarioId]);
  if (!rows[0]) return null;
  const saved: Scenario = validate(whatifSchema, rows[0].scenario, "saved scenario");
  const index = Math.min((release.scenarioCandidate ?? 1) - 1, saved.candidates.length - 1);
  const candidate = saved.candidates[index]!;
  const shippedAt = new Date(release.shippedAt);
  // Without a window of its own, the last complete week before shipping (evaluated "as at" the release).
  const result = await evaluateScenario(db, { ...saved, candidates: [candidate] }, saved.from ? now : shippedAt);
  const c = result.candidates[0]!;
  const { windowDays } = await getSetting(db, "releases");
  const end = new Date(Math.min(shippedAt.getTime() + windowDays * DAY_MS, now.getTime()));
  let after: ScenarioCheck["after"] = null;
  let waiting: string | null = null;
  if (shippedAt.getTime() > now.getTime()) waiting = "The release has not shipped yet.";
  else {
    const { rows: a } = await db.query<{ n: number; total: string | null; p50: string | null; p95: string | null }>(
      `SELECT count(*)::int AS n, sum(total_cost)::text AS total,
         cr_percentile(array_agg(total_cost ORDER BY total_cost), 0.5)::text AS p50,
         cr_percentile(array_agg(total_cost ORDER BY total_cost), 0.95)::text AS p95
       FROM request_facts
       WHERE endpoint = $1 AND first_ts >= $2 AND first_ts < $3 AND ($4::text IS NULL OR cohort = $4) AND ($5::text IS NULL OR customer_id = $5)`,
      [saved.endpoint, shippedAt, end, saved.cohort ?? null, saved.customerId ?? null],
    );
    const r = a[0]!;
    if (r.n === 0) waiting = `No request of ${saved.endpoint} has arrived since the release shipped.`;
    else {
      const round = (v: string) => new Decimal(v).toDecimalPlaces(12, Decimal.ROUND_HALF_UP).toFixed();
      after = {
        requests: r.n,
        mean: round(new Decimal(r.total!).div(r.n).toFixed()),
        p50: r.p50 === null ? null : round(r.p50),
        p95: r.p95 === null ? null : round(r.p95),
        from: shippedAt.toISOString(),
        to: end.toISOString(),
      };
    }
  }
  const projectedMean = c.costPerRequest.mean;
  const difference =
    after && after.mean !== null && projectedMean !== null
      ? {
          meanUsd: new Decimal(after.mean).minus(projectedMean).toFixed(),
          pct: new Decimal(projectedMean).isZero() ? null : new Decimal(after.mean).minus(projectedMean).div(projectedMean).times(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(),
        }
      : null;
  return {
    scenario: { id: rows[0].id, name: rows[0].name, endpoint: saved.endpoint, cohort: saved.cohort ?? null, customerId: saved.customerId ?? null, candidate: index + 1, candidateName: candidate.name ?? `Candidate ${index + 1}` },
    window: { from: result.window.from, to: result.window.to, timezone: result.window.timezone },
    before: { requests: result.actual.requests, ...result.actual.costPerRequest },
    projected: { requests: c.requests, ...c.costPerRequest, unpricedEvents: c.unpricedEvents + c.incompleteEvents },
    after,
    difference,
    waiting,
  };
}
