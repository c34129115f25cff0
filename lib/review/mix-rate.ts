// Splits a week-over-week change in mean cost per request into mix (the cohorts' shares of traffic
// changed) and rate (cost per request within cohorts changed), naming the cohorts that drove it.
//
// With shares s and means m per cohort, mean = Σ s·m, and for every cohort exactly
//   s1·m1 − s0·m0 = (s1 − s0)·(m0 + m1)/2 + (m1 − m0)·(s0 + s1)/2
// so the mix and rate parts always add up to the change. A cohort new this week (or gone) has no rate
// change: its mean on the missing side is taken to be its mean on the other.
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
    mix = mix.plus(cMix);
    rate = rate.plus(cRate);
    drivers.push({
      cohort,
      share0: round(s0),
      share1: round(s1),
      mean0: b ? b.meanCost : null,
      mean1: a ? a.meanCost : null,
      mix: round(cMix),
      rate: round(cRate),
      total: round(cMix.plus(cRate)),
    });
  }
  drivers.sort((x, y) => new D(y.total).abs().cmp(new D(x.total).abs()));
  return { mean0: round(mean0), mean1: round(mean1), change: round(mean1.minus(mean0)), mix: round(mix), rate: round(rate), drivers };
}
