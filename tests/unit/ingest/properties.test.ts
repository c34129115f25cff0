// Property tests: the ingest layer answers every input with a value, never an exception, and never double counts.
import { Decimal } from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { contentFingerprint, parseEvent } from "@/lib/ingest/event-schema";
import { normaliseRawUsage } from "@/lib/ingest/normalise-raw-usage";
import { otlpTracesToEvents } from "@/lib/ingest/otlp-genai";
import { USAGE_BUCKETS, isTokenCount, totalTokens } from "@/lib/ingest/usage";

const RUNS = { numRuns: 500 };

const EVENT_KEYS = [
  "id", "timestamp", "requestId", "endpoint", "feature", "team", "cohort", "kind", "provider", "model",
  "usage", "rawUsage", "costUsd", "status", "attempt", "latencyMs", "pool", "gpuSeconds", "metadata",
];
const USAGE_KEYS = [
  "prompt_tokens", "completion_tokens", "total_tokens", "prompt_tokens_details", "completion_tokens_details",
  "cached_tokens", "reasoning_tokens", "audio_tokens", "input_tokens", "output_tokens", "input_tokens_details",
  "output_tokens_details", "cache_read_input_tokens", "cache_creation_input_tokens", "cache_creation",
  "ephemeral_5m_input_tokens", "ephemeral_1h_input_tokens", "usageMetadata", "promptTokenCount",
  "cachedContentTokenCount", "candidatesTokenCount", "thoughtsTokenCount", "toolUsePromptTokenCount", "totalTokenCount",
];

/** Values that sit near the edges a token count or a cost can fall off. */
const edgy = fc.oneof(
  fc.anything(),
  fc.integer({ min: -5, max: 2_000_000 }),
  fc.constantFrom(0, -0, 1.5, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, Number.NaN, Number.POSITIVE_INFINITY, "12", null),
  fc.double(),
);

/** Usage-like objects: known keys, nested one level, with awkward values, so detection and every reader get exercised. */
const usageLike = fc.dictionary(
  fc.constantFrom(...USAGE_KEYS),
  fc.oneof(edgy, fc.dictionary(fc.constantFrom(...USAGE_KEYS), edgy, { maxKeys: 4 })),
  { maxKeys: 8 },
);

const eventLike = fc.dictionary(
  fc.oneof(fc.constantFrom(...EVENT_KEYS), fc.string()),
  fc.oneof(edgy, usageLike, fc.constantFrom("2025-01-01T00:00:00Z", "gpu", "llm", "0.1")),
  { maxKeys: 12 },
);

function expectValidUsage(result: ReturnType<typeof normaliseRawUsage>) {
  if (!result.ok) {
    expect(result.errors.length).toBeGreaterThan(0);
    for (const e of result.errors) expect(e.path.startsWith("rawUsage")).toBe(true);
    return;
  }
  for (const bucket of USAGE_BUCKETS) expect(isTokenCount(result.usage[bucket])).toBe(true);
  expect(Number.isSafeInteger(totalTokens(result.usage))).toBe(true);
}

describe("never throws", () => {
  it("parseEvent answers anything with ok or errors", () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), eventLike), fc.nat(), (raw, index) => {
        const r = parseEvent(raw, index);
        if (r.ok) expect(r.event.timestamp.getTime()).not.toBeNaN();
        else for (const e of r.errors) expect(e.path.startsWith(`events.${index}`)).toBe(true);
      }),
      RUNS,
    );
  });

  it("parseEvent answers random JSON documents with ok or errors", () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        const r = parseEvent(JSON.parse(text), 0);
        expect(typeof r.ok).toBe("boolean");
      }),
      RUNS,
    );
  });

  it("normaliseRawUsage answers anything, and every bucket of a success is a non-negative safe integer", () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), usageLike, fc.jsonValue()), fc.option(fc.string()), (raw, provider) => {
        expectValidUsage(normaliseRawUsage(raw, provider ?? undefined));
      }),
      RUNS,
    );
  });

  it("the OTLP mapper answers anything, and payload-shaped noise, with events and a skip count", () => {
    const attribute = fc.record({
      key: fc.oneof(fc.constantFrom("gen_ai.system", "gen_ai.usage.input_tokens", "gen_ai.usage.cache_read.input_tokens", "cost_review.request_id"), fc.string()),
      value: fc.oneof(fc.anything(), fc.record({ intValue: edgy }), fc.record({ stringValue: fc.anything() }), fc.record({ doubleValue: edgy })),
    });
    const span = fc.record(
      {
        traceId: fc.oneof(fc.anything(), fc.uint8Array({ maxLength: 16 }), fc.stringMatching(/^[0-9a-f]{0,32}$/)),
        spanId: fc.anything(),
        startTimeUnixNano: fc.oneof(fc.anything(), fc.bigInt(), fc.record({ low: fc.integer(), high: fc.integer() })),
        endTimeUnixNano: fc.anything(),
        attributes: fc.array(attribute, { maxLength: 5 }),
        status: fc.anything(),
      },
      { requiredKeys: [] },
    );
    const payload = fc.record({
      resourceSpans: fc.array(
        fc.record({ resource: fc.record({ attributes: fc.array(attribute, { maxLength: 3 }) }), scopeSpans: fc.array(fc.record({ spans: fc.array(fc.oneof(span, fc.anything()), { maxLength: 4 }) }), { maxLength: 2 }) }),
        { maxLength: 2 },
      ),
    });
    fc.assert(
      fc.property(fc.oneof(fc.anything(), payload), (p) => {
        const r = otlpTracesToEvents(p);
        expect(r.skipped).toBeGreaterThanOrEqual(0);
        // Whatever comes out must still be safe to hand to parseEvent.
        for (const [n, e] of r.events.entries()) expect(typeof parseEvent(e, n).ok).toBe("boolean");
      }),
      RUNS,
    );
  });
});

const count = fc.integer({ min: 0, max: 5_000_000 });

describe("sum invariant on valid provider usage", () => {
  it("OpenAI chat: buckets sum to prompt + completion, with cached and reasoning taken out once", () => {
    fc.assert(
      fc.property(count, count, count, count, fc.boolean(), (uncached, cached, visible, reasoning, withTotal) => {
        const prompt = uncached + cached;
        const completion = visible + reasoning;
        const r = normaliseRawUsage({
          prompt_tokens: prompt,
          completion_tokens: completion,
          ...(withTotal ? { total_tokens: prompt + completion } : {}),
          prompt_tokens_details: { cached_tokens: cached },
          completion_tokens_details: { reasoning_tokens: reasoning },
        });
        expect(r.ok && r.shape).toBe("openai-chat");
        expect(r.ok && totalTokens(r.usage)).toBe(prompt + completion);
        expect(r.ok && [r.usage.inputTokens, r.usage.cacheReadTokens, r.usage.outputTokens, r.usage.reasoningTokens]).toEqual([
          uncached, cached, visible, reasoning,
        ]);
      }),
      RUNS,
    );
  });

  it("OpenAI responses: buckets sum to total_tokens", () => {
    fc.assert(
      fc.property(count, count, count, count, (uncached, cached, visible, reasoning) => {
        const input = uncached + cached;
        const output = visible + reasoning;
        const r = normaliseRawUsage({
          input_tokens: input,
          input_tokens_details: { cached_tokens: cached },
          output_tokens: output,
          output_tokens_details: { reasoning_tokens: reasoning },
          total_tokens: input + output,
        });
        expect(r.ok && r.shape).toBe("openai-responses");
        expect(r.ok && totalTokens(r.usage)).toBe(input + output);
      }),
      RUNS,
    );
  });

  it("Anthropic: buckets sum to input + cache read + cache creation + output", () => {
    fc.assert(
      fc.property(count, count, count, count, count, fc.boolean(), (input, read, write5m, write1h, output, withBreakdown) => {
        const creation = withBreakdown ? write5m + write1h : write5m;
        const r = normaliseRawUsage({
          input_tokens: input,
          cache_read_input_tokens: read,
          cache_creation_input_tokens: creation,
          ...(withBreakdown ? { cache_creation: { ephemeral_5m_input_tokens: write5m, ephemeral_1h_input_tokens: write1h } } : {}),
          output_tokens: output,
        });
        expect(r.ok && r.shape).toBe("anthropic");
        expect(r.ok && totalTokens(r.usage)).toBe(input + read + creation + output);
        expect(r.ok && r.usage.cacheWrite1hTokens).toBe(withBreakdown ? write1h : 0);
      }),
      RUNS,
    );
  });

  it("Gemini: buckets sum to totalTokenCount, wrapped or bare", () => {
    fc.assert(
      fc.property(count, count, count, count, count, fc.boolean(), (uncached, cached, candidates, thoughts, toolUse, wrapped) => {
        const prompt = uncached + cached;
        const total = prompt + candidates + thoughts + toolUse;
        const metadata = {
          promptTokenCount: prompt,
          cachedContentTokenCount: cached,
          candidatesTokenCount: candidates,
          thoughtsTokenCount: thoughts,
          toolUsePromptTokenCount: toolUse,
          totalTokenCount: total,
        };
        const r = normaliseRawUsage(wrapped ? { usageMetadata: metadata } : metadata);
        expect(r.ok && r.shape).toBe("gemini");
        expect(r.ok && totalTokens(r.usage)).toBe(total);
        expect(r.ok && r.usage.cacheReadTokens).toBe(cached);
      }),
      RUNS,
    );
  });
});

describe("valid events", () => {
  const decimalString = fc
    .tuple(fc.bigInt({ min: 0n, max: 10n ** 17n }), fc.option(fc.stringMatching(/^[0-9]{1,12}$/)))
    .map(([whole, fraction]) => (fraction === null ? `${whole}` : `${whole}.${fraction}`));
  const validEvent = fc.record(
    {
      id: fc.string({ minLength: 1, maxLength: 255 }),
      timestamp: fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString()),
      requestId: fc.string({ minLength: 1, maxLength: 255 }),
      feature: fc.string({ maxLength: 200 }),
      usage: fc.record({ inputTokens: count, cacheReadTokens: count, outputTokens: count, reasoningTokens: count }, { requiredKeys: [] }),
      costUsd: decimalString,
      attempt: fc.integer({ min: 1, max: 10 }),
      metadata: fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }),
    },
    { requiredKeys: ["id", "timestamp", "requestId"] },
  );

  it("parse, keep costUsd exactly, and fingerprint the same after a JSON round trip", () => {
    fc.assert(
      fc.property(validEvent, (raw) => {
        // jsonValue can outgrow the metadata limit; that case is covered by the example tests.
        fc.pre(Buffer.byteLength(JSON.stringify(raw.metadata ?? {})) <= 4096);
        const first = parseEvent(raw, 0);
        expect(first.ok).toBe(true);
        if (!first.ok) return;
        // The same value, in the normal form decimal.js writes (no leading or trailing zeros).
        if (raw.costUsd !== undefined) expect(first.event.costUsd).toBe(new Decimal(raw.costUsd).toFixed());
        expect(first.event.timestamp.toISOString()).toBe(raw.timestamp);
        const again = parseEvent(JSON.parse(JSON.stringify(raw)), 1);
        expect(again.ok && contentFingerprint(again.event)).toBe(contentFingerprint(first.event));
      }),
      RUNS,
    );
  });
});
