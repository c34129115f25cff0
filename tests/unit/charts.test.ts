import Decimal from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CEILING_COLOUR, niceTicks, seriesColours, TARGET_COLOUR, TOTAL_COLOUR } from "@/lib/charts";

describe("niceTicks", () => {
  it("gives round steps instead of splitting the maximum ($0.0095 / $0.0190)", () => {
    expect(niceTicks([0.0187, 0.004])).toEqual(["0", "0.005", "0.01", "0.015", "0.02"]);
    expect(niceTicks(["0.00253", "0.0026"])).toEqual(["0", "0.001", "0.002", "0.003"]);
    expect(niceTicks([120, 80])).toEqual(["0", "50", "100", "150"]);
    expect(niceTicks([null, 0])).toEqual(["0"]);
  });

  it("always covers the largest value with a handful of evenly spaced round ticks", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 10_000_000 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: -8, max: 3 }), (ints, exp) => {
        const values = ints.map((n) => new Decimal(n).times(new Decimal(10).pow(exp)).toFixed());
        const ticks = niceTicks(values).map((t) => new Decimal(t));
        const max = Decimal.max(...values);
        expect(ticks.at(-1)!.gte(max)).toBe(true);
        expect(ticks.length).toBeGreaterThanOrEqual(2);
        expect(ticks.length).toBeLessThanOrEqual(6);
        const step = ticks[1]!;
        const mantissa = step.div(new Decimal(10).pow(Math.floor(Math.log10(step.toNumber())))).toNumber();
        expect([1, 2, 2.5, 5]).toContain(mantissa);
        ticks.forEach((t, i) => expect(t.eq(step.times(i))).toBe(true));
      }),
    );
  });
});

describe("seriesColours", () => {
  it("gives each series on a chart its own colour, none shared with the total, target or ceiling lines", () => {
    // chat.answer's cohorts and its quality metric: `free` and thumbs_up used to share a green.
    const names = ["acme", "free", "pro", "(no cohort)", "thumbs_up"];
    const colours = [...seriesColours(names).values()];
    expect(new Set(colours).size).toBe(names.length);
    for (const c of colours) expect([TOTAL_COLOUR, TARGET_COLOUR, CEILING_COLOUR]).not.toContain(c);
  });
});
