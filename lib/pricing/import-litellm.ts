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
// - Long-context prices (`<rate>_above_<N>k_tokens`) become a tier above N×1000 prompt tokens when the file
//   gives both its input and output rate; a tier without them is ignored with a warning. A tier rate the
//   file does not give stays unset (no default), so such tokens above the threshold are then unpriced.
// - Service tiers (`<rate>_batches`, `_priority`, `_flex`) become a multiplier when every rate the file
//   gives for the tier is the same multiple of the standard rate (batch at half price), explicit rates
//   otherwise. A tier without both input and output rates is ignored with a warning.
// - search_context_cost_per_query becomes the webSearch fee per call when it is one price for every
//   context size (it is a warning otherwise: the fee depends on a size the usage does not report);
//   file_search_cost_per_1k_calls the fileSearch fee (÷ 1,000); code_interpreter_cost_per_session the
//   codeInterpreter fee. input_cost_per_audio_token, output_cost_per_audio_token and
//   input_cost_per_image_token become modality rates. Any other cost field is ignored with a warning.
// - Accepts the parsed JSON or its text; bad input of any shape yields skipped reasons, never an exception.
import { Dec, priceEntrySchema, rateRelationProblems, type PriceEntry } from "@/lib/pricing/price-entry";

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
const TIERED_FIELD = /^(.*)_above_(\d+)k_tokens$/;
const SERVICE_TIER_SUFFIX = { _batches: "batch", _priority: "priority", _flex: "flex" } as const;
const MODALITY_FIELDS = {
  input_cost_per_audio_token: "audioInputPerMTok",
  output_cost_per_audio_token: "audioOutputPerMTok",
  input_cost_per_image_token: "imageInputPerMTok",
} as const;

type Rates = Partial<Record<(typeof RATE_FIELDS)[LiteLlmRateField], string>>;

/** The rate fields of `value` ending in `suffix`, per MTok; null when one is malformed (the reason is pushed). */
function ratesWithSuffix(value: Record<string, unknown>, suffix: string, used: Set<string>, problems: string[]): Rates {
  const out: Rates = {};
  for (const [field, target] of Object.entries(RATE_FIELDS) as [LiteLlmRateField, (typeof RATE_FIELDS)[LiteLlmRateField]][]) {
    const key = `${field}${suffix}`;
    const v = value[key];
    if (v === undefined || v === null) continue;
    used.add(key);
    const converted = perTokenToPerMTok(v);
    if (!converted.ok) problems.push(`${key} ${converted.error}`);
    else out[target] = converted.value;
  }
  return out;
}

/** A single k with rate = base × k for every rate given, or null. */
function commonMultiplier(rates: Rates, base: Rates): string | null {
  let k: InstanceType<typeof Dec> | null = null;
  for (const [field, r] of Object.entries(rates) as [keyof Rates, string][]) {
    const b = base[field];
    if (b === undefined || new Dec(b).isZero()) {
      if (new Dec(r).isZero() && b !== undefined) continue;
      return null;
    }
    const ratio = new Dec(r).div(b);
    if (k === null) k = ratio;
    else if (!k.eq(ratio)) return null;
  }
  return k === null || k.decimalPlaces() > 12 ? null : k.toFixed();
}

/** Tiers, service tiers, fees and modality rates from one LiteLLM key; `used` collects the fields it read. */
function billParts(value: Record<string, unknown>, base: Rates, used: Set<string>, warnings: string[], problems: string[]): Record<string, unknown> {
  const parts: Record<string, unknown> = {};
  // Long-context tiers.
  const thresholds = new Set<number>();
  for (const key of Object.keys(value)) {
    const m = TIERED_FIELD.exec(key);
    if (m && value[key] !== null && value[key] !== undefined && (m[1]! in RATE_FIELDS)) thresholds.add(Number(m[2]));
  }
  const tiers: Record<string, unknown>[] = [];
  for (const n of [...thresholds].sort((a, b) => a - b)) {
    const suffix = `_above_${n}k_tokens`;
    const tierUsed = new Set<string>();
    const rates = ratesWithSuffix(value, suffix, tierUsed, problems);
    if (rates.inputPerMTok === undefined || rates.outputPerMTok === undefined) {
      for (const k of tierUsed) used.add(k); // warned about here, not again as unmodelled
      warnings.push(`tier above ${n}k tokens ignored (${[...tierUsed].join(", ")}): it needs both input_cost_per_token${suffix} and output_cost_per_token${suffix}; such requests are priced at the base rate`);
      continue;
    }
    for (const k of tierUsed) used.add(k);
    tiers.push({ aboveTokens: n * 1000, ...rates });
  }
  if (tiers.length) parts.tiers = tiers;
  // Served service tiers.
  const serviceTiers: Record<string, unknown> = {};
  for (const [suffix, name] of Object.entries(SERVICE_TIER_SUFFIX)) {
    const tierUsed = new Set<string>();
    const rates = ratesWithSuffix(value, suffix, tierUsed, problems);
    if (tierUsed.size === 0) continue;
    if (rates.inputPerMTok === undefined || rates.outputPerMTok === undefined) {
      for (const k of tierUsed) used.add(k);
      warnings.push(`service tier ${name} ignored (${[...tierUsed].join(", ")}): it needs both an input and an output rate; events served by it are flagged incomplete`);
      continue;
    }
    for (const k of tierUsed) used.add(k);
    const multiplier = commonMultiplier(rates, base);
    serviceTiers[name] = multiplier !== null ? { multiplier } : { rates };
  }
  if (Object.keys(serviceTiers).length) parts.serviceTiers = serviceTiers;
  // Tool fees.
  const fees: Record<string, string> = {};
  const search = value.search_context_cost_per_query;
  if (isRecord(search)) {
    used.add("search_context_cost_per_query");
    const prices = Object.values(search).map((v) => toPlain(v));
    if (prices.length > 0 && prices.every((p) => p !== null && new Dec(p).eq(prices[0]!))) fees.webSearch = new Dec(prices[0]!).toFixed();
    else warnings.push("search_context_cost_per_query differs by search context size, which usage does not report: web search calls are flagged incomplete");
  }
  const perK = toPlain(value.file_search_cost_per_1k_calls);
  if (perK !== null) {
    used.add("file_search_cost_per_1k_calls");
    fees.fileSearch = new Dec(perK).div(1000).toFixed();
  }
  const session = toPlain(value.code_interpreter_cost_per_session);
  if (session !== null) {
    used.add("code_interpreter_cost_per_session");
    fees.codeInterpreter = new Dec(session).toFixed();
  }
  if (Object.keys(fees).length) parts.toolFees = fees;
  // Modality rates.
  const modality: Record<string, string> = {};
  for (const [field, target] of Object.entries(MODALITY_FIELDS)) {
    const v = value[field];
    if (v === undefined || v === null) continue;
    used.add(field);
    const converted = perTokenToPerMTok(v);
    if (!converted.ok) problems.push(`${field} ${converted.error}`);
    else modality[target] = converted.value;
  }
  if (Object.keys(modality).length) parts.modalityRates = modality;
  return parts;
}

/** A non-negative finite number or numeric string as plain decimal text, else null. */
function toPlain(v: unknown): string | null {
  if (typeof v === "number" && Number.isFinite(v) && v >= 0 && v <= 1e6) return new Dec(String(v)).toFixed();
  if (typeof v === "string" && /^\d+(\.\d+)?$/.test(v.trim()) && new Dec(v.trim()).lte(1e6)) return new Dec(v.trim()).toFixed();
  return null;
}

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
  const used = new Set<string>();
  const problems: string[] = [];
  const parts = billParts(value, rates, used, warnings, problems);
  if (problems.length) return { reason: problems.join("; ") };
  const ignored = Object.keys(value).filter((k) => k.includes("cost") && !(k in RATE_FIELDS) && !used.has(k) && value[k] !== null && value[k] !== 0);
  if (ignored.length > 0) warnings.push(`cost fields not modelled, ignored: ${ignored.join(", ")}`);

  const parsed = priceEntrySchema.safeParse({
    provider,
    model,
    effectiveFrom: options.effectiveFrom,
    effectiveTo: options.effectiveTo ?? null,
    ...rates,
    ...parts,
    currency: "USD",
    source: `${options.source ?? DEFAULT_SOURCE} [${key}]`.slice(0, 500),
    version: options.version ?? 1,
  });
  if (!parsed.success) return { reason: describeIssue(parsed.error.issues) };
  // A wrong price is worse than none: rates no price list has are left out, to be entered by hand if real.
  const odd = rateRelationProblems(parsed.data);
  if (odd.length) {
    const what = odd.map((p) => `${p.path}: ${p.message.replace(/: check the rates.*$/, "")}`).join("; ");
    return { reason: `rates look wrong: ${what}; left out (enter it by hand with ratesConfirmed: true if it is the real price)` };
  }
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
