import Decimal from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatPoints, formatRatio, formatUsd } from "@/lib/format";

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

describe("formatPoints", () => {
  it("shows a change in percentage points with its sign, half to even, exact", () => {
    expect(formatPoints("1.25")).toBe("+1.2 pts");
    expect(formatPoints("-3.35")).toBe("-3.4 pts");
    expect(formatPoints("0.00")).toBe("0.0 pts");
    expect(formatPoints(null)).toBe("—");
    expect(formatPoints(null, { missing: "n/a" })).toBe("n/a");
  });
});
