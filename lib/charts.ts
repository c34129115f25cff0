// What the charts share, so every chart reads the same way: one palette (each series on a page its own
// colour, none the colour of the target or ceiling lines) and axis ticks at round decimal steps
// (1, 2 or 5 × a power of ten), computed exactly, for money axes shown through lib/format.ts.
import Decimal from "decimal.js";

// Neutral colours are the palette's CSS variables, so charts follow dark mode (app/globals.css).
/** The all-cohorts (or organisation-wide) line. */
export const TOTAL_COLOUR = "var(--color-slate-900)";
/** Grid lines, muted bars and the halo behind labels drawn over lines. */
export const GRID_COLOUR = "var(--color-slate-200)";
export const MUTED_COLOUR = "var(--color-slate-300)";
export const HALO_COLOUR = "var(--color-white)";
export const NEUTRAL_LINE_COLOUR = "var(--color-slate-600)";
/** Reference lines: the target and the ceiling cost per request, and release markers. */
export const TARGET_COLOUR = "#ca8a04";
export const CEILING_COLOUR = "#dc2626";
export const RELEASE_COLOUR = "#7c3aed";

/** Distinct, colour-blind-aware hues for series (cohorts, then the quality metric), in order of use. */
export const SERIES_PALETTE = ["#2563eb", "#ea580c", "#16a34a", "#9333ea", "#db2777", "#0891b2", "#64748b", "#4d7c0f", "#1e3a8a", "#f472b6"] as const;

/** One colour per named series, in the order given; all distinct while there are palette colours left. */
export function seriesColours(names: readonly string[]): Map<string, string> {
  return new Map(names.map((n, i) => [n, SERIES_PALETTE[i % SERIES_PALETTE.length]!]));
}

/**
 * Ticks from 0 to a round maximum at or above the largest value: about `count` steps of 1, 2 or 5 × 10^k,
 * as exact decimal strings ("0", "0.005", "0.01", ...). No values above zero: a single tick "0".
 */
export function niceTicks(values: readonly (Decimal.Value | null)[], count = 4): string[] {
  const max = values.reduce<Decimal>((m, v) => (v === null ? m : Decimal.max(m, new Decimal(v))), new Decimal(0));
  if (max.lte(0)) return ["0"];
  const rough = max.div(count);
  const power = new Decimal(10).pow(Math.floor(Math.log10(rough.toNumber())));
  const step = [1, 2, 2.5, 5, 10].map((m) => power.times(m)).find((s) => s.gte(rough))!;
  const steps = max.div(step).ceil().toNumber();
  return Array.from({ length: steps + 1 }, (_, i) => step.times(i).toFixed());
}
