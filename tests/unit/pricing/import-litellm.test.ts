// LiteLLM price-file import: exact per-MTok conversion, provider prefixes, and per-key reasons instead of exceptions.
import { readFileSync } from "node:fs";
import path from "node:path";
import Decimal from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { importLiteLlm, perTokenToPerMTok } from "@/lib/pricing/import-litellm";

const fixturePath = path.resolve(import.meta.dirname, "../../fixtures/litellm-excerpt.json");
const fixtureText = readFileSync(fixturePath, "utf8");
const fixture: unknown = JSON.parse(fixtureText);
const options = { effectiveFrom: new Date("2025-11-01T00:00:00Z") };
const result = importLiteLlm(fixture, options);
const find = (provider: string, model: string) => {
  const e = result.entries.find((x) => x.provider === provider && x.model === model);
  if (!e) throw new Error(`not imported: ${provider}/${model}`);
  return e;
};

describe("importLiteLlm on a real excerpt", () => {
  it("imports the five token-priced models and skips the rest with reasons", () => {
    expect(result.entries.map((e) => `${e.provider}/${e.model}`).sort()).toEqual([
      "anthropic/claude-sonnet-4-5-20250929",
      "gemini/gemini-2.5-pro",
      "openai/gpt-4.1-mini",
      "openai/gpt-4o",
      "openai/text-embedding-3-small",
    ]);
    expect(result.skipped).toEqual([
      { key: "sample_spec", reason: expect.stringMatching(/not a model/) },
      { key: "standard/1024-x-1024/dall-e-3", reason: expect.stringMatching(/no input_cost_per_token \(mode image_generation/) },
    ]);
  });

  it("converts per-token costs to exact per-MTok rates, where float multiplication would not", () => {
    expect(4e-7 * 1e6).not.toBe(0.4);
    expect(1.6e-6 * 1e6).not.toBe(1.6);
    expect(find("openai", "gpt-4.1-mini")).toMatchObject({ inputPerMTok: "0.4", cacheReadPerMTok: "0.1", outputPerMTok: "1.6" });
    expect(find("openai", "gpt-4o")).toMatchObject({ inputPerMTok: "2.5", cacheReadPerMTok: "1.25", outputPerMTok: "10" });
    expect(find("openai", "text-embedding-3-small")).toMatchObject({ inputPerMTok: "0.02", outputPerMTok: "0" });
  });

  it("maps Anthropic cache-creation costs to the 5-minute and 1-hour write rates", () => {
    expect(find("anthropic", "claude-sonnet-4-5-20250929")).toMatchObject({
      inputPerMTok: "3",
      cacheReadPerMTok: "0.3",
      cacheWritePerMTok: "3.75",
      cacheWrite1hPerMTok: "6",
      outputPerMTok: "15",
    });
  });

  it("splits a provider prefix off the key and keeps the reasoning rate", () => {
    expect(find("gemini", "gemini-2.5-pro")).toMatchObject({ inputPerMTok: "1.25", cacheReadPerMTok: "0.3125", reasoningPerMTok: "10" });
  });

  it("leaves cache-write rates unset where the file has none", () => {
    expect(find("openai", "gpt-4o").cacheWritePerMTok).toBeNull();
  });

  it("maps above-200k prices to a long-context tier instead of dropping them", () => {
    expect(find("anthropic", "claude-sonnet-4-5-20250929").tiers).toEqual([
      {
        aboveTokens: 200_000,
        inputPerMTok: "6",
        cacheReadPerMTok: "0.6",
        cacheWritePerMTok: "7.5",
        cacheWrite1hPerMTok: null,
        outputPerMTok: "22.5",
        reasoningPerMTok: null,
        toolOutputPerMTok: null,
        modalityRates: null,
      },
    ]);
    // The file gives no cache-read rate above 200k for Gemini 2.5 Pro: it stays unset, never defaulted.
    expect(find("gemini", "gemini-2.5-pro").tiers).toMatchObject([{ aboveTokens: 200_000, inputPerMTok: "2.5", outputPerMTok: "15", cacheReadPerMTok: null }]);
    expect(result.warnings.filter((w) => /tier|above_200k/.test(w.message))).toEqual([]);
  });

  it("maps batch and priority prices to service tiers: a multiplier when every rate is the same multiple, explicit rates otherwise", () => {
    expect(find("openai", "gpt-4o").serviceTiers).toEqual({ batch: { multiplier: "0.5", rates: null } });
    expect(find("openai", "gpt-4.1-mini").serviceTiers).toEqual({
      batch: { multiplier: "0.5", rates: null },
      priority: { multiplier: "1.75", rates: null },
    });
    expect(find("openai", "text-embedding-3-small").serviceTiers).toEqual({ batch: { multiplier: "0.5", rates: null } });
  });

  it("maps one search price for every context size to the webSearch fee per call", () => {
    expect(find("anthropic", "claude-sonnet-4-5-20250929").toolFees).toEqual({ webSearch: "0.01" });
    expect(result.warnings.filter((w) => /cost fields not modelled/.test(w.message))).toEqual([]);
  });

  it("maps flex rates that are not one multiple, file search per 1,000 calls, audio tokens, and warns about size-dependent search prices", () => {
    const one = importLiteLlm(
      {
        "gpt-x": {
          litellm_provider: "openai",
          input_cost_per_token: 1e-6,
          cache_read_input_token_cost: 1e-7,
          output_cost_per_token: 4e-6,
          input_cost_per_token_flex: 5e-7,
          cache_read_input_token_cost_flex: 3e-8,
          output_cost_per_token_flex: 2e-6,
          input_cost_per_token_priority: 2e-6,
          file_search_cost_per_1k_calls: 2.5,
          input_cost_per_audio_token: 4e-5,
          output_cost_per_audio_token: 8e-5,
          search_context_cost_per_query: { search_context_size_low: 0.025, search_context_size_medium: 0.0275, search_context_size_high: 0.03 },
        },
      },
      options,
    );
    expect(one.entries[0]).toMatchObject({
      serviceTiers: { flex: { multiplier: null, rates: { inputPerMTok: "0.5", cacheReadPerMTok: "0.03", outputPerMTok: "2" } } },
      toolFees: { fileSearch: "0.0025" },
      modalityRates: { audioInputPerMTok: "40", audioOutputPerMTok: "80", imageInputPerMTok: null },
    });
    expect(one.warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/service tier priority ignored .*needs both an input and an output rate/),
      expect.stringMatching(/search_context_cost_per_query differs by search context size/),
    ]);
  });

  it("stamps the given effective date, version and provenance on every entry", () => {
    const e = find("openai", "gpt-4o");
    expect(e.effectiveFrom.toISOString()).toBe("2025-11-01T00:00:00.000Z");
    expect(e.version).toBe(1);
    expect(e.source).toBe("LiteLLM model_prices_and_context_window.json [gpt-4o]");
  });

  it("accepts the file's text as well as parsed JSON", () => {
    expect(importLiteLlm(fixtureText, options).entries).toEqual(result.entries);
  });
});

describe("importLiteLlm on bad input", () => {
  it("reports a non-object file instead of throwing", () => {
    expect(importLiteLlm([1, 2], options)).toEqual({ entries: [], skipped: [{ key: "(file)", reason: expect.any(String) }], warnings: [] });
    expect(importLiteLlm("{not json", options).skipped[0]?.reason).toMatch(/not valid JSON/);
    expect(importLiteLlm(null, options).skipped).toHaveLength(1);
  });

  it("skips a key with a malformed or negative rate, naming the field", () => {
    const r = importLiteLlm(
      {
        a: { litellm_provider: "openai", input_cost_per_token: "cheap", output_cost_per_token: 1e-6 },
        b: { litellm_provider: "openai", input_cost_per_token: 1e-6, output_cost_per_token: -1e-6 },
        c: { litellm_provider: "openai", input_cost_per_token: 1e-6, output_cost_per_token: 1e-6, cache_read_input_token_cost: {} },
        d: "nope",
        e: { input_cost_per_token: 1e-6, output_cost_per_token: 1e-6 },
      },
      options,
    );
    expect(r.entries).toEqual([]);
    expect(r.skipped).toEqual([
      { key: "a", reason: "input_cost_per_token is not a finite number" },
      { key: "b", reason: "output_cost_per_token is negative" },
      { key: "c", reason: "cache_read_input_token_cost is not a finite number" },
      { key: "d", reason: "value is not an object" },
      { key: "e", reason: "no litellm_provider and no provider prefix in the key" },
    ]);
  });

  it("keeps the first of two keys naming the same provider/model", () => {
    const r = importLiteLlm(
      {
        "claude-x": { litellm_provider: "anthropic", input_cost_per_token: 1e-6, output_cost_per_token: 5e-6 },
        "anthropic/claude-x": { litellm_provider: "anthropic", input_cost_per_token: 2e-6, output_cost_per_token: 5e-6 },
      },
      options,
    );
    expect(r.entries).toHaveLength(1);
    expect(r.entries[0]?.inputPerMTok).toBe("1");
    expect(r.skipped).toEqual([{ key: "anthropic/claude-x", reason: expect.stringMatching(/duplicate of "claude-x"/) }]);
  });

  it("folds LiteLLM's routing variants of a provider", () => {
    const r = importLiteLlm(
      { "gemini-2.5-flash": { litellm_provider: "vertex_ai-language-models", input_cost_per_token: 3e-7, output_cost_per_token: 2.5e-6 } },
      options,
    );
    expect(r.entries[0]).toMatchObject({ provider: "vertex_ai", model: "gemini-2.5-flash", inputPerMTok: "0.3" });
  });

  it("never throws, and accounts for every key, on arbitrary input", () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const r = importLiteLlm(input, options);
        const isRecord = typeof input === "object" && input !== null && !Array.isArray(input);
        if (isRecord) expect(r.entries.length + r.skipped.length).toBe(Object.keys(input).length);
        else if (typeof input !== "string") expect(r.skipped).toHaveLength(1);
      }),
      { numRuns: 500 },
    );
  });

  it("never throws on model-shaped records with arbitrary field values", () => {
    const field = fc.oneof(fc.anything(), fc.double(), fc.string());
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string(),
          fc.record(
            { litellm_provider: field, input_cost_per_token: field, output_cost_per_token: field, cache_read_input_token_cost: field },
            { requiredKeys: [] },
          ),
        ),
        (input) => {
          const r = importLiteLlm(input, options);
          expect(r.entries.length + r.skipped.length).toBe(Object.keys(input).length);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("perTokenToPerMTok", () => {
  it("multiplies the number's shortest string by 10^6 exactly", () => {
    expect(perTokenToPerMTok(2.5e-6)).toEqual({ ok: true, value: "2.5" });
    expect(perTokenToPerMTok(3.3333333333333335e-7)).toEqual({ ok: true, value: "0.33333333333333335" });
    expect(perTokenToPerMTok(0)).toEqual({ ok: true, value: "0" });
  });

  it("round-trips: dividing the rate by 10^6 gives back the same double", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-15, max: 1, noNaN: true }), (x) => {
        const r = perTokenToPerMTok(x);
        expect(r.ok).toBe(true);
        if (r.ok) expect(new Decimal(r.value).dividedBy(1e6).toNumber()).toBe(x);
      }),
    );
  });
});

describe("rates no price list has", () => {
  it("leaves out an entry whose cache read is dearer than its input, or whose output is 10× cheaper, saying why", () => {
    const r = importLiteLlm(
      {
        "odd-cache": { litellm_provider: "openai", mode: "chat", input_cost_per_token: 1e-6, cache_read_input_token_cost: 2e-6, output_cost_per_token: 4e-6 },
        "odd-output": { litellm_provider: "openai", mode: "chat", input_cost_per_token: 1e-6, output_cost_per_token: 1e-8 },
        fine: { litellm_provider: "openai", mode: "chat", input_cost_per_token: 1e-6, cache_read_input_token_cost: 1e-7, output_cost_per_token: 4e-6 },
      },
      options,
    );
    expect(r.entries.map((e) => e.model)).toEqual(["fine"]);
    expect(Object.fromEntries(r.skipped.map((s) => [s.key, s.reason]))).toEqual({
      "odd-cache": expect.stringMatching(/^rates look wrong: cacheReadPerMTok: a cache read \(2 per 1M\) costs more than uncached input \(1\); left out \(enter it by hand with ratesConfirmed: true if it is the real price\)$/),
      "odd-output": expect.stringMatching(/^rates look wrong: outputPerMTok: output \(0\.01 per 1M\) is 10× or more cheaper than input \(1\); left out/),
    });
  });
});
