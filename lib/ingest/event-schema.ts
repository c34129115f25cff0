// One ingest event: its zod schema, parsing into the canonical event, and the fingerprint that tells a duplicate from a conflicting re-send.
import { Buffer } from "node:buffer";
import crypto from "node:crypto";
import { Decimal } from "decimal.js";
import { z } from "zod";
import type { FieldError } from "@/lib/errors";
import { storableText } from "@/lib/http/input";
import { normaliseRawUsage } from "@/lib/ingest/normalise-raw-usage";
import {
  MODALITY_FIELDS,
  SERVICE_TIER_TEXT,
  USAGE_BUCKETS,
  noExtras,
  describe,
  isRecord,
  ownValue,
  tokenCountProblem,
  totalTokens,
  zeroUsage,
  type CanonicalUsage,
  type EventExtras,
} from "@/lib/ingest/usage";

export const EVENT_KINDS = ["llm", "embedding", "retrieval", "tool", "gpu", "other"] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
export const EVENT_STATUSES = ["ok", "error"] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export const MAX_METADATA_BYTES = 4096;
export const MAX_COST_FRACTION_DIGITS = 12;
/** Keeps costs inside a numeric(30, 12) column; a single event costing a quintillion dollars is a unit mistake. */
export const MAX_COST_INTEGER_DIGITS = 18;
/** Physical bounds (README "Input limits"): one request's GPU time in a pool-hour cannot exceed 1,000 GPUs busy for the hour. */
export const MAX_GPU_SECONDS = 3_600_000;
/** One day: a request that takes longer is a unit mistake (seconds or microseconds sent as milliseconds). */
export const MAX_LATENCY_MS = 86_400_000;
/** The attempt column is a PostgreSQL integer. */
export const MAX_ATTEMPT = 2_147_483_647;

// PostgreSQL text cannot hold NUL, jsonb refuses "\u0000" and unpaired surrogates, and text would
// silently turn an unpaired surrogate into U+FFFD (so a re-sent id would no longer match its stored
// self). Such strings are refused as field errors instead of failing the whole batch in the database.
const UNSTORABLE_HINT = "must not contain NUL characters or unpaired UTF-16 surrogates (invalid Unicode)";

export { storableText };

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Absent optional fields are null (not undefined) so the event maps 1:1 onto nullable columns. */
export type CanonicalEvent = {
  id: string;
  timestamp: Date;
  requestId: string | null;
  endpoint: string | null;
  feature: string | null;
  team: string | null;
  cohort: string | null;
  /** The paying account the event served (the cohort stays its plan or segment). */
  customerId: string | null;
  kind: EventKind;
  provider: string | null;
  model: string | null;
  usage: CanonicalUsage;
  /** The served service tier, tool calls per kind and modality counts (parts of the usage buckets). */
  extras: EventExtras;
  /** Exact decimal in plain notation ("0.0000001", never "1e-7"). */
  costUsd: string | null;
  status: EventStatus;
  attempt: number;
  latencyMs: number | null;
  pool: string | null;
  gpuSeconds: number | null;
  metadata: { [key: string]: JsonValue } | null;
};

export type ParseEventResult = { ok: true; event: CanonicalEvent } | { ok: false; errors: FieldError[] };

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** A field checked by a plain function, so its messages say exactly what is wrong. */
function checked<T>(parse: (value: unknown) => Parsed<T>) {
  return z.unknown().transform((value, ctx): T => {
    const result = parse(value);
    if (result.ok) return result.value;
    ctx.issues.push({ code: "custom", message: result.message, input: value });
    return z.NEVER;
  });
}

/** JSON senders write null for "not set"; treat it like an absent key. */
function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === null ? undefined : v), schema.optional());
}

function identifier(name: string) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? `${name} is required` : `${name} must be a string`) })
    .min(1, `${name} must not be empty`)
    .max(255, `${name} must be at most 255 characters`)
    .refine(storableText, `${name} ${UNSTORABLE_HINT}`);
}

/** Tags group costs in reports, so " chat " and "chat" must be one tag and "" must be no tag. */
function label(name: string) {
  return optional(
    z
      .string({ error: `${name} must be a string` })
      .trim()
      .max(200, `${name} must be at most 200 characters`)
      .refine(storableText, `${name} ${UNSTORABLE_HINT}`)
      .transform((s) => (s === "" ? undefined : s)),
  );
}

function boundedNumber(name: string, max: number) {
  return optional(
    z
      .number({ error: `${name} must be a finite number` })
      .nonnegative(`${name} must not be negative`)
      .max(max, `${name} must be at most ${max.toLocaleString("en-US")}`),
  );
}

const tokenCount = (bucket: string) => optional(checked((v) => asParsed(tokenCountProblem(bucket, v), v as number)));

const USAGE_FIELDS = [...USAGE_BUCKETS, ...MODALITY_FIELDS] as const;
const usageSchema = z.strictObject(
  Object.fromEntries(USAGE_FIELDS.map((bucket) => [bucket, tokenCount(bucket)])) as Record<
    (typeof USAGE_FIELDS)[number],
    ReturnType<typeof tokenCount>
  >,
  { error: (issue) => (issue.code === "invalid_type" ? "usage must be an object" : undefined) },
);

export const ingestEventSchema = z.strictObject({
  id: identifier("id"),
  timestamp: checked(parseTimestamp),
  // Required unless kind is "gpu": checked in parseEvent, where kind is known.
  requestId: optional(identifier("requestId")),
  endpoint: label("endpoint"),
  feature: label("feature"),
  team: label("team"),
  cohort: label("cohort"),
  customerId: label("customerId"),
  kind: optional(z.enum(EVENT_KINDS, { error: () => `kind must be one of ${EVENT_KINDS.join(", ")}` })),
  provider: label("provider").transform((s) => s?.toLowerCase()),
  model: label("model"),
  usage: optional(usageSchema),
  // Shape-dependent; normaliseRawUsage checks it with the provider as a hint.
  rawUsage: z.unknown().optional(),
  costUsd: optional(checked(parseCostUsd)),
  status: optional(z.enum(EVENT_STATUSES, { error: () => `status must be one of ${EVENT_STATUSES.join(", ")}` })),
  attempt: optional(
    z
      .number({ error: "attempt must be a whole number" })
      .int("attempt must be a whole number")
      .min(1, "attempt must be 1 or more")
      .max(MAX_ATTEMPT, `attempt must be at most ${MAX_ATTEMPT}`),
  ),
  latencyMs: boundedNumber("latencyMs", MAX_LATENCY_MS),
  pool: label("pool"),
  gpuSeconds: boundedNumber("gpuSeconds", MAX_GPU_SECONDS),
  metadata: optional(checked(parseMetadata)),
  serviceTier: optional(checked(parseServiceTier)),
  toolCalls: optional(checked(parseToolCalls)),
});

/** At most this many tool calls of one kind in one event: a unit mistake beyond it. */
export const MAX_TOOL_CALLS = 1_000_000;
const TOOL_KIND_TEXT = /^[a-z][a-zA-Z0-9]{0,39}$/;

function parseServiceTier(value: unknown): Parsed<string> {
  if (typeof value !== "string") return { ok: false, message: `serviceTier must be a string such as "flex", "priority" or "batch", got ${describe(value)}` };
  const text = value.trim().toLowerCase();
  if (!SERVICE_TIER_TEXT.test(text)) return { ok: false, message: `serviceTier must be lowercase letters, digits, _ or - (at most 40), such as "flex"; got ${JSON.stringify(value.slice(0, 40))}` };
  return { ok: true, value: text };
}

function parseToolCalls(value: unknown): Parsed<Record<string, number>> {
  if (!isRecord(value) || !isPlainPrototype(value)) return { ok: false, message: `toolCalls must be an object of call counts per tool kind, e.g. {"webSearch": 2}; got ${describe(value)}` };
  const keys = Object.keys(value);
  if (keys.length > 20) return { ok: false, message: `toolCalls has ${keys.length} kinds; at most 20 are allowed` };
  const out: Record<string, number> = {};
  for (const key of keys) {
    if (!TOOL_KIND_TEXT.test(key)) return { ok: false, message: `toolCalls key ${JSON.stringify(key.slice(0, 40))} must be a camelCase tool kind such as "webSearch"` };
    const n = value[key];
    if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > MAX_TOOL_CALLS) {
      return { ok: false, message: `toolCalls.${key} must be a whole number from 0 to ${MAX_TOOL_CALLS.toLocaleString("en-US")}, got ${describe(n)}` };
    }
    if (n > 0) out[key] = n;
  }
  return { ok: true, value: out };
}

/** The event's extras: the normaliser's reading of rawUsage, the explicit fields, and their agreement. */
function mergeExtras(
  normalised: Partial<EventExtras> | undefined,
  explicit: { serviceTier?: string; toolCalls?: Record<string, number>; usage?: Partial<Record<string, number | undefined>> },
  usage: CanonicalUsage,
  prefix: string,
): { ok: true; extras: EventExtras } | { ok: false; errors: FieldError[] } {
  const extras = noExtras();
  const errors: FieldError[] = [];
  // "default" and "standard" are the ordinary rates: stored as no tier, so an event that says so keeps the
  // fingerprint it had before served tiers were read (a retry across an upgrade stays a duplicate).
  const ordinary = (t: string | null | undefined) => (t === undefined || t === null || t === "default" || t === "standard" ? null : t);
  const fromRaw = ordinary(normalised?.serviceTier);
  const sent = ordinary(explicit.serviceTier);
  if (explicit.serviceTier !== undefined && normalised?.serviceTier != null && fromRaw !== sent) {
    errors.push({ path: `${prefix}.serviceTier`, message: `serviceTier "${explicit.serviceTier}" disagrees with the served tier in rawUsage ("${normalised.serviceTier}")` });
  }
  extras.serviceTier = sent ?? fromRaw;
  const calls: Record<string, number> = { ...(normalised?.toolCalls ?? {}) };
  for (const [kind, n] of Object.entries(explicit.toolCalls ?? {})) {
    if (Object.hasOwn(calls, kind) && calls[kind] !== n) {
      errors.push({ path: `${prefix}.toolCalls.${kind}`, message: `toolCalls.${kind} (${n}) disagrees with rawUsage (${calls[kind]})` });
    }
    calls[kind] = n;
  }
  extras.toolCalls = Object.keys(calls).length ? calls : null;
  extras.unknownUsage = normalised?.unknownUsage ?? null;
  for (const f of MODALITY_FIELDS) extras[f] = explicit.usage?.[f] ?? normalised?.[f] ?? 0;
  if (extras.audioInputTokens + extras.imageInputTokens > usage.inputTokens) {
    errors.push({
      path: `${prefix}.usage.audioInputTokens`,
      message: `audioInputTokens + imageInputTokens (${extras.audioInputTokens + extras.imageInputTokens}) exceed inputTokens (${usage.inputTokens}): they are parts of the uncached input`,
    });
  }
  if (extras.audioOutputTokens > usage.outputTokens) {
    errors.push({ path: `${prefix}.usage.audioOutputTokens`, message: `audioOutputTokens (${extras.audioOutputTokens}) exceed outputTokens (${usage.outputTokens}): they are part of the output` });
  }
  return errors.length ? { ok: false, errors } : { ok: true, extras };
}

const KNOWN_FIELDS = Object.keys(ingestEventSchema.shape);

/** Never throws: every problem comes back as a field error whose path starts with `events.<index>`. */
export function parseEvent(raw: unknown, index: number): ParseEventResult {
  try {
    const fast = isRecord(raw) ? parseValidEvent(raw) : undefined;
    if (fast) return { ok: true, event: fast };
  } catch {
    // The schema path below reports whatever the fast path tripped over.
  }
  return parseEventBySchema(raw, index);
}

/** parseEvent without its fast path: the reference the fast path is tested against. */
export function parseEventBySchema(raw: unknown, index: number): ParseEventResult {
  const prefix = `events.${index}`;
  try {
    if (!isRecord(raw)) return { ok: false, errors: [{ path: prefix, message: `event must be an object, got ${describe(raw)}` }] };

    const errors: FieldError[] = [];
    const parsed = ingestEventSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const at = [prefix, ...issue.path.map(String)].join(".");
        if (issue.code === "unrecognized_keys") {
          const known = issue.path.length === 0 ? KNOWN_FIELDS : USAGE_FIELDS;
          for (const key of issue.keys) errors.push({ path: `${at}.${key}`, message: unknownFieldMessage(key, known) });
        } else {
          errors.push({ path: at, message: issue.message });
        }
      }
    }

    errors.push(...crossFieldErrors(raw, prefix));
    const rawUsage = ownValue(raw, "rawUsage");
    const usageValue = ownValue(raw, "usage");
    let normalised: CanonicalUsage | undefined;
    let normalisedExtras: Partial<EventExtras> | undefined;
    if (rawUsage !== undefined && rawUsage !== null && (usageValue === undefined || usageValue === null)) {
      const provider = ownValue(raw, "provider");
      const result = normaliseRawUsage(rawUsage, typeof provider === "string" ? provider.trim() : undefined);
      if (result.ok) {
        normalised = result.usage;
        normalisedExtras = result.extras;
      }
      else for (const e of result.errors) errors.push({ path: `${prefix}.${e.path}`, message: e.message });
    }

    if (errors.length > 0 || !parsed.success) return { ok: false, errors: errors.length > 0 ? errors : fallbackError(prefix) };

    const d = parsed.data;
    const usage = normalised ?? { ...zeroUsage(), ...definedOnly(d.usage ?? {}) };
    if (!Number.isSafeInteger(totalTokens(usage))) {
      return { ok: false, errors: [{ path: `${prefix}.usage`, message: `token counts add up to more than ${Number.MAX_SAFE_INTEGER}` }] };
    }
    const extras = mergeExtras(normalisedExtras, { serviceTier: d.serviceTier, toolCalls: d.toolCalls, usage: d.usage ?? undefined }, usage, prefix);
    if (!extras.ok) return { ok: false, errors: extras.errors };
    return {
      ok: true,
      event: {
        id: d.id,
        timestamp: d.timestamp,
        requestId: d.requestId ?? null,
        endpoint: d.endpoint ?? null,
        feature: d.feature ?? null,
        team: d.team ?? null,
        cohort: d.cohort ?? null,
        customerId: d.customerId ?? null,
        kind: d.kind ?? "llm",
        provider: d.provider ?? null,
        model: d.model ?? null,
        usage,
        extras: extras.extras,
        costUsd: d.costUsd ?? null,
        status: d.status ?? "ok",
        attempt: d.attempt ?? 1,
        latencyMs: d.latencyMs ?? null,
        pool: d.pool ?? null,
        gpuSeconds: d.gpuSeconds ?? null,
        metadata: d.metadata ?? null,
      },
    };
  } catch (err) {
    // Defence in depth: the checks above do not throw, but one bad event must never fail a whole batch.
    return { ok: false, errors: [{ path: prefix, message: `event could not be read: ${err instanceof Error ? err.message : "unexpected value"}` }] };
  }
}

const LABEL_FIELDS = new Set(["endpoint", "feature", "team", "cohort", "customerId", "provider", "model", "pool"]);
const USAGE_BUCKET_SET: ReadonlySet<string> = new Set(USAGE_BUCKETS);

/**
 * The common case without the schema machinery: a plain object whose every field is present in its
 * ordinary form. It returns exactly what the schema path returns for such an event, and undefined for
 * anything else (any doubt at all), which then goes through the schema path and its field messages.
 * Ingest spends most of its CPU time validating, and nearly every event a service sends is valid.
 */
const NO_TIMESTAMP = new Date(0);

export function parseValidEvent(raw: Record<string, unknown>): CanonicalEvent | undefined {
  if (!isPlainPrototype(raw)) return undefined;
  const event: CanonicalEvent = {
    id: "",
    timestamp: NO_TIMESTAMP, // replaced below, or the event is refused
    requestId: null,
    endpoint: null,
    feature: null,
    team: null,
    cohort: null,
    customerId: null,
    kind: "llm",
    provider: null,
    model: null,
    usage: zeroUsage(),
    extras: noExtras(),
    costUsd: null,
    status: "ok",
    attempt: 1,
    latencyMs: null,
    pool: null,
    gpuSeconds: null,
    metadata: null,
  };
  let hasId = false;
  let hasTimestamp = false;
  for (const key of Object.keys(raw)) {
    const value = raw[key];
    if (value === null || value === undefined) {
      if (key === "id" || key === "timestamp" || !Object.hasOwn(ingestEventSchema.shape, key)) return undefined;
      continue;
    }
    if (LABEL_FIELDS.has(key)) {
      if (typeof value !== "string") return undefined;
      const text = value.trim();
      if (text.length > 200 || !storableText(text)) return undefined;
      if (text === "") continue;
      (event as Record<string, unknown>)[key] = key === "provider" ? text.toLowerCase() : text;
      continue;
    }
    switch (key) {
      case "id":
      case "requestId":
        if (typeof value !== "string" || value.length === 0 || value.length > 255 || !storableText(value)) return undefined;
        event[key] = value;
        if (key === "id") hasId = true;
        break;
      case "timestamp": {
        const ts = parseTimestamp(value);
        if (!ts.ok) return undefined;
        event.timestamp = ts.value;
        hasTimestamp = true;
        break;
      }
      case "kind":
        if (!(EVENT_KINDS as readonly unknown[]).includes(value)) return undefined;
        event.kind = value as EventKind;
        break;
      case "status":
        if (!(EVENT_STATUSES as readonly unknown[]).includes(value)) return undefined;
        event.status = value as EventStatus;
        break;
      case "usage": {
        if (!isRecord(value) || !isPlainPrototype(value)) return undefined;
        for (const bucket of Object.keys(value)) {
          const count = value[bucket];
          if (!USAGE_BUCKET_SET.has(bucket)) return undefined;
          if (count === null || count === undefined) continue;
          if (tokenCountProblem(bucket, count) !== null) return undefined;
          event.usage[bucket as keyof CanonicalUsage] = count as number;
        }
        break;
      }
      case "costUsd": {
        const cost = parseCostUsd(value);
        if (!cost.ok) return undefined;
        event.costUsd = cost.value;
        break;
      }
      case "attempt":
        if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > MAX_ATTEMPT) return undefined;
        event.attempt = value;
        break;
      case "latencyMs":
      case "gpuSeconds":
        if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > (key === "latencyMs" ? MAX_LATENCY_MS : MAX_GPU_SECONDS)) return undefined;
        event[key] = value;
        break;
      case "metadata": {
        const metadata = parseMetadata(value);
        if (!metadata.ok) return undefined;
        event.metadata = metadata.value;
        break;
      }
      default:
        // rawUsage (normalised by the schema path) and unknown fields.
        return undefined;
    }
  }
  if (!hasId || !hasTimestamp) return undefined;
  // The cross-field rules, as crossFieldErrors states them.
  if (event.kind === "gpu" ? event.pool === null : event.requestId === null || event.gpuSeconds !== null) return undefined;
  if (!Number.isSafeInteger(totalTokens(event.usage))) return undefined;
  return event;
}

/** Rules that need more than one field; run on the raw object so they report alongside per-field errors. */
function crossFieldErrors(raw: Record<string, unknown>, prefix: string): FieldError[] {
  const errors: FieldError[] = [];
  const isSet = (key: string) => {
    const v = ownValue(raw, key);
    return v !== undefined && v !== null;
  };
  const kindValue = ownValue(raw, "kind");
  const kind: EventKind | undefined =
    kindValue === undefined || kindValue === null
      ? "llm"
      : EVENT_KINDS.find((k) => k === kindValue); // an invalid kind is reported by the schema; skip rules that depend on it

  if (kind !== undefined && kind !== "gpu" && !isSet("requestId")) {
    errors.push({ path: `${prefix}.requestId`, message: `requestId is required (only kind "gpu" events may omit it)` });
  }
  const pool = ownValue(raw, "pool");
  if (kind === "gpu" && (pool === undefined || pool === null || (typeof pool === "string" && pool.trim() === ""))) {
    errors.push({ path: `${prefix}.pool`, message: `pool is required when kind is "gpu"` });
  }
  if (kind !== undefined && kind !== "gpu" && isSet("gpuSeconds")) {
    errors.push({ path: `${prefix}.gpuSeconds`, message: `gpuSeconds is only allowed when kind is "gpu" (kind is "${kind}")` });
  }
  if (isSet("usage") && isSet("rawUsage")) {
    errors.push({ path: `${prefix}.usage`, message: "usage and rawUsage are both set: send canonical usage or the provider's rawUsage, not both" });
  }
  return errors;
}

function fallbackError(prefix: string): FieldError[] {
  return [{ path: prefix, message: "event is invalid" }];
}

function definedOnly(usage: Partial<Record<string, number | undefined>>): Partial<CanonicalUsage> {
  // Modality counts are parts of the buckets, not buckets: mergeExtras reads them.
  const out: Partial<CanonicalUsage> = {};
  for (const bucket of USAGE_BUCKETS) {
    const v = usage[bucket];
    if (v !== undefined) out[bucket] = v;
  }
  return out;
}

function asParsed<T>(problem: string | null, value: T): Parsed<T> {
  return problem === null ? { ok: true, value } : { ok: false, message: problem };
}

function unknownFieldMessage(key: string, known: readonly string[]): string {
  const suggestion = closest(key, known);
  return suggestion ? `unknown field "${key}"; did you mean "${suggestion}"?` : `unknown field "${key}"`;
}

/** Catches the usual typos: case (requestID), snake_case (cost_usd) and a letter or two off (timestmp). */
function closest(key: string, known: readonly string[]): string | undefined {
  const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");
  const k = squash(key);
  if (k.length === 0 || k.length > 64) return undefined;
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = editDistance(k, squash(candidate));
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/;
const TIMESTAMP_HINT = `an ISO-8601 date-time with a zone, e.g. "2025-01-31T12:00:00Z" or "2025-01-31T13:00:00.250+01:00"`;

/**
 * A timestamp without a zone would be read in the server's zone and shift costs between days
 * and weeks, so the zone is required. Parsed by hand because Date.parse rolls 30 February over
 * into March instead of rejecting it. Precision beyond milliseconds is truncated.
 */
function parseTimestamp(value: unknown): Parsed<Date> {
  if (value === undefined) return { ok: false, message: `timestamp is required: ${TIMESTAMP_HINT}` };
  if (typeof value !== "string") return { ok: false, message: `timestamp must be a string: ${TIMESTAMP_HINT}` };
  const m = TIMESTAMP.exec(value);
  if (!m) return { ok: false, message: `timestamp must be ${TIMESTAMP_HINT}; got ${JSON.stringify(value.slice(0, 64))}` };
  const [, y, mo, d, h, mi, s, fraction = "", zone = "Z"] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const daysInMonth = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  let offsetMinutes = 0;
  let offsetValid = true;
  if (zone !== "Z") {
    const digits = zone.slice(1).replace(":", "");
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2, 4));
    offsetValid = oh <= 23 && om <= 59;
    offsetMinutes = (zone.startsWith("-") ? -1 : 1) * (oh * 60 + om);
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59 || !offsetValid) {
    return { ok: false, message: `timestamp ${JSON.stringify(value)} is not a real date and time` };
  }
  const millis = fraction === "" ? 0 : Number(fraction.length === 3 ? fraction : fraction.padEnd(3, "0").slice(0, 3));
  // Date.UTC reads years 0–99 as 1900–1999; those (refused later as out of range anyway) take the long way.
  const utc = year >= 100 ? Date.UTC(year, month - 1, day, hour, minute, second, millis) : yearBelow100(year, month, day, hour, minute, second, millis);
  // One Date per event: on the server, Date construction is wrapped and costs more than the arithmetic.
  return { ok: true, value: new Date(utc - offsetMinutes * 60_000) };
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function yearBelow100(year: number, month: number, day: number, hour: number, minute: number, second: number, millis: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  return date.getTime();
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * Costs stay exact decimal strings end to end: summing thousands of binary floats drifts, and a
 * cost KPI that moves in the last digit between two runs erodes trust. Numbers are taken at
 * their shortest round-trip spelling, which is what the sender wrote in its JSON.
 */
// Up to MAX_COST_INTEGER_DIGITS integer digits without a leading zero, up to MAX_COST_FRACTION_DIGITS fractional digits without a trailing one.
const NORMAL_COST = /^(?:0|[1-9]\d{0,17})(?:\.\d{0,11}[1-9])?$/;

function parseCostUsd(value: unknown): Parsed<string> {
  let text: string;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return { ok: false, message: `costUsd must be a finite number, got ${String(value)}` };
    if (value < 0) return { ok: false, message: `costUsd must not be negative, got ${value}` };
    text = String(value);
  } else if (typeof value === "string") {
    // Already in the normal form toFixed() would give, and within the limits: nothing to do.
    if (NORMAL_COST.test(value)) return { ok: true, value };
    if (/^-\d/.test(value)) return { ok: false, message: `costUsd must not be negative, got ${JSON.stringify(value)}` };
    if (!/^\d+(\.\d+)?$/.test(value)) {
      return { ok: false, message: `costUsd must be a plain decimal string such as "0.0042", got ${JSON.stringify(value.slice(0, 64))}` };
    }
    text = value;
  } else {
    return { ok: false, message: `costUsd must be a decimal string or a number, got ${describe(value)}` };
  }
  const amount = new Decimal(text);
  if (amount.decimalPlaces() > MAX_COST_FRACTION_DIGITS) {
    return {
      ok: false,
      message: `costUsd has ${amount.decimalPlaces()} decimal places; at most ${MAX_COST_FRACTION_DIGITS} are allowed (round it, or send it as a string)`,
    };
  }
  if (amount.gte(new Decimal(10).pow(MAX_COST_INTEGER_DIGITS))) {
    return { ok: false, message: `costUsd must be less than 1e${MAX_COST_INTEGER_DIGITS}` };
  }
  return { ok: true, value: amount.toFixed() };
}

function parseMetadata(value: unknown): Parsed<{ [key: string]: JsonValue }> {
  if (!isRecord(value) || !isPlainPrototype(value)) {
    return { ok: false, message: `metadata must be a JSON object, got ${describe(value)}` };
  }
  if (!isJsonValue(value, 0)) {
    return { ok: false, message: "metadata must hold only JSON values (strings, finite numbers, booleans, null, arrays, objects) nested at most 32 deep" };
  }
  if (!storableJson(value)) return { ok: false, message: `metadata keys and strings ${UNSTORABLE_HINT}` };
  const json = JSON.stringify(value);
  const bytes = Buffer.byteLength(json, "utf8");
  if (bytes > MAX_METADATA_BYTES) {
    return { ok: false, message: `metadata is ${bytes} bytes as JSON; the limit is ${MAX_METADATA_BYTES}` };
  }
  // A detached copy, so later mutation of the caller's object cannot change a stored event or its fingerprint.
  return { ok: true, value: JSON.parse(json) as { [key: string]: JsonValue } };
}

function isPlainPrototype(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isJsonValue(value: unknown, depth: number): boolean {
  if (depth > 32) return false;
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((v) => isJsonValue(v, depth + 1));
  if (isRecord(value) && isPlainPrototype(value)) return Object.values(value).every((v) => isJsonValue(v, depth + 1));
  return false;
}

function storableJson(value: unknown): boolean {
  if (typeof value === "string") return storableText(value);
  if (Array.isArray(value)) return value.every(storableJson);
  if (value !== null && typeof value === "object") return Object.entries(value).every(([k, v]) => storableText(k) && storableJson(v));
  return true;
}

/**
 * sha256 of the event as key-sorted JSON; equal for a retry of the same event, different for a changed re-send.
 * `iso` is the event's timestamp.toISOString() when the caller already has it. The ledger's first
 * fingerprints (64 hex digits, no prefix) were made this way; newer ones are "v2:" (store-events.ts).
 */
export function contentFingerprint(event: CanonicalEvent, iso?: string): string {
  return sha256Hex(canonicalEventJson(event, iso));
}

// crypto.hash (Node 20.12+) hashes in one call, without a Hash object per event.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: "hex") => string }).hash;
export const sha256Hex = oneShot ? (text: string) => oneShot("sha256", text, "hex") : (text: string) => crypto.createHash("sha256").update(text).digest("hex");

/**
 * The event as key-sorted JSON, written out field by field in sorted order: the same text as
 * canonicalJson of the event (stored fingerprints depend on it; a unit test holds the two equal),
 * without sorting the same eighteen keys for every event.
 */
export function canonicalEventJson(e: CanonicalEvent, iso = e.timestamp.toISOString()): string {
  const u = e.usage;
  const j = JSON.stringify;
  return (
    `{"attempt":${j(e.attempt)},"cohort":${j(e.cohort)},"costUsd":${j(e.costUsd)},` +
    // Present only when set: events without a customer keep the text (and fingerprint) they had before customers.
    (e.customerId === null ? "" : `"customerId":${j(e.customerId)},`) +
    `"endpoint":${j(e.endpoint)},` +
    `"feature":${j(e.feature)},"gpuSeconds":${j(e.gpuSeconds)},"id":${j(e.id)},"kind":${j(e.kind)},` +
    `"latencyMs":${j(e.latencyMs)},"metadata":${canonicalJson(e.metadata)},"model":${j(e.model)},"pool":${j(e.pool)},` +
    `"provider":${j(e.provider)},"requestId":${j(e.requestId)},"status":${j(e.status)},"team":${j(e.team)},` +
    `"timestamp":"${iso}","usage":{"cacheReadTokens":${j(u.cacheReadTokens)},` +
    `"cacheWrite1hTokens":${j(u.cacheWrite1hTokens)},"cacheWriteTokens":${j(u.cacheWriteTokens)},"inputTokens":${j(u.inputTokens)},` +
    `"outputTokens":${j(u.outputTokens)},"reasoningTokens":${j(u.reasoningTokens)},"toolOutputTokens":${j(u.toolOutputTokens)}}}`
  );
}

/** The generic form canonicalEventJson must equal. */
export function canonicalJsonOf(event: CanonicalEvent): string {
  const { extras: _extras, customerId, ...content } = event;
  return canonicalJson({ ...content, ...(customerId === null ? {} : { customerId }), timestamp: event.timestamp.toISOString() });
}

/** JSON with object keys sorted at every level: the same text for the same value, whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object") {
    const record = value as Record<string, unknown>;
    const entries = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
