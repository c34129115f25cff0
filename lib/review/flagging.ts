// The flag rule, in one place. A row (an endpoint, a cohort of it, or a release's touched endpoint) is
// flagged when its mean cost per request moved by the threshold or more (the endpoint's own threshold
// where set, else the organisation's) on at least the review's minimum volume. The weekly API, the
// review page (and so the session snapshot built from it) and the release variance check all decide
// here; the settings themselves are read through lib/review/review-settings.ts.
import Decimal from "decimal.js";
import type pg from "pg";
import { reviewThresholds, type ReviewSettings } from "@/lib/review/review-settings";

/** The organisation's threshold and minimum volume, and each endpoint's own threshold (by slug). */
export type FlagRule = ReviewSettings & { perEndpoint: ReadonlyMap<string, string> };

/** Which moves count: either way (the weekly review), or only a rise (the release variance check). */
export type Direction = "either" | "rise";

export function flagRule(db: pg.Pool | pg.PoolClient): Promise<FlagRule> {
  return reviewThresholds(db);
}

/** The threshold (percent, as an exact decimal string without trailing zeros) that applies to an endpoint (null: none). */
export function thresholdFor(rule: Pick<FlagRule, "thresholdPct" | "perEndpoint">, endpoint: string | null): string {
  const own = endpoint === null ? undefined : rule.perEndpoint.get(endpoint);
  return new Decimal(own ?? rule.thresholdPct).toFixed();
}

/** Whether this many requests are enough to judge (the review's minimum volume). */
export function hasVolume(rule: Pick<FlagRule, "minRequests">, requests: number): boolean {
  return requests >= rule.minRequests;
}

/** The exact percentage change from before to after; null without both, or from a baseline of zero or less. */
export function changeBetween(before: Decimal.Value | null, after: Decimal.Value | null): Decimal | null {
  if (before === null || after === null) return null;
  const b = new Decimal(before);
  if (b.lte(0)) return null;
  return new Decimal(after).minus(b).div(b).times(100);
}

/** Whether a percentage change reaches the threshold: exactly at the threshold counts. */
export function reachesThreshold(changePct: Decimal.Value | null, thresholdPct: Decimal.Value, direction: Direction = "either"): boolean {
  if (changePct === null) return false;
  const change = new Decimal(changePct);
  return (direction === "rise" ? change : change.abs()).gte(thresholdPct);
}

/**
 * Whether a week-over-week move in mean cost per request is flagged: the change (percent) reaches the
 * endpoint's threshold, either way, on at least the minimum number of requests this week.
 */
export function isFlagged(rule: FlagRule, move: { endpoint: string | null; changePct: string | null; requests: number }): boolean {
  return hasVolume(rule, move.requests) && reachesThreshold(move.changePct, thresholdFor(rule, move.endpoint));
}

/** A review row as far as flags go: an endpoint (or a cohort) and its cohorts. */
export type FlaggableRow = { flagged: boolean; subRows?: readonly { flagged: boolean }[] };

/** How many of an endpoint's cohorts are flagged (shown on the endpoint's row, so a collapsed endpoint cannot hide one). */
export function flaggedCohorts(row: FlaggableRow): number {
  return row.subRows?.filter((c) => c.flagged).length ?? 0;
}

/** Whether an endpoint needs the review's attention: it is flagged, or one of its cohorts is. */
export function needsReview(row: FlaggableRow): boolean {
  return row.flagged || flaggedCohorts(row) > 0;
}

/**
 * The review's flag count: every flagged row, endpoint or cohort (one "moved" badge each), and how many
 * endpoints need attention (flagged themselves or through a cohort).
 */
export function countFlags(rows: readonly FlaggableRow[]): { flagged: number; endpoints: number; cohorts: number } {
  const endpoints = rows.filter(needsReview).length;
  const own = rows.filter((r) => r.flagged).length;
  const cohorts = rows.reduce((n, r) => n + flaggedCohorts(r), 0);
  return { flagged: own + cohorts, endpoints, cohorts };
}
