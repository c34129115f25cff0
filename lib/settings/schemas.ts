// The shapes of the settings' stored values that belong to no other domain's schemas (lib/settings/settings.ts
// lists every key); the finance settings' input reuses the tolerance.
import { z } from "zod";
import { Dec, toDecimalString } from "@/lib/pricing/price-entry";

/** A percentage from 0 to 100 as a decimal string ("1", "2.5"); a number is accepted and normalised. */
export const tolerancePctValue = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const r = toDecimalString(v, { max: new Dec(100) });
  if (!r.ok) {
    ctx.addIssue({ code: "custom", message: `tolerancePct ${r.error.replace(/^must be at most/, "must be between 0 and")}` });
    return z.NEVER;
  }
  return r.value;
});

export type ReviewThresholdSettings = { thresholdPct: string; minRequests: number };
export const DEFAULT_REVIEW: ReviewThresholdSettings = { thresholdPct: "10", minRequests: 50 };

/** The review's threshold and minimum volume; each field falls back to its default on its own, as a partly written value always has. */
export const reviewThresholdsValue = z.object({
  thresholdPct: z.string().catch(DEFAULT_REVIEW.thresholdPct),
  minRequests: z.number().catch(DEFAULT_REVIEW.minRequests),
});
