// Provider usage normalisers and shape detection: disjoint buckets, and per-field errors instead of exceptions.
import { describe, expect, it } from "vitest";
import { normaliseAnthropicUsage } from "@/lib/ingest/normalise-anthropic-usage";
import { normaliseGeminiUsage } from "@/lib/ingest/normalise-gemini-usage";
import { normaliseOpenAIChatUsage, normaliseOpenAIResponsesUsage } from "@/lib/ingest/normalise-openai-usage";
import { normaliseRawUsage } from "@/lib/ingest/normalise-raw-usage";
import { totalTokens, zeroUsage } from "@/lib/ingest/usage";

const usage = (buckets: Partial<ReturnType<typeof zeroUsage>>) => ({ ...zeroUsage(), ...buckets });

describe("OpenAI Chat Completions usage", () => {
  it("takes cached tokens out of OpenAI's prompt count", () => {
    const r = normaliseOpenAIChatUsage({ prompt_tokens: 100, completion_tokens: 0, prompt_tokens_details: { cached_tokens: 60 } });
    expect(r).toEqual({ ok: true, usage: usage({ inputTokens: 40, cacheReadTokens: 60 }), extras: { audioInputTokens: 0, audioOutputTokens: 0, unknownUsage: null } });
  });

  it("takes reasoning tokens out of OpenAI's completion count", () => {
    const r = normaliseOpenAIChatUsage({ prompt_tokens: 0, completion_tokens: 50, completion_tokens_details: { reasoning_tokens: 30 } });
    expect(r).toEqual({ ok: true, usage: usage({ outputTokens: 20, reasoningTokens: 30 }), extras: { audioInputTokens: 0, audioOutputTokens: 0, unknownUsage: null } });
  });

  it("leaves audio and predicted-output tokens inside input and output rather than counting them twice, and reports audio as parts", () => {
    const r = normaliseOpenAIChatUsage({
      prompt_tokens: 100,
      completion_tokens: 40,
      total_tokens: 140,
      prompt_tokens_details: { audio_tokens: 70 },
      completion_tokens_details: { audio_tokens: 10, accepted_prediction_tokens: 5, rejected_prediction_tokens: 3 },
    });
    expect(r.ok && r.usage).toEqual(usage({ inputTokens: 100, outputTokens: 40 }));
    expect(r.ok && r.extras).toEqual({ audioInputTokens: 70, audioOutputTokens: 10, unknownUsage: null });
  });

  it("refuses audio input that cannot be uncached: more audio than the prompt's uncached part", () => {
    const r = normaliseOpenAIChatUsage({ prompt_tokens: 100, completion_tokens: 0, prompt_tokens_details: { cached_tokens: 50, audio_tokens: 60 } });
    expect(!r.ok && r.errors.map((e) => e.path)).toEqual(["rawUsage.prompt_tokens_details.audio_tokens"]);
  });

  it("refuses audio output that overlaps reasoning: more than the visible completion", () => {
    const r = normaliseOpenAIChatUsage({ prompt_tokens: 0, completion_tokens: 40, completion_tokens_details: { reasoning_tokens: 35, audio_tokens: 10 } });
    expect(!r.ok && r.errors.map((e) => e.path)).toEqual(["rawUsage.completion_tokens_details.audio_tokens"]);
  });

  it("treats null details, as OpenAI-compatible servers send them, as absent", () => {
    const r = normaliseOpenAIChatUsage({ prompt_tokens: 9, completion_tokens: 1, prompt_tokens_details: null, completion_tokens_details: null });
    expect(r.ok && r.usage).toEqual(usage({ inputTokens: 9, outputTokens: 1 }));
  });

  it("rejects cached tokens that exceed the prompt, naming the nested field", () => {
    const r = normaliseOpenAIChatUsage({ prompt_tokens: 100, completion_tokens: 0, prompt_tokens_details: { cached_tokens: 120 } });
    expect(r).toEqual({
      ok: false,
      errors: [{ path: "rawUsage.prompt_tokens_details.cached_tokens", message: "cached_tokens (120) exceeds prompt_tokens (100)" }],
    });
  });

  it("rejects reasoning tokens that exceed the completion", () => {
    const r = normaliseOpenAIChatUsage({ prompt_tokens: 1, completion_tokens: 10, completion_tokens_details: { reasoning_tokens: 11 } });
    expect(!r.ok && r.errors).toEqual([
      { path: "rawUsage.completion_tokens_details.reasoning_tokens", message: "reasoning_tokens (11) exceeds completion_tokens (10)" },
    ]);
  });

  it("rejects a total_tokens that is not prompt + completion, since the shape was then misread", () => {
    const r = normaliseOpenAIChatUsage({ prompt_tokens: 10, completion_tokens: 5, total_tokens: 20 });
    expect(!r.ok && r.errors).toEqual([
      { path: "rawUsage.total_tokens", message: "total_tokens (20) does not equal prompt_tokens + completion_tokens (15)" },
    ]);
  });

  it("reports every bad count at once, each under its own path", () => {
    const r = normaliseOpenAIChatUsage({ prompt_tokens: -1, completion_tokens: 1.5, total_tokens: "7", prompt_tokens_details: 3 });
    expect(!r.ok && r.errors.map((e) => e.path)).toEqual([
      "rawUsage.prompt_tokens",
      "rawUsage.completion_tokens",
      "rawUsage.prompt_tokens_details",
      "rawUsage.total_tokens",
    ]);
    expect(!r.ok && r.errors.map((e) => e.message)).toEqual([
      "prompt_tokens must not be negative, got -1",
      "completion_tokens must be a whole number, got 1.5",
      "prompt_tokens_details must be an object, got 3",
      'total_tokens must be a number, got the string "7"',
    ]);
  });

  it("rejects counts beyond the safe integer range instead of rounding them", () => {
    const r = normaliseOpenAIChatUsage({ prompt_tokens: 2 ** 53 + 2, completion_tokens: 0 });
    expect(!r.ok && r.errors[0]?.path).toBe("rawUsage.prompt_tokens");
  });
});

describe("OpenAI Responses usage", () => {
  it("takes cached input and reasoning output out of their parent counts", () => {
    const r = normaliseOpenAIResponsesUsage({
      input_tokens: 1000,
      input_tokens_details: { cached_tokens: 800 },
      output_tokens: 300,
      output_tokens_details: { reasoning_tokens: 256 },
      total_tokens: 1300,
    });
    expect(r.ok && r.usage).toEqual(usage({ inputTokens: 200, cacheReadTokens: 800, outputTokens: 44, reasoningTokens: 256 }));
  });

  it("names input_tokens, not prompt_tokens, when cached tokens exceed it", () => {
    const r = normaliseOpenAIResponsesUsage({ input_tokens: 5, output_tokens: 0, input_tokens_details: { cached_tokens: 6 } });
    expect(!r.ok && r.errors).toEqual([
      { path: "rawUsage.input_tokens_details.cached_tokens", message: "cached_tokens (6) exceeds input_tokens (5)" },
    ]);
  });
});

describe("Anthropic usage", () => {
  it("adds cache reads and writes on top of input_tokens without subtracting", () => {
    const r = normaliseAnthropicUsage({ input_tokens: 10, cache_read_input_tokens: 500, cache_creation_input_tokens: 200, output_tokens: 7 });
    expect(r.ok && r.usage).toEqual(usage({ inputTokens: 10, cacheReadTokens: 500, cacheWriteTokens: 200, outputTokens: 7 }));
  });

  it("splits cache writes into 5-minute and 1-hour buckets from the cache_creation breakdown", () => {
    const r = normaliseAnthropicUsage({
      input_tokens: 3,
      cache_creation_input_tokens: 300,
      cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 200 },
      output_tokens: 1,
    });
    expect(r.ok && r.usage).toEqual(usage({ inputTokens: 3, cacheWriteTokens: 100, cacheWrite1hTokens: 200, outputTokens: 1 }));
  });

  it("keeps thinking inside output because Anthropic reports no separate count", () => {
    const r = normaliseAnthropicUsage({ input_tokens: 1, output_tokens: 4000 });
    expect(r.ok && [r.usage.outputTokens, r.usage.reasoningTokens]).toEqual([4000, 0]);
  });

  it("rejects a cache_creation breakdown that disagrees with cache_creation_input_tokens", () => {
    const r = normaliseAnthropicUsage({
      input_tokens: 1,
      output_tokens: 1,
      cache_creation_input_tokens: 300,
      cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 100 },
    });
    expect(!r.ok && r.errors[0]?.path).toBe("rawUsage.cache_creation");
    expect(!r.ok && r.errors[0]?.message).toContain("(200) does not equal cache_creation_input_tokens (300)");
  });

  it("reports a bad 1-hour count under its nested path", () => {
    const r = normaliseAnthropicUsage({ input_tokens: 1, output_tokens: 1, cache_creation: { ephemeral_1h_input_tokens: "x" } });
    expect(!r.ok && r.errors.map((e) => e.path)).toEqual(["rawUsage.cache_creation.ephemeral_1h_input_tokens"]);
  });
});

describe("Gemini usage", () => {
  it("takes cached content out of the prompt count and adds the tool-use prompt to input", () => {
    const r = normaliseGeminiUsage({ promptTokenCount: 100, cachedContentTokenCount: 30, toolUsePromptTokenCount: 5, candidatesTokenCount: 10, totalTokenCount: 115 });
    expect(r.ok && r.usage).toEqual(usage({ inputTokens: 75, cacheReadTokens: 30, outputTokens: 10 }));
  });

  it("bills thoughts as reasoning beside the candidates, not inside them", () => {
    const r = normaliseGeminiUsage({ promptTokenCount: 10, candidatesTokenCount: 5, thoughtsTokenCount: 100, totalTokenCount: 115 });
    expect(r.ok && r.usage).toEqual(usage({ inputTokens: 10, outputTokens: 5, reasoningTokens: 100 }));
  });

  it("takes thoughts out of the candidates when the reported total shows they were counted inside", () => {
    const r = normaliseGeminiUsage({ promptTokenCount: 10, candidatesTokenCount: 105, thoughtsTokenCount: 100, totalTokenCount: 115 });
    expect(r.ok && r.usage).toEqual(usage({ inputTokens: 10, outputTokens: 5, reasoningTokens: 100 }));
  });

  it("accepts usageMetadata wrapped in the response object and reports paths inside the wrapper", () => {
    const ok = normaliseGeminiUsage({ usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 2 } });
    expect(ok.ok && ok.usage).toEqual(usage({ inputTokens: 4, outputTokens: 2 }));
    const bad = normaliseGeminiUsage({ usageMetadata: { promptTokenCount: 4, cachedContentTokenCount: 9 } });
    expect(!bad.ok && bad.errors).toEqual([
      { path: "rawUsage.usageMetadata.cachedContentTokenCount", message: "cachedContentTokenCount (9) exceeds promptTokenCount (4)" },
    ]);
  });

  it("rejects a wrapper whose usageMetadata is not an object instead of reading it as zero usage", () => {
    const r = normaliseGeminiUsage({ usageMetadata: 12 });
    expect(!r.ok && r.errors[0]?.path).toBe("rawUsage.usageMetadata");
  });

  it("rejects a totalTokenCount that neither reading of thoughts explains", () => {
    const r = normaliseGeminiUsage({ promptTokenCount: 10, candidatesTokenCount: 5, thoughtsTokenCount: 1, totalTokenCount: 99 });
    expect(!r.ok && r.errors[0]?.path).toBe("rawUsage.totalTokenCount");
  });
});

describe("normaliseRawUsage shape detection", () => {
  it.each([
    [{ prompt_tokens: 1, completion_tokens: 2 }, "openai-chat"],
    [{ input_tokens: 1, output_tokens: 2, total_tokens: 3 }, "openai-responses"],
    [{ input_tokens: 1, output_tokens: 2, input_tokens_details: { cached_tokens: 0 } }, "openai-responses"],
    [{ input_tokens: 1, output_tokens: 2, cache_read_input_tokens: 0 }, "anthropic"],
    [{ promptTokenCount: 1, candidatesTokenCount: 2 }, "gemini"],
    [{ usageMetadata: { promptTokenCount: 1 } }, "gemini"],
  ])("recognises %j as %s by its keys", (raw, shape) => {
    const r = normaliseRawUsage(raw);
    expect(r.ok && r.shape).toBe(shape);
  });

  it("lets keys win over the provider hint, since gateways send one vendor's shape for another's model", () => {
    const r = normaliseRawUsage({ prompt_tokens: 10, completion_tokens: 2 }, "anthropic");
    expect(r.ok && r.shape).toBe("openai-chat");
  });

  it("uses the provider hint for bare input_tokens/output_tokens", () => {
    const anthropic = normaliseRawUsage({ input_tokens: 10, output_tokens: 2 }, "Anthropic");
    const openai = normaliseRawUsage({ input_tokens: 10, output_tokens: 2 }, "openai");
    expect([anthropic.ok && anthropic.shape, openai.ok && openai.shape]).toEqual(["anthropic", "openai-responses"]);
    expect(anthropic.ok && openai.ok && anthropic.usage).toEqual(openai.ok && openai.usage);
  });

  it("uses the provider hint to settle an object mixing two shapes, and refuses to guess without one", () => {
    const mixed = { prompt_tokens: 10, completion_tokens: 2, promptTokenCount: 10, candidatesTokenCount: 2 };
    const hinted = normaliseRawUsage(mixed, "google");
    expect(hinted.ok && hinted.shape).toBe("gemini");
    const unhinted = normaliseRawUsage(mixed);
    expect(!unhinted.ok && unhinted.errors[0]?.message).toMatch(/mixes fields of several usage shapes \(openai-chat, gemini\)/);
  });

  it("rejects an object with no recognised token counts", () => {
    const r = normaliseRawUsage({ tokens: 5 });
    expect(!r.ok && r.errors[0]).toMatchObject({ path: "rawUsage", message: expect.stringContaining("no recognised token counts") });
  });

  it.each([null, 5, "usage", [], undefined])("rejects a non-object %j with an error instead of throwing", (raw) => {
    const r = normaliseRawUsage(raw);
    expect(!r.ok && r.errors[0]?.path).toBe("rawUsage");
  });

  it("reports the example error from the ingest contract", () => {
    const r = normaliseRawUsage({ prompt_tokens: 100, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 120 } }, "openai");
    expect(r).toEqual({
      ok: false,
      errors: [{ path: "rawUsage.prompt_tokens_details.cached_tokens", message: "cached_tokens (120) exceeds prompt_tokens (100)" }],
    });
  });

  it("never counts a token twice: buckets sum to prompt + completion", () => {
    const r = normaliseRawUsage({
      prompt_tokens: 1234,
      completion_tokens: 567,
      prompt_tokens_details: { cached_tokens: 1000 },
      completion_tokens_details: { reasoning_tokens: 500 },
    });
    expect(r.ok && totalTokens(r.usage)).toBe(1234 + 567);
  });
});

describe("served tier, tool calls and modality counts", () => {
  it("reads Anthropic's served tier and server tool requests as tool-call counts", () => {
    const r = normaliseAnthropicUsage({
      input_tokens: 1200,
      output_tokens: 300,
      service_tier: "Batch",
      server_tool_use: { web_search_requests: 2, web_fetch_requests: 0 },
    });
    expect(r.ok && r.usage).toEqual(usage({ inputTokens: 1200, outputTokens: 300 }));
    expect(r.ok && r.extras).toEqual({ serviceTier: "batch", toolCalls: { webSearch: 2 }, unknownUsage: null });
  });

  it("refuses a served tier that is not a name and a tool count that is not a count, naming the field", () => {
    const r = normaliseAnthropicUsage({ input_tokens: 1, output_tokens: 1, service_tier: 7, server_tool_use: { web_search_requests: -1 } });
    expect(!r.ok && r.errors.map((e) => e.path).sort()).toEqual(["rawUsage.server_tool_use.web_search_requests", "rawUsage.service_tier"]);
  });

  it("takes Gemini's uncached AUDIO prompt count as audio input, other modalities staying text", () => {
    const r = normaliseGeminiUsage({
      promptTokenCount: 3000,
      cachedContentTokenCount: 1000,
      candidatesTokenCount: 200,
      totalTokenCount: 3200,
      promptTokensDetails: [{ modality: "TEXT", tokenCount: 500 }, { modality: "AUDIO", tokenCount: 2000 }, { modality: "IMAGE", tokenCount: 500 }],
      cacheTokensDetails: [{ modality: "AUDIO", tokenCount: 800 }, { modality: "TEXT", tokenCount: 200 }],
    });
    expect(r.ok && r.usage).toEqual(usage({ inputTokens: 2000, cacheReadTokens: 1000, outputTokens: 200 }));
    expect(r.ok && r.extras).toEqual({ audioInputTokens: 1200, audioOutputTokens: 0, unknownUsage: null });
  });

  it("refuses a Gemini AUDIO count that does not fit in the prompt", () => {
    const r = normaliseGeminiUsage({ promptTokenCount: 100, candidatesTokenCount: 0, promptTokensDetails: [{ modality: "AUDIO", tokenCount: 101 }] });
    expect(!r.ok && r.errors.map((e) => e.path)).toEqual(["rawUsage.promptTokensDetails"]);
  });

  it("reads the served tier of a whole OpenAI response and prices its usage object", () => {
    const r = normaliseRawUsage({ id: "chatcmpl-1", service_tier: "flex", usage: { prompt_tokens: 100, completion_tokens: 20, prompt_tokens_details: { cached_tokens: 40 } } }, "openai");
    expect(r.ok && r.shape).toBe("openai-chat");
    expect(r.ok && r.usage).toEqual(usage({ inputTokens: 60, cacheReadTokens: 40, outputTokens: 20 }));
    expect(r.ok && r.extras).toMatchObject({ serviceTier: "flex" });
  });

  it("reports counts it cannot place as unknown usage, by path, and ignores fields that are not counts", () => {
    const openai = normaliseOpenAIChatUsage({
      prompt_tokens: 100,
      completion_tokens: 10,
      prompt_tokens_details: { cached_tokens: 0, image_tokens: 40, text_tokens: 0 },
      cost: 0.0012,
      cost_details: { upstream_inference_cost: 0.001 },
    });
    expect(openai.ok && openai.extras?.unknownUsage).toEqual({ "prompt_tokens_details.image_tokens": 40 });
    const anthropic = normaliseAnthropicUsage({ input_tokens: 5, output_tokens: 1, inference_geo: "us", server_tool_use: { code_execution_requests: 1 }, cache_creation: { ephemeral_30m_input_tokens: 7 } });
    expect(anthropic.ok && anthropic.extras?.unknownUsage).toEqual({ "cache_creation.ephemeral_30m_input_tokens": 7 });
    const gemini = normaliseGeminiUsage({ promptTokenCount: 5, candidatesTokenCount: 1, trafficType: "ON_DEMAND", futureTokenCount: 3 });
    expect(gemini.ok && gemini.extras?.unknownUsage).toEqual({ futureTokenCount: 3 });
  });

  it("names the nested usage field when a whole response carries a bad count", () => {
    const r = normaliseRawUsage({ service_tier: "priority", usage: { prompt_tokens: -1, completion_tokens: 0 } }, "openai");
    expect(!r.ok && r.errors.map((e) => e.path)).toEqual(["rawUsage.usage.prompt_tokens"]);
  });
});
