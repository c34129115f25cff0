// The ingest fast path must be invisible: for every input it accepts, the schema path accepts it too and
// yields the very same event and fingerprint; everything else is left to the schema path.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { batchEvents } from "@/bench/workload/events";
import {
  canonicalEventJson,
  canonicalJsonOf,
  contentFingerprint,
  parseEvent,
  parseEventBySchema,
  parseValidEvent,
  type CanonicalEvent,
} from "@/lib/ingest/event-schema";
import { noExtras, USAGE_BUCKETS } from "@/lib/ingest/usage";

const RUNS = { numRuns: 2000 };

/** Each field: mostly well-formed values, often ones just past an edge. */
const text = fc.oneof(
  fc.constantFrom("chat.answer", " padded ", "", "   ", "UPPER", "x".repeat(200), " " + "y".repeat(200) + " ", "z".repeat(201), "a\u0000b", "\ud800", "é😀"),
  fc.string({ maxLength: 20 }),
);
const identifier = fc.oneof(fc.constantFrom("evt-1", "", "i".repeat(255), "i".repeat(256), "bad\u0000", "\udc00x"), fc.string({ minLength: 1, maxLength: 12 }));
const timestamp = fc.oneof(
  fc.constantFrom("2026-03-01T10:00:00Z", "2026-02-30T10:00:00Z", "2026-03-01T10:00:00", "2026-03-01T10:00:00.123456+05:30", "2024-02-29T23:59:59-0100", "yesterday"),
  fc.date({ min: new Date("2015-01-01T00:00:00Z"), max: new Date("2030-01-01T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString()),
);
const count = fc.oneof(fc.nat({ max: 5_000_000 }), fc.constantFrom(-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER, 2 ** 53, "12", null, undefined));
const usage = fc.oneof(
  fc.dictionary(fc.constantFrom(...USAGE_BUCKETS), count, { maxKeys: 7 }),
  fc.dictionary(fc.constantFrom(...USAGE_BUCKETS, "prompt_tokens", "__proto__"), count, { maxKeys: 3 }),
  fc.constantFrom(null, [], "usage", { inputTokens: Number.MAX_SAFE_INTEGER, outputTokens: 1 }),
);
const cost = fc.oneof(
  fc.constantFrom("0.0042", "0.000000000001", "0.0000000000001", "1e-7", "-1", "007.50", 0.1, 1e-7, -0.5, Number.POSITIVE_INFINITY, "1000000000000000000", null),
  fc.integer({ min: 0, max: 10 ** 6 }).map((n) => `0.${String(n).padStart(12, "0")}`),
);
const number = fc.oneof(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.constantFrom(-1, 0, -0, Number.NaN, Number.POSITIVE_INFINITY, "5", null));
const attempt = fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constantFrom(0, 1.5, 2 ** 31 - 1, 2 ** 31, "2", null));
const metadata = fc.oneof(
  fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  fc.constantFrom(null, [], "meta", { big: "m".repeat(5000) }, { nested: { deep: [1, "two", null] } }, { bad: "\u0000" }),
);

const eventArb = fc.record(
  {
    id: identifier,
    timestamp,
    requestId: fc.oneof(identifier, fc.constant(null)),
    endpoint: fc.oneof(text, fc.constant(null), fc.constant(3)),
    feature: text,
    team: text,
    cohort: text,
    kind: fc.constantFrom("llm", "embedding", "retrieval", "tool", "gpu", "other", "LLM", null),
    provider: fc.oneof(text, fc.constantFrom("OpenAI", " Anthropic ")),
    model: text,
    usage,
    rawUsage: fc.constantFrom(null, { prompt_tokens: 10, completion_tokens: 2 }),
    costUsd: cost,
    status: fc.constantFrom("ok", "error", "failed", null),
    attempt,
    latencyMs: number,
    pool: fc.oneof(text, fc.constant(null)),
    gpuSeconds: number,
    metadata,
    extra: fc.constantFrom(1, null),
  },
  { requiredKeys: [] },
);

/** Well-formed events (the common case), with one field now and then swapped for an edge value. */
const wellFormed = fc.record(
  {
    id: fc.string({ minLength: 1, maxLength: 12 }),
    timestamp: fc.date({ min: new Date("2015-01-01T00:00:00Z"), max: new Date("2030-01-01T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString()),
    requestId: fc.string({ minLength: 1, maxLength: 12 }),
    endpoint: fc.constantFrom("chat.answer", " docs.summarise ", ""),
    cohort: fc.constantFrom("free", "acme", null),
    kind: fc.constantFrom("llm", "embedding", "tool", "other"),
    provider: fc.constantFrom("openai", "Anthropic", " google "),
    model: fc.constantFrom("gpt-4o-mini", "claude-sonnet-4-5"),
    usage: fc.dictionary(fc.constantFrom(...USAGE_BUCKETS), fc.nat({ max: 100_000 }), { maxKeys: 7 }),
    costUsd: fc.option(fc.constantFrom("0.0042", 0.25, "3")),
    status: fc.constantFrom("ok", "error"),
    attempt: fc.integer({ min: 1, max: 3 }),
    latencyMs: fc.double({ min: 0, max: 1e5, noNaN: true }),
    metadata: fc.option(fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 })),
  },
  { requiredKeys: ["id", "timestamp", "requestId"] },
);
const gpuEvent = fc.record({
  id: fc.string({ minLength: 1, maxLength: 12 }),
  timestamp: fc.constant("2026-03-01T10:00:00Z"),
  kind: fc.constant("gpu"),
  pool: fc.constantFrom("rerank", " rerank ", ""),
  gpuSeconds: fc.double({ min: 0, max: 3600, noNaN: true }),
});
const mutated = fc
  .tuple(fc.oneof(wellFormed, gpuEvent), eventArb)
  .chain(([base, edge]) =>
    Object.keys(edge).length === 0
      ? fc.constant<Record<string, unknown>>(base)
      : fc.constantFrom(...Object.keys(edge)).map((key) => ({ ...base, [key]: (edge as Record<string, unknown>)[key] })),
  );
const anyEvent = fc.oneof(eventArb, wellFormed, gpuEvent, mutated);

describe("ingest fast path", () => {
  it("accepts only what the schema path accepts, and yields the same event", () => {
    let fast = 0;
    fc.assert(
      fc.property(anyEvent, (raw) => {
        const quick = parseValidEvent(raw as Record<string, unknown>);
        const reference = parseEventBySchema(raw, 0);
        if (quick) {
          fast++;
          expect(reference.ok).toBe(true);
          if (reference.ok) {
            expect(quick).toEqual(reference.event);
            expect(contentFingerprint(quick)).toBe(contentFingerprint(reference.event));
          }
        }
        // Whichever path answers, parseEvent answers as the schema does.
        const answer = parseEvent(raw, 0);
        expect(answer.ok).toBe(reference.ok);
        if (!answer.ok && !reference.ok) expect(answer.errors).toEqual(reference.errors);
      }),
      RUNS,
    );
    // The generator must reach the fast path often enough for the comparison to mean something.
    expect(fast).toBeGreaterThan(RUNS.numRuns / 50);
  });

  it("takes every event of a realistic workload (the benchmark's) and agrees with the schema path", () => {
    const events = batchEvents(3, 1000, 1_000_000);
    for (const raw of events) {
      const quick = parseValidEvent(raw);
      expect(quick).toBeDefined();
      const reference = parseEventBySchema(raw, 0);
      expect(reference.ok && reference.event).toEqual(quick);
    }
  });

  it("leaves provider-native usage to the schema path, which normalises it", () => {
    const raw = { id: "e", timestamp: "2026-03-01T10:00:00Z", requestId: "r", provider: "openai", rawUsage: { prompt_tokens: 100, completion_tokens: 20, prompt_tokens_details: { cached_tokens: 40 } } };
    expect(parseValidEvent(raw)).toBeUndefined();
    const r = parseEvent(raw, 0);
    expect(r.ok && r.event.usage).toMatchObject({ inputTokens: 60, cacheReadTokens: 40, outputTokens: 20 });
  });
});

describe("canonical event JSON", () => {
  const canonicalEvent: fc.Arbitrary<CanonicalEvent> = fc.record({
    id: fc.string(),
    timestamp: fc.date({ min: new Date("2015-01-01T00:00:00Z"), max: new Date("2035-01-01T00:00:00Z"), noInvalidDate: true }),
    requestId: fc.option(fc.string()),
    endpoint: fc.option(fc.string()),
    feature: fc.option(fc.string()),
    team: fc.option(fc.string()),
    cohort: fc.option(fc.string()),
    customerId: fc.option(fc.string()),
    kind: fc.constantFrom("llm", "embedding", "retrieval", "tool", "gpu", "other"),
    provider: fc.option(fc.string()),
    model: fc.option(fc.string()),
    usage: fc.record(Object.fromEntries(USAGE_BUCKETS.map((b) => [b, fc.nat()])) as Record<(typeof USAGE_BUCKETS)[number], fc.Arbitrary<number>>),
    // Extras are fingerprinted apart from the legacy canonical JSON (store-events.ts), so they never change it.
    extras: fc.record({
      serviceTier: fc.option(fc.constantFrom("flex", "priority", "batch")),
      toolCalls: fc.option(fc.dictionary(fc.constantFrom("webSearch", "fileSearch"), fc.nat())),
      audioInputTokens: fc.nat(),
      audioOutputTokens: fc.nat(),
      imageInputTokens: fc.nat(),
      unknownUsage: fc.option(fc.dictionary(fc.constantFrom("prompt_tokens_details.image_tokens"), fc.nat())),
    }),
    costUsd: fc.option(fc.constantFrom("0.1", "0.000000000001", "12")),
    status: fc.constantFrom("ok", "error"),
    attempt: fc.integer({ min: 1, max: 10 }),
    latencyMs: fc.option(fc.double({ min: 0, max: 1e6, noNaN: true })),
    pool: fc.option(fc.string()),
    gpuSeconds: fc.option(fc.double({ min: 0, max: 1e6, noNaN: true })),
    metadata: fc.option(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<never>)),
  });

  it("is the key-sorted JSON the stored fingerprints were computed from", () => {
    fc.assert(
      fc.property(canonicalEvent, (event) => {
        expect(canonicalEventJson(event)).toBe(canonicalJsonOf(event));
      }),
      RUNS,
    );
  });

  it("keeps the fingerprint of a known event stable", () => {
    const event: CanonicalEvent = {
      id: "evt-1",
      timestamp: new Date("2026-03-01T10:00:00.000Z"),
      requestId: "req-1",
      endpoint: "chat.answer",
      feature: null,
      team: null,
      cohort: "pro",
      customerId: null,
      kind: "llm",
      provider: "openai",
      model: "gpt-4o-mini",
      usage: { inputTokens: 100, cacheReadTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 0, outputTokens: 20, reasoningTokens: 0, toolOutputTokens: 0 },
      extras: noExtras(),
      costUsd: null,
      status: "ok",
      attempt: 1,
      latencyMs: 812.5,
      pool: null,
      gpuSeconds: null,
      metadata: { b: 1, a: [true, null] },
    };
    expect(canonicalEventJson(event)).toBe(
      '{"attempt":1,"cohort":"pro","costUsd":null,"endpoint":"chat.answer","feature":null,"gpuSeconds":null,"id":"evt-1","kind":"llm","latencyMs":812.5,"metadata":{"a":[true,null],"b":1},"model":"gpt-4o-mini","pool":null,"provider":"openai","requestId":"req-1","status":"ok","team":null,"timestamp":"2026-03-01T10:00:00.000Z","usage":{"cacheReadTokens":0,"cacheWrite1hTokens":0,"cacheWriteTokens":0,"inputTokens":100,"outputTokens":20,"reasoningTokens":0,"toolOutputTokens":0}}',
    );
    // A customer is part of the content: the same event for a named customer is a different event.
    expect(canonicalEventJson({ ...event, customerId: "acme" })).toContain('"costUsd":null,"customerId":"acme","endpoint":"chat.answer"');
  });
});
