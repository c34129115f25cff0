// The review's settings: the organisation's threshold and minimum volume, and each endpoint's own
// threshold. The rule that applies them (what is flagged) is lib/review/flagging.ts.
import Decimal from "decimal.js";
import type pg from "pg";
import { readSetting } from "@/lib/rollups/org-settings";

export type ReviewSettings = { thresholdPct: string; minRequests: number };

export const DEFAULT_REVIEW_SETTINGS: ReviewSettings = { thresholdPct: "10", minRequests: 50 };

export async function reviewSettings(db: pg.Pool | pg.PoolClient): Promise<ReviewSettings> {
  const v = (await readSetting(db, "review")) as Partial<ReviewSettings> | undefined;
  return {
    thresholdPct: typeof v?.thresholdPct === "string" ? v.thresholdPct : DEFAULT_REVIEW_SETTINGS.thresholdPct,
    minRequests: typeof v?.minRequests === "number" ? v.minRequests : DEFAULT_REVIEW_SETTINGS.minRequests,
  };
}

/** The global settings and each endpoint's own threshold (by slug), for flagging rows. */
export async function reviewThresholds(db: pg.Pool | pg.PoolClient): Promise<ReviewSettings & { perEndpoint: Map<string, string> }> {
  const [settings, { rows }] = await Promise.all([
    reviewSettings(db),
    db.query<{ slug: string; pct: string }>("SELECT slug, review_threshold_pct::text AS pct FROM endpoints WHERE review_threshold_pct IS NOT NULL"),
  ]);
  return { ...settings, perEndpoint: new Map(rows.map((r) => [r.slug, new Decimal(r.pct).toFixed()])) };
}
