import Decimal from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatPoints, formatRatio, formatUsd, moneyPlaces, roundedShares } from "@/lib/format";

// The two formatters the explicit modes replaced, kept here as the reference their call sites were
// written against: each call site must read exactly as it did.
function roundedBefore(value: string | null | undefined): string {
  if (value === null || value === undefined) return "—";
  const d = new Decimal(value);
  const abs = d.abs();
  const places = abs.isZero() ? 2 : abs.lt("0.01") ? 5 : abs.lt(1) ? 4 : 2;
  const [int, frac] = d.toFixed(places, Decimal.ROUND_HALF_EVEN).replace("-", "").split(".");
  return `${d.isNegative() ? "-" : ""}$${int!.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}${frac ? `.${frac}` : ""}`;
}
function exactBefore(value: string | null | undefined, unknown = "unpriced"): string {
  if (value === null || value === undefined) return unknown;
  const [int = "0", frac = ""] = value.replace(/^[-+]/, "").split(".");
  return `${value.startsWith("-") ? "-" : ""}$${int.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${frac.padEnd(2, "0")}`;
}

const money = fc
  .tuple(fc.bigInt({ min: -1_000_000_000_000n, max: 1_000_000_000_000n }), fc.integer({ min: 0, max: 12 }))
  .map(([units, scale]) => new Decimal(units.toString()).div(new Decimal(10).pow(scale)).toFixed(scale));

describe("formatUsd", () => {
  it("rounds for display by default: places by magnitude, half to even", () => {
    expect(formatUsd("0.007214")).toBe("$0.00721");
    expect(formatUsd("0.072149")).toBe("$0.0721");
    expect(formatUsd("1234.565")).toBe("$1,234.56");
    expect(formatUsd("1234.575")).toBe("$1,234.58");
    expect(formatUsd("0")).toBe("$0.00");
    expect(formatUsd("-12.5")).toBe("-$12.50");
    expect(formatUsd(null)).toBe("—");
  });

  it("shows every digit in exact mode, with at least cents", () => {
    expect(formatUsd("1.2", { mode: "exact" })).toBe("$1.20");
    expect(formatUsd("0.000000123456", { mode: "exact" })).toBe("$0.000000123456");
    expect(formatUsd("1234567.5", { mode: "exact" })).toBe("$1,234,567.50");
    expect(formatUsd("-3.6", { mode: "exact" })).toBe("-$3.60");
    expect(formatUsd(null, { mode: "exact" })).toBe("unpriced");
    expect(formatUsd(undefined, { mode: "exact", missing: "no requests" })).toBe("no requests");
  });

  it("reads exactly as the two formatters it replaced, for any amount", () => {
    fc.assert(
      fc.property(money, (v) => {
        expect(formatUsd(v)).toBe(roundedBefore(v));
        expect(formatUsd(v, { mode: "exact" })).toBe(exactBefore(v));
        expect(formatUsd(v, { mode: "exact", missing: "x" })).toBe(exactBefore(v, "x"));
      }),
    );
  });
});

describe("formatRatio", () => {
  it("shows a share as a percentage from a number or an exact decimal string", () => {
    expect(formatRatio(0.3)).toBe("30.0%");
    expect(formatRatio("0.125")).toBe("12.5%");
    // Half to even on the exact decimal (0.25 % -> 0.2 %, 0.35 % -> 0.4 %), as formatUsd rounds.
    expect(formatRatio("0.0025")).toBe("0.2%");
    expect(formatRatio("0.0035")).toBe("0.4%");
    expect(formatRatio(0.6, { places: 0 })).toBe("60%");
    expect(formatRatio("0.605", { places: 0 })).toBe("60%");
    expect(formatRatio(null)).toBe("not measured");
    expect(formatRatio(null, { missing: "—" })).toBe("—");
  });

  it("never shows float noise, whatever the share", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (v) => {
        expect(formatRatio(v)).toMatch(/^\d{1,3}\.\d%$/);
        expect(formatRatio(v, { places: 0 })).toMatch(/^\d{1,3}%$/);
      }),
    );
  });
});

describe("formatUsd with places (a column's precision)", () => {
  it("shows every value at the given places, half to even, with thousands separators", () => {
    expect(formatUsd("0.5257", { places: 4 })).toBe("$0.5257");
    expect(formatUsd("33.62", { places: 4 })).toBe("$33.6200");
    expect(formatUsd("9.3", { places: 2 })).toBe("$9.30");
    expect(formatUsd("1234.565", { places: 2 })).toBe("$1,234.56");
    expect(formatUsd("0", { places: 4 })).toBe("$0.0000");
    // Never a non-zero amount as zero: below the column's last place it reads "less than one unit".
    expect(formatUsd("0.000049", { places: 4 })).toBe("<$0.0001");
    expect(formatUsd("-0.001", { places: 2 })).toBe(">-$0.01");
    expect(formatUsd("0.3", { places: 0 })).toBe("<$1");
    expect(formatUsd("-12.5", { places: 3 })).toBe("-$12.500");
    expect(formatUsd("12", { places: 0 })).toBe("$12");
    expect(formatUsd(null, { places: 2 })).toBe("—");
  });

  it("agrees digit for digit with decimal.js rounding for any amount", () => {
    fc.assert(
      fc.property(money, fc.integer({ min: 0, max: 8 }), (v, places) => {
        const out = formatUsd(v, { places });
        const expected = new Decimal(v).toDecimalPlaces(places, Decimal.ROUND_HALF_EVEN);
        if (expected.isZero() && !new Decimal(v).isZero()) {
          expect(out).toMatch(/^(<|>-)\$/);
          return;
        }
        expect(new Decimal(out.replace(/[$,]/g, "")).equals(expected)).toBe(true);
        expect(out.split(".")[1]?.length ?? 0).toBe(places);
      }),
    );
  });
});

describe("moneyPlaces", () => {
  it("is cents unless the smallest non-zero amount needs more, capped", () => {
    expect(moneyPlaces(["33.62", "1234.5", "0"])).toBe(2);
    expect(moneyPlaces(["33.62", "0.5257"])).toBe(2);
    expect(moneyPlaces(["33.62", "0.05257"])).toBe(3);
    expect(moneyPlaces(["33.62", "0.007214", null])).toBe(4);
    expect(moneyPlaces(["-0.0004"])).toBe(5);
    expect(moneyPlaces(["0.000000001"])).toBe(6);
    expect(moneyPlaces(["0.000000001"], { max: 8 })).toBe(8);
    expect(moneyPlaces([])).toBe(2);
    expect(moneyPlaces(["0", null])).toBe(2);
    // Totals: cents unless a cent would hide them.
    expect(moneyPlaces(["0.05"], { significant: 1 })).toBe(2);
    expect(moneyPlaces(["0.004"], { significant: 1 })).toBe(3);
  });

  it("never shows a non-zero amount of the column as zero (above the cap)", () => {
    fc.assert(
      fc.property(fc.array(money, { minLength: 1, maxLength: 20 }), (values) => {
        const places = moneyPlaces(values);
        expect(places).toBeGreaterThanOrEqual(2);
        expect(places).toBeLessThanOrEqual(6);
        for (const v of values) {
          const out = formatUsd(v, { places });
          if (new Decimal(v).abs().gte("0.000001")) expect(new Decimal(out.replace(/[$,-]/g, "")).isZero()).toBe(false);
          if (!new Decimal(v).isZero()) expect(out).not.toMatch(/^-?\$0\.0+$/);
        }
      }),
    );
  });
});

describe("roundedShares (largest remainder)", () => {
  const shown = (shares: string[], places: number) => shares.map((s) => new Decimal(formatRatio(s, { places }).replace("%", "")));

  it("adds up to exactly 100 % where plain rounding does not", () => {
    // Three equal thirds round to 33.3 each (99.9 %); one of them takes the remaining 0.1.
    expect(roundedShares(["1", "1", "1"], 1)).toEqual(["0.334", "0.333", "0.333"]);
    expect(roundedShares(["1", "1", "1"], 0)).toEqual(["0.34", "0.33", "0.33"]);
    expect(roundedShares(["2", "1"], 2)).toEqual(["0.6667", "0.3333"]);
    expect(roundedShares(["0", "5"], 1)).toEqual(["0.000", "1.000"]);
    expect(roundedShares(["0", "0"], 1)).toBeNull();
    expect(roundedShares([], 1)).toBeNull();
  });

  it("sums to exactly 100 at the chosen places, each share within one unit of its exact value", () => {
    fc.assert(
      fc.property(
        fc.array(money, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 3 }),
        (values, places) => {
          const total = values.reduce((s, v) => s.plus(v), new Decimal(0));
          const shares = roundedShares(values, places);
          if (total.isZero()) {
            expect(shares).toBeNull();
            return;
          }
          expect(shares).not.toBeNull();
          const pcts = shown(shares!, places);
          expect(pcts.reduce((s, p) => s.plus(p), new Decimal(0)).equals(100)).toBe(true);
          const unit = new Decimal(10).pow(-places);
          pcts.forEach((p, i) => {
            const exact = new Decimal(values[i]!).div(total).times(100);
            expect(p.minus(exact).abs().lt(unit), `${p.toFixed()} vs ${exact.toFixed()}`).toBe(true);
            expect(p.decimalPlaces()).toBeLessThanOrEqual(places);
          });
        },
      ),
    );
  });
});

describe("formatPoints", () => {
  it("shows a change in percentage points with its sign, half to even, exact", () => {
    expect(formatPoints("1.25")).toBe("+1.2 pts");
    expect(formatPoints("-3.35")).toBe("-3.4 pts");
    expect(formatPoints("0.00")).toBe("0.0 pts");
    expect(formatPoints(null)).toBe("—");
    expect(formatPoints(null, { missing: "n/a" })).toBe("n/a");
  });
});
