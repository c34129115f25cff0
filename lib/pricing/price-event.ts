// Turns an event's token usage into an exact USD cost, and decides whether that cost is billed, estimated, unpriced, GPU-allocated or nothing.
//
// Decisions (the rule throughout: a user would rather see "unpriced" than a silently wrong number):
// - Arithmetic is exact: tokens × rate / 1,000,000 per bucket in Dec, summed without rounding. Money leaves
//   as plain decimal strings ("3.0864175"); rounding is for display only.
// - A bucket with tokens but no rate in the entry (e.g. cacheReadTokens on an entry with no
//   cacheReadPerMTok) makes the whole event unpriced, naming the bucket. A bucket with 0 tokens never needs
//   a rate. reasoning and toolOutput fall back to the output rate; cache rates never fall back.
// - perCallUsd is charged once per priced event, whatever its token counts.
// - Beyond plain tokens (price-entry.ts describes the parts of an entry):
//   * long-context tier: when the prompt (input + cache read + cache writes) is above a tier's threshold,
//     every bucket of the request is priced at that tier's rates (the highest threshold below the prompt);
//   * served service tier: a multiplier scales every token rate (modality rates too, never tool fees);
//     explicit rates replace the entry's rates. Explicit service-tier rates say nothing about a long-context
//     tier, so a request above a threshold served by such a tier is priced at the long-context standard rate
//     and flagged incomplete;
//   * modality tokens (audio in and out, image in) are parts of inputTokens / outputTokens: they are priced
//     at the modality rate and only the rest at the text rate, so nothing is counted twice;
//   * tool calls are priced per call from the entry's toolFees;
//   * a count the normaliser found in the provider's usage but cannot place (a new usage key) is never
//     priced: the rest is, and the event is incomplete, naming the key.
//   What the entry cannot price (a served tier without a rate, tool calls without a fee, modality tokens
//   without a rate) makes the event INCOMPLETE: the cost holds the part that can be priced (a served tier
//   without a rate is priced at the standard rate), the reason names what is missing, and the figure is
//   never passed off as estimated. A missing cache rate still makes the whole event unpriced, as before.
// - costEvent, in order:
//   1. kind "gpu" -> { source: "gpu" }: its cost comes from pool-hour allocation (allocate-gpu.ts). A costUsd
//      on a gpu event is ignored because counting it as well would double-count the pool; a serverless GPU
//      billed per call should be sent as kind "other" with costUsd.
//   2. costUsd present -> billed; the vendor's number beats our estimate. An unusable costUsd (negative, not
//      a decimal) is unpriced with that reason rather than silently estimated.
//   3. token kinds ("llm", "embedding"), or any event with tokens -> needs provider and model; priced by the
//      matching entry, otherwise unpriced with the reason.
//   4. other kinds ("tool", "retrieval", "other") with no tokens: when provider and model are given they are
//      looked up, so a per-call price (a search API at $0.005 per call) can be configured; no match is
//      unpriced. With no provider/model there is nothing to price: { source: "none", cost: "0" }.
// - costEvent never throws: malformed usage or timestamps come back as unpriced with a reason.
import { Dec, priceEntryKey, STANDARD_SERVICE_TIERS, toDecimalString, type ModalityRates, type PriceEntry, type TokenRates } from "@/lib/pricing/price-entry";
import { matchPrice } from "@/lib/pricing/match-price";
import { USAGE_BUCKETS } from "@/lib/ingest/usage";
import { add, format, mul, scaled, timesInteger, type Scaled } from "@/lib/pricing/scaled-decimal";

/** The disjoint token buckets (lib/ingest/usage.ts), each with its own rate. */
export const TOKEN_BUCKETS = USAGE_BUCKETS;
export type TokenBucket = (typeof TOKEN_BUCKETS)[number];

/** Disjoint token buckets; a missing bucket counts as 0. */
export type TokenUsage = Partial<Record<TokenBucket, number>>;

/** Modality counts are parts of a bucket: audio and image input of inputTokens, audio output of outputTokens. */
export const MODALITY_COUNTS = ["audioInputTokens", "audioOutputTokens", "imageInputTokens"] as const;
export type ModalityCount = (typeof MODALITY_COUNTS)[number];

/** What the bill depends on besides the token buckets: the tier that served the request, tool calls and modality counts. */
export type UsageExtras = {
  serviceTier?: string | null;
  /** Calls per tool kind ("webSearch": 2). */
  toolCalls?: Readonly<Record<string, number>> | null;
  /** Counts in the provider's usage that nothing accounts for, by path: never priceable, so the event is incomplete. */
  unknownUsage?: Readonly<Record<string, number>> | null;
} & Partial<Record<ModalityCount, number>>;

export const EVENT_KINDS = ["llm", "embedding", "tool", "retrieval", "gpu", "other"] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
const TOKEN_PRICED_KINDS: readonly EventKind[] = ["llm", "embedding"];

export type CostComponents = {
  input: string;
  cacheRead: string;
  cacheWrite: string;
  cacheWrite1h: string;
  output: string;
  reasoning: string;
  toolOutput: string;
  audioInput: string;
  audioOutput: string;
  imageInput: string;
  toolFees: string;
  perCall: string;
};
export type PricedUsage = {
  total: string;
  components: CostComponents;
  /** The long-context tier's threshold when one applied. */
  tierAboveTokens: number | null;
  /** What the entry could not price; empty when the cost is complete. */
  missing: string[];
};

type TokenComponent = Exclude<keyof CostComponents, "perCall" | "audioInput" | "audioOutput" | "imageInput" | "toolFees">;
const BUCKET_COMPONENT: Record<TokenBucket, TokenComponent> = {
  inputTokens: "input",
  cacheReadTokens: "cacheRead",
  cacheWriteTokens: "cacheWrite",
  cacheWrite1hTokens: "cacheWrite1h",
  outputTokens: "output",
  reasoningTokens: "reasoning",
  toolOutputTokens: "toolOutput",
};

const BUCKET_RATE_FIELD: Record<TokenBucket, string> = {
  inputTokens: "inputPerMTok",
  cacheReadTokens: "cacheReadPerMTok",
  cacheWriteTokens: "cacheWritePerMTok",
  cacheWrite1hTokens: "cacheWrite1hPerMTok",
  outputTokens: "outputPerMTok",
  reasoningTokens: "reasoningPerMTok",
  toolOutputTokens: "toolOutputPerMTok",
};

/** The USD-per-MTok rate that applies to a bucket, after defaults; null when the entry (or tier) has none. */
export function rateFor(entry: TokenRates, bucket: TokenBucket): string | null {
  switch (bucket) {
    case "inputTokens":
      return entry.inputPerMTok;
    case "cacheReadTokens":
      return entry.cacheReadPerMTok;
    case "cacheWriteTokens":
      return entry.cacheWritePerMTok;
    case "cacheWrite1hTokens":
      return entry.cacheWrite1hPerMTok;
    case "outputTokens":
      return entry.outputPerMTok;
    case "reasoningTokens":
      return entry.reasoningPerMTok ?? entry.outputPerMTok;
    case "toolOutputTokens":
      return entry.toolOutputPerMTok ?? entry.outputPerMTok;
  }
}

/** The first problem with a usage object's token counts, or null when every bucket is a non-negative safe integer. */
export function usageProblem(usage: TokenUsage): string | null {
  for (const bucket of TOKEN_BUCKETS) {
    const n = usage[bucket];
    if (n === undefined) continue;
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) return `${bucket} must be a non-negative integer, got ${String(n)}`;
  }
  return null;
}

export function totalTokens(usage: TokenUsage): number {
  return TOKEN_BUCKETS.reduce((sum, b) => sum + (usage[b] ?? 0), 0);
}

/** The first bucket that has tokens but no rate in the entry, or null when the entry can price the usage. */
export function findMissingRate(usage: TokenUsage, entry: PriceEntry, extras?: UsageExtras | null): TokenBucket | null {
  const rates = ratesInForce(usage, entry, extras).rates;
  for (const bucket of TOKEN_BUCKETS) {
    if ((usage[bucket] ?? 0) > 0 && rateFor(rates, bucket) === null) return bucket;
  }
  return null;
}

/** The prompt size a long-context threshold is measured on: every input-side bucket, cached or not. */
export function promptTokens(usage: TokenUsage): number {
  return (usage.inputTokens ?? 0) + (usage.cacheReadTokens ?? 0) + (usage.cacheWriteTokens ?? 0) + (usage.cacheWrite1hTokens ?? 0);
}

type InForce = {
  rates: TokenRates;
  modality: ModalityRates | null;
  tierAboveTokens: number | null;
  /** Scales every token and modality rate (a service tier's multiplier); null for 1. */
  multiplier: string | null;
  missing: string[];
};

/** The rates that price this request: the long-context tier the prompt falls in, then the served service tier. */
export function ratesInForce(usage: TokenUsage, entry: PriceEntry, extras?: UsageExtras | null): InForce {
  const prompt = promptTokens(usage);
  let tier = null;
  for (const t of entry.tiers ?? []) if (prompt > t.aboveTokens) tier = t;
  let rates: TokenRates = tier ?? entry;
  const modality = tier ? tier.modalityRates : entry.modalityRates;
  const missing: string[] = [];
  let multiplier: string | null = null;
  const served = extras?.serviceTier ?? null;
  if (served !== null && !STANDARD_SERVICE_TIERS.includes(served)) {
    const st = entry.serviceTiers && Object.hasOwn(entry.serviceTiers, served) ? entry.serviceTiers[served]! : null;
    if (st === null) {
      missing.push(`served by service tier "${served}", which price entry ${priceEntryKey(entry)} has no rate for (priced at the standard rate)`);
    } else if (st.multiplier !== null) {
      multiplier = st.multiplier;
    } else if (tier !== null) {
      missing.push(`service tier "${served}" has explicit rates, which do not cover prompts above ${tier.aboveTokens} tokens (priced at the long-context standard rate)`);
    } else {
      rates = st.rates!;
    }
  }
  return { rates, modality, tierAboveTokens: tier?.aboveTokens ?? null, multiplier, missing };
}

/** The first problem with an event's extras (modality counts that do not fit their bucket, bad tool counts), or null. */
export function extrasProblem(usage: TokenUsage, extras: UsageExtras | null | undefined): string | null {
  if (!extras) return null;
  for (const m of MODALITY_COUNTS) {
    const n = extras[m];
    if (n !== undefined && (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0)) return `${m} must be a non-negative integer, got ${String(n)}`;
  }
  const inAudio = extras.audioInputTokens ?? 0;
  const inImage = extras.imageInputTokens ?? 0;
  if (inAudio + inImage > (usage.inputTokens ?? 0)) return `audioInputTokens + imageInputTokens (${inAudio + inImage}) exceed inputTokens (${usage.inputTokens ?? 0})`;
  if ((extras.audioOutputTokens ?? 0) > (usage.outputTokens ?? 0)) return `audioOutputTokens (${extras.audioOutputTokens}) exceed outputTokens (${usage.outputTokens ?? 0})`;
  for (const [kind, n] of Object.entries(extras.toolCalls ?? {})) {
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) return `toolCalls.${kind} must be a non-negative integer, got ${String(n)}`;
  }
  return null;
}

export class MissingRateError extends Error {
  constructor(
    readonly bucket: TokenBucket,
    readonly entry: PriceEntry,
    readonly tokens: number,
  ) {
    super(
      `price entry ${priceEntryKey(entry)} has no ${BUCKET_RATE_FIELD[bucket]} rate, but the event has ${tokens} ${bucket}`,
    );
    this.name = "MissingRateError";
  }
}

const ZERO: Scaled = { units: 0n, scale: 0 };

/**
 * Exact cost of `usage` under `entry`. Throws RangeError on malformed usage and MissingRateError when a
 * bucket with tokens has no rate; check with usageProblem / findMissingRate first to avoid the throw.
 * BigInt arithmetic (scaled-decimal.ts): the same exact values decimal.js gives, written the same way.
 * What the entry cannot price of the extras is left out of the total and listed in `missing`.
 */
export function priceUsage(usage: TokenUsage, entry: PriceEntry, extras?: UsageExtras | null): PricedUsage {
  const problem = usageProblem(usage) ?? extrasProblem(usage, extras);
  if (problem) throw new RangeError(problem);
  const force = ratesInForce(usage, entry, extras);
  const missing = [...force.missing];
  const factor = force.multiplier === null ? null : rate(force.multiplier);
  const scaledRate = (text: string) => (factor === null ? rate(text) : mul(rate(text), factor));
  const perCall = entry.perCallUsd === null ? ZERO : rate(entry.perCallUsd);
  const components: CostComponents = {
    input: "0",
    cacheRead: "0",
    cacheWrite: "0",
    cacheWrite1h: "0",
    output: "0",
    reasoning: "0",
    toolOutput: "0",
    audioInput: "0",
    audioOutput: "0",
    imageInput: "0",
    toolFees: "0",
    perCall: format(perCall),
  };
  let total = perCall;
  // Modality tokens are parts of their bucket: the text rate prices only the rest.
  const modalityPart: Record<"audioInput" | "audioOutput" | "imageInput", { tokens: number; field: keyof ModalityRates; from: TokenBucket }> = {
    audioInput: { tokens: extras?.audioInputTokens ?? 0, field: "audioInputPerMTok", from: "inputTokens" },
    imageInput: { tokens: extras?.imageInputTokens ?? 0, field: "imageInputPerMTok", from: "inputTokens" },
    audioOutput: { tokens: extras?.audioOutputTokens ?? 0, field: "audioOutputPerMTok", from: "outputTokens" },
  };
  const textTokens: TokenUsage = { ...usage };
  for (const part of Object.values(modalityPart)) textTokens[part.from] = (textTokens[part.from] ?? 0) - part.tokens;
  for (const bucket of TOKEN_BUCKETS) {
    const tokens = textTokens[bucket] ?? 0;
    if (tokens === 0) continue;
    const r = rateFor(force.rates, bucket);
    if (r === null) throw new MissingRateError(bucket, entry, tokens);
    const cost = timesInteger(scaledRate(r), tokens, 6); // tokens × USD per million tokens ÷ 10^6
    components[BUCKET_COMPONENT[bucket]] = format(cost);
    total = add(total, cost);
  }
  for (const [component, part] of Object.entries(modalityPart) as [keyof typeof modalityPart, (typeof modalityPart)[keyof typeof modalityPart]][]) {
    if (part.tokens === 0) continue;
    const r = force.modality?.[part.field] ?? null;
    if (r === null) {
      missing.push(`${part.tokens} ${component.replace(/[A-Z]/, (c) => ` ${c.toLowerCase()}`)} tokens have no ${part.field} rate${force.tierAboveTokens === null ? "" : ` in the tier above ${force.tierAboveTokens} tokens`}`);
      continue;
    }
    const cost = timesInteger(scaledRate(r), part.tokens, 6);
    components[component] = format(cost);
    total = add(total, cost);
  }
  let fees = ZERO;
  for (const [kind, calls] of Object.entries(extras?.toolCalls ?? {})) {
    if (calls === 0) continue;
    const fee = entry.toolFees && Object.hasOwn(entry.toolFees, kind) ? entry.toolFees[kind]! : null;
    if (fee === null) {
      missing.push(`${calls} ${kind} call${calls === 1 ? "" : "s"} with no fee in price entry ${priceEntryKey(entry)}`);
      continue;
    }
    fees = add(fees, timesInteger(rate(fee), calls));
  }
  components.toolFees = format(fees);
  total = add(total, fees);
  for (const [path, n] of Object.entries(extras?.unknownUsage ?? {})) missing.push(`usage key ${path} (${n}) is not a count the price book can price`);
  return { total: format(total), components, tierAboveTokens: force.tierAboveTokens, missing };
}

/** A rate as scaled units: entries parsed by the schema hold plain decimals; anything else goes through Dec. */
function rate(text: string): Scaled {
  try {
    return scaled(text);
  } catch {
    const normal = new Dec(text);
    if (!normal.isFinite() || normal.isNegative()) throw new RangeError(`rate ${JSON.stringify(text)} is not a non-negative decimal`);
    return scaled(normal.toFixed());
  }
}

export type CostableEvent = {
  usage?: TokenUsage | null;
  /** What the vendor billed, when the SDK reports it; a decimal string (numbers accepted). */
  costUsd?: string | number | null;
  provider?: string | null;
  model?: string | null;
  timestamp: Date;
  kind: EventKind;
  extras?: UsageExtras | null;
};

export type EventCost =
  | { source: "billed"; cost: string; priceEntryId: null }
  | { source: "estimated"; cost: string; priceEntryId: string; components: CostComponents }
  /** Priced in part: cost is what the entry can price, reason names what it cannot. */
  | { source: "incomplete"; cost: string; priceEntryId: string; components: CostComponents; reason: string }
  | { source: "unpriced"; cost: null; reason: string }
  | { source: "gpu"; cost: null }
  | { source: "none"; cost: "0" };

const unpriced = (reason: string): EventCost => ({ source: "unpriced", cost: null, reason });

// Billed costs can exceed any per-MTok rate bound, but a single request costing over a billion dollars is a unit error.
const MAX_BILLED = new Dec("1e9");
// What toDecimalString returns for a billed cost under MAX_BILLED: no sign, no leading or trailing zeros, at most 30 fractional digits.
const NORMAL_BILLED = /^(?:0|[1-9]\d{0,8})(?:\.\d{0,29}[1-9])?$/;

export function costEvent(event: CostableEvent, entries: readonly PriceEntry[]): EventCost {
  if (event.kind === "gpu") return { source: "gpu", cost: null };

  if (event.costUsd !== undefined && event.costUsd !== null) {
    // The ingest parser already wrote costUsd in plain normal form; only other text needs the full check.
    if (typeof event.costUsd === "string" && NORMAL_BILLED.test(event.costUsd)) return { source: "billed", cost: event.costUsd, priceEntryId: null };
    const billed = toDecimalString(event.costUsd, { max: MAX_BILLED });
    if (!billed.ok) return unpriced(`costUsd ${billed.error}`);
    return { source: "billed", cost: billed.value, priceEntryId: null };
  }

  const usage = event.usage ?? {};
  const problem = usageProblem(usage) ?? extrasProblem(usage, event.extras);
  if (problem) return unpriced(`invalid usage: ${problem}`);
  const hasTokens = totalTokens(usage) > 0 || Object.values(event.extras?.toolCalls ?? {}).some((n) => n > 0);
  const provider = event.provider?.trim() ?? "";
  const model = event.model?.trim() ?? "";
  const identified = provider !== "" && model !== "";

  if (!TOKEN_PRICED_KINDS.includes(event.kind) && !hasTokens && !identified) return { source: "none", cost: "0" };
  if (!identified) return unpriced(`no provider/model given on a ${event.kind} event, so it cannot be priced`);
  if (!(event.timestamp instanceof Date) || Number.isNaN(event.timestamp.getTime())) return unpriced("invalid timestamp");

  const entry = matchPrice(entries, provider, model, event.timestamp);
  if (!entry) return unpriced(`no price for ${provider}/${model} at ${event.timestamp.toISOString()}`);
  const missing = findMissingRate(usage, entry, event.extras);
  if (missing) return unpriced(new MissingRateError(missing, entry, usage[missing] ?? 0).message);
  let priced: PricedUsage;
  try {
    priced = priceUsage(usage, entry, event.extras);
  } catch (err) {
    // Only reachable with an entry built without the schema; it must not take down a whole batch.
    return unpriced(`price entry ${priceEntryKey(entry)} could not be applied: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (priced.missing.length) {
    return { source: "incomplete", cost: priced.total, priceEntryId: priceEntryKey(entry), components: priced.components, reason: `incomplete: ${priced.missing.join("; ")}` };
  }
  return { source: "estimated", cost: priced.total, priceEntryId: priceEntryKey(entry), components: priced.components };
}
