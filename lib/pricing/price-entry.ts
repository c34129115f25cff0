// Price entries (a provider/model's USD rates per million tokens over a date range): the type, its zod schema and the exact-decimal helpers the pricing layer shares.
//
// Decisions, because a wrong price is worse than no price:
// - Rates are exact decimal strings ("2.5", "0.075"). Numbers are accepted and converted through their
//   shortest round-trip string (2.5e-6 -> "0.0000025"), so 0.1 stays "0.1", never 0.1000000000000000055...
// - inputPerMTok and outputPerMTok are required. Embedding models carry outputPerMTok "0" (they never emit
//   output tokens); a per-call-only tool price carries "0" for both and a perCallUsd.
// - Cache rates (cacheRead, cacheWrite 5 min, cacheWrite1h) are optional with NO default. Defaulting a
//   cache-read rate to the input rate over-prices, defaulting a 1h write to the 5-minute rate under-prices;
//   either would be a silently wrong number. A missing cache rate only matters when an event actually has
//   tokens in that bucket, and then the event is reported unpriced, naming the bucket (see price-event.ts).
// - reasoningPerMTok and toolOutputPerMTok are optional and, when null, resolve to outputPerMTok at pricing
//   time rather than being copied in here, so editing the output rate later keeps them in step.
// - Optional fields normalise to null, so a parsed entry has one stable shape for storage and comparison.
// - Bounds: rates are non-negative, at most 1e12 and at most 30 fractional digits, which keeps every
//   product and sum inside Dec's precision, so pricing arithmetic never rounds.
import Decimal from "decimal.js";
import { z } from "zod";

/**
 * The decimal constructor for all money arithmetic. 200 significant digits is far beyond any bounded
 * tokens × rate product, so multiplication, division by 10^6 and summation stay exact.
 */
export const Dec = Decimal.clone({ precision: 200, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -9e15, toExpPos: 9e15 });
export type Dec = Decimal;

const MAX_RATE = new Dec("1e12");
const MAX_FRACTION_DIGITS = 30;
// Plain or exponent decimal notation only: decimal.js would otherwise also accept "0x1f", "Infinity", "NaN".
const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A non-negative decimal from a number or string, as a normalised plain decimal string ("2.50" -> "2.5"),
 * or an error message. Numbers go through String(n), JavaScript's shortest round-trip representation.
 */
export function toDecimalString(
  value: unknown,
  { max = MAX_RATE, maxFractionDigits = MAX_FRACTION_DIGITS }: { max?: Decimal; maxFractionDigits?: number } = {},
): { ok: true; value: string } | { ok: false; error: string } {
  let text: string;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return { ok: false, error: "must be a finite number" };
    text = String(value);
  } else if (typeof value === "string") {
    text = value.trim();
  } else {
    return { ok: false, error: "must be a decimal number or string" };
  }
  if (!DECIMAL_TEXT.test(text)) return { ok: false, error: `"${text.slice(0, 40)}" is not a decimal number` };
  const d = new Dec(text);
  if (d.isZero()) return { ok: true, value: "0" };
  if (d.isNegative()) return { ok: false, error: "must not be negative" };
  if (!d.isFinite() || d.gt(max)) return { ok: false, error: `must be at most ${max.toFixed()}` };
  if (d.decimalPlaces() > maxFractionDigits) return { ok: false, error: `must have at most ${maxFractionDigits} fractional digits` };
  return { ok: true, value: d.toFixed() };
}

const rate = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const r = toDecimalString(v);
  if (!r.ok) {
    ctx.addIssue({ code: "custom", message: `rate ${r.error}` });
    return z.NEVER;
  }
  return r.value;
});
const optionalRate = rate.nullish().transform((v) => v ?? null);

const dateInput = z
  .union([z.date(), z.iso.datetime({ offset: true })])
  .transform((v) => (typeof v === "string" ? new Date(v) : new Date(v.getTime())));

export const priceEntrySchema = z
  .object({
    /** Storage id; built-in entries get "builtin:<provider>/<model>@v<version>". */
    id: z.string().min(1).max(200).nullish().transform((v) => v ?? null),
    provider: z.string().trim().toLowerCase().min(1, "provider is required").max(100),
    model: z.string().trim().min(1).max(200).nullish().transform((v) => v ?? null),
    modelPattern: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .refine((p) => p.includes("*"), "modelPattern must contain '*' (use model for an exact name)")
      .nullish()
      .transform((v) => v ?? null),
    effectiveFrom: dateInput,
    effectiveTo: dateInput.nullish().transform((v) => v ?? null),
    inputPerMTok: rate,
    cacheReadPerMTok: optionalRate,
    cacheWritePerMTok: optionalRate,
    cacheWrite1hPerMTok: optionalRate,
    outputPerMTok: rate,
    reasoningPerMTok: optionalRate,
    toolOutputPerMTok: optionalRate,
    perCallUsd: optionalRate,
    currency: z.literal("USD", { message: "currency must be USD" }).default("USD"),
    source: z.string().trim().min(1, "source is required: say where the price comes from").max(500),
    version: z.number().int().min(1).max(1_000_000).default(1),
  })
  .superRefine((e, ctx) => {
    if ((e.model === null) === (e.modelPattern === null)) {
      ctx.addIssue({ code: "custom", path: ["model"], message: "give exactly one of model or modelPattern" });
    }
    if (e.effectiveTo !== null && e.effectiveTo.getTime() <= e.effectiveFrom.getTime()) {
      ctx.addIssue({ code: "custom", path: ["effectiveTo"], message: "effectiveTo must be after effectiveFrom" });
    }
  });

export type PriceEntryInput = z.input<typeof priceEntrySchema>;
export type PriceEntry = z.output<typeof priceEntrySchema>;

export function parsePriceEntry(input: unknown): PriceEntry {
  return priceEntrySchema.parse(input);
}

/** A stable identifier for an entry: its id, or one derived from what makes it unique. */
export function priceEntryKey(entry: PriceEntry): string {
  if (entry.id !== null) return entry.id;
  return `${entry.provider}/${entry.model ?? entry.modelPattern ?? ""}@${entry.effectiveFrom.toISOString()}#v${entry.version}`;
}
