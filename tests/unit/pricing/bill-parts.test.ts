// Long-context tiers, served service tiers, tool fees and modality rates: the arithmetic, the choice of
// rates, and the incomplete status when the price book cannot price a part of the usage.
import Decimal from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parsePriceEntry, priceEntrySchema, type PriceEntryInput } from "@/lib/pricing/price-entry";
import { costEvent, priceUsage, promptTokens, type TokenUsage, type UsageExtras } from "@/lib/pricing/price-event";

const AT = new Date("2026-03-10T10:00:00Z");

// A Sonnet-like entry written out here: base 3 / 15, cache 0.30 / 3.75 / 6; above 200k: 6 / 22.50, cache 0.60 / 7.50 / 12.
function entry(over: Partial<PriceEntryInput> = {}) {
  return parsePriceEntry({
    id: "e1",
    provider: "anthropic",
    model: "claude-sonnet-4-5",
    effectiveFrom: "2026-01-01T00:00:00Z",
    inputPerMTok: "3",
    cacheReadPerMTok: "0.30",
    cacheWritePerMTok: "3.75",
    cacheWrite1hPerMTok: "6",
    outputPerMTok: "15",
    tiers: [{ aboveTokens: 200_000, inputPerMTok: "6", cacheReadPerMTok: "0.60", cacheWritePerMTok: "7.50", cacheWrite1hPerMTok: "12", outputPerMTok: "22.50" }],
    serviceTiers: { batch: { multiplier: "0.5" }, flex: { rates: { inputPerMTok: "1", cacheReadPerMTok: "0.1", outputPerMTok: "5" } } },
    toolFees: { webSearch: "0.01" },
    modalityRates: { audioInputPerMTok: "40", audioOutputPerMTok: "80" },
    source: "test",
    ...over,
  });
}

const cost = (usage: TokenUsage, extras?: UsageExtras, e = entry()) =>
  costEvent({ usage, extras, provider: "anthropic", model: "claude-sonnet-4-5", timestamp: AT, kind: "llm" }, [e]);

/** Σ tokens × rate / 10^6, in decimal.js, from the rates written out above. */
function byHand(usage: TokenUsage, r: { input: string; cacheRead: string; cacheWrite: string; cacheWrite1h: string; output: string }) {
  return new Decimal(usage.inputTokens ?? 0).mul(r.input)
    .add(new Decimal(usage.cacheReadTokens ?? 0).mul(r.cacheRead))
    .add(new Decimal(usage.cacheWriteTokens ?? 0).mul(r.cacheWrite))
    .add(new Decimal(usage.cacheWrite1hTokens ?? 0).mul(r.cacheWrite1h))
    .add(new Decimal((usage.outputTokens ?? 0) + (usage.reasoningTokens ?? 0) + (usage.toolOutputTokens ?? 0)).mul(r.output))
    .div(1_000_000)
    .toFixed();
}
const BASE = { input: "3", cacheRead: "0.30", cacheWrite: "3.75", cacheWrite1h: "6", output: "15" };
const TIER = { input: "6", cacheRead: "0.60", cacheWrite: "7.50", cacheWrite1h: "12", output: "22.50" };

const usageArb = fc.record({
  inputTokens: fc.nat({ max: 400_000 }),
  cacheReadTokens: fc.nat({ max: 200_000 }),
  cacheWriteTokens: fc.nat({ max: 100_000 }),
  cacheWrite1hTokens: fc.nat({ max: 50_000 }),
  outputTokens: fc.nat({ max: 60_000 }),
  reasoningTokens: fc.nat({ max: 20_000 }),
  toolOutputTokens: fc.nat({ max: 1_000 }),
});

describe("long-context tiers", () => {
  it("prices at the base rates at or below the threshold and the whole request at the tier rates above it (property)", () => {
    fc.assert(
      fc.property(usageArb, (usage) => {
        const c = cost(usage);
        const above = promptTokens(usage) > 200_000;
        expect(c.source).toBe("estimated");
        expect(c.cost).toBe(byHand(usage, above ? TIER : BASE));
      }),
      { numRuns: 400 },
    );
  });

  it("measures the prompt as input + cache reads + cache writes, so the boundary is exact", () => {
    const at = { inputTokens: 100_000, cacheReadTokens: 60_000, cacheWriteTokens: 30_000, cacheWrite1hTokens: 10_000, outputTokens: 1_000 };
    expect(promptTokens(at)).toBe(200_000);
    expect(cost(at).cost).toBe(byHand(at, BASE));
    const over = { ...at, inputTokens: 100_001 };
    expect(cost(over).cost).toBe(byHand(over, TIER));
  });

  it("picks the highest threshold below the prompt when there are several", () => {
    const e = entry({
      tiers: [
        { aboveTokens: 500_000, inputPerMTok: "9", outputPerMTok: "30" },
        { aboveTokens: 100_000, inputPerMTok: "4", outputPerMTok: "20" },
      ],
    });
    expect(e.tiers?.map((t) => t.aboveTokens)).toEqual([100_000, 500_000]);
    expect(cost({ inputTokens: 300_000, outputTokens: 1_000 }, undefined, e).cost).toBe("1.22"); // 0.3 × 4 + 0.001 × 20
    expect(cost({ inputTokens: 600_000, outputTokens: 1_000 }, undefined, e).cost).toBe("5.43"); // 0.6 × 9 + 0.001 × 30
  });

  it("leaves an event unpriced when the tier has no rate for a cache bucket it uses, as the base rates do", () => {
    const e = entry({ tiers: [{ aboveTokens: 200_000, inputPerMTok: "6", outputPerMTok: "22.50" }] });
    const c = cost({ inputTokens: 250_000, cacheReadTokens: 10 }, undefined, e);
    expect(c).toMatchObject({ source: "unpriced" });
  });
});

describe("served service tiers", () => {
  it("scales every token rate by a multiplier, the long-context tier included, but not tool fees", () => {
    const usage = { inputTokens: 250_000, outputTokens: 2_000 };
    const c = cost(usage, { serviceTier: "batch", toolCalls: { webSearch: 2 } });
    // (250,000 × 6 + 2,000 × 22.50) / 10^6 / 2 + 2 × 0.01
    expect(c).toMatchObject({ source: "estimated", cost: "0.7925" });
  });

  it("uses explicit rates below any threshold", () => {
    expect(cost({ inputTokens: 1_000, cacheReadTokens: 1_000, outputTokens: 100 }, { serviceTier: "flex" }).cost).toBe("0.0016");
  });

  it("treats default and standard as the entry's own rates", () => {
    const usage = { inputTokens: 1_000, outputTokens: 100 };
    expect(cost(usage, { serviceTier: "default" })).toMatchObject({ source: "estimated", cost: "0.0045" });
    expect(cost(usage, { serviceTier: "standard" })).toMatchObject({ source: "estimated", cost: "0.0045" });
  });

  it("flags a served tier without a rate as incomplete, priced at the standard rate, naming the tier", () => {
    const c = cost({ inputTokens: 1_000, outputTokens: 100 }, { serviceTier: "priority" });
    expect(c).toMatchObject({ source: "incomplete", cost: "0.0045" });
    expect(c.source === "incomplete" && c.reason).toMatch(/service tier "priority"/);
  });

  it("flags explicit service-tier rates above a long-context threshold as incomplete", () => {
    const usage = { inputTokens: 250_000, outputTokens: 0 };
    const c = cost(usage, { serviceTier: "flex" });
    expect(c).toMatchObject({ source: "incomplete", cost: "1.5" });
    expect(c.source === "incomplete" && c.reason).toMatch(/above 200000 tokens/);
  });
});

describe("tool fees and modality rates", () => {
  it("charges each tool call its fee and flags calls of a kind without a fee", () => {
    expect(cost({ inputTokens: 0 }, { toolCalls: { webSearch: 3 } })).toMatchObject({ source: "estimated", cost: "0.03" });
    const c = cost({ inputTokens: 1_000 }, { toolCalls: { webSearch: 1, codeExecution: 2 } });
    expect(c).toMatchObject({ source: "incomplete", cost: "0.013" });
    expect(c.source === "incomplete" && c.reason).toMatch(/2 codeExecution calls with no fee/);
  });

  it("prices audio tokens at the audio rate and only the rest of the bucket at the text rate", () => {
    const r = priceUsage({ inputTokens: 1_000, outputTokens: 500 }, entry(), { audioInputTokens: 400, audioOutputTokens: 100 });
    expect(r.components).toMatchObject({ input: "0.0018", audioInput: "0.016", output: "0.006", audioOutput: "0.008" });
    expect(r.total).toBe("0.0318");
    expect(r.missing).toEqual([]);
  });

  it("flags modality tokens without a modality rate, pricing the text part only", () => {
    const c = cost({ inputTokens: 1_000 }, { imageInputTokens: 600 });
    expect(c).toMatchObject({ source: "incomplete", cost: "0.0012" });
    expect(c.source === "incomplete" && c.reason).toMatch(/600 image input tokens have no imageInputPerMTok rate/);
  });

  it("flags a usage count nothing accounts for, pricing the rest", () => {
    const c = cost({ inputTokens: 1_000 }, { unknownUsage: { "prompt_tokens_details.image_tokens": 40 } });
    expect(c).toMatchObject({ source: "incomplete", cost: "0.003" });
    expect(c.source === "incomplete" && c.reason).toMatch(/usage key prompt_tokens_details.image_tokens \(40\)/);
  });

  it("refuses modality counts larger than their bucket as invalid usage", () => {
    expect(cost({ inputTokens: 10 }, { audioInputTokens: 11 })).toMatchObject({ source: "unpriced" });
  });
});

describe("the entry schema for the new parts", () => {
  const base = { provider: "openai", model: "m", effectiveFrom: "2026-01-01T00:00:00Z", inputPerMTok: "1", outputPerMTok: "2", source: "s" };
  it.each([
    ["a tier without a threshold", { tiers: [{ inputPerMTok: "1", outputPerMTok: "2" }] }, "tiers.0.aboveTokens"],
    ["two tiers at one threshold", { tiers: [{ aboveTokens: 5, inputPerMTok: "1", outputPerMTok: "2" }, { aboveTokens: 5, inputPerMTok: "1", outputPerMTok: "2" }] }, "tiers.1.aboveTokens"],
    ["a service tier with both a multiplier and rates", { serviceTiers: { flex: { multiplier: "0.5", rates: { inputPerMTok: "1", outputPerMTok: "1" } } } }, "serviceTiers.flex"],
    ["a service tier named default", { serviceTiers: { default: { multiplier: "1" } } }, "serviceTiers.default"],
    ["a tool fee in float form that is negative", { toolFees: { webSearch: -0.01 } }, "toolFees.webSearch"],
    ["a snake_case tool kind", { toolFees: { web_search: "0.01" } }, "toolFees.web_search"],
    ["an unknown modality", { modalityRates: { videoInputPerMTok: "1" } }, "modalityRates"],
  ])("refuses %s, naming the field", (_name, over, path) => {
    const r = priceEntrySchema.safeParse({ ...base, ...over });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join("."))).toContain(path);
  });

  it("keeps rates exact: 0.1 stays 0.1 in a JSON number and a tier", () => {
    const e = parsePriceEntry({ ...base, toolFees: { webSearch: 0.01 }, tiers: [{ aboveTokens: 10, inputPerMTok: 0.1, outputPerMTok: "0.30" }] });
    expect(e.toolFees).toEqual({ webSearch: "0.01" });
    expect(e.tiers?.[0]).toMatchObject({ inputPerMTok: "0.1", outputPerMTok: "0.3" });
  });
});
