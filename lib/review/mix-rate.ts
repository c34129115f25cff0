// Splits a week-over-week change in mean cost per request into mix (the cohorts' shares of traffic
// changed) and rate (cost per request within cohorts changed), naming the cohorts that drove it.
//
// With shares s and means m per cohort, mean = Σ s·m, and for every cohort exactly
//   s1·m1 − s0·m0 = (s1 − s0)·(m0 + m1)/2 + (m1 − m0)·(s0 + s1)/2
// so the mix and rate parts always add up to the change. A cohort new this week (or gone) has no rate
// change: its mean on the missing side is taken to be its mean on the other.
//
// Each cohort's parts are rounded to 12 places once, and every total is the exact decimal sum of those
// rounded parts (mix = Σ mix parts, rate = Σ rate parts, change = mix + rate, mean1 = mean0 + change), so
// what the page lists always adds up to its headline, to the last digit.
import Decimal from "decimal.js";

const D = Decimal.clone({ precision: 60 });

export type CohortWeek = { cohort: string; requests: number; meanCost: string };
export type CohortDriver = { cohort: string; share0: string; share1: string; mean0: string | null; mean1: string | null; mix: string; rate: string; total: string };
export type MixRate = { mean0: string; mean1: string; change: string; mix: string; rate: string; drivers: CohortDriver[] };

const round = (d: Decimal) => d.toDecimalPlaces(12).toFixed();

export function mixRateSplit(previous: CohortWeek[], current: CohortWeek[]): MixRate | null {
  const n0 = previous.reduce((s, c) => s + c.requests, 0);
  const n1 = current.reduce((s, c) => s + c.requests, 0);
  if (n0 === 0 || n1 === 0) return null;
  const cohorts = [...new Set([...previous, ...current].map((c) => c.cohort))];
  const before = new Map(previous.map((c) => [c.cohort, c]));
  const after = new Map(current.map((c) => [c.cohort, c]));
  let mean0 = new D(0);
  let mean1 = new D(0);
  let mix = new D(0);
  let rate = new D(0);
  const drivers: CohortDriver[] = [];
  for (const cohort of cohorts) {
    const b = before.get(cohort);
    const a = after.get(cohort);
    const s0 = new D(b?.requests ?? 0).div(n0);
    const s1 = new D(a?.requests ?? 0).div(n1);
    const m0 = new D(b?.meanCost ?? a!.meanCost);
    const m1 = new D(a?.meanCost ?? b!.meanCost);
    const cMix = s1.minus(s0).times(m0.plus(m1)).div(2);
    const cRate = m1.minus(m0).times(s0.plus(s1)).div(2);
    mean0 = mean0.plus(s0.times(m0));
    mean1 = mean1.plus(s1.times(m1));
    const roundedMix = cMix.toDecimalPlaces(12);
    const roundedRate = cRate.toDecimalPlaces(12);
    mix = mix.plus(roundedMix);
    rate = rate.plus(roundedRate);
    drivers.push({
      cohort,
      share0: round(s0),
      share1: round(s1),
      mean0: b ? b.meanCost : null,
      mean1: a ? a.meanCost : null,
      mix: roundedMix.toFixed(),
      rate: roundedRate.toFixed(),
      total: roundedMix.plus(roundedRate).toFixed(),
    });
  }
  drivers.sort((x, y) => new D(y.total).abs().cmp(new D(x.total).abs()) || x.cohort.localeCompare(y.cohort));
  const start = mean0.toDecimalPlaces(12);
  const change = mix.plus(rate);
  return { mean0: start.toFixed(), mean1: start.plus(change).toFixed(), change: change.toFixed(), mix: mix.toFixed(), rate: rate.toFixed(), drivers };
}

/** One line of the "why it moved" cohort table: a cohort, or the remaining cohorts taken together. */
export type DriverLine = { cohort: string; others: number; share0: string; share1: string; mean0: string | null; mean1: string | null; mix: string; rate: string; total: string };

/**
 * The `top` cohorts that moved the mean most, then (when there are more) one "other cohorts" line
 * carrying the rest: their shares, and their mix and rate parts summed exactly. The lines' parts add
 * up to the split's mix, rate and change exactly; no cohort is left out.
 */
export function driverLines(split: MixRate, top = 5): DriverLine[] {
  const lines: DriverLine[] = split.drivers.slice(0, top).map((d) => ({ ...d, others: 0 }));
  const rest = split.drivers.slice(top);
  if (rest.length === 1) lines.push({ ...rest[0]!, others: 0 });
  else if (rest.length > 1) {
    const sum = (k: "share0" | "share1" | "mix" | "rate" | "total") => rest.reduce((s, d) => s.plus(d[k]), new D(0)).toFixed();
    lines.push({ cohort: `${rest.length} other cohorts`, others: rest.length, share0: sum("share0"), share1: sum("share1"), mean0: null, mean1: null, mix: sum("mix"), rate: sum("rate"), total: sum("total") });
  }
  return lines;
}
