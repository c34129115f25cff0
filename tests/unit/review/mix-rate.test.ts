import Decimal from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { driverLines, mixRateSplit } from "@/lib/review/mix-rate";

describe("the mix/rate split of a change in mean cost per request", () => {
  it("puts a pure traffic shift towards a dearer cohort into mix", () => {
    const r = mixRateSplit(
      [{ cohort: "free", requests: 900, meanCost: "0.001" }, { cohort: "enterprise", requests: 100, meanCost: "0.02" }],
      [{ cohort: "free", requests: 500, meanCost: "0.001" }, { cohort: "enterprise", requests: 500, meanCost: "0.02" }],
    )!;
    expect(r.mean0).toBe("0.0029");
    expect(r.mean1).toBe("0.0105");
    expect(r.rate).toBe("0");
    expect(r.mix).toBe("0.0076");
    expect(r.drivers[0]!.cohort).toBe("enterprise");
  });

  it("puts a price rise within unchanged shares into rate", () => {
    const r = mixRateSplit(
      [{ cohort: "pro", requests: 300, meanCost: "0.01" }, { cohort: "free", requests: 700, meanCost: "0.001" }],
      [{ cohort: "pro", requests: 600, meanCost: "0.015" }, { cohort: "free", requests: 1400, meanCost: "0.001" }],
    )!;
    expect(r.mix).toBe("0");
    expect(r.rate).toBe("0.0015");
    expect(r.drivers[0]).toMatchObject({ cohort: "pro", rate: "0.0015" });
  });

  it("treats a new cohort as mix", () => {
    const r = mixRateSplit([{ cohort: "pro", requests: 100, meanCost: "0.01" }], [{ cohort: "pro", requests: 100, meanCost: "0.01" }, { cohort: "acme", requests: 100, meanCost: "0.03" }])!;
    expect(r.change).toBe("0.01");
    expect(r.rate).toBe("0");
    expect(r.mix).toBe("0.01");
  });

  it("always adds up: mix + rate = change, and the cohorts' parts add up to each", () => {
    const week = fc.array(
      fc.record({ cohort: fc.constantFrom("free", "pro", "enterprise", "acme", "globex"), requests: fc.integer({ min: 1, max: 5000 }), meanCost: fc.integer({ min: 0, max: 10_000_000 }).map((n) => new Decimal(n).div(1e8).toFixed()) }),
      { minLength: 1, maxLength: 5 },
    ).map((rows) => [...new Map(rows.map((r) => [r.cohort, r])).values()]);
    fc.assert(
      fc.property(week, week, (a, b) => {
        const r = mixRateSplit(a, b)!;
        const tol = new Decimal("1e-11");
        expect(new Decimal(r.mix).plus(r.rate).minus(r.change).abs().lte(tol)).toBe(true);
        const mixSum = r.drivers.reduce((s, d) => s.plus(d.mix), new Decimal(0));
        expect(mixSum.minus(r.mix).abs().lte(tol)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("adds up exactly, to the last decimal: Σ parts = mix and rate, mix + rate = change = mean1 − mean0", () => {
    const week = fc.array(
      fc.record({ cohort: fc.constantFrom("free", "pro", "enterprise", "acme", "globex", "initech", "umbrella", "hooli"), requests: fc.integer({ min: 1, max: 5000 }), meanCost: fc.integer({ min: 0, max: 10_000_000 }).map((n) => new Decimal(n).div(1e8).toFixed()) }),
      { minLength: 1, maxLength: 8 },
    ).map((rows) => [...new Map(rows.map((r) => [r.cohort, r])).values()]);
    fc.assert(
      fc.property(week, week, (a, b) => {
        const r = mixRateSplit(a, b)!;
        const sum = (xs: string[]) => xs.reduce((s, x) => s.plus(x), new Decimal(0)).toFixed();
        expect(sum(r.drivers.map((d) => d.mix))).toBe(new Decimal(r.mix).toFixed());
        expect(sum(r.drivers.map((d) => d.rate))).toBe(new Decimal(r.rate).toFixed());
        expect(new Decimal(r.mix).plus(r.rate).toFixed()).toBe(new Decimal(r.change).toFixed());
        expect(new Decimal(r.mean1).minus(r.mean0).toFixed()).toBe(new Decimal(r.change).toFixed());
        // The lines the page shows (top cohorts and "other cohorts") carry every cohort and add up exactly too.
        const lines = driverLines(r, 3);
        expect(lines.reduce((n, l) => n + (l.others || 1), 0)).toBe(r.drivers.length);
        expect(sum(lines.map((l) => l.total))).toBe(new Decimal(r.change).toFixed());
        expect(sum(lines.map((l) => l.mix))).toBe(new Decimal(r.mix).toFixed());
      }),
      { numRuns: 300 },
    );
  });

  it("keeps a large cohort that barely moved: it is listed, or counted in the other cohorts' line", () => {
    // Like chat.answer: `free` carries a big share of traffic but little of the change.
    const r = mixRateSplit(
      [
        { cohort: "free", requests: 3900, meanCost: "0.001" },
        { cohort: "pro", requests: 2000, meanCost: "0.01" },
        { cohort: "acme", requests: 1000, meanCost: "0.02" },
        { cohort: "globex", requests: 1000, meanCost: "0.015" },
        { cohort: "initech", requests: 1000, meanCost: "0.012" },
        { cohort: "hooli", requests: 1100, meanCost: "0.011" },
      ],
      [
        { cohort: "free", requests: 3900, meanCost: "0.00101" },
        { cohort: "pro", requests: 2000, meanCost: "0.013" },
        { cohort: "acme", requests: 1000, meanCost: "0.026" },
        { cohort: "globex", requests: 1000, meanCost: "0.018" },
        { cohort: "initech", requests: 1000, meanCost: "0.014" },
        { cohort: "hooli", requests: 1100, meanCost: "0.0125" },
      ],
    )!;
    const lines = driverLines(r, 5);
    expect(lines).toHaveLength(6);
    expect(lines.at(-1)).toMatchObject({ cohort: "free", others: 0, share1: "0.39" });
    const few = driverLines(r, 3);
    expect(few).toHaveLength(4);
    expect(few.at(-1)).toMatchObject({ cohort: "3 other cohorts", others: 3 });
    expect(few.at(-1)!.share1).toBe(new Decimal("0.39").plus("0.1").plus("0.11").toFixed());
    const total = few.reduce((s, l) => s.plus(l.total), new Decimal(0));
    expect(total.toFixed()).toBe(new Decimal(r.change).toFixed());
  });

  it("has nothing to split without traffic on either side", () => {
    expect(mixRateSplit([], [{ cohort: "pro", requests: 1, meanCost: "1" }])).toBeNull();
  });
});
