// OTLP trace exports (JSON or protobuf-decoded) → raw ingest events, read from OpenTelemetry GenAI semantic-convention attributes.
/*
 * Token semantics. In the GenAI conventions gen_ai.usage.input_tokens INCLUDES cached tokens
 * (cache reads and cache creation) and gen_ai.usage.output_tokens INCLUDES reasoning tokens, so
 * both are subtracted to get disjoint buckets:
 *   inputTokens  = input_tokens − cache_read.input_tokens − cache_creation.input_tokens
 *   outputTokens = output_tokens − reasoning.output_tokens
 * Exception: for provider "anthropic" the instrumentations report the Messages API's own
 * input_tokens, which already excludes cache reads and writes, so input is taken as is.
 * When a subtraction would go below zero the instrumentation evidently reported the part
 * separately rather than inside the whole (no other reading is possible), and the count is
 * taken as is instead of rejecting the span. Cache creation maps to the 5-minute bucket:
 * the conventions carry no lifetime.
 *
 * Our own attributes, on the resource, the scope or the span (span wins, then scope):
 *   cost_review.request_id  (default: the trace id, so all spans of one trace form one request)
 *   cost_review.endpoint, cost_review.feature, cost_review.team, cost_review.cohort
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

export type OtlpMapResult = { events: unknown[]; skipped: number };

type Scalar = string | number | boolean;
type Attributes = Map<string, Scalar>;

const USAGE_ATTRIBUTES = {
  input: "gen_ai.usage.input_tokens",
  cacheRead: "gen_ai.usage.cache_read.input_tokens",
  cacheWrite: "gen_ai.usage.cache_creation.input_tokens",
  output: "gen_ai.usage.output_tokens",
  reasoning: "gen_ai.usage.reasoning.output_tokens",
} as const;

const TAGS = [
  ["endpoint", "cost_review.endpoint"],
  ["feature", "cost_review.feature"],
  ["team", "cost_review.team"],
  ["cohort", "cost_review.cohort"],
] as const;

/** Never throws; a span that cannot be read is counted as skipped. */
export function otlpTracesToEvents(payload: unknown): OtlpMapResult {
  const events: unknown[] = [];
  let skipped = 0;
  if (!isRecord(payload)) return { events, skipped };
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
        } catch {
          skipped++;
        }
      }
    }
  }
  return { events, skipped };
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
    usage: usageFrom(attributes, provider),
    costUsd: lookup("cost_review.cost_usd"),
    status: statusCode === 2 || statusCode === "STATUS_CODE_ERROR" ? "error" : "ok",
    latencyMs: start !== undefined && end !== undefined && end >= start ? Number(end - start) / 1e6 : undefined,
  };
  for (const [field, key] of TAGS) event[field] = text(lookup(key));
  // Absent rather than undefined-valued, so the event is plain JSON-shaped data.
  for (const key of Object.keys(event)) if (event[key] === undefined) delete event[key];
  return event;
}

function usageFrom(attributes: Attributes, provider: string | undefined): Record<string, unknown> | undefined {
  const read = (key: string): unknown => {
    const v = attributes.get(key);
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
  const inputExcludesCache = provider?.trim().toLowerCase() === "anthropic" || n(input) < cached;
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
