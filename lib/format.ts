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
export function formatUsd(value: string | null | undefined, opts: { mode?: MoneyMode; missing?: string } = {}): string {
  const mode = opts.mode ?? "rounded";
  if (value === null || value === undefined) return opts.missing ?? (mode === "exact" ? "unpriced" : "—");
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
