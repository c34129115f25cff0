// The built-in catalogue: it validates, covers the common models at their list prices, and follows each vendor's cache rules.
import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { builtInCatalogue } from "@/lib/pricing/catalogue";

const catalogue = builtInCatalogue();
const find = (provider: string, model: string) => {
  const e = catalogue.find((x) => x.provider === provider && x.model === model);
  if (!e) throw new Error(`missing ${provider}/${model}`);
  return e;
};
const eq = (a: string | null, b: string) => a !== null && new Decimal(a).eq(b);

describe("builtInCatalogue", () => {
  it.each([
    ["openai", "gpt-4o", "2.5", "1.25", "10"],
    ["openai", "gpt-4o-mini", "0.15", "0.075", "0.6"],
    ["openai", "gpt-4.1", "2", "0.5", "8"],
    ["openai", "gpt-4.1-mini", "0.4", "0.1", "1.6"],
    ["openai", "gpt-4.1-nano", "0.1", "0.025", "0.4"],
    ["openai", "o3", "2", "0.5", "8"],
    ["openai", "o4-mini", "1.1", "0.275", "4.4"],
    ["openai", "gpt-5", "1.25", "0.125", "10"],
    ["openai", "gpt-5-mini", "0.25", "0.025", "2"],
    ["openai", "gpt-5-nano", "0.05", "0.005", "0.4"],
    ["anthropic", "claude-opus-4-1", "15", "1.5", "75"],
    ["anthropic", "claude-opus-4", "15", "1.5", "75"],
    ["anthropic", "claude-sonnet-4-5", "3", "0.3", "15"],
    ["anthropic", "claude-sonnet-4", "3", "0.3", "15"],
    ["anthropic", "claude-haiku-4-5", "1", "0.1", "5"],
    ["anthropic", "claude-3-5-haiku", "0.8", "0.08", "4"],
    ["google", "gemini-2.5-pro", "1.25", "0.31", "10"],
    ["google", "gemini-2.5-flash", "0.3", "0.075", "2.5"],
    ["google", "gemini-2.5-flash-lite", "0.1", "0.025", "0.4"],
  ])("lists %s/%s at %s in / %s cached / %s out", (provider, model, input, cached, output) => {
    const e = find(provider, model);
    expect(e.inputPerMTok).toBe(input);
    expect(e.cacheReadPerMTok).toBe(cached);
    expect(e.outputPerMTok).toBe(output);
  });

  it("prices OpenAI embeddings on input only", () => {
    expect(find("openai", "text-embedding-3-small")).toMatchObject({ inputPerMTok: "0.02", outputPerMTok: "0", cacheReadPerMTok: null });
    expect(find("openai", "text-embedding-3-large")).toMatchObject({ inputPerMTok: "0.13", outputPerMTok: "0" });
  });

  it("bills Anthropic cache writes at 1.25x (5 min) and 2x (1 h) input, reads at 0.1x", () => {
    const anthropic = catalogue.filter((e) => e.provider === "anthropic");
    expect(anthropic.length).toBeGreaterThanOrEqual(6);
    for (const e of anthropic) {
      const input = new Decimal(e.inputPerMTok);
      expect(eq(e.cacheWritePerMTok, input.times("1.25").toFixed())).toBe(true);
      expect(eq(e.cacheWrite1hPerMTok, input.times(2).toFixed())).toBe(true);
      expect(eq(e.cacheReadPerMTok, input.times("0.1").toFixed())).toBe(true);
    }
  });

  it("bills OpenAI and Google cache writes as ordinary input", () => {
    const cached = catalogue.filter((e) => (e.provider === "openai" || e.provider === "google") && e.cacheReadPerMTok !== null);
    expect(cached.length).toBe(13);
    for (const e of cached) {
      expect(e.cacheWritePerMTok).toBe(e.inputPerMTok);
      expect(e.cacheWrite1hPerMTok).toBe(e.inputPerMTok);
    }
  });

  it("lets reasoning and tool output default to the output rate", () => {
    expect(catalogue.every((e) => e.reasoningPerMTok === null && e.toolOutputPerMTok === null)).toBe(true);
  });

  it("gives every entry a source, an effective date, version 1 and a unique id", () => {
    for (const e of catalogue) {
      expect(e.source).toMatch(/pricing/i);
      expect(e.effectiveFrom.toISOString()).toBe("2025-01-01T00:00:00.000Z");
      expect(e.effectiveTo).toBeNull();
      expect(e.version).toBe(1);
    }
    expect(new Set(catalogue.map((e) => e.id)).size).toBe(catalogue.length);
    expect(find("openai", "gpt-4o").id).toBe("builtin:openai/gpt-4o@v1");
  });

  it("carries the long-context tiers of Gemini 2.5 Pro and Claude Sonnet 4 / 4.5 above 200k prompt tokens", () => {
    expect(find("google", "gemini-2.5-pro").tiers).toEqual([
      {
        aboveTokens: 200_000,
        inputPerMTok: "2.5",
        cacheReadPerMTok: "0.625",
        cacheWritePerMTok: "2.5",
        cacheWrite1hPerMTok: "2.5",
        outputPerMTok: "15",
        reasoningPerMTok: null,
        toolOutputPerMTok: null,
        modalityRates: { audioInputPerMTok: "2.5", audioOutputPerMTok: null, imageInputPerMTok: null },
      },
    ]);
    for (const model of ["claude-sonnet-4-5", "claude-sonnet-4"]) {
      expect(find("anthropic", model).tiers).toMatchObject([
        { aboveTokens: 200_000, inputPerMTok: "6", cacheReadPerMTok: "0.6", cacheWritePerMTok: "7.5", cacheWrite1hPerMTok: "12", outputPerMTok: "22.5" },
      ]);
    }
    expect(find("anthropic", "claude-haiku-4-5").tiers).toBeNull();
  });

  it("carries batch at half price everywhere, OpenAI's flex and priority rates, and tool fees per call", () => {
    for (const e of catalogue) expect(e.serviceTiers?.batch).toEqual({ multiplier: "0.5", rates: null });
    expect(find("openai", "gpt-5").serviceTiers).toMatchObject({
      flex: { rates: { inputPerMTok: "0.625", cacheReadPerMTok: "0.0625", outputPerMTok: "5" } },
      priority: { rates: { inputPerMTok: "2.5", cacheReadPerMTok: "0.25", outputPerMTok: "20" } },
    });
    expect(find("anthropic", "claude-sonnet-4-5").toolFees).toEqual({ webSearch: "0.01", webFetch: "0" });
    expect(find("openai", "gpt-5").toolFees).toEqual({ fileSearch: "0.0025", codeInterpreter: "0.03", webSearch: "0.01" });
    // Anthropic's priority tier is a commitment, not a list price: no rate, so such events are flagged incomplete.
    expect(find("anthropic", "claude-sonnet-4-5").serviceTiers?.priority).toBeUndefined();
  });

  it("prices audio apart where the provider does", () => {
    expect(find("openai", "gpt-4o-audio-preview").modalityRates).toEqual({ audioInputPerMTok: "40", audioOutputPerMTok: "80", imageInputPerMTok: null });
    expect(find("google", "gemini-2.5-flash").modalityRates).toMatchObject({ audioInputPerMTok: "1" });
  });

  it("hands out copies, so a caller's mutation does not change the catalogue", () => {
    const mine = builtInCatalogue();
    const first = mine[0];
    if (!first) throw new Error("empty catalogue");
    first.inputPerMTok = "999";
    first.effectiveFrom.setUTCFullYear(1999);
    const again = builtInCatalogue()[0];
    expect(again?.inputPerMTok).not.toBe("999");
    expect(again?.effectiveFrom.getUTCFullYear()).toBe(2025);
  });
});
