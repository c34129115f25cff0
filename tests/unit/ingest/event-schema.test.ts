// Ingest event parsing: the canonical event it produces, per-field errors with exact paths, and the content fingerprint.
import { describe, expect, it } from "vitest";
import { contentFingerprint, parseEvent, type CanonicalEvent } from "@/lib/ingest/event-schema";
import { noExtras, zeroUsage } from "@/lib/ingest/usage";

const minimal = { id: "evt_1", timestamp: "2025-03-04T10:11:12Z", requestId: "req_1" };

const full = {
  id: "evt_42",
  timestamp: "2025-03-04T10:11:12.345+01:00",
  requestId: "req_42",
  endpoint: " /v1/chat ",
  feature: "summarise",
  team: "growth",
  cohort: "beta",
  customerId: "  acme-corp ",
  kind: "llm",
  provider: "OpenAI",
  model: "gpt-4.1-mini",
  usage: { inputTokens: 100, cacheReadTokens: 20, outputTokens: 30, reasoningTokens: 5 },
  costUsd: "0.000123",
  status: "error",
  attempt: 2,
  latencyMs: 812.5,
  pool: "a100-eu",
  metadata: { region: "eu-west-1", tags: ["x", 1, null] },
};

function ok(raw: unknown): CanonicalEvent {
  const r = parseEvent(raw, 0);
  if (!r.ok) throw new Error(`expected a valid event, got ${JSON.stringify(r.errors)}`);
  return r.event;
}

function errorsOf(raw: unknown, index = 0) {
  const r = parseEvent(raw, index);
  return r.ok ? [] : r.errors;
}

describe("parseEvent on valid events", () => {
  it("carries the served tier, tool calls and modality counts, merging rawUsage's reading with the explicit fields", () => {
    const e = ok({
      ...minimal,
      provider: "anthropic",
      rawUsage: { input_tokens: 50, output_tokens: 10, service_tier: "batch", server_tool_use: { web_search_requests: 2 } },
      toolCalls: { fileSearch: 1, codeInterpreter: 0 },
    });
    expect(e.extras).toEqual({ serviceTier: "batch", toolCalls: { webSearch: 2, fileSearch: 1 }, audioInputTokens: 0, audioOutputTokens: 0, imageInputTokens: 0, unknownUsage: null });
    const explicit = ok({ ...minimal, serviceTier: " Priority ", usage: { inputTokens: 100, audioInputTokens: 60, imageInputTokens: 40, outputTokens: 5, audioOutputTokens: 5 } });
    expect(explicit.extras).toEqual({ serviceTier: "priority", toolCalls: null, audioInputTokens: 60, audioOutputTokens: 5, imageInputTokens: 40, unknownUsage: null });
    expect(explicit.usage).toEqual({ ...zeroUsage(), inputTokens: 100, outputTokens: 5 });
  });

  it("stores the ordinary tier (default, standard) as no tier, so such events keep their earlier fingerprint", () => {
    expect(ok({ ...minimal, provider: "anthropic", rawUsage: { input_tokens: 5, output_tokens: 1, service_tier: "standard" } }).extras.serviceTier).toBeNull();
    expect(ok({ ...minimal, serviceTier: "default" }).extras.serviceTier).toBeNull();
    expect(ok({ ...minimal, provider: "anthropic", serviceTier: "default", rawUsage: { input_tokens: 5, output_tokens: 1, service_tier: "standard" } }).extras.serviceTier).toBeNull();
  });

  it("refuses an explicit serviceTier or tool count that disagrees with rawUsage", () => {
    const errors = errorsOf({
      ...minimal,
      provider: "anthropic",
      serviceTier: "priority",
      toolCalls: { webSearch: 1 },
      rawUsage: { input_tokens: 5, output_tokens: 1, service_tier: "standard", server_tool_use: { web_search_requests: 2 } },
    });
    expect(errors.map((e) => e.path)).toEqual(["events.0.serviceTier", "events.0.toolCalls.webSearch"]);
  });

  it("maps every field of a full event onto the canonical event", () => {
    expect(ok(full)).toEqual({
      id: "evt_42",
      timestamp: new Date("2025-03-04T09:11:12.345Z"),
      requestId: "req_42",
      endpoint: "/v1/chat",
      feature: "summarise",
      team: "growth",
      cohort: "beta",
      customerId: "acme-corp",
      kind: "llm",
      provider: "openai",
      model: "gpt-4.1-mini",
      usage: { ...zeroUsage(), inputTokens: 100, cacheReadTokens: 20, outputTokens: 30, reasoningTokens: 5 },
      costUsd: "0.000123",
      status: "error",
      attempt: 2,
      latencyMs: 812.5,
      pool: "a100-eu",
      gpuSeconds: null,
      metadata: { region: "eu-west-1", tags: ["x", 1, null] },
      extras: noExtras(),
    });
  });

  it("fills defaults: kind llm, status ok, attempt 1, zero usage, nulls for absent optional fields", () => {
    expect(ok(minimal)).toEqual({
      id: "evt_1",
      timestamp: new Date("2025-03-04T10:11:12Z"),
      requestId: "req_1",
      endpoint: null,
      feature: null,
      team: null,
      cohort: null,
      customerId: null,
      kind: "llm",
      provider: null,
      model: null,
      usage: zeroUsage(),
      costUsd: null,
      status: "ok",
      attempt: 1,
      latencyMs: null,
      pool: null,
      gpuSeconds: null,
      metadata: null,
      extras: noExtras(),
    });
  });

  it("treats empty and whitespace-only tags, and nulls, as missing", () => {
    const e = ok({ ...minimal, endpoint: "", feature: "   ", team: null, provider: "" });
    expect([e.endpoint, e.feature, e.team, e.provider]).toEqual([null, null, null, null]);
  });

  it("normalises rawUsage with the provider as a hint", () => {
    const e = ok({ ...minimal, provider: "anthropic", rawUsage: { input_tokens: 10, output_tokens: 3 } });
    expect(e.usage).toEqual({ ...zeroUsage(), inputTokens: 10, outputTokens: 3 });
    const chat = ok({ ...minimal, rawUsage: { prompt_tokens: 10, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 4 } } });
    expect(chat.usage).toEqual({ ...zeroUsage(), inputTokens: 6, cacheReadTokens: 4, outputTokens: 3 });
  });

  it("lets a gpu event omit requestId when it names a pool", () => {
    const e = ok({ id: "g1", timestamp: "2025-03-04T10:00:00Z", kind: "gpu", pool: "h100-us", gpuSeconds: 3600, costUsd: "12.5" });
    expect([e.requestId, e.pool, e.gpuSeconds, e.costUsd]).toEqual([null, "h100-us", 3600, "12.5"]);
  });

  it("keeps sub-millisecond digits out of the Date by truncating, and applies negative offsets", () => {
    expect(ok({ ...minimal, timestamp: "2025-03-04T10:11:12.123999999Z" }).timestamp.toISOString()).toBe("2025-03-04T10:11:12.123Z");
    expect(ok({ ...minimal, timestamp: "2025-03-04T20:00:00-0530" }).timestamp.toISOString()).toBe("2025-03-05T01:30:00.000Z");
  });

  it("accepts 29 February in a leap year", () => {
    expect(ok({ ...minimal, timestamp: "2024-02-29T00:00:00Z" }).timestamp.toISOString()).toBe("2024-02-29T00:00:00.000Z");
  });
});

describe("costUsd exactness", () => {
  it.each([
    ["0.1", "0.1"],
    ["0.10", "0.1"],
    ["000.5", "0.5"],
    ["12", "12"],
    ["0.000000000001", "0.000000000001"],
    ["123456789012345678.999999999999", "123456789012345678.999999999999"],
    [0.1, "0.1"],
    [1e-7, "0.0000001"],
    [2.5e-11, "0.000000000025"],
    [42, "42"],
    [0, "0"],
  ])("keeps %j as the exact decimal string %s", (input, expected) => {
    expect(ok({ ...minimal, costUsd: input }).costUsd).toBe(expected);
  });

  it.each([
    ["-0.1", /must not be negative/],
    [-1, /must not be negative/],
    ["1e-7", /plain decimal string/],
    [" 0.1", /plain decimal string/],
    ["abc", /plain decimal string/],
    ["0.0000000000001", /13 decimal places; at most 12/],
    [0.1 + 0.2, /17 decimal places; at most 12/],
    [Number.POSITIVE_INFINITY, /finite/],
    [true, /decimal string or a number/],
    ["1000000000000000000", /less than 1e18/],
  ])("rejects costUsd %j", (input, message) => {
    expect(errorsOf({ ...minimal, costUsd: input })).toEqual([{ path: "events.0.costUsd", message: expect.stringMatching(message) }]);
  });
});

describe("parseEvent rejects each invalid field with its path", () => {
  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ["missing id", { id: undefined }, "id", /id is required/],
    ["empty id", { id: "" }, "id", /must not be empty/],
    ["overlong id", { id: "x".repeat(256) }, "id", /at most 255/],
    ["numeric id", { id: 7 }, "id", /id must be a string/],
    ["missing timestamp", { timestamp: undefined }, "timestamp", /timestamp is required/],
    ["timestamp without zone", { timestamp: "2025-03-04T10:11:12" }, "timestamp", /with a zone/],
    ["date-only timestamp", { timestamp: "2025-03-04" }, "timestamp", /with a zone/],
    ["30 February", { timestamp: "2025-02-30T00:00:00Z" }, "timestamp", /not a real date/],
    ["29 February outside a leap year", { timestamp: "2025-02-29T00:00:00Z" }, "timestamp", /not a real date/],
    ["hour 24", { timestamp: "2025-03-04T24:00:00Z" }, "timestamp", /not a real date/],
    ["epoch number timestamp", { timestamp: 1741083072000 }, "timestamp", /must be a string/],
    ["missing requestId", { requestId: undefined }, "requestId", /requestId is required/],
    ["overlong tag", { feature: "f".repeat(201) }, "feature", /at most 200/],
    ["numeric tag", { team: 5 }, "team", /team must be a string/],
    ["unknown kind", { kind: "chat" }, "kind", /kind must be one of llm, embedding, retrieval, tool, gpu, other/],
    ["overlong model", { model: "m".repeat(201) }, "model", /at most 200/],
    ["unknown status", { status: "failed" }, "status", /status must be one of ok, error/],
    ["zero attempt", { attempt: 0 }, "attempt", /1 or more/],
    ["fractional attempt", { attempt: 1.5 }, "attempt", /whole number/],
    ["attempt beyond the integer column", { attempt: 2_147_483_648 }, "attempt", /at most 2147483647/],
    ["NUL in an id", { id: "a\u0000b" }, "id", /NUL characters or unpaired/],
    ["unpaired surrogate in a requestId", { requestId: "r\ud800" }, "requestId", /NUL characters or unpaired/],
    ["NUL in a tag", { cohort: "pro\u0000" }, "cohort", /NUL characters or unpaired/],
    ["a service tier with spaces", { serviceTier: "very fast" }, "serviceTier", /serviceTier must be lowercase letters/],
    ["a numeric service tier", { serviceTier: 2 }, "serviceTier", /serviceTier must be a string/],
    ["a negative tool-call count", { toolCalls: { webSearch: -1 } }, "toolCalls", /toolCalls.webSearch must be a whole number/],
    ["a snake_case tool kind", { toolCalls: { web_search: 1 } }, "toolCalls", /camelCase tool kind/],
    ["audio input larger than the input", { usage: { inputTokens: 10, audioInputTokens: 11 } }, "usage.audioInputTokens", /exceed inputTokens \(10\)/],
    ["audio output larger than the output", { usage: { outputTokens: 1, audioOutputTokens: 2 } }, "usage.audioOutputTokens", /exceed outputTokens \(1\)/],
    ["a fractional modality count", { usage: { inputTokens: 10, imageInputTokens: 1.5 } }, "usage.imageInputTokens", /whole number/],
    ["unpaired low surrogate in a model", { model: "\udfffx" }, "model", /NUL characters or unpaired/],
    ["NUL in a metadata value", { metadata: { a: ["x\u0000"] } }, "metadata", /metadata keys and strings must not contain NUL/],
    ["unpaired surrogate in a metadata key", { metadata: { nested: { "\udfff": 1 } } }, "metadata", /metadata keys and strings must not contain NUL/],
    ["negative latency", { latencyMs: -1 }, "latencyMs", /must not be negative/],
    ["string latency", { latencyMs: "10" }, "latencyMs", /finite number/],
    ["negative usage bucket", { usage: { inputTokens: -5 } }, "usage.inputTokens", /must not be negative, got -5/],
    ["fractional usage bucket", { usage: { outputTokens: 2.5 } }, "usage.outputTokens", /whole number/],
    ["unknown usage bucket", { usage: { cachedTokens: 5 } }, "usage.cachedTokens", /unknown field "cachedTokens"/],
    ["usage that is not an object", { usage: 12 }, "usage", /usage must be an object/],
    ["metadata array", { metadata: [1, 2] }, "metadata", /must be a JSON object/],
    ["oversized metadata", { metadata: { blob: "x".repeat(4100) } }, "metadata", /bytes as JSON; the limit is 4096/],
    ["gpuSeconds on an llm event", { gpuSeconds: 10 }, "gpuSeconds", /only allowed when kind is "gpu"/],
    [
      "bad rawUsage",
      { rawUsage: { prompt_tokens: 100, completion_tokens: 0, prompt_tokens_details: { cached_tokens: 120 } } },
      "rawUsage.prompt_tokens_details.cached_tokens",
      /cached_tokens \(120\) exceeds prompt_tokens \(100\)/,
    ],
  ])("%s", (_name, change, path, message) => {
    const errors = errorsOf({ ...minimal, ...change }, 3);
    expect(errors).toEqual([{ path: `events.3.${path}`, message: expect.stringMatching(message) }]);
  });

  it("accepts any well-formed Unicode (emoji, combining marks, right-to-left) in ids, tags and metadata", () => {
    const r = parseEvent({ ...minimal, id: "evt_🙂_e\u0301", cohort: "日本語 \u202eltr", metadata: { "🙂": "\ud83d\ude00", k: ["\uffff"] } }, 0);
    expect(r.ok).toBe(true);
  });

  it("requires a pool on gpu events", () => {
    expect(errorsOf({ id: "g", timestamp: "2025-03-04T10:00:00Z", kind: "gpu", pool: " " })).toEqual([
      { path: "events.0.pool", message: 'pool is required when kind is "gpu"' },
    ]);
  });

  it("rejects usage and rawUsage together with one error naming both", () => {
    const errors = errorsOf({ ...minimal, usage: { inputTokens: 1 }, rawUsage: { prompt_tokens: 1 } });
    expect(errors).toHaveLength(1);
    expect(errors[0]?.path).toBe("events.0.usage");
    expect(errors[0]?.message).toMatch(/usage and rawUsage are both set/);
  });

  it("names an unknown top-level key and suggests the field it was probably meant to be", () => {
    expect(errorsOf({ ...minimal, requestID: "r" }, 7)).toEqual([
      { path: "events.7.requestID", message: 'unknown field "requestID"; did you mean "requestId"?' },
    ]);
    expect(errorsOf({ ...minimal, cost_usd: "1" })[0]?.message).toBe('unknown field "cost_usd"; did you mean "costUsd"?');
    expect(errorsOf({ ...minimal, zzzzzzzz: 1 })[0]?.message).toBe('unknown field "zzzzzzzz"');
  });

  it("reports all problems of an event together", () => {
    const paths = errorsOf({ id: "", timestamp: "yesterday", attempt: -1, bogus: true }).map((e) => e.path);
    expect(paths.sort()).toEqual(["events.0.attempt", "events.0.bogus", "events.0.id", "events.0.requestId", "events.0.timestamp"]);
  });

  it.each([null, "event", 42, [minimal]])("rejects a non-object event %j at the event's own path", (raw) => {
    expect(errorsOf(raw, 2)).toEqual([{ path: "events.2", message: expect.stringContaining("event must be an object") }]);
  });
});

describe("contentFingerprint", () => {
  it("is a sha256 hex digest", () => {
    expect(contentFingerprint(ok(full))).toMatch(/^[0-9a-f]{64}$/);
  });

  it("is the same for a re-send that differs only in key order, spelling of the same cost or tag whitespace", () => {
    const reordered = {
      metadata: { tags: ["x", 1, null], region: "eu-west-1" },
      ...Object.fromEntries(Object.entries(full).reverse()),
      costUsd: "0.0001230",
      endpoint: "/v1/chat",
    };
    expect(contentFingerprint(ok(reordered))).toBe(contentFingerprint(ok(full)));
  });

  it("is the same when canonical usage and equivalent rawUsage are sent", () => {
    const canonical = ok({ ...minimal, usage: { inputTokens: 6, cacheReadTokens: 4, outputTokens: 3 } });
    const raw = ok({ ...minimal, rawUsage: { prompt_tokens: 10, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 4 } } });
    expect(contentFingerprint(raw)).toBe(contentFingerprint(canonical));
  });

  it.each<[string, Record<string, unknown>]>([
    ["cost", { costUsd: "0.000124" }],
    ["a usage bucket", { usage: { ...full.usage, outputTokens: 31 } }],
    ["the timestamp by one millisecond", { timestamp: "2025-03-04T10:11:12.346+01:00" }],
    ["a metadata value", { metadata: { region: "eu-west-2", tags: ["x", 1, null] } }],
    ["the status", { status: "ok" }],
  ])("changes when %s changes", (_name, change) => {
    expect(contentFingerprint(ok({ ...full, ...change }))).not.toBe(contentFingerprint(ok(full)));
  });
});
