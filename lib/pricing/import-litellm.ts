// Imports LiteLLM's model_prices_and_context_window.json into price entries, reporting every key it could not use instead of throwing.
//
// Decisions:
// - Per-token costs become per-MTok rates exactly: the JSON number's shortest round-trip string times 10^6
//   in Dec (2.5e-06 -> "2.5", 3.3333333333333335e-07 -> "0.33333333333333335"). The decimal the file
//   states is what we keep, never the binary float nearest to it.
// - A key is imported only with numeric input_cost_per_token and output_cost_per_token; anything else
//   (per-second, per-image, per-character pricing, "sample_spec") is skipped with the reason. A malformed
//   optional rate skips the whole key: a half-imported entry would price some buckets and quietly not others.
// - Missing cache rates stay missing (no defaults): an event with tokens in that bucket is then unpriced.
// - Provider: a key's path prefix is split off when it names the key's litellm_provider (or there is none):
//   "gemini/gemini-2.5-pro" -> provider "gemini", model "gemini-2.5-pro"; "openrouter/anthropic/claude-3-opus"
//   -> "openrouter", "anthropic/claude-3-opus", which is what a caller of that route sends. A prefix that is
//   not the provider ("standard/1024-x-1024/dall-e-3") stays part of the model name. litellm_provider has its
//   routing variants folded ("vertex_ai-language-models" -> "vertex_ai", "text-completion-openai" -> "openai").
// - When two keys resolve to the same provider/model, the first one in the file wins; later ones are skipped.
// - Tiered prices (input_cost_per_token_above_200k_tokens, ...) and other cost fields we cannot model
//   (audio, image, per-query) are ignored with a warning, since long prompts will be under-priced.
// - Accepts the parsed JSON or its text; bad input of any shape yields skipped reasons, never an exception.
import { Dec, priceEntrySchema, type PriceEntry } from "@/lib/pricing/price-entry";

export type LiteLlmImportOptions = {
  /** When the imported prices take effect (inclusive); the file carries no dates. */
  effectiveFrom: Date;
  effectiveTo?: Date | null;
  /** Provenance text; each entry gets `<source> [<key>]`. */
  source?: string;
  version?: number;
};

export type LiteLlmSkip = { key: string; reason: string };
export type LiteLlmWarning = { key: string; message: string };
export type LiteLlmImport = { entries: PriceEntry[]; skipped: LiteLlmSkip[]; warnings: LiteLlmWarning[] };

const DEFAULT_SOURCE = "LiteLLM model_prices_and_context_window.json";
const MILLION = new Dec(1_000_000);
const MAX_PER_TOKEN = new Dec(1_000_000);

const RATE_FIELDS = {
  input_cost_per_token: "inputPerMTok",
  output_cost_per_token: "outputPerMTok",
  cache_read_input_token_cost: "cacheReadPerMTok",
  cache_creation_input_token_cost: "cacheWritePerMTok",
  cache_creation_input_token_cost_above_1hr: "cacheWrite1hPerMTok",
  output_cost_per_reasoning_token: "reasoningPerMTok",
} as const;
type LiteLlmRateField = keyof typeof RATE_FIELDS;
const REQUIRED_FIELDS: readonly LiteLlmRateField[] = ["input_cost_per_token", "output_cost_per_token"];
const TIERED_FIELD = /_above_\d+k?_tokens?$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A per-token cost as an exact per-MTok decimal string, or an error. */
export function perTokenToPerMTok(value: unknown): { ok: true; value: string } | { ok: false; error: string } {
  let text: string;
  if (typeof value === "number" && Number.isFinite(value)) text = String(value);
  else if (typeof value === "string" && /^\+?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value.trim())) text = value.trim();
  else return { ok: false, error: "is not a finite number" };
  const d = new Dec(text);
  if (d.isNegative() && !d.isZero()) return { ok: false, error: "is negative" };
  // Bounds checked before scaling so a hostile "1e999999999" cannot expand into a gigabyte-long string.
  if (!d.isFinite() || d.gt(MAX_PER_TOKEN)) return { ok: false, error: `is above ${MAX_PER_TOKEN.toFixed()} USD per token` };
  if (d.decimalPlaces() > 36) return { ok: false, error: "has more than 36 fractional digits" };
  return { ok: true, value: d.isZero() ? "0" : d.times(MILLION).toFixed() };
}

export function normaliseLiteLlmProvider(p: string): string {
  const lower = p.trim().toLowerCase();
  if (lower.startsWith("vertex_ai-")) return "vertex_ai";
  if (lower.startsWith("text-completion-")) return lower.slice("text-completion-".length);
  return lower;
}

function describeIssue(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string {
  return issues.map((i) => `${i.path.map(String).join(".") || "entry"}: ${i.message}`).join("; ");
}

function importOne(
  key: string,
  value: unknown,
  options: LiteLlmImportOptions,
): { entry: PriceEntry; warnings: string[] } | { reason: string } {
  if (key === "sample_spec") return { reason: "sample_spec documents the format; it is not a model" };
  if (!isRecord(value)) return { reason: "value is not an object" };

  const declared = typeof value.litellm_provider === "string" && value.litellm_provider.trim() !== "" ? normaliseLiteLlmProvider(value.litellm_provider) : null;
  const slash = key.indexOf("/");
  const prefix = slash > 0 ? key.slice(0, slash).toLowerCase() : null;
  let provider: string;
  let model = key;
  if (prefix !== null && (declared === null || declared === prefix)) {
    provider = prefix;
    model = key.slice(slash + 1);
  } else if (declared !== null) {
    provider = declared;
  } else {
    return { reason: "no litellm_provider and no provider prefix in the key" };
  }

  const mode = typeof value.mode === "string" ? value.mode : "unknown";
  for (const field of REQUIRED_FIELDS) {
    if (value[field] === undefined || value[field] === null) {
      return { reason: `no ${field} (mode ${mode} is not priced per token)` };
    }
  }

  const rates: Partial<Record<(typeof RATE_FIELDS)[LiteLlmRateField], string>> = {};
  for (const [field, target] of Object.entries(RATE_FIELDS) as [LiteLlmRateField, (typeof RATE_FIELDS)[LiteLlmRateField]][]) {
    const v = value[field];
    if (v === undefined || v === null) continue;
    const converted = perTokenToPerMTok(v);
    if (!converted.ok) return { reason: `${field} ${converted.error}` };
    rates[target] = converted.value;
  }

  const warnings: string[] = [];
  const ignored = Object.keys(value).filter((k) => k.includes("cost") && !(k in RATE_FIELDS) && value[k] !== null && value[k] !== 0);
  const tiered = ignored.filter((k) => TIERED_FIELD.test(k));
  const other = ignored.filter((k) => !TIERED_FIELD.test(k));
  if (tiered.length > 0) {
    warnings.push(`tiered prices ignored (${tiered.join(", ")}): requests above the threshold will be under-priced`);
  }
  if (other.length > 0) warnings.push(`cost fields not modelled, ignored: ${other.join(", ")}`);

  const parsed = priceEntrySchema.safeParse({
    provider,
    model,
    effectiveFrom: options.effectiveFrom,
    effectiveTo: options.effectiveTo ?? null,
    ...rates,
    currency: "USD",
    source: `${options.source ?? DEFAULT_SOURCE} [${key}]`.slice(0, 500),
    version: options.version ?? 1,
  });
  if (!parsed.success) return { reason: describeIssue(parsed.error.issues) };
  return { entry: parsed.data, warnings };
}

export function importLiteLlm(input: unknown, options: LiteLlmImportOptions): LiteLlmImport {
  const result: LiteLlmImport = { entries: [], skipped: [], warnings: [] };
  let data: unknown = input;
  if (typeof input === "string") {
    try {
      data = JSON.parse(input);
    } catch (err) {
      result.skipped.push({ key: "(file)", reason: `not valid JSON: ${err instanceof Error ? err.message : String(err)}` });
      return result;
    }
  }
  if (!isRecord(data)) {
    result.skipped.push({ key: "(file)", reason: "expected an object keyed by model name" });
    return result;
  }

  const seen = new Map<string, string>();
  let keys: string[];
  try {
    keys = Object.keys(data);
  } catch {
    result.skipped.push({ key: "(file)", reason: "could not read the object's keys" });
    return result;
  }
  for (const key of keys) {
    try {
      const one = importOne(key, data[key], options);
      if ("reason" in one) {
        result.skipped.push({ key, reason: one.reason });
        continue;
      }
      const identity = `${one.entry.provider}\u0000${one.entry.model ?? ""}`;
      const first = seen.get(identity);
      if (first !== undefined) {
        result.skipped.push({ key, reason: `duplicate of "${first}" (same provider and model); the first one is kept` });
        continue;
      }
      seen.set(identity, key);
      result.entries.push(one.entry);
      for (const message of one.warnings) result.warnings.push({ key, message });
    } catch (err) {
      result.skipped.push({ key, reason: `unexpected error: ${err instanceof Error ? err.message : String(err)}` });
    }
  }
  return result;
}
