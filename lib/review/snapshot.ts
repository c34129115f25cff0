// The movement items of a week, built from the review page's data at the moment a session opens:
// every flagged endpoint, and a cohort where the move is cohort-specific (one cohort carries most of
// the endpoint's change, or a cohort is flagged while its endpoint is not). Pure: no database.
import Decimal from "decimal.js";
import type { ReviewRowData } from "@/lib/review/review-row";
import type { ReviewPageData, WhyItMoved } from "@/lib/review/review-page-data";

/** A row's figures as the review showed them, frozen into the session. Money as decimal strings. */
export type FrozenFigures = {
  label: string;
  detail: string | null;
  requests: number;
  requestsChange: string | null;
  totalCost: string;
  meanCost: string | null;
  meanChange: string | null;
  p50Cost: string | null;
  p50Change: string | null;
  p95Cost: string | null;
  p95Change: string | null;
  unpricedRequests: number;
  latencyP95Ms: number | null;
  errorRate: number;
  flagged: boolean;
  thresholdPct: string;
};

export type ItemFigures = FrozenFigures & {
  /** Mean cost per request the week before (from the mix/rate split), when there was one. */
  previousMeanCost: string | null;
  /** Why the item is cohort-specific: the endpoint moved and one cohort carries it, or only a cohort moved. */
  scope: "endpoint" | "cohort_driven" | "cohort_flagged";
  /** The endpoint's figures when the item is a cohort, the cohort's when the endpoint moved because of one. */
  endpointFigures: FrozenFigures | null;
  cohortFigures: FrozenFigures | null;
  /** Share of the endpoint's change carried by the named cohort (0–1, decimal string). */
  cohortShareOfChange: string | null;
};

export type SessionHeadline = {
  week: string;
  weekStart: string;
  timezone: string;
  thresholdPct: string;
  minRequests: number;
  flaggedCount: number;
  current: { requests: number; totalCost: string; meanCost: string; p50Cost: string; p95Cost: string } | null;
  previous: { requests: number; totalCost: string; meanCost: string; p50Cost: string; p95Cost: string } | null;
  change: { requests: string | null; totalCost: string | null; meanCost: string | null; p50Cost: string | null; p95Cost: string | null };
  coverage: ReviewPageData["coverage"];
};

export type ItemDraft = { endpoint: string; cohort: string | null; figures: ItemFigures; explanation: WhyItMoved | null };

/** A single cohort carrying at least this share of an endpoint's change makes the move cohort-specific. */
export const COHORT_DRIVER_SHARE = "0.6";

function freeze(r: ReviewRowData): FrozenFigures {
  return {
    label: r.label,
    detail: r.detail,
    requests: r.requests,
    requestsChange: r.requestsChange,
    totalCost: r.total,
    meanCost: r.mean,
    meanChange: r.meanChange,
    p50Cost: r.p50,
    p50Change: r.p50Change,
    p95Cost: r.p95,
    p95Change: r.p95Change,
    unpricedRequests: r.unpricedRequests,
    latencyP95Ms: r.latencyP95Ms,
    errorRate: r.errorRate,
    flagged: r.flagged,
    thresholdPct: r.thresholdPct,
  };
}

/** The cohort carrying most of the change, when it carries at least COHORT_DRIVER_SHARE of it in the same direction. */
export function drivingCohort(why: WhyItMoved | undefined): { cohort: string; share: string } | null {
  if (!why) return null;
  const change = new Decimal(why.split.change);
  if (change.isZero()) return null;
  const top = why.split.drivers[0];
  if (!top) return null;
  const share = new Decimal(top.total).div(change);
  if (share.lt(COHORT_DRIVER_SHARE)) return null;
  return { cohort: top.cohort, share: share.toDecimalPlaces(4).toFixed() };
}

type Figures = { requests: number; totalCost: string; meanCost: string; p50Cost: string; p95Cost: string };
const pick = (f: Figures | null): Figures | null =>
  f ? { requests: f.requests, totalCost: f.totalCost, meanCost: f.meanCost, p50Cost: f.p50Cost, p95Cost: f.p95Cost } : null;

export function headlineOf(data: ReviewPageData): SessionHeadline {
  return {
    week: data.week,
    weekStart: data.weekStart,
    timezone: data.timezone,
    thresholdPct: data.thresholdPct,
    minRequests: data.minRequests,
    flaggedCount: data.flaggedCount,
    current: pick(data.totals.current),
    previous: pick(data.totals.previous),
    change: data.totals.change,
    coverage: data.coverage,
  };
}

export function movementItems(data: ReviewPageData): ItemDraft[] {
  const items: ItemDraft[] = [];
  for (const row of data.rows) {
    const why = data.why.find((w) => w.endpoint === row.id);
    const previousMeanCost = why ? why.split.mean0 : null;
    if (row.flagged) {
      const driver = drivingCohort(why);
      const sub = driver ? row.subRows?.find((s) => s.label === driver.cohort) : undefined;
      items.push({
        endpoint: row.id,
        cohort: driver?.cohort ?? null,
        explanation: why ?? null,
        figures: {
          ...freeze(row),
          previousMeanCost,
          scope: driver ? "cohort_driven" : "endpoint",
          endpointFigures: null,
          cohortFigures: sub ? freeze(sub) : null,
          cohortShareOfChange: driver?.share ?? null,
        },
      });
      continue;
    }
    for (const sub of row.subRows?.filter((s) => s.flagged) ?? []) {
      const driver = why?.split.drivers.find((d) => d.cohort === sub.label);
      items.push({
        endpoint: row.id,
        cohort: sub.label,
        explanation: why ?? null,
        figures: {
          ...freeze(sub),
          label: `${row.label} · ${sub.label}`,
          previousMeanCost: driver?.mean0 ?? null,
          scope: "cohort_flagged",
          endpointFigures: freeze(row),
          cohortFigures: null,
          cohortShareOfChange: null,
        },
      });
    }
  }
  return items;
}
