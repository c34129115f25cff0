// OTLP trace exports (JSON or protobuf-decoded) → raw ingest events, read from OpenTelemetry GenAI semantic-convention attributes.
/*
 * Token semantics. In the GenAI conventions gen_ai.usage.input_tokens INCLUDES cached tokens
 * (cache reads and cache creation) for every provider, Anthropic included (semantic-conventions
 * PR #3163: instrumentations normalise Anthropic's exclusive input_tokens), and
 * gen_ai.usage.output_tokens INCLUDES reasoning tokens, so both are subtracted to get disjoint buckets:
 *   inputTokens  = input_tokens − cache_read.input_tokens − cache_creation.input_tokens
 *   outputTokens = output_tokens − reasoning.output_tokens
 * Older instrumentations reported Anthropic's input_tokens as is (cache excluded). Two ways out:
 *   - cost_review.input_tokens_include_cache = false (span, scope or resource; boolean, or the
 *     string "true"/"false" as OTEL_RESOURCE_ATTRIBUTES sends it) takes input as exclusive;
 *     any other value refuses the span, naming the attribute;
 *   - when a subtraction would go below zero the instrumentation evidently reported the part
 *     separately rather than inside the whole (no other reading is possible), and the count is
 *     taken as is instead of rejecting the span.
 * The served service tier comes from openai.response.service_tier (earlier gen_ai.openai.response.service_tier);
 * parseEvent checks it and stores "default" as the standard tier. Cache creation maps to the 5-minute bucket: the conventions carry no lifetime. The cache
 * attributes' earlier names (gen_ai.usage.cache_read_input_tokens, …cache_creation_input_tokens)
 * are read too.
 *
 * Our own attributes, on the resource, the scope or the span (span wins, then scope):
 *   cost_review.request_id  (default: the trace id, so all spans of one trace form one request)
 *   cost_review.endpoint, cost_review.feature, cost_review.team, cost_review.cohort, cost_review.customer_id
 *   cost_review.cost_usd    (string or double; a string keeps it exact)
 *
 * Only spans with a gen_ai.* attribute of their own describe a model call; the rest (HTTP, DB,
 * framework spans) are skipped and counted, and resource-level gen_ai.* does not qualify a span.
 *
 * The event id is otlp:<traceId>:<spanId>, so an exporter retrying a batch produces duplicates
 * that ingest recognises rather than double-counted costs. Nothing here validates: events go
 * through parseEvent, which reports bad values against the field they landed in.
 */
import { Buffer } from "node:buffer";
import { isRecord, isTokenCount, ownValue } from "@/lib/ingest/usage";

/** A span refused before it became an event (its own attributes contradict each other or ours are malformed). */
export type RefusedSpan = { id: string | null; errors: { path: string; message: string }[] };
export type OtlpMapResult = { events: unknown[]; skipped: number; refused: RefusedSpan[] };

type Scalar = string | number | boolean;
type Attributes = Map<string, Scalar>;

/** Each bucket's attribute, then the names it had before (the first one present wins). */
const USAGE_ATTRIBUTES = {
  input: ["gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens"],
  cacheRead: ["gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens"],
  cacheWrite: ["gen_ai.usage.cache_creation.input_tokens", "gen_ai.usage.cache_creation_input_tokens"],
  output: ["gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens"],
  reasoning: ["gen_ai.usage.reasoning.output_tokens"],
} as const;

/** Ours: whether gen_ai.usage.input_tokens includes the cached tokens (the conventions say it does). */
export const INPUT_INCLUDES_CACHE = "cost_review.input_tokens_include_cache";

class SpanRefused extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

const TAGS = [
  ["endpoint", "cost_review.endpoint"],
  ["feature", "cost_review.feature"],
  ["team", "cost_review.team"],
  ["cohort", "cost_review.cohort"],
  ["customerId", "cost_review.customer_id"],
] as const;

/** Never throws; a span that cannot be read is counted as skipped. */
export function otlpTracesToEvents(payload: unknown): OtlpMapResult {
  const events: unknown[] = [];
  const refused: RefusedSpan[] = [];
  let skipped = 0;
  if (!isRecord(payload)) return { events, skipped, refused };
  for (const resourceSpans of list(ownValue(payload, "resourceSpans"))) {
    if (!isRecord(resourceSpans)) continue;
    const resource = ownValue(resourceSpans, "resource");
    const resourceAttributes = readAttributes(isRecord(resource) ? ownValue(resource, "attributes") : undefined);
    // instrumentationLibrarySpans is the pre-1.0 name still sent by old exporters.
    const scopes = [...list(ownValue(resourceSpans, "scopeSpans")), ...list(ownValue(resourceSpans, "instrumentationLibrarySpans"))];
    for (const scopeSpans of scopes) {
      if (!isRecord(scopeSpans)) continue;
      const scope = ownValue(scopeSpans, "scope");
      const scopeAttributes = readAttributes(isRecord(scope) ? ownValue(scope, "attributes") : undefined);
      for (const span of list(ownValue(scopeSpans, "spans"))) {
        try {
          const event = isRecord(span) ? mapSpan(span, [scopeAttributes, resourceAttributes]) : undefined;
          if (event) events.push(event);
          else skipped++;
        } catch (err) {
          if (err instanceof SpanRefused && isRecord(span)) {
            const traceId = idHex(ownValue(span, "traceId"), 16);
            const spanId = idHex(ownValue(span, "spanId"), 8);
            refused.push({ id: traceId !== undefined && spanId !== undefined ? `otlp:${traceId}:${spanId}` : null, errors: [{ path: err.path, message: err.message }] });
          } else skipped++;
        }
      }
    }
  }
  return { events, skipped, refused };
}

function mapSpan(span: Record<string, unknown>, outer: Attributes[]): Record<string, unknown> | undefined {
  const attributes = readAttributes(ownValue(span, "attributes"));
  if (![...attributes.keys()].some((key) => key.startsWith("gen_ai."))) return undefined;
  const lookup = (key: string): Scalar | undefined => {
    for (const attrs of [attributes, ...outer]) {
      const v = attrs.get(key);
      if (v !== undefined) return v;
    }
    return undefined;
  };

  const traceId = idHex(ownValue(span, "traceId"), 16);
  const spanId = idHex(ownValue(span, "spanId"), 8);
  const start = toBigInt(ownValue(span, "startTimeUnixNano"));
  const end = toBigInt(ownValue(span, "endTimeUnixNano"));
  const provider = text(attributes.get("gen_ai.provider.name")) ?? text(attributes.get("gen_ai.system"));
  const operation = attributes.get("gen_ai.operation.name");
  const statusValue = ownValue(span, "status");
  const statusCode = isRecord(statusValue) ? ownValue(statusValue, "code") : undefined;

  const event: Record<string, unknown> = {
    id: traceId !== undefined && spanId !== undefined ? `otlp:${traceId}:${spanId}` : undefined,
    // 0 is OTLP's "unset"; leaving the timestamp out lets parseEvent say it is required.
    timestamp: start !== undefined && start > 0n ? nanosToIso(start) : undefined,
    requestId: text(lookup("cost_review.request_id")) ?? traceId,
    kind: operation === "embeddings" ? "embedding" : operation === "execute_tool" ? "tool" : "llm",
    provider,
    model: text(attributes.get("gen_ai.response.model")) ?? text(attributes.get("gen_ai.request.model")),
    usage: usageFrom(attributes, inputIncludesCache(lookup(INPUT_INCLUDES_CACHE))),
    // The tier that served the request (OpenAI's response service_tier), under its current and earlier name.
    serviceTier: attributes.get("openai.response.service_tier") ?? attributes.get("gen_ai.openai.response.service_tier"),
    costUsd: lookup("cost_review.cost_usd"),
    status: statusCode === 2 || statusCode === "STATUS_CODE_ERROR" ? "error" : "ok",
    latencyMs: start !== undefined && end !== undefined && end >= start ? Number(end - start) / 1e6 : undefined,
  };
  for (const [field, key] of TAGS) event[field] = text(lookup(key));
  // Absent rather than undefined-valued, so the event is plain JSON-shaped data.
  for (const key of Object.keys(event)) if (event[key] === undefined) delete event[key];
  return event;
}

/** The declaration, if any: a boolean, or "true"/"false" in any case. Anything else refuses the span. */
function inputIncludesCache(value: Scalar | undefined): boolean | undefined {
  if (value === undefined || typeof value === "boolean") return value;
  const s = typeof value === "string" ? value.trim().toLowerCase() : "";
  if (s === "true" || s === "false") return s === "true";
  throw new SpanRefused(INPUT_INCLUDES_CACHE, `must be true or false (got ${JSON.stringify(value)}); false says gen_ai.usage.input_tokens excludes the cached tokens`);
}

function usageFrom(attributes: Attributes, declared: boolean | undefined): Record<string, unknown> | undefined {
  const read = (keys: readonly string[]): unknown => {
    const key = keys.find((k) => attributes.has(k));
    const v = key === undefined ? undefined : attributes.get(key);
    return typeof v === "string" && /^\d{1,16}$/.test(v) ? Number(v) : v;
  };
  const input = read(USAGE_ATTRIBUTES.input);
  const cacheRead = read(USAGE_ATTRIBUTES.cacheRead);
  const cacheWrite = read(USAGE_ATTRIBUTES.cacheWrite);
  const output = read(USAGE_ATTRIBUTES.output);
  const reasoning = read(USAGE_ATTRIBUTES.reasoning);
  const all = [input, cacheRead, cacheWrite, output, reasoning];
  if (all.every((v) => v === undefined)) return undefined;

  if (!all.every((v) => v === undefined || isTokenCount(v))) {
    // Bad values pass through unchanged so parseEvent names the bucket they landed in.
    return { inputTokens: input, cacheReadTokens: cacheRead, cacheWriteTokens: cacheWrite, outputTokens: output, reasoningTokens: reasoning };
  }
  const n = (v: unknown) => (typeof v === "number" ? v : 0);
  const cached = n(cacheRead) + n(cacheWrite);
  const inputExcludesCache = declared === false || n(input) < cached;
  return {
    inputTokens: inputExcludesCache ? n(input) : n(input) - cached,
    cacheReadTokens: n(cacheRead),
    cacheWriteTokens: n(cacheWrite),
    outputTokens: n(output) >= n(reasoning) ? n(output) - n(reasoning) : n(output),
    reasoningTokens: n(reasoning),
  };
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function readAttributes(value: unknown): Attributes {
  const out: Attributes = new Map();
  for (const item of list(value)) {
    if (!isRecord(item)) continue;
    const key = ownValue(item, "key");
    if (typeof key !== "string") continue;
    const v = anyValue(ownValue(item, "value"));
    if (v !== undefined) out.set(key, v);
  }
  return out;
}

const VALUE_KINDS = ["stringValue", "intValue", "doubleValue", "boolValue"] as const;

function anyValue(value: unknown): Scalar | undefined {
  if (!isRecord(value)) return undefined;
  // protobufjs with `oneofs: true` names the set member, which matters when defaults fill the others.
  const chosen = ownValue(value, "value");
  const kinds = VALUE_KINDS.filter((k) => (typeof chosen === "string" && VALUE_KINDS.some((c) => c === chosen) ? k === chosen : true));
  for (const kind of kinds) {
    const v = ownValue(value, kind);
    if (v === undefined || v === null) continue;
    switch (kind) {
      case "stringValue":
        if (typeof v === "string") return v;
        break;
      case "intValue": {
        const big = toBigInt(v);
        // Beyond 2^53 the number is inexact, but every consumer rejects such counts anyway.
        if (big !== undefined) return Number(big);
        break;
      }
      case "doubleValue":
        if (typeof v === "number") return v;
        break;
      case "boolValue":
        if (typeof v === "boolean") return v;
        break;
    }
  }
  return undefined;
}

/** int64/fixed64 as OTLP JSON (decimal string or number), protobufjs Long ({low, high, unsigned}) or bigint. */
function toBigInt(value: unknown): bigint | undefined {
  if (typeof value === "bigint") return value;
  if (typeof value === "number") return Number.isSafeInteger(value) || (Number.isInteger(value) && Math.abs(value) < 2 ** 64) ? BigInt(value) : undefined;
  if (typeof value === "string") return /^-?\d{1,20}$/.test(value) ? BigInt(value) : undefined;
  if (isRecord(value)) {
    const low = ownValue(value, "low");
    const high = ownValue(value, "high");
    if (typeof low !== "number" || typeof high !== "number" || !Number.isInteger(low) || !Number.isInteger(high)) return undefined;
    const unsigned = ownValue(value, "unsigned") === true;
    const hi = unsigned ? BigInt(high >>> 0) : BigInt(high | 0);
    return (hi << 32n) + BigInt(low >>> 0);
  }
  return undefined;
}

/** OTLP JSON ids are hex; protobuf-decoded ids are bytes; protojson-style exporters send base64. */
function idHex(value: unknown, bytes: number): string | undefined {
  if (value instanceof Uint8Array) return value.length > 0 ? Buffer.from(value).toString("hex") : undefined;
  if (Array.isArray(value) && value.length > 0 && value.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) {
    return Buffer.from(value as number[]).toString("hex");
  }
  if (typeof value !== "string" || value === "") return undefined;
  if (/^[0-9a-fA-F]+$/.test(value) && value.length % 2 === 0) return value.toLowerCase();
  const decoded = Buffer.from(value, "base64");
  if (decoded.length === bytes && decoded.toString("base64") === value) return decoded.toString("hex");
  return undefined;
}

/** Exact: nanoseconds are split with BigInt, never passed through a float. */
function nanosToIso(nanos: bigint): string {
  const ms = nanos / 1_000_000n;
  const subMs = nanos % 1_000_000n;
  const date = new Date(Number(ms));
  if (Number.isNaN(date.getTime())) return String(nanos);
  return date.toISOString().replace(/Z$/, `${subMs.toString().padStart(6, "0")}Z`);
}

function text(value: Scalar | undefined): string | undefined {
  // An empty request id must fall back to the trace id rather than fail the event.
  if (typeof value === "string") return value.trim() === "" ? undefined : value;
  if (typeof value === "number") return String(value);
  return undefined;
}
