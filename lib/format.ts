// Display formatting at the edge: money from decimal strings (never via floating point arithmetic), percentages, counts.
import Decimal from "decimal.js";

/** "$0.00721" for sub-cent amounts, "$0.0721", "$12.34", "$1,234.56" — enough digits to compare per-request costs. */
export function formatUsd(value: string | null | undefined): string {
  if (value === null || value === undefined) return "—";
  const d = new Decimal(value);
  const abs = d.abs();
  const places = abs.isZero() ? 2 : abs.lt("0.01") ? 5 : abs.lt(1) ? 4 : 2;
  const fixed = d.toFixed(places, Decimal.ROUND_HALF_EVEN);
  const [int, frac] = fixed.replace("-", "").split(".");
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${d.isNegative() ? "-" : ""}$${grouped}${frac ? `.${frac}` : ""}`;
}

export function formatPct(value: string | null | undefined): string {
  if (value === null || value === undefined) return "—";
  const n = new Decimal(value);
  return `${n.isPositive() && !n.isZero() ? "+" : ""}${n.toFixed(1)}%`;
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}
