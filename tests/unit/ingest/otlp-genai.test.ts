// OTLP GenAI mapping: spans with gen_ai.* attributes become raw ingest events that parseEvent accepts.
import { describe, expect, it } from "vitest";
import { parseEvent } from "@/lib/ingest/event-schema";
import { otlpTracesToEvents } from "@/lib/ingest/otlp-genai";
import { noExtras, zeroUsage } from "@/lib/ingest/usage";

const TRACE = "5b8efff798038103d269b633813fc60c";
const SPAN = "eee19b7ec3c1b174";

type Attr = { key: string; value: Record<string, unknown> };
const s = (key: string, v: string): Attr => ({ key, value: { stringValue: v } });
const i = (key: string, v: number | string): Attr => ({ key, value: { intValue: v } });

function payload(spans: Record<string, unknown>[], resourceAttributes: Attr[] = []) {
  return { resourceSpans: [{ resource: { attributes: resourceAttributes }, scopeSpans: [{ scope: { name: "test" }, spans }] }] };
}

function span(attributes: Attr[], extra: Record<string, unknown> = {}) {
  return {
    traceId: TRACE,
    spanId: SPAN,
    name: "chat gpt-4o",
    startTimeUnixNano: "1741083072123456789",
    endTimeUnixNano: "1741083073623456789",
    attributes,
    status: {},
    ...extra,
  };
}

function only(p: unknown): Record<string, unknown> {
  const { events } = otlpTracesToEvents(p);
  expect(events).toHaveLength(1);
  return events[0] as Record<string, unknown>;
}

describe("otlpTracesToEvents", () => {
  it("maps a gen_ai span to one event and skips a plain span, counting it", () => {
    const result = otlpTracesToEvents(
      payload([
        span([s("gen_ai.operation.name", "chat"), s("gen_ai.provider.name", "openai"), i("gen_ai.usage.input_tokens", 100)]),
        span([s("http.method", "GET")], { spanId: "1111111111111111" }),
      ]),
    );
    expect(result.events).toHaveLength(1);
    expect(result.skipped).toBe(1);
    expect((result.events[0] as { id: string }).id).toBe(`otlp:${TRACE}:${SPAN}`);
  });

  it("turns the start time into an ISO timestamp exact to the nanosecond and end − start into latencyMs", () => {
    const e = only(payload([span([s("gen_ai.system", "openai")])]));
    expect(e.timestamp).toBe("2025-03-04T10:11:12.123456789Z");
    expect(e.latencyMs).toBe(1500);
  });

  it("accepts start times sent as JSON numbers", () => {
    const e = only(payload([span([s("gen_ai.system", "openai")], { startTimeUnixNano: 1_741_083_072_000_000_000, endTimeUnixNano: undefined })]));
    expect(e.timestamp).toBe("2025-03-04T10:11:12.000000000Z");
    expect(e).not.toHaveProperty("latencyMs");
  });

  it("subtracts cache and reasoning tokens, which the GenAI conventions count inside input and output", () => {
    const e = only(
      payload([
        span([
          s("gen_ai.provider.name", "openai"),
          i("gen_ai.usage.input_tokens", 1000),
          i("gen_ai.usage.cache_read.input_tokens", 600),
          i("gen_ai.usage.cache_creation.input_tokens", 100),
          i("gen_ai.usage.output_tokens", 250),
          i("gen_ai.usage.reasoning.output_tokens", 200),
        ]),
      ]),
    );
    expect(e.usage).toEqual({ inputTokens: 300, cacheReadTokens: 600, cacheWriteTokens: 100, outputTokens: 50, reasoningTokens: 200 });
  });

  it("subtracts cache tokens for anthropic too, as the conventions now say (a spec-conformant span is not billed twice)", () => {
    const e = only(
      payload([
        span([
          s("gen_ai.provider.name", "anthropic"),
          i("gen_ai.usage.input_tokens", 1012),
          i("gen_ai.usage.cache_read.input_tokens", 1000),
          i("gen_ai.usage.output_tokens", 90),
        ]),
      ]),
    );
    expect(e.usage).toEqual({ inputTokens: 12, cacheReadTokens: 1000, cacheWriteTokens: 0, outputTokens: 90, reasoningTokens: 0 });
  });

  it("keeps an older anthropic instrumentation's exclusive input when it is smaller than the cached tokens", () => {
    const e = only(
      payload([
        span([
          s("gen_ai.provider.name", "anthropic"),
          i("gen_ai.usage.input_tokens", 20),
          i("gen_ai.usage.cache_read.input_tokens", 5000),
          i("gen_ai.usage.cache_creation.input_tokens", 300),
          i("gen_ai.usage.output_tokens", 90),
        ]),
      ]),
    );
    expect(e.usage).toEqual({ inputTokens: 20, cacheReadTokens: 5000, cacheWriteTokens: 300, outputTokens: 90, reasoningTokens: 0 });
  });

  it("takes input as exclusive when cost_review.input_tokens_include_cache is false, on the span or as a resource string", () => {
    const attrs = [s("gen_ai.provider.name", "anthropic"), i("gen_ai.usage.input_tokens", 6000), i("gen_ai.usage.cache_read.input_tokens", 5000)];
    const onSpan = only(payload([span([...attrs, { key: "cost_review.input_tokens_include_cache", value: { boolValue: false } }])]));
    expect(onSpan.usage).toMatchObject({ inputTokens: 6000, cacheReadTokens: 5000 });
    const onResource = only(payload([span(attrs)], [s("cost_review.input_tokens_include_cache", "False")]));
    expect(onResource.usage).toMatchObject({ inputTokens: 6000, cacheReadTokens: 5000 });
    // The span's own declaration wins over the resource's.
    const overridden = only(payload([span([...attrs, { key: "cost_review.input_tokens_include_cache", value: { boolValue: true } }])], [s("cost_review.input_tokens_include_cache", "false")]));
    expect(overridden.usage).toMatchObject({ inputTokens: 1000, cacheReadTokens: 5000 });
  });

  it("refuses a span whose cost_review.input_tokens_include_cache is neither true nor false, naming the attribute, and keeps the others", () => {
    const result = otlpTracesToEvents(
      payload([
        span([s("gen_ai.provider.name", "anthropic"), i("gen_ai.usage.input_tokens", 6000), s("cost_review.input_tokens_include_cache", "no")]),
        span([s("gen_ai.provider.name", "openai"), i("gen_ai.usage.input_tokens", 10)], { spanId: "2222222222222222" }),
      ]),
    );
    expect(result.events).toHaveLength(1);
    expect(result.skipped).toBe(0);
    expect(result.refused).toEqual([{ id: `otlp:${TRACE}:${SPAN}`, errors: [{ path: "cost_review.input_tokens_include_cache", message: expect.stringContaining('must be true or false (got "no")') }] }]);
  });

  it("reads the cache attributes' earlier names", () => {
    const e = only(
      payload([
        span([
          s("gen_ai.provider.name", "anthropic"),
          i("gen_ai.usage.input_tokens", 1500),
          i("gen_ai.usage.cache_read_input_tokens", 1000),
          i("gen_ai.usage.cache_creation_input_tokens", 400),
        ]),
      ]),
    );
    expect(e.usage).toMatchObject({ inputTokens: 100, cacheReadTokens: 1000, cacheWriteTokens: 400 });
  });

  it("takes input as already excluding cache when subtracting would go negative", () => {
    const e = only(payload([span([s("gen_ai.provider.name", "aws.bedrock"), i("gen_ai.usage.input_tokens", 10), i("gen_ai.usage.cache_read.input_tokens", 400)])]));
    expect(e.usage).toMatchObject({ inputTokens: 10, cacheReadTokens: 400 });
  });

  it("reads tags from resource attributes and lets span attributes override them", () => {
    const e = only(
      payload(
        [span([s("gen_ai.system", "openai"), s("cost_review.feature", "span-feature"), s("cost_review.request_id", "req-9")])],
        [s("cost_review.feature", "resource-feature"), s("cost_review.team", "search"), s("cost_review.endpoint", "/api/ask"), s("cost_review.cohort", "beta"), s("cost_review.customer_id", "acme")],
      ),
    );
    expect(e).toMatchObject({ feature: "span-feature", team: "search", endpoint: "/api/ask", cohort: "beta", customerId: "acme", requestId: "req-9" });
  });

  it("falls back to the trace id as requestId, also when cost_review.request_id is blank", () => {
    expect(only(payload([span([s("gen_ai.system", "openai")])])).requestId).toBe(TRACE);
    expect(only(payload([span([s("gen_ai.system", "openai"), s("cost_review.request_id", " ")])])).requestId).toBe(TRACE);
  });

  it("passes cost_review.cost_usd through so a string cost stays exact", () => {
    const e = only(payload([span([s("gen_ai.system", "openai"), s("cost_review.cost_usd", "0.000123")])]));
    expect(e.costUsd).toBe("0.000123");
  });

  it("prefers the response model over the request model and gen_ai.provider.name over gen_ai.system", () => {
    const e = only(
      payload([
        span([
          s("gen_ai.request.model", "gpt-4o"),
          s("gen_ai.response.model", "gpt-4o-2024-08-06"),
          s("gen_ai.system", "az.ai.openai"),
          s("gen_ai.provider.name", "openai"),
        ]),
      ]),
    );
    expect([e.model, e.provider]).toEqual(["gpt-4o-2024-08-06", "openai"]);
    expect(only(payload([span([s("gen_ai.request.model", "m"), s("gen_ai.system", "cohere")])])).provider).toBe("cohere");
  });

  it.each([
    ["embeddings", "embedding"],
    ["execute_tool", "tool"],
    ["chat", "llm"],
    ["generate_content", "llm"],
  ])("maps operation %s to kind %s", (operation, kind) => {
    expect(only(payload([span([s("gen_ai.operation.name", operation)])])).kind).toBe(kind);
  });

  it("marks spans with status code 2 as errors and others as ok", () => {
    expect(only(payload([span([s("gen_ai.system", "x")], { status: { code: 2, message: "rate limited" } })])).status).toBe("error");
    expect(only(payload([span([s("gen_ai.system", "x")], { status: { code: 1 } })])).status).toBe("ok");
  });

  it("reads intValue sent as a decimal string, as OTLP JSON encodes int64", () => {
    expect(only(payload([span([i("gen_ai.usage.output_tokens", "42")])])).usage).toMatchObject({ outputTokens: 42 });
  });

  it("produces events that parseEvent accepts as canonical events", () => {
    const { events } = otlpTracesToEvents(
      payload(
        [
          span([
            s("gen_ai.operation.name", "chat"),
            s("gen_ai.provider.name", "OpenAI"),
            s("gen_ai.response.model", "gpt-4o-mini"),
            i("gen_ai.usage.input_tokens", 120),
            i("gen_ai.usage.cache_read.input_tokens", 20),
            i("gen_ai.usage.output_tokens", 30),
          ]),
        ],
        [s("cost_review.feature", "search")],
      ),
    );
    const parsed = parseEvent(events[0], 0);
    expect(parsed.ok && parsed.event).toEqual({
      id: `otlp:${TRACE}:${SPAN}`,
      timestamp: new Date("2025-03-04T10:11:12.123Z"),
      requestId: TRACE,
      endpoint: null,
      feature: "search",
      team: null,
      cohort: null,
      customerId: null,
      kind: "llm",
      provider: "openai",
      model: "gpt-4o-mini",
      usage: { ...zeroUsage(), inputTokens: 100, cacheReadTokens: 20, outputTokens: 30 },
      extras: noExtras(),
      costUsd: null,
      status: "ok",
      attempt: 1,
      latencyMs: 1500,
      pool: null,
      gpuSeconds: null,
      metadata: null,
    });
  });

  it("lets parseEvent name the bucket when an attribute carries a bad token count", () => {
    const { events } = otlpTracesToEvents(payload([span([s("gen_ai.system", "openai"), i("gen_ai.usage.input_tokens", -5)])]));
    const parsed = parseEvent(events[0], 4);
    expect(!parsed.ok && parsed.errors.map((e) => e.path)).toEqual(["events.4.usage.inputTokens"]);
  });

  it("reads protobuf-decoded spans: byte ids, Long-like and bigint numbers", () => {
    const traceBytes = Uint8Array.from(Buffer.from(TRACE, "hex"));
    const spanBytes = Uint8Array.from(Buffer.from(SPAN, "hex"));
    const start = 1_741_083_072_123_456_789n;
    const long = (v: bigint) => ({ low: Number(v & 0xffffffffn) | 0, high: Number(v >> 32n) | 0, unsigned: true });
    const e = only({
      resourceSpans: [
        {
          resource: { attributes: [] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: traceBytes,
                  spanId: spanBytes,
                  startTimeUnixNano: long(start),
                  endTimeUnixNano: start + 250_000_000n,
                  attributes: [
                    { key: "gen_ai.system", value: { stringValue: "openai" } },
                    { key: "gen_ai.usage.input_tokens", value: { intValue: { low: 77, high: 0 } } },
                    { key: "gen_ai.usage.output_tokens", value: { intValue: 9n } },
                  ],
                  status: { code: 2 },
                },
              ],
            },
          ],
        },
      ],
    });
    expect(e).toMatchObject({
      id: `otlp:${TRACE}:${SPAN}`,
      timestamp: "2025-03-04T10:11:12.123456789Z",
      latencyMs: 250,
      status: "error",
      usage: { inputTokens: 77, outputTokens: 9 },
    });
  });

  it("leaves the id out when the span has no ids, so parseEvent reports it as required", () => {
    const { events } = otlpTracesToEvents(payload([span([s("gen_ai.system", "openai")], { traceId: "", spanId: undefined })]));
    const parsed = parseEvent(events[0], 0);
    expect(!parsed.ok && parsed.errors.map((e) => e.path)).toContain("events.0.id");
  });

  it.each([null, 5, "x", {}, { resourceSpans: "nope" }, { resourceSpans: [null, { scopeSpans: [5] }] }])(
    "returns no events for a malformed payload %j",
    (p) => {
      expect(otlpTracesToEvents(p)).toEqual({ events: [], skipped: 0, refused: [] });
    },
  );

  it("counts spans that are not objects as skipped", () => {
    expect(otlpTracesToEvents(payload([5 as unknown as Record<string, unknown>])).skipped).toBe(1);
  });
});

describe("the served service tier", () => {
  it("is read from openai.response.service_tier, or its earlier gen_ai.openai name, and passed to parseEvent", () => {
    const now = only(payload([span([s("gen_ai.provider.name", "openai"), s("openai.response.service_tier", "flex")])]));
    expect(now.serviceTier).toBe("flex");
    const before = only(payload([span([s("gen_ai.provider.name", "openai"), s("gen_ai.openai.response.service_tier", "priority")])]));
    expect(before.serviceTier).toBe("priority");
    const none = only(payload([span([s("gen_ai.provider.name", "openai")])]));
    expect(none).not.toHaveProperty("serviceTier");
  });
});
