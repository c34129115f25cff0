// The month-end forecast of a cost series, and why it differs from the previous month.
//
// Method (the README's "Budgets and forecasts" says the same):
// - Completed days only: the month to date is every day before `asOf` (today in the organisation's time
//   zone). The history is the 56 days before `asOf` (eight of each weekday), days without cost as zeros.
// - Weekday pattern: factor(w) = mean requests on weekday w ÷ mean requests per day over the history (all 1
//   with less than two weeks of history, or no requests).
// - Pace: over the last 7 completed days, per cohort, requests ÷ Σ factor and cost ÷ Σ factor (a week's pace
//   with its weekday mix taken out, so a volume jump shows within a week of happening).
// - Forecast = month to date + pace × Σ factor over the days left, per cohort; the total is the sum of the
//   cohorts. The range takes the lowest and highest total pace of the 7-day windows ending on each of the last
//   15 completed days.
// - Why: against the previous month, per cohort, change = forecast cost − previous cost, split into
//   volume = (forecast requests − previous requests) × previous cost per request (all of it when the cohort
//   had no requests before) and rate = change − volume. Each part is rounded to 12 places once, so the parts
//   add up exactly to the change of each cohort and of the total.
import Decimal from "decimal.js";
import { addDays } from "@/lib/rollups/weeks";

const D = Decimal.clone({ precision: 40 });
const HISTORY_DAYS = 56;
const PACE_DAYS = 7;
const RANGE_WINDOWS = 15;

export type DayFigures = { day: string; cohort: string | null; requests: number; cost: string };
export type CohortTotal = { cohort: string | null; requests: number; cost: string };

export type CohortSplit = {
  cohort: string | null;
  previousRequests: number;
  previousCost: string;
  forecastRequests: string;
  forecastCost: string;
  change: string;
  volume: string;
  rate: string;
};

export type Forecast = {
  month: string;
  asOf: string;
  daysElapsed: number;
  daysInMonth: number;
  monthToDate: { requests: number; cost: string };
  forecast: { requests: string; cost: string; low: string; high: string };
  /** Monday first. */
  weekdayFactors: string[];
  previous: { requests: number; cost: string };
  split: { change: string; volume: string; rate: string; byCohort: CohortSplit[] };
};

const round = (d: Decimal) => d.toDecimalPlaces(12);
const weekday = (day: string) => (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;

function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d < to; d = addDays(d, 1)) out.push(d);
  return out;
}

/**
 * The forecast of the month [start, end) as of `asOf` (the first day not yet complete), from the days of the
 * history and month to date (`days`, per cohort) and the previous month's totals per cohort.
 */
export function forecastMonth(input: { month: { label: string; start: string; end: string }; asOf: string; days: readonly DayFigures[]; previous: readonly CohortTotal[] }): Forecast {
  const { month, days, previous } = input;
  const asOf = input.asOf < month.start ? month.start : input.asOf > month.end ? month.end : input.asOf;
  const historyFrom = addDays(asOf, -HISTORY_DAYS);
  const history = daysBetween(historyFrom, asOf);
  const key = (c: string | null) => c ?? "\u0000";
  const cohorts = new Map<string, string | null>();
  const byDay = new Map<string, { requests: number; cost: Decimal }>();
  const byCohortDay = new Map<string, { requests: number; cost: Decimal }>();
  for (const d of days) {
    if (d.day < historyFrom || d.day >= asOf) continue;
    cohorts.set(key(d.cohort), d.cohort);
    const t = byDay.get(d.day) ?? { requests: 0, cost: new D(0) };
    t.requests += d.requests;
    t.cost = t.cost.plus(d.cost);
    byDay.set(d.day, t);
    const ck = `${key(d.cohort)}|${d.day}`;
    const c = byCohortDay.get(ck) ?? { requests: 0, cost: new D(0) };
    c.requests += d.requests;
    c.cost = c.cost.plus(d.cost);
    byCohortDay.set(ck, c);
  }
  for (const p of previous) cohorts.set(key(p.cohort), p.cohort);

  // The weekday pattern.
  const sums = Array.from({ length: 7 }, () => ({ requests: 0, days: 0 }));
  let totalRequests = 0;
  for (const day of history) {
    const r = byDay.get(day)?.requests ?? 0;
    sums[weekday(day)]!.requests += r;
    sums[weekday(day)]!.days += 1;
    totalRequests += r;
  }
  const mean = history.length ? new D(totalRequests).div(history.length) : new D(0);
  const factors = sums.map((s) => (history.length < 14 || mean.isZero() || s.days === 0 ? new D(1) : new D(s.requests).div(s.days).div(mean)));
  const factor = (day: string) => factors[weekday(day)]!;
  const factorSum = (list: readonly string[]) => list.reduce((s, d) => s.plus(factor(d)), new D(0));

  const elapsed = daysBetween(month.start, asOf);
  const left = daysBetween(asOf, month.end);
  const leftFactor = factorSum(left);
  const pace = history.slice(-PACE_DAYS);
  const paceFactor = factorSum(pace);

  const lines: CohortSplit[] = [];
  let mtdRequests = 0;
  let mtdCost = new D(0);
  let fRequests = new D(0);
  let fCost = new D(0);
  for (const [k, cohort] of [...cohorts.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    const at = (day: string) => byCohortDay.get(`${k}|${day}`);
    const mReq = elapsed.reduce((s, d) => s + (at(d)?.requests ?? 0), 0);
    const mCost = elapsed.reduce((s, d) => s.plus(at(d)?.cost ?? 0), new D(0));
    const pReq = pace.reduce((s, d) => s + (at(d)?.requests ?? 0), 0);
    const pCost = pace.reduce((s, d) => s.plus(at(d)?.cost ?? 0), new D(0));
    const req = paceFactor.isZero() ? new D(mReq) : new D(pReq).div(paceFactor).times(leftFactor).plus(mReq);
    const cost = round(paceFactor.isZero() ? mCost : pCost.div(paceFactor).times(leftFactor).plus(mCost));
    mtdRequests += mReq;
    mtdCost = mtdCost.plus(mCost);
    fRequests = fRequests.plus(req);
    fCost = fCost.plus(cost);
    const prev = previous.find((p) => key(p.cohort) === k);
    const prevReq = prev?.requests ?? 0;
    const prevCost = new D(prev?.cost ?? 0);
    const change = cost.minus(prevCost);
    const volume = prevReq > 0 ? round(req.minus(prevReq).times(prevCost.div(prevReq))) : change;
    lines.push({
      cohort,
      previousRequests: prevReq,
      previousCost: prevCost.toFixed(),
      forecastRequests: req.toDecimalPlaces(2).toFixed(2),
      forecastCost: cost.toFixed(),
      change: change.toFixed(),
      volume: volume.toFixed(),
      rate: change.minus(volume).toFixed(),
    });
  }
  lines.sort((a, b) => new D(b.change).abs().cmp(new D(a.change).abs()) || String(a.cohort).localeCompare(String(b.cohort)));

  // The range: the total pace of each 7-day window ending on the last RANGE_WINDOWS completed days.
  let low = fCost;
  let high = fCost;
  for (let i = 0; i < RANGE_WINDOWS && history.length - i >= PACE_DAYS; i++) {
    const window = history.slice(history.length - i - PACE_DAYS, history.length - i);
    const wf = factorSum(window);
    if (wf.isZero()) continue;
    const cost = window.reduce((s, d) => s.plus(byDay.get(d)?.cost ?? 0), new D(0));
    const total = round(cost.div(wf).times(leftFactor).plus(mtdCost));
    if (total.lt(low)) low = total;
    if (total.gt(high)) high = total;
  }

  const prevRequests = previous.reduce((s, p) => s + p.requests, 0);
  const prevCost = previous.reduce((s, p) => s.plus(p.cost), new D(0));
  const volume = lines.reduce((s, l) => s.plus(l.volume), new D(0));
  const rate = lines.reduce((s, l) => s.plus(l.rate), new D(0));
  return {
    month: month.label,
    asOf,
    daysElapsed: elapsed.length,
    daysInMonth: elapsed.length + left.length,
    monthToDate: { requests: mtdRequests, cost: mtdCost.toFixed() },
    forecast: { requests: fRequests.toDecimalPlaces(2).toFixed(2), cost: fCost.toFixed(), low: low.toFixed(), high: high.toFixed() },
    weekdayFactors: factors.map((f) => f.toDecimalPlaces(4).toFixed(4)),
    previous: { requests: prevRequests, cost: prevCost.toFixed() },
    split: { change: volume.plus(rate).toFixed(), volume: volume.toFixed(), rate: rate.toFixed(), byCohort: lines },
  };
}
