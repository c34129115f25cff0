// Turns an event's token usage into an exact USD cost, and decides whether that cost is billed, estimated, unpriced, GPU-allocated or nothing.
//
// Decisions (the rule throughout: a user would rather see "unpriced" than a silently wrong number):
// - Arithmetic is exact: tokens × rate / 1,000,000 per bucket in Dec, summed without rounding. Money leaves
//   as plain decimal strings ("3.0864175"); rounding is for display only.
// - A bucket with tokens but no rate in the entry (e.g. cacheReadTokens on an entry with no
//   cacheReadPerMTok) makes the whole event unpriced, naming the bucket. A bucket with 0 tokens never needs
//   a rate. reasoning and toolOutput fall back to the output rate; cache rates never fall back.
// - perCallUsd is charged once per priced event, whatever its token counts.
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
import { Dec, priceEntryKey, toDecimalString, type PriceEntry } from "@/lib/pricing/price-entry";
import { matchPrice } from "@/lib/pricing/match-price";
import { add, format, scaled, timesInteger, type Scaled } from "@/lib/pricing/scaled-decimal";

export const TOKEN_BUCKETS = [
  "inputTokens",
  "cacheReadTokens",
  "cacheWriteTokens",
  "cacheWrite1hTokens",
  "outputTokens",
  "reasoningTokens",
  "toolOutputTokens",
] as const;
export type TokenBucket = (typeof TOKEN_BUCKETS)[number];

/** Disjoint token buckets; a missing bucket counts as 0. */
export type TokenUsage = Partial<Record<TokenBucket, number>>;

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
  perCall: string;
};
export type PricedUsage = { total: string; components: CostComponents };

type TokenComponent = Exclude<keyof CostComponents, "perCall">;
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

/** The USD-per-MTok rate that applies to a bucket, after defaults; null when the entry has none. */
export function rateFor(entry: PriceEntry, bucket: TokenBucket): string | null {
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
export function findMissingRate(usage: TokenUsage, entry: PriceEntry): TokenBucket | null {
  for (const bucket of TOKEN_BUCKETS) {
    if ((usage[bucket] ?? 0) > 0 && rateFor(entry, bucket) === null) return bucket;
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
 */
export function priceUsage(usage: TokenUsage, entry: PriceEntry): PricedUsage {
  const problem = usageProblem(usage);
  if (problem) throw new RangeError(problem);
  const perCall = entry.perCallUsd === null ? ZERO : rate(entry.perCallUsd);
  const components: CostComponents = {
    input: "0",
    cacheRead: "0",
    cacheWrite: "0",
    cacheWrite1h: "0",
    output: "0",
    reasoning: "0",
    toolOutput: "0",
    perCall: format(perCall),
  };
  let total = perCall;
  for (const bucket of TOKEN_BUCKETS) {
    const tokens = usage[bucket] ?? 0;
    if (tokens === 0) continue;
    const r = rateFor(entry, bucket);
    if (r === null) throw new MissingRateError(bucket, entry, tokens);
    const cost = timesInteger(rate(r), tokens, 6); // tokens × USD per million tokens ÷ 10^6
    components[BUCKET_COMPONENT[bucket]] = format(cost);
    total = add(total, cost);
  }
  return { total: format(total), components };
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
};

export type EventCost =
  | { source: "billed"; cost: string; priceEntryId: null }
  | { source: "estimated"; cost: string; priceEntryId: string; components: CostComponents }
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
  const problem = usageProblem(usage);
  if (problem) return unpriced(`invalid usage: ${problem}`);
  const hasTokens = totalTokens(usage) > 0;
  const provider = event.provider?.trim() ?? "";
  const model = event.model?.trim() ?? "";
  const identified = provider !== "" && model !== "";

  if (!TOKEN_PRICED_KINDS.includes(event.kind) && !hasTokens && !identified) return { source: "none", cost: "0" };
  if (!identified) return unpriced(`no provider/model given on a ${event.kind} event, so it cannot be priced`);
  if (!(event.timestamp instanceof Date) || Number.isNaN(event.timestamp.getTime())) return unpriced("invalid timestamp");

  const entry = matchPrice(entries, provider, model, event.timestamp);
  if (!entry) return unpriced(`no price for ${provider}/${model} at ${event.timestamp.toISOString()}`);
  const missing = findMissingRate(usage, entry);
  if (missing) return unpriced(new MissingRateError(missing, entry, usage[missing] ?? 0).message);
  let priced: PricedUsage;
  try {
    priced = priceUsage(usage, entry);
  } catch (err) {
    // Only reachable with an entry built without the schema; it must not take down a whole batch.
    return unpriced(`price entry ${priceEntryKey(entry)} could not be applied: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { source: "estimated", cost: priced.total, priceEntryId: priceEntryKey(entry), components: priced.components };
}
