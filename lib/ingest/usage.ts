// Canonical token usage: disjoint buckets that each carry one price, plus the shared readers the provider normalisers use.
import type { FieldError } from "@/lib/errors";

/**
 * Buckets never overlap, so the cost of a request is a plain sum of bucket × unit price and
 * the total is a plain sum of buckets. Providers that report nested counts (cached inside
 * prompt, reasoning inside completion) are split apart by the normalisers.
 */
export const USAGE_BUCKETS = [
  "inputTokens",
  "cacheReadTokens",
  "cacheWriteTokens",
  "cacheWrite1hTokens",
  "outputTokens",
  "reasoningTokens",
  "toolOutputTokens",
] as const;

export type UsageBucket = (typeof USAGE_BUCKETS)[number];

export type CanonicalUsage = {
  /** Uncached input. */
  inputTokens: number;
  cacheReadTokens: number;
  /** Cache writes at the default (5-minute) lifetime. */
  cacheWriteTokens: number;
  cacheWrite1hTokens: number;
  /** Visible output only: reasoning is in its own bucket. */
  outputTokens: number;
  reasoningTokens: number;
  toolOutputTokens: number;
};

/**
 * What an event carries besides its buckets: the service tier that served it, its tool calls per kind and
 * its modality counts. Modality counts are parts of a bucket (audio and image input of inputTokens, audio
 * output of outputTokens), never extra tokens, so totals stay the sum of the buckets.
 */
export type EventExtras = {
  serviceTier: string | null;
  toolCalls: Record<string, number> | null;
  audioInputTokens: number;
  audioOutputTokens: number;
  imageInputTokens: number;
  /**
   * Counts in the provider's usage object that no bucket, modality or tool kind accounts for, by path
   * ("prompt_tokens_details.image_tokens": 120): the price book cannot price them, so the event is incomplete.
   */
  unknownUsage: Record<string, number> | null;
};

export const MODALITY_FIELDS = ["audioInputTokens", "audioOutputTokens", "imageInputTokens"] as const;

export function noExtras(): EventExtras {
  return { serviceTier: null, toolCalls: null, audioInputTokens: 0, audioOutputTokens: 0, imageInputTokens: 0, unknownUsage: null };
}

/** A key that reads as a billable count: a token, request or call count ("image_tokens", "fooTokenCount", "x_requests"). */
const COUNT_KEY = /(tokens?|tokencount|requests|calls)$/i;

/**
 * Positive counts under `obj` (and its nested objects, one level down) whose keys `known` does not list,
 * by dotted path. `known` lists top-level keys and "parent.child" paths; a parent listed with ".*" has
 * every child known. Only count-like keys holding positive numbers are reported: other fields (ids,
 * strings, a gateway's own cost) say nothing about what was billed.
 */
export function unknownCounts(obj: Record<string, unknown>, known: ReadonlySet<string>): Record<string, number> | null {
  let out: Record<string, number> | null = null;
  const visit = (o: Record<string, unknown>, prefix: string, depth: number) => {
    for (const key of Object.keys(o)) {
      const path = prefix ? `${prefix}.${key}` : key;
      const v = o[key];
      if (isRecord(v)) {
        if (depth === 0 && !known.has(`${path}.*`)) visit(v, path, depth + 1);
        continue;
      }
      if (known.has(path) || typeof v !== "number" || !(v > 0) || !Number.isSafeInteger(v) || !COUNT_KEY.test(key)) continue;
      (out ??= {})[path] = v;
    }
  };
  visit(obj, "", 0);
  return out;
}

/** Served tier names as providers send them, normalised the way the event field is ("Flex " -> "flex"). */
export const SERVICE_TIER_TEXT = /^[a-z][a-z0-9_-]{0,39}$/;

/** "web_search_requests" -> "webSearch": the camelCase tool kind the price book's toolFees use. */
export function toolKindFromSnake(key: string): string {
  return key
    .replace(/_(requests|calls?)$/, "")
    .toLowerCase()
    .replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export type UsageResult = { ok: true; usage: CanonicalUsage; extras?: Partial<EventExtras> } | { ok: false; errors: FieldError[] };

export function zeroUsage(): CanonicalUsage {
  return {
    inputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    toolOutputTokens: 0,
  };
}

export function totalTokens(usage: CanonicalUsage): number {
  let total = 0;
  for (const bucket of USAGE_BUCKETS) total += usage[bucket];
  return total;
}

export function isTokenCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/** Why a value is not a token count, phrased for the caller; null when it is one. */
/** Physical bound (README "Input limits"): no model call reads or writes a trillion tokens. */
export const MAX_TOKENS_PER_COUNT = 1_000_000_000_000;

export function tokenCountProblem(name: string, value: unknown): string | null {
  if (typeof value !== "number") return `${name} must be a number, got ${describe(value)}`;
  if (!Number.isFinite(value)) return `${name} must be a finite number, got ${String(value)}`;
  if (value < 0) return `${name} must not be negative, got ${value}`;
  if (!Number.isInteger(value)) return `${name} must be a whole number, got ${value}`;
  if (value > MAX_TOKENS_PER_COUNT) return `${name} (${value}) is more than ${MAX_TOKENS_PER_COUNT.toLocaleString("en-US")} tokens, which no model call uses`;
  return null;
}

export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return value.length > 40 ? `a string` : `the string ${JSON.stringify(value)}`;
  if (typeof value === "object") return "an object";
  if (typeof value === "bigint") return "a bigint";
  return typeof value === "number" || typeof value === "boolean" ? String(value) : `a ${typeof value}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Own properties only, so a key such as "constructor" or "__proto__" never reads the prototype. */
export function ownValue(obj: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

/**
 * Reads provider token counts, collecting one error per bad field instead of throwing.
 * Missing and null counts read as 0: providers omit fields that do not apply (embeddings have
 * no completion, streaming deltas carry partial usage) and OpenAI-compatible servers send null.
 */
export class CountReader {
  constructor(
    readonly obj: Record<string, unknown>,
    readonly path: string,
    readonly errors: FieldError[],
  ) {}

  has(key: string): boolean {
    const v = ownValue(this.obj, key);
    return v !== undefined && v !== null;
  }

  count(key: string): number {
    const v = ownValue(this.obj, key);
    if (v === undefined || v === null) return 0;
    const problem = tokenCountProblem(key, v);
    if (problem) {
      this.errors.push({ path: `${this.path}.${key}`, message: problem });
      return 0;
    }
    return v as number;
  }

  /** A nested details object; undefined when absent, null or not an object (the last is an error). */
  child(key: string): CountReader | undefined {
    const v = ownValue(this.obj, key);
    if (v === undefined || v === null) return undefined;
    if (!isRecord(v)) {
      this.errors.push({ path: `${this.path}.${key}`, message: `${key} must be an object, got ${describe(v)}` });
      return undefined;
    }
    return new CountReader(v, `${this.path}.${key}`, this.errors);
  }

  /** Records "part (n) exceeds whole (m)" against the part's field; true when the part fits. */
  partFits(partPath: string, partName: string, part: number, wholeName: string, whole: number): boolean {
    if (part <= whole) return true;
    this.errors.push({ path: partPath, message: `${partName} (${part}) exceeds ${wholeName} (${whole})` });
    return false;
  }
}

/** Final guard shared by the normalisers: every bucket and the total must stay exact. */
export function finishUsage(usage: CanonicalUsage, path: string, errors: FieldError[], extras?: Partial<EventExtras>): UsageResult {
  if (errors.length > 0) return { ok: false, errors };
  for (const bucket of USAGE_BUCKETS) {
    if (!isTokenCount(usage[bucket])) {
      return { ok: false, errors: [{ path, message: `token counts produce an invalid ${bucket} (${usage[bucket]})` }] };
    }
  }
  if (!Number.isSafeInteger(totalTokens(usage))) {
    return { ok: false, errors: [{ path, message: `token counts add up to more than ${Number.MAX_SAFE_INTEGER}` }] };
  }
  return extras ? { ok: true, usage, extras } : { ok: true, usage };
}

/** A provider's served service tier, or an error when it is there but not a tier name. */
export function readServiceTier(obj: Record<string, unknown>, key: string, path: string, errors: FieldError[]): string | null {
  const v = ownValue(obj, key);
  if (v === undefined || v === null) return null;
  const text = typeof v === "string" ? v.trim().toLowerCase() : "";
  if (!SERVICE_TIER_TEXT.test(text)) {
    errors.push({ path: `${path}.${key}`, message: `${key} must be a service tier name such as "flex" or "priority", got ${describe(v)}` });
    return null;
  }
  return text;
}
