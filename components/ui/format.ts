// Display formatting for exact decimal strings: never through a float, never rounding away cents.

/** "$1.20" for "1.2", "$0.0045" for "0.0045", "$1,234.50" for "1234.5"; null shows as "unpriced". */
export function formatUsd(value: string | null | undefined, unknown = "unpriced"): string {
  if (value === null || value === undefined) return unknown;
  const negative = value.startsWith("-");
  const [int = "0", frac = ""] = value.replace(/^[-+]/, "").split(".");
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}$${grouped}.${frac.padEnd(2, "0")}`;
}

/** 0.3 -> "30.0%"; null -> "not measured". */
export function formatRatio(value: number | null | undefined): string {
  if (value === null || value === undefined) return "not measured";
  return `${(value * 100).toFixed(1)}%`;
}

/** "2026-11-02 10:00" (UTC) from an ISO timestamp. */
export function formatUtc(iso: string | null | undefined, seconds = false): string {
  if (!iso) return "";
  return iso.replace("T", " ").slice(0, seconds ? 19 : 16);
}
