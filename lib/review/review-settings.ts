// The review's settings as the review settings page and API show them: the organisation's time zone,
// flag threshold and minimum volume (settings keys "timezone" and "review", lib/settings/settings.ts)
// and each endpoint's own threshold (endpoints.review_threshold_pct). The rule that applies them (what
// is flagged) is lib/review/flagging.ts.
import Decimal from "decimal.js";
import type { z } from "zod";
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/audit/record-audit";
import { badRequest } from "@/lib/errors";
import type { reviewSettingsSchema } from "@/lib/review/schemas";
import { getSetting, getSettings, setSettings, type ReviewThresholdSettings } from "@/lib/settings/settings";

export type ReviewSettings = ReviewThresholdSettings;

/** The global settings and each endpoint's own threshold (by slug), for flagging rows. */
export async function reviewThresholds(db: Db): Promise<ReviewSettings & { perEndpoint: Map<string, string> }> {
  const [settings, { rows }] = await Promise.all([
    getSetting(db, "review"),
    db.query<{ slug: string; pct: string }>("SELECT slug, review_threshold_pct::text AS pct FROM endpoints WHERE review_threshold_pct IS NOT NULL"),
  ]);
  return { ...settings, perEndpoint: new Map(rows.map((r) => [r.slug, new Decimal(r.pct).toFixed()])) };
}

export type ReviewSettingsView = ReviewSettings & { timezone: string; endpointThresholds: Record<string, string> };

export async function getReviewSettings(db: Db): Promise<ReviewSettingsView> {
  const [{ perEndpoint, ...settings }, { timezone }] = await Promise.all([reviewThresholds(db), getSettings(db, ["timezone"])]);
  return { ...settings, timezone, endpointThresholds: Object.fromEntries([...perEndpoint].sort(([a], [b]) => a.localeCompare(b))) };
}

/** Saves the time zone, threshold and minimum volume (settings) and the endpoints' thresholds together, as one audited change. */
export async function updateReviewSettings(db: Db, input: z.output<typeof reviewSettingsSchema>, actor: Actor): Promise<ReviewSettingsView> {
  const before = await getReviewSettings(db);
  const { endpointThresholds: changes = {}, ...global } = input;
  const slugs = Object.keys(changes);
  const known = new Set(
    slugs.length ? (await db.query<{ slug: string }>("SELECT slug FROM endpoints WHERE slug = ANY($1::text[])", [slugs])).rows.map((e) => e.slug) : [],
  );
  const unknown = slugs.filter((s) => !known.has(s));
  if (unknown.length) {
    throw badRequest(
      "The review settings are not valid.",
      unknown.map((s) => ({ path: `endpointThresholds.${s}`, message: `no registered endpoint has the slug "${s}"` })),
    );
  }
  const endpointThresholds = { ...before.endpointThresholds };
  for (const [slug, pct] of Object.entries(changes)) {
    if (pct === null) delete endpointThresholds[slug];
    else endpointThresholds[slug] = new Decimal(pct).toFixed();
  }
  const after: ReviewSettingsView = { ...before, ...global, endpointThresholds };
  await setSettings(
    db,
    actor,
    { review: { thresholdPct: after.thresholdPct, minRequests: after.minRequests }, timezone: after.timezone },
    {
      audit: { action: "settings.review.update", entityType: "setting", entityId: "review", before, after },
      alsoIn: async (tx) => {
        for (const [slug, pct] of Object.entries(changes)) {
          await tx.query("UPDATE endpoints SET review_threshold_pct = $2::numeric WHERE slug = $1", [slug, pct]);
        }
      },
    },
  );
  return after;
}
