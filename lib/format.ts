// Display formatting at the edge, the one place for it: money from decimal strings (never via floating
// point arithmetic) in an explicit mode, percentages, ratios, counts and UTC timestamps.
import Decimal from "decimal.js";

/**
 * How money is shown. "rounded" (the default) is for reading at a glance: enough places to compare
 * per-request costs ("$0.00721" below a cent, "$0.0721" below a dollar, "$12.34", "$1,234.56"), half
 * to even. "exact" is for figures where every digit matters (prices, pool-hours, one request's costs):
 * the decimal exactly as given, never rounded, with at least cents ("$1.20", "$0.0045", "$1,234.50").
 */
export type MoneyMode = "rounded" | "exact";

/**
 * Money from a decimal string, never through floating point. A missing amount shows as `missing`:
 * by default "—" when rounded, "unpriced" when exact (an exact figure that is missing was not priced).
 */
export function formatUsd(value: string | null | undefined, opts: { mode?: MoneyMode; missing?: string; places?: number } = {}): string {
  const mode = opts.mode ?? "rounded";
  if (value === null || value === undefined) return opts.missing ?? (mode === "exact" ? "unpriced" : "—");
  if (opts.places !== undefined) {
    // A column's own precision (see moneyPlaces): every value at the same places, half to even; an amount
    // too small for them reads "<$0.0001" (">-$0.0001" below zero), never "$0.0000".
    const exact = new Decimal(value);
    const d = exact.toDecimalPlaces(opts.places, Decimal.ROUND_HALF_EVEN);
    if (d.isZero() && !exact.isZero()) {
      const unit = new Decimal(10).pow(-opts.places).toFixed(opts.places);
      return exact.isNegative() ? `>-$${unit}` : `<$${unit}`;
    }
    const [int = "0", frac = ""] = d.abs().toFixed(opts.places).split(".");
    return `${d.isNegative() && !d.isZero() ? "-" : ""}$${group(int)}${frac ? `.${frac}` : ""}`;
  }
  if (mode === "exact") {
    const [int = "0", frac = ""] = value.replace(/^[-+]/, "").split(".");
    return `${value.startsWith("-") ? "-" : ""}$${group(int)}.${frac.padEnd(2, "0")}`;
  }
  const d = new Decimal(value);
  const abs = d.abs();
  const places = abs.isZero() ? 2 : abs.lt("0.01") ? 5 : abs.lt(1) ? 4 : 2;
  const [int = "0", frac = ""] = d.toFixed(places, Decimal.ROUND_HALF_EVEN).replace("-", "").split(".");
  return `${d.isNegative() ? "-" : ""}$${group(int)}.${frac}`;
}

/**
 * The places a column of money is shown at, so that all its values line up at one precision: cents, or
 * more when the smallest non-zero amount needs them to show `significant` digits (2 by default; 1 for
 * totals, which are shown at cents unless a cent would hide them), at most `max` (6; an amount below the
 * cap then reads "<$0.0001"). Pass the result to formatUsd's `places`. A column without non-zero amounts
 * is shown at cents.
 */
export function moneyPlaces(values: readonly (string | null | undefined)[], opts: { significant?: number; max?: number } = {}): number {
  const significant = opts.significant ?? 2;
  const max = opts.max ?? 6;
  let places = 2;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    const d = new Decimal(v).abs();
    if (d.isZero()) continue;
    // d.e is the exponent of the first significant digit: 0.00721 -> -3, so 2 significant digits need 4 places.
    places = Math.max(places, -d.e + significant - 1);
  }
  return Math.min(places, max);
}

/**
 * Shares of a total that add up to exactly 100 % when shown at `places` decimals of a percent (largest
 * remainder): each value's exact share is cut down to whole units of 10^-places %, and the units left
 * over go one each to the largest remainders (ties to the earlier value). Every share is then within one
 * unit of its exact value. Returned as fractions ("0.333" for 33.3 % at 1 place), for formatRatio with the
 * same `places`; null when the total is zero.
 */
export function roundedShares(values: readonly Decimal.Value[], places = 1): string[] | null {
  const total = values.reduce<Decimal>((s, v) => s.plus(v), new Decimal(0));
  if (total.isZero()) return null;
  const units = new Decimal(10).pow(places + 2); // units of a share in 10^-places %
  const exact = values.map((v) => new Decimal(v).div(total).times(units));
  const floors = exact.map((x) => x.floor());
  let left = units.minus(floors.reduce((s, f) => s.plus(f), new Decimal(0))).toNumber();
  const order = exact.map((x, i) => ({ r: x.minus(floors[i]!), i })).sort((a, b) => b.r.comparedTo(a.r) || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i] = floors[i]!.plus(1);
    left--;
  }
  return floors.map((f) => f.div(units).toFixed(places + 2));
}

/** Thousands separators: "1234567" -> "1,234,567". */
function group(int: string): string {
  return int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

export function formatPct(value: string | null | undefined): string {
  if (value === null || value === undefined) return "—";
  const n = new Decimal(value);
  return `${n.isPositive() && !n.isZero() ? "+" : ""}${n.toFixed(1)}%`;
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

/**
 * A share as a percentage: 0.3 -> "30.0%", "0.125" -> "12.5%" (decimal strings stay exact); `places`
 * digits after the point (1 by default, 0 for coarse shares such as "carries 60% of the change");
 * null -> `missing` ("not measured" by default). The one way to show a share; changes use formatPct.
 */
export function formatRatio(value: number | string | null | undefined, opts: { places?: number; missing?: string } = {}): string {
  if (value === null || value === undefined) return opts.missing ?? "not measured";
  return `${new Decimal(value).times(100).toFixed(opts.places ?? 1, Decimal.ROUND_HALF_EVEN)}%`;
}

/** "2026-11-02 10:00" (UTC) from an ISO timestamp. */
export function formatUtc(iso: string | null | undefined, seconds = false): string {
  if (!iso) return "";
  return iso.replace("T", " ").slice(0, seconds ? 19 : 16);
}

/** A change between two percentages, in percentage points: "1.25" -> "+1.3 pts"; null -> `missing` ("—"). */
export function formatPoints(value: string | null | undefined, opts: { missing?: string } = {}): string {
  if (value === null || value === undefined) return opts.missing ?? "—";
  const n = new Decimal(value);
  return `${n.isPositive() && !n.isZero() ? "+" : ""}${n.toFixed(1, Decimal.ROUND_HALF_EVEN)} pts`;
}
