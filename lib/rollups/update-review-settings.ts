// Changes the organisation's review settings: time zone (defines weeks), flag threshold and minimum volume.
import Decimal from "decimal.js";
import { z } from "zod";
import { db, pool } from "@/lib/db/client";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { badRequest, fieldErrors } from "@/lib/errors";
import { orgTimezone } from "@/lib/rollups/org-settings";
import { reviewSettings, type ReviewSettings } from "@/lib/rollups/review-settings";
import type { Prisma } from "@/lib/generated/prisma/client";

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
});

export type ReviewSettingsView = ReviewSettings & { timezone: string };

export async function getReviewSettings(): Promise<ReviewSettingsView> {
  const [s, timezone] = await Promise.all([reviewSettings(pool()), orgTimezone(pool())]);
  return { ...s, timezone };
}

export async function updateReviewSettings(input: unknown, actor: Actor): Promise<ReviewSettingsView> {
  const parsed = reviewSettingsSchema.safeParse(input);
  if (!parsed.success) throw badRequest("The review settings are not valid.", fieldErrors(parsed.error.issues));
  const before = await getReviewSettings();
  const after: ReviewSettingsView = { ...before, ...parsed.data };
  await db().$transaction(async (tx) => {
    const review = { thresholdPct: after.thresholdPct, minRequests: after.minRequests } as Prisma.InputJsonValue;
    await tx.setting.upsert({ where: { key: "review" }, create: { key: "review", value: review }, update: { value: review, updatedAt: new Date() } });
    await tx.setting.upsert({ where: { key: "timezone" }, create: { key: "timezone", value: after.timezone }, update: { value: after.timezone, updatedAt: new Date() } });
    // Another time zone moves requests between weeks: the next refresh rebuilds the rollups.
    if (after.timezone !== before.timezone) await tx.setting.deleteMany({ where: { key: "rollups.watermark" } });
    await recordAudit(tx, actor, { action: "settings.review.update", entityType: "setting", entityId: "review", before, after });
  });
  return after;
}
