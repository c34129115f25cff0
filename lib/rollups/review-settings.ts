// The review's thresholds: a move past the threshold (global, or the endpoint's own) on enough volume is flagged.
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

/** Whether a week-over-week change in mean cost per request needs review. */
export function isFlagged(changePct: string | null, requests: number, thresholdPct: string, minRequests: number): boolean {
  if (changePct === null || requests < minRequests) return false;
  return new Decimal(changePct).abs().gte(thresholdPct);
}

/** The global settings and each endpoint's own threshold (by slug), for flagging rows. */
export async function reviewThresholds(db: pg.Pool): Promise<ReviewSettings & { perEndpoint: Map<string, string> }> {
  const [settings, { rows }] = await Promise.all([
    reviewSettings(db),
    db.query<{ slug: string; pct: string }>("SELECT slug, review_threshold_pct::text AS pct FROM endpoints WHERE review_threshold_pct IS NOT NULL"),
  ]);
  return { ...settings, perEndpoint: new Map(rows.map((r) => [r.slug, new Decimal(r.pct).toFixed()])) };
}
