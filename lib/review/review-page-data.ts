// Everything the weekly review page shows, prepared from the rollups: headline figures, endpoint
// rows with their cohorts, flags, coverage (unattributed and unpriced spend).
import Decimal from "decimal.js";
import type { ReviewRowData } from "@/lib/review/review-row";
import { getSetting } from "@/lib/settings/settings";
import { countFlags, flaggedCohorts, flagRule, isFlagged, needsReview, thresholdFor, type FlagRule } from "@/lib/review/flagging";
import { weeklyReport, type WeeklyRow } from "@/lib/rollups/weekly-report";
import { listReleases } from "@/lib/releases/releases";
import { costPerSuccess, summariseQuality, type QualitySummary } from "@/lib/quality/read-quality";
import { breachOf, listTargets, marginOf, targetFor, type TargetRow } from "@/lib/targets/targets";

const BUCKETS = [
  ["input", "uncached input"],
  ["cacheRead", "cache read"],
  ["cacheWrite", "cache write"],
  ["output", "output"],
  ["reasoning", "reasoning"],
  ["toolOutput", "tool output"],
] as const;

/** Tokens per request, this week against last, per bucket. */
function tokenShifts(cur: WeekFigures, prev: WeekFigures): TokenShift[] {
  return BUCKETS.map(([key, label]) => {
    const before = new Decimal(prev.tokens[key]).div(prev.requests).toDecimalPlaces(0);
    const after = new Decimal(cur.tokens[key]).div(cur.requests).toDecimalPlaces(0);
    return { bucket: label, before: before.toFixed(), after: after.toFixed(), changePct: percentChange(after.toFixed(), before.toFixed()) };
  }).filter((t) => t.before !== "0" || t.after !== "0");
}
import { addDays, addWeeks, isoLabel, localDate, weekState, type WeekState } from "@/lib/rollups/weeks";
import { mixRateSplit, type MixRate } from "@/lib/review/mix-rate";
import { percentChange, type WeekFigures } from "@/lib/rollups/weekly-report";
import { pool, type Db } from "@/lib/db/client";

export type TokenShift = { bucket: string; before: string; after: string; changePct: string | null };
/**
 * One model's part of an endpoint's direct cost per request, last week and this week: its cost over all
 * the endpoint's requests (so the parts add up to the mean direct cost), and the share of requests using it.
 */
export type ModelShift = { model: string; before: string; after: string; change: string; usedBefore: string; usedAfter: string };
export type WhyItMovedRelease = { id: string; version: string; title: string; shippedAt: string };
export type WhyItMoved = {
  endpoint: string;
  label: string;
  split: MixRate;
  tokens: TokenShift[];
  models: ModelShift[];
  changePct: string | null;
  /** Releases that shipped in the week and touched this endpoint (directly or through its feature). */
  releases: WhyItMovedRelease[];
};

/** Model shifts of the listed endpoints (null = unattributed) between two weeks, from the weekly model rollup. */
export async function modelShifts(
  db: Db,
  monday: string,
  endpoints: { endpoint: string | null; requests0: number; requests1: number }[],
): Promise<Map<string | null, ModelShift[]>> {
  const out = new Map<string | null, ModelShift[]>();
  if (endpoints.length === 0) return out;
  const previous = addWeeks(monday, -1);
  const { rows } = await db.query<{ week: string; endpoint: string | null; model: string; requests: number; cost: string }>(
    `SELECT week::text AS week, endpoint, model, requests, direct_cost::text AS cost FROM weekly_model_stats
     WHERE week IN ($1::date, $2::date) AND (endpoint = ANY($3::text[]) OR ($4 AND endpoint IS NULL))`,
    [previous, monday, endpoints.flatMap((e) => (e.endpoint === null ? [] : [e.endpoint])), endpoints.some((e) => e.endpoint === null)],
  );
  for (const e of endpoints) {
    const mine = rows.filter((r) => r.endpoint === e.endpoint);
    const shifts = [...new Set(mine.map((r) => r.model))].map((model) => {
      const b = mine.find((r) => r.model === model && r.week === previous);
      const a = mine.find((r) => r.model === model && r.week === monday);
      const before = new Decimal(b?.cost ?? 0).div(e.requests0);
      const after = new Decimal(a?.cost ?? 0).div(e.requests1);
      return {
        model,
        before: before.toDecimalPlaces(12).toFixed(),
        after: after.toDecimalPlaces(12).toFixed(),
        change: after.minus(before).toDecimalPlaces(12).toFixed(),
        usedBefore: new Decimal(b?.requests ?? 0).div(e.requests0).toDecimalPlaces(4).toFixed(),
        usedAfter: new Decimal(a?.requests ?? 0).div(e.requests1).toDecimalPlaces(4).toFixed(),
      };
    });
    shifts.sort((x, y) => new Decimal(y.change).abs().cmp(new Decimal(x.change).abs()) || x.model.localeCompare(y.model));
    out.set(e.endpoint, shifts);
  }
  return out;
}

export type ReviewPageData = {
  why: WhyItMoved[];
  week: string;
  weekStart: string;
  previousWeek: string;
  nextWeek: string;
  /** Whether the week is over, under way (figures so far) or has not started. */
  state: WeekState;
  timezone: string;
  thresholdPct: string;
  minRequests: number;
  totals: WeeklyRow;
  rows: ReviewRowData[];
  /** Flagged rows, endpoints and cohorts together: one "moved" badge each. */
  flaggedCount: number;
  /** Endpoints needing attention (flagged, or with a flagged cohort), and flagged cohorts. */
  flags: { endpoints: number; cohorts: number };
  /** Twelve weeks up to this one: total cost and mean cost per request of all endpoints (exact decimals; null: no requests). */
  trend: TrendWeek[];
  coverage: { totalCost: string; unattributedCost: string; unattributedShare: number; unpricedEvents: number; unpricedRequests: number; incompleteEvents: number; requests: number };
};

export type TrendWeek = { week: string; requests: number; totalCost: string | null; meanCost: string | null };

/** The organisation's total cost and mean cost per request for the twelve weeks ending with `monday`. */
export async function reviewTrend(db: Db, monday: string): Promise<TrendWeek[]> {
  const first = addWeeks(monday, -11);
  const { rows } = await db.query<{ week: string; requests: number; total_cost: string; mean_cost: string }>(
    `SELECT week::text AS week, requests, total_cost::text, mean_cost::text FROM weekly_stats
     WHERE endpoint_all AND cohort_all AND week BETWEEN $1::date AND $2::date`,
    [first, monday],
  );
  return Array.from({ length: 12 }, (_, i) => {
    const w = addWeeks(first, i);
    const r = rows.find((x) => x.week === w);
    return { week: isoLabel(w), requests: r?.requests ?? 0, totalCost: r ? new Decimal(r.total_cost).toFixed() : null, meanCost: r ? new Decimal(r.mean_cost).toFixed() : null };
  });
}

type EndpointInfo = { id: string; slug: string; name: string; feature: string; owner: string | null };

async function endpointInfo(db: Db): Promise<Map<string, EndpointInfo>> {
  const { rows } = await db.query<EndpointInfo>(
    `SELECT e.id, e.slug, e.name, f.name AS feature, u.name AS owner
     FROM endpoints e JOIN features f ON f.id = e.feature_id LEFT JOIN users u ON u.id = f.owner_id`,
  );
  return new Map(rows.map((r) => [r.slug, r]));
}

/**
 * One review row. In a week still in progress (`partial`), the request count is a part of a week and is not
 * compared with the whole previous week; means and percentiles are still comparable.
 */
function toRow(r: WeeklyRow, id: string, label: string, detail: string | null, href: string | null, rule: FlagRule, partial: boolean): ReviewRowData {
  const cur = r.current;
  const inputSide = cur ? new Decimal(cur.tokens.input).plus(cur.tokens.cacheRead).plus(cur.tokens.cacheWrite) : null;
  return {
    id,
    label,
    detail,
    href,
    requests: cur?.requests ?? 0,
    requestsChange: partial ? null : r.change.requests,
    ...(partial ? { requestsSoFar: true } : {}),
    total: cur?.totalCost ?? "0",
    mean: cur?.meanCost ?? null,
    meanChange: r.change.meanCost,
    p50: cur?.p50Cost ?? null,
    p50Change: r.change.p50Cost,
    p95: cur?.p95Cost ?? null,
    p95Change: r.change.p95Cost,
    sparkline: r.history.map((h) => ({ week: h.week, value: h.meanCost === null ? null : Number(h.meanCost) })),
    cacheShare: cur && inputSide && !inputSide.isZero() ? new Decimal(cur.tokens.cacheRead).div(inputSide).toNumber() : null,
    unpricedRequests: cur?.unpricedRequests ?? 0,
    latencyP95Ms: cur?.latencyP95Ms ?? null,
    errorRate: cur?.errorRate ?? 0,
    flagged: isFlagged(rule, { endpoint: r.endpoint, changePct: r.change.meanCost, requests: cur?.requests ?? 0 }),
    thresholdPct: thresholdFor(rule, r.endpoint),
  };
}

type Report = Awaited<ReturnType<typeof weeklyReport>>;

type WeekRelease = WhyItMovedRelease & { touchedEndpoints: string[] };

/** Releases whose shipping day (in the organisation's time zone) falls in the week. */
async function releasesInWeek(db: Db, monday: string, tz: string): Promise<WeekRelease[]> {
  const nextMonday = addWeeks(monday, 1);
  return (
    await listReleases(db, { from: new Date(`${addDays(monday, -1)}T00:00:00Z`), to: new Date(`${addDays(nextMonday, 1)}T00:00:00Z`), limit: 1000 })
  ).filter((r) => {
    const day = localDate(new Date(r.shippedAt), tz);
    return day >= monday && day < nextMonday;
  });
}

/** Why each listed endpoint's mean moved: mix and rate by cohort, token and model shifts, the week's releases. */
async function explain(
  db: Db,
  monday: string,
  byEndpoint: Report,
  byCohort: Report,
  endpoints: { endpoint: string | null; label: string }[],
  weekReleases: WeekRelease[],
): Promise<WhyItMoved[]> {
  const moved: { id: string; label: string; endpoint: WeeklyRow & { current: WeekFigures; previous: WeekFigures }; split: MixRate }[] = [];
  for (const { endpoint: slug, label } of endpoints) {
    const endpoint = byEndpoint.rows.find((r) => r.endpoint === slug);
    const cohorts = byCohort.rows.filter((c) => c.endpoint === slug);
    const side = (k: "previous" | "current") =>
      cohorts.filter((c) => c[k]).map((c) => ({ cohort: c.cohort ?? "(no cohort)", requests: c[k]!.requests, meanCost: c[k]!.meanCost }));
    const split = mixRateSplit(side("previous"), side("current"));
    if (!split || !endpoint?.current || !endpoint.previous) continue;
    moved.push({ id: slug ?? "(unattributed)", label, endpoint: endpoint as WeeklyRow & { current: WeekFigures; previous: WeekFigures }, split });
  }
  const models = await modelShifts(
    db,
    monday,
    moved.map((m) => ({ endpoint: m.endpoint.endpoint, requests0: m.endpoint.previous.requests, requests1: m.endpoint.current.requests })),
  );
  return moved.map(({ id, label, endpoint, split }) => ({
    endpoint: id,
    label,
    split,
    tokens: tokenShifts(endpoint.current, endpoint.previous),
    models: models.get(endpoint.endpoint) ?? [],
    changePct: endpoint.change.meanCost,
    releases: weekReleases
      .filter((r) => endpoint.endpoint !== null && r.touchedEndpoints.includes(endpoint.endpoint))
      .map((r) => ({ id: r.id, version: r.version, title: r.title, shippedAt: r.shippedAt })),
  }));
}

/** Why one endpoint's (null: the unattributed requests') mean cost per request moved against the previous week; null without both weeks. */
export async function whyItMoved(db: Db, monday: string, endpoint: string | null): Promise<WhyItMoved | null> {
  const [byEndpoint, byCohort, tz] = await Promise.all([weeklyReport(db, monday, ["endpoint"]), weeklyReport(db, monday, ["endpoint", "cohort"]), getSetting(db, "timezone")]);
  const [why] = await explain(db, monday, byEndpoint, byCohort, [{ endpoint, label: endpoint ?? "(unattributed)" }], await releasesInWeek(db, monday, tz));
  return why ?? null;
}

/** Quality, cost per successful outcome and targets beside a row's cost (cohort null = the whole endpoint). */
function withQualityAndTargets(
  row: ReviewRowData,
  r: WeeklyRow,
  cohort: string | null,
  quality: { current: QualitySummary[]; previous: QualitySummary[] },
  targets: TargetRow[],
): ReviewRowData {
  const find = (list: QualitySummary[]) => list.find((q) => q.endpoint === r.endpoint && q.cohort === cohort) ?? null;
  const cur = find(quality.current);
  const prev = find(quality.previous);
  const t = targetFor(targets, r.endpoint, cohort);
  row.quality = cur
    ? {
        metric: cur.metric,
        value: cur.value,
        samples: cur.samples,
        changePts: prev && prev.metric === cur.metric ? new Decimal(cur.value).minus(prev.value).times(100).toDecimalPlaces(1).toFixed(1) : null,
      }
    : null;
  row.costPerSuccess = cur && r.current ? costPerSuccess(r.current.totalCost, cur.successes) : null;
  row.target = t ? { target: t.targetCost, ceiling: t.ceilingCost, revenue: t.revenuePerRequest, latencyBudgetMs: t.latencyBudgetMs } : null;
  row.breach = breachOf(r.current?.meanCost, t);
  row.margin = marginOf(r.current?.meanCost, t);
  return row;
}

export async function reviewPageData(db: Db, monday: string): Promise<ReviewPageData> {
  const [byEndpoint, byCohort, endpoints, rule, tz, qualityNow, qualityBefore, targets, trend] = await Promise.all([
    weeklyReport(db, monday, ["endpoint"]),
    weeklyReport(db, monday, ["endpoint", "cohort"]),
    endpointInfo(db),
    flagRule(db),
    getSetting(db, "timezone"),
    summariseQuality(db, monday, addWeeks(monday, 1)),
    summariseQuality(db, addWeeks(monday, -1), monday),
    listTargets(db),
    reviewTrend(db, monday),
  ]);
  const weekReleases = await releasesInWeek(db, monday, tz);
  const state = weekState(monday, new Date(), tz);
  const partial = state === "in_progress";
  const quality = { current: qualityNow, previous: qualityBefore };
  const targetRows = targets.flatMap((e) => e.targets);
  const rows = byEndpoint.rows.map((r) => {
    const info = r.endpoint ? endpoints.get(r.endpoint) : undefined;
    const label = r.endpoint ?? "(unattributed)";
    const detail = info ? `${info.feature}${info.owner ? ` · ${info.owner}` : ""}` : r.endpoint ? "not registered" : "events without an endpoint tag";
    const row = withQualityAndTargets(toRow(r, label, label, detail, info ? `/endpoints/${info.id}` : null, rule, partial), r, null, quality, targetRows);
    row.subRows = byCohort.rows
      .filter((c) => c.endpoint === r.endpoint)
      .map((c) =>
        c.cohort === null
          ? toRow(c, `${label}/(none)`, "(no cohort)", null, null, rule, partial)
          : withQualityAndTargets(toRow(c, `${label}/${c.cohort}`, c.cohort, null, null, rule, partial), c, c.cohort, quality, targetRows),
      );
    row.flaggedCohorts = flaggedCohorts(row);
    return row;
  });
  const flagged = rows.filter(needsReview);
  const flags = countFlags(rows);
  const why = await explain(db, monday, byEndpoint, byCohort, flagged.map((r) => ({ endpoint: r.id === "(unattributed)" ? null : r.id, label: r.label })), weekReleases);
  const unattributed = byEndpoint.rows.find((r) => r.endpoint === null)?.current;
  const total = byEndpoint.totals.current;
  return {
    why,
    week: isoLabel(monday),
    weekStart: monday,
    previousWeek: isoLabel(addWeeks(monday, -1)),
    nextWeek: isoLabel(addWeeks(monday, 1)),
    state,
    timezone: tz,
    thresholdPct: rule.thresholdPct,
    minRequests: rule.minRequests,
    totals: byEndpoint.totals,
    rows,
    flaggedCount: flags.flagged,
    flags: { endpoints: flags.endpoints, cohorts: flags.cohorts },
    trend,
    coverage: {
      totalCost: total?.totalCost ?? "0",
      unattributedCost: unattributed?.totalCost ?? "0",
      unattributedShare: total && !new Decimal(total.totalCost).isZero() ? new Decimal(unattributed?.totalCost ?? 0).div(total.totalCost).toNumber() : 0,
      unpricedEvents: total?.unpricedEvents ?? 0,
      unpricedRequests: total?.unpricedRequests ?? 0,
      incompleteEvents: total?.incompleteEvents ?? 0,
      requests: total?.requests ?? 0,
    },
  };
}

/** The weekly review page's data for the week starting `monday`. */
export async function reviewOfWeek(monday: string): Promise<ReviewPageData> {
  return reviewPageData(pool(), monday);
}
