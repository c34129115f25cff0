// What a benchmark section is. Each section measures something and, where it makes sense, compares it with
// a baseline measured in the same run on the same machine (a ratio, so the number means something on a
// noisy or slow machine too). Sections run in order on one database and one app server, so a later
// section (review-page queries, finance rollups) can use the data an earlier one loaded.
import type pg from "pg";
import type { BenchConfig } from "./config";

export type Metric = {
  label: string;
  value: number;
  unit: string;
  /** A short explanation printed next to the value. */
  detail?: string;
};

export type Ratio = {
  label: string;
  /** What was measured, and what it is compared with (both described in the section's metrics). */
  measured: string;
  baseline: string;
  value: number;
  /** The ratio this is expected to reach: at least `min`, or at most `max`. */
  target?: { min?: number; max?: number };
};

export type SectionResult = {
  id: string;
  title: string;
  metrics: Metric[];
  ratios: Ratio[];
  notes: string[];
  /** Anything else worth keeping in the results file (raw figures, settings). */
  data?: Record<string, unknown>;
};

export type BenchContext = {
  config: BenchConfig;
  /** The benchmark database: a pool for the section's own queries (not the app's). */
  db: pg.Pool;
  databaseUrl: string;
  /** The running app and an ingest API key for it. */
  app: { url: string; ingestKey: string };
  /** What earlier sections left in the database, for later ones. */
  dataset: { costEvents: number };
  log: (message: string) => void;
};

export type Section = { id: string; title: string; run: (ctx: BenchContext) => Promise<SectionResult> };

export function targetMet(r: Ratio): boolean | null {
  if (!r.target) return null;
  if (r.target.min !== undefined && r.value < r.target.min) return false;
  if (r.target.max !== undefined && r.value > r.target.max) return false;
  return true;
}
