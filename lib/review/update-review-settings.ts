// Changes the organisation's review settings: time zone (defines weeks), flag threshold and minimum volume.
import Decimal from "decimal.js";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { badRequest } from "@/lib/errors";
import { orgTimezone } from "@/lib/rollups/org-settings";
import { reviewThresholds, type ReviewSettings } from "@/lib/review/review-settings";
import type { Prisma } from "@/lib/generated/prisma/client";
import { withTransaction } from "@/lib/db/transaction";
import { labelled } from "@/lib/http/validation";

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const reviewSettingsSchema = z.object({
  timezone: z.string().refine(isTimeZone, "timezone must be an IANA time zone such as UTC or Europe/Berlin").optional(),
  thresholdPct: z
    .string()
    .refine((v) => /^\d+(\.\d+)?$/.test(v) && new Decimal(v).gt(0) && new Decimal(v).lte(1000), "thresholdPct must be a decimal string between 0 and 1000, e.g. \"10\"")
    .optional(),
  minRequests: z.number().int("minRequests must be a whole number").min(0).max(1_000_000_000).optional(),
  /** Per-endpoint threshold overrides by endpoint slug; null removes an endpoint's override. */
  endpointThresholds: z
    .record(
      z.string(),
      z
        .string()
        .refine((v) => /^\d+(\.\d{1,2})?$/.test(v) && new Decimal(v).gt(0) && new Decimal(v).lte(1000), "must be a decimal string between 0 and 1000 with at most 2 decimals, e.g. \"15\"")
        .nullable(),
    )
    .optional(),
});

export type ReviewSettingsView = ReviewSettings & { timezone: string; endpointThresholds: Record<string, string> };

export async function getReviewSettings(db: Db): Promise<ReviewSettingsView> {
  const [{ perEndpoint, ...settings }, timezone] = await Promise.all([reviewThresholds(db), orgTimezone(db)]);
  return { ...settings, timezone, endpointThresholds: Object.fromEntries([...perEndpoint].sort(([a], [b]) => a.localeCompare(b))) };
}

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
  await withTransaction(async (tx) => {
    for (const [slug, pct] of Object.entries(changes)) {
      await tx.prisma.endpoint.update({ where: { slug }, data: { reviewThresholdPct: pct } });
    }
    const review = { thresholdPct: after.thresholdPct, minRequests: after.minRequests } as Prisma.InputJsonValue;
    await tx.prisma.setting.upsert({ where: { key: "review" }, create: { key: "review", value: review }, update: { value: review, updatedAt: new Date() } });
    await tx.prisma.setting.upsert({ where: { key: "timezone" }, create: { key: "timezone", value: after.timezone }, update: { value: after.timezone, updatedAt: new Date() } });
    // Another time zone moves requests between weeks: the next refresh rebuilds the rollups.
    if (after.timezone !== before.timezone) await tx.prisma.setting.deleteMany({ where: { key: "rollups.watermark" } });
    await recordAudit(tx, actor, { action: "settings.review.update", entityType: "setting", entityId: "review", before, after });
  }, { db });
  return after;
}

// What the 400 calls these inputs ("The invoices are not valid: …").
labelled(reviewSettingsSchema, { what: "review settings", plural: true });
