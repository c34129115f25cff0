// The month-end forecast on synthetic months whose true total is known: a weekday pattern, a volume jump,
// a dearer cost per request; and the volume × rate split, which must add up exactly.
import Decimal from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { forecastMonth, type DayFigures } from "@/lib/budgets/forecast";
import { addDays } from "@/lib/rollups/weeks";

const MONTH = { label: "2026-07", start: "2026-07-01", end: "2026-08-01" };
const PREVIOUS = { start: "2026-06-01", end: "2026-07-01" };
const weekday = (day: string) => (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;

type Shape = (day: string) => { cohort: string; requests: number; costPerRequest: string }[];
/** Weekdays 1,000 requests, weekends 400, at $0.01 each, in one cohort. */
const steady: Shape = (day) => [{ cohort: "pro", requests: weekday(day) < 5 ? 1000 : 400, costPerRequest: "0.01" }];

function series(shape: Shape, from: string, to: string): DayFigures[] {
  const out: DayFigures[] = [];
  for (let d = from; d < to; d = addDays(d, 1)) {
    for (const c of shape(d)) out.push({ day: d, cohort: c.cohort, requests: c.requests, cost: new Decimal(c.requests).times(c.costPerRequest).toFixed() });
  }
  return out;
}
const total = (days: DayFigures[], from: string, to: string) => days.filter((d) => d.day >= from && d.day < to).reduce((s, d) => s.plus(d.cost), new Decimal(0));
const previousTotals = (days: DayFigures[]) => {
  const by = new Map<string, { requests: number; cost: Decimal }>();
  for (const d of days.filter((x) => x.day >= PREVIOUS.start && x.day < PREVIOUS.end)) {
    const t = by.get(d.cohort!) ?? { requests: 0, cost: new Decimal(0) };
    by.set(d.cohort!, { requests: t.requests + d.requests, cost: t.cost.plus(d.cost) });
  }
  return [...by].map(([cohort, t]) => ({ cohort, requests: t.requests, cost: t.cost.toFixed() }));
};
function run(shape: Shape, asOf: string) {
  const all = series(shape, "2026-04-01", MONTH.end);
  const f = forecastMonth({ month: MONTH, asOf, days: all.filter((d) => d.day < asOf), previous: previousTotals(all) });
  return { f, actual: total(all, MONTH.start, MONTH.end), all };
}
const relativeError = (forecast: string, actual: Decimal) => new Decimal(forecast).minus(actual).abs().div(actual).toNumber();

describe("the month-end forecast", () => {
  it("is exact for a steady weekday pattern, on any day of the month, with a range of one point", () => {
    for (const asOf of ["2026-07-01", "2026-07-07", "2026-07-14", "2026-07-21", "2026-07-31"]) {
      const { f, actual } = run(steady, asOf);
      expect(relativeError(f.forecast.cost, actual), asOf).toBeLessThan(1e-10);
      expect(f.forecast.low).toBe(f.forecast.cost);
      expect(f.forecast.high).toBe(f.forecast.cost);
    }
    const { f } = run(steady, "2026-07-14");
    expect(f.weekdayFactors.slice(0, 5).every((x) => x === f.weekdayFactors[0])).toBe(true);
    expect(new Decimal(f.weekdayFactors[5]!).div(f.weekdayFactors[0]!).toFixed(4)).toBe("0.4000");
    expect(f.daysElapsed).toBe(13);
    expect(f.monthToDate.cost).toBe(total(run(steady, "2026-07-14").all, MONTH.start, "2026-07-14").toFixed());
  });

  it("follows a volume jump within 2 % once a week has passed since it, and brackets it with its range before that", () => {
    // Traffic up 50 % from 10 July.
    const jump: Shape = (day) => steady(day).map((c) => ({ ...c, requests: day >= "2026-07-10" ? c.requests * 1.5 : c.requests }));
    const week = run(jump, "2026-07-17");
    expect(relativeError(week.f.forecast.cost, week.actual)).toBeLessThan(0.02);
    const early = run(jump, "2026-07-12");
    // Two days after the jump the pace still mostly holds the old level: the point is low, the range reaches up.
    expect(new Decimal(early.f.forecast.cost).lt(early.actual)).toBe(true);
    expect(new Decimal(early.f.forecast.high).gte(early.f.forecast.cost)).toBe(true);
    expect(new Decimal(early.f.forecast.low).lte(early.f.forecast.cost)).toBe(true);
    // The change against June is volume, not rate: same cost per request.
    expect(new Decimal(week.f.split.rate).abs().div(week.f.split.change).toNumber()).toBeLessThan(1e-9);
  });

  it("calls a dearer cost per request rate, and a new cohort volume", () => {
    const dearer: Shape = (day) => [
      ...steady(day).map((c) => ({ ...c, costPerRequest: day >= "2026-07-01" ? "0.013" : "0.01" })),
      ...(day >= "2026-07-01" ? [{ cohort: "trial", requests: 50, costPerRequest: "0.002" }] : []),
    ];
    const { f, actual } = run(dearer, "2026-07-15");
    expect(relativeError(f.forecast.cost, actual)).toBeLessThan(0.01);
    const pro = f.split.byCohort.find((c) => c.cohort === "pro")!;
    const trial = f.split.byCohort.find((c) => c.cohort === "trial")!;
    // June had 25,200 requests at $0.01; July has 26,200 (one weekday more) at $0.013: volume is the extra
    // thousand requests at June's price, rate the dearer price on all of July's.
    expect(new Decimal(pro.volume).minus(10).abs().lt("0.1")).toBe(true);
    expect(new Decimal(pro.rate).minus("78.6").abs().lt("0.5")).toBe(true);
    expect(trial).toMatchObject({ previousRequests: 0, rate: "0" });
    expect(trial.volume).toBe(trial.change);
    // The cohort that moved most comes first.
    expect(f.split.byCohort[0]!.cohort).toBe("pro");
  });

  it("splits any change into volume and rate that add up exactly, per cohort and in total", () => {
    const cohortArb = fc.record({ requests: fc.integer({ min: 0, max: 5000 }), cents: fc.integer({ min: 0, max: 99_999 }) });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom("a", "b", "c"), cohortArb, cohortArb), { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 31 }), (cohorts, dayOfMonth) => {
        const shape: Shape = (day) =>
          cohorts.map(([cohort, before, after]) => {
            const s = day >= MONTH.start ? after : before;
            return { cohort, requests: s.requests, costPerRequest: new Decimal(s.cents).div(1_000_000).toFixed() };
          });
        const asOf = addDays(MONTH.start, dayOfMonth - 1);
        const { f } = run(shape, asOf);
        for (const c of f.split.byCohort) {
          expect(new Decimal(c.volume).plus(c.rate).equals(c.change)).toBe(true);
          expect(new Decimal(c.forecastCost).minus(c.previousCost).equals(c.change)).toBe(true);
        }
        expect(new Decimal(f.split.volume).plus(f.split.rate).equals(f.split.change)).toBe(true);
        expect(new Decimal(f.forecast.cost).minus(f.previous.cost).equals(f.split.change)).toBe(true);
        expect(new Decimal(f.forecast.low).lte(f.forecast.cost) && new Decimal(f.forecast.high).gte(f.forecast.cost)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it("is the month's actual once the month is over", () => {
    const { f, actual } = run(steady, "2026-08-01");
    expect(f.forecast.cost).toBe(actual.toFixed());
    expect(f.daysElapsed).toBe(31);
  });
});
