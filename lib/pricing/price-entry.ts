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
// - What a bill holds beyond the plain token rates lives in four optional parts of the same entry, so it is
//   versioned and effective-dated with the rest (one row, one version, one effective window; re-pricing and
//   the closed-month lock see a change in any of them as a change of the entry):
//   * tiers: long-context prices. Each tier has a threshold (`aboveTokens`) on the request's prompt size and
//     a full set of token rates; when the prompt is above the threshold, the WHOLE request is billed at the
//     tier's rates (Gemini 2.5 Pro above 200k, Claude Sonnet 4/4.5 with the 1M context above 200k). The
//     prompt size is input + cache read + cache write (5 min and 1 h) tokens, which is what each provider
//     counts: Gemini's prompt tokens include cached content, Anthropic's threshold counts input plus cache
//     reads and writes, OpenAI's prompt tokens include cached ones.
//   * serviceTiers: rates for the tier that served the request ("flex", "priority", "batch", "scale", ...),
//     either a `multiplier` of the token cost or explicit `rates`. "default" and "standard" are the entry's
//     own rates and need no service tier.
//   * toolFees: USD per call for each kind of server-side tool call ("webSearch": "0.01" is $10 per 1,000).
//   * modalityRates: per-MTok rates for audio input, audio output and image input where the provider prices
//     them apart from text.
//   They are exact decimal strings inside JSONB, validated by this schema on the way in and on every read.
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

/** Token rates a tier or an explicit service tier carries: the same fields and defaults as the entry's own. */
const tokenRatesSchema = z.strictObject({
  inputPerMTok: rate,
  cacheReadPerMTok: optionalRate,
  cacheWritePerMTok: optionalRate,
  cacheWrite1hPerMTok: optionalRate,
  outputPerMTok: rate,
  reasoningPerMTok: optionalRate,
  toolOutputPerMTok: optionalRate,
});
export type TokenRates = z.output<typeof tokenRatesSchema>;
/** The token rate fields, in the schema's order (the entry's, a tier's and a service tier's). */
export const TOKEN_RATE_FIELDS = Object.keys(tokenRatesSchema.shape) as (keyof TokenRates)[];

export const MODALITY_RATE_FIELDS = ["audioInputPerMTok", "audioOutputPerMTok", "imageInputPerMTok"] as const;
export type ModalityRateField = (typeof MODALITY_RATE_FIELDS)[number];
const modalityRatesSchema = z.strictObject({
  audioInputPerMTok: optionalRate,
  audioOutputPerMTok: optionalRate,
  imageInputPerMTok: optionalRate,
});
export type ModalityRates = z.output<typeof modalityRatesSchema>;

/** The prompt-size threshold is a whole number of tokens; the tier applies when the prompt is strictly above it. */
const tierSchema = tokenRatesSchema.extend({
  aboveTokens: z.number({ error: "aboveTokens must be a whole number of tokens" }).int("aboveTokens must be a whole number of tokens").min(1).max(1_000_000_000),
  modalityRates: modalityRatesSchema.nullish().transform((v) => v ?? null),
});
export type PriceTier = z.output<typeof tierSchema>;

/** Served service-tier names as providers send them ("flex", "priority", "batch", "scale", "on_demand"). */
export const SERVICE_TIER_NAME = /^[a-z][a-z0-9_-]{0,39}$/;
/** The served tiers that bill at the entry's own rates. */
export const STANDARD_SERVICE_TIERS: readonly string[] = ["default", "standard"];
/** Tool kinds are camelCase names, like the event's toolCalls keys ("webSearch", "fileSearch", "codeInterpreter"). */
export const TOOL_KIND = /^[a-z][a-zA-Z0-9]{0,39}$/;

const serviceTierSchema = z
  .strictObject({
    multiplier: rate.nullish().transform((v) => v ?? null),
    rates: tokenRatesSchema.nullish().transform((v) => v ?? null),
  })
  .superRefine((t, ctx) => {
    if ((t.multiplier === null) === (t.rates === null)) ctx.addIssue({ code: "custom", message: "give exactly one of multiplier or rates" });
  });
export type ServiceTierPrice = z.output<typeof serviceTierSchema>;

const serviceTiersSchema = z
  .record(z.string(), serviceTierSchema)
  .superRefine((m, ctx) => {
    const names = Object.keys(m);
    if (names.length > 20) ctx.addIssue({ code: "custom", message: "at most 20 service tiers" });
    for (const name of names) {
      if (!SERVICE_TIER_NAME.test(name)) ctx.addIssue({ code: "custom", path: [name], message: `service tier "${name.slice(0, 40)}" must be lowercase letters, digits, _ or -` });
      else if (STANDARD_SERVICE_TIERS.includes(name)) ctx.addIssue({ code: "custom", path: [name], message: `"${name}" is the entry's own rates; it needs no service tier` });
    }
  });

const toolFeesSchema = z.record(z.string(), rate).superRefine((m, ctx) => {
  const kinds = Object.keys(m);
  if (kinds.length > 20) ctx.addIssue({ code: "custom", message: "at most 20 tool fees" });
  for (const kind of kinds) {
    if (!TOOL_KIND.test(kind)) ctx.addIssue({ code: "custom", path: [kind], message: `tool kind "${kind.slice(0, 40)}" must be camelCase letters and digits, e.g. webSearch` });
  }
});

const emptyToNull = <T extends object>(v: T | null | undefined): T | null => (v === null || v === undefined || Object.keys(v).length === 0 ? null : v);

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
    ...tokenRatesSchema.shape,
    perCallUsd: optionalRate,
    tiers: z.array(tierSchema).max(10, "at most 10 tiers").nullish().transform((v) => (v && v.length ? [...v].sort((a, b) => a.aboveTokens - b.aboveTokens) : null)),
    serviceTiers: serviceTiersSchema.nullish().transform(emptyToNull),
    toolFees: toolFeesSchema.nullish().transform(emptyToNull),
    modalityRates: modalityRatesSchema.nullish().transform((v) => (v && MODALITY_RATE_FIELDS.some((f) => v[f] !== null) ? v : null)),
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
    if (e.tiers) {
      const seen = new Set<number>();
      e.tiers.forEach((t, i) => {
        if (seen.has(t.aboveTokens)) ctx.addIssue({ code: "custom", path: ["tiers", i, "aboveTokens"], message: `two tiers start above ${t.aboveTokens} tokens` });
        seen.add(t.aboveTokens);
      });
    }
  });

/**
 * Rate relations no provider's price list has, which are data errors more often than prices (peers have
 * shipped both): a cache read dearer than uncached input, and output cheaper than input by 10× or more
 * (an output rate of 0 is an embedding's or a per-call price's and is fine). Checked for the base rates,
 * every tier and every service tier with its own rates. Entries from the API or an import with such a
 * relation are refused unless they say `ratesConfirmed: true`; stored entries are never re-judged.
 */
export function rateRelationProblems(e: PriceEntry): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const check = (r: TokenRates, at: string) => {
    const input = new Dec(r.inputPerMTok);
    if (r.cacheReadPerMTok !== null && new Dec(r.cacheReadPerMTok).gt(input)) {
      problems.push({
        path: `${at}cacheReadPerMTok`,
        message: `a cache read (${r.cacheReadPerMTok} per 1M) costs more than uncached input (${r.inputPerMTok}): check the rates, or confirm them with ratesConfirmed: true`,
      });
    }
    const output = new Dec(r.outputPerMTok);
    if (!output.isZero() && output.times(10).lte(input)) {
      problems.push({
        path: `${at}outputPerMTok`,
        message: `output (${r.outputPerMTok} per 1M) is 10× or more cheaper than input (${r.inputPerMTok}): check the rates, or confirm them with ratesConfirmed: true`,
      });
    }
  };
  check(e, "");
  e.tiers?.forEach((t, i) => check(t, `tiers.${i}.`));
  for (const [name, t] of Object.entries(e.serviceTiers ?? {})) if (t.rates) check(t.rates, `serviceTiers.${name}.rates.`);
  return problems;
}

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
