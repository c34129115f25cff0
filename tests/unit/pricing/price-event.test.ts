// priceUsage and costEvent: exact per-bucket arithmetic and the billed / estimated / unpriced / gpu / none decision.
import DecimalJs from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { builtInCatalogue } from "@/lib/pricing/catalogue";
import { matchPrice } from "@/lib/pricing/match-price";
import { parsePriceEntry, type PriceEntry, type PriceEntryInput } from "@/lib/pricing/price-entry";
import {
  costEvent,
  findMissingRate,
  MissingRateError,
  priceUsage,
  TOKEN_BUCKETS,
  type CostableEvent,
  type TokenUsage,
} from "@/lib/pricing/price-event";
import { fullUsage } from "./usage-arbitrary";

function entry(over: Partial<PriceEntryInput> = {}): PriceEntry {
  return parsePriceEntry({
    id: "e1",
    provider: "openai",
    model: "gpt-4o",
    effectiveFrom: "2025-01-01T00:00:00Z",
    inputPerMTok: "2.50",
    cacheReadPerMTok: "1.25",
    cacheWritePerMTok: "2.50",
    cacheWrite1hPerMTok: "2.50",
    outputPerMTok: "10",
    source: "test",
    ...over,
  });
}
// The default decimal.js precision (20 digits) would round the checks themselves.
const Decimal = DecimalJs.clone({ precision: 100 });
const catalogue = builtInCatalogue();
const at = new Date("2025-10-01T00:00:00Z");
const catalogueEntry = (provider: string, model: string) => {
  const e = matchPrice(catalogue, provider, model, at);
  if (!e) throw new Error(`catalogue has no ${provider}/${model}`);
  return e;
};
const llm = (over: Partial<CostableEvent> = {}): CostableEvent => ({
  kind: "llm",
  provider: "openai",
  model: "gpt-4o",
  timestamp: at,
  usage: { inputTokens: 1000, outputTokens: 100 },
  ...over,
});

describe("priceUsage", () => {
  it("computes 1,234,567 input tokens at $2.50/MTok as exactly 3.0864175", () => {
    const r = priceUsage({ inputTokens: 1_234_567 }, entry());
    expect(r.total).toBe("3.0864175");
    expect(r.components.input).toBe("3.0864175");
  });

  it("adds components exactly where floating point would not (0.1 + 0.2)", () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    const r = priceUsage({ inputTokens: 1_000_000, outputTokens: 1_000_000 }, entry({ inputPerMTok: "0.1", outputPerMTok: "0.2" }));
    expect(r.total).toBe("0.3");
  });

  it("keeps full precision for single tokens at fractional rates", () => {
    const r = priceUsage({ inputTokens: 1, outputTokens: 3 }, entry({ inputPerMTok: "0.075", outputPerMTok: "0.3" }));
    expect(r.components.input).toBe("0.000000075");
    expect(r.components.output).toBe("0.0000009");
    expect(r.total).toBe("0.000000975");
  });

  it("prices cache reads at the discounted cache-read rate, not the input rate", () => {
    const r = priceUsage({ inputTokens: 1_000_000, cacheReadTokens: 1_000_000 }, catalogueEntry("openai", "gpt-4o"));
    expect(r.components.input).toBe("2.5");
    expect(r.components.cacheRead).toBe("1.25");
    expect(r.total).toBe("3.75");
  });

  it("prices Anthropic 1-hour cache writes at 2x input and 5-minute writes at 1.25x", () => {
    // 100k + 100k prompt tokens: below the 200k long-context threshold.
    const r = priceUsage({ cacheWriteTokens: 100_000, cacheWrite1hTokens: 100_000 }, catalogueEntry("anthropic", "claude-sonnet-4-5"));
    expect(r.components.cacheWrite).toBe("0.375");
    expect(r.components.cacheWrite1h).toBe("0.6");
    expect(r.total).toBe("0.975");
  });

  it("prices a Sonnet prompt of 1M cache-write tokens at the long-context rates (7.50 and 12 per million)", () => {
    const r = priceUsage({ cacheWriteTokens: 1_000_000, cacheWrite1hTokens: 1_000_000 }, catalogueEntry("anthropic", "claude-sonnet-4-5"));
    expect(r).toMatchObject({ tierAboveTokens: 200_000, total: "19.5" });
  });

  it("prices reasoning and tool output at the output rate unless they have their own", () => {
    const defaulted = priceUsage({ reasoningTokens: 2000, toolOutputTokens: 500 }, entry());
    expect(defaulted.components.reasoning).toBe("0.02");
    expect(defaulted.components.toolOutput).toBe("0.005");
    const own = priceUsage({ reasoningTokens: 2000, toolOutputTokens: 500 }, entry({ reasoningPerMTok: "4", toolOutputPerMTok: "1" }));
    expect(own.components.reasoning).toBe("0.008");
    expect(own.components.toolOutput).toBe("0.0005");
  });

  it("charges the per-call fee once, on top of tokens", () => {
    const r = priceUsage({ inputTokens: 1_000_000 }, entry({ perCallUsd: "0.01" }));
    expect(r.components.perCall).toBe("0.01");
    expect(r.total).toBe("2.51");
  });

  it("returns all-zero components for empty usage", () => {
    const r = priceUsage({}, entry());
    expect(r.total).toBe("0");
    expect(Object.values(r.components).every((c) => c === "0")).toBe(true);
  });

  it("throws MissingRateError naming the bucket when tokens have no rate", () => {
    const noCache = entry({ cacheReadPerMTok: null });
    expect(() => priceUsage({ cacheReadTokens: 10 }, noCache)).toThrow(MissingRateError);
    expect(() => priceUsage({ cacheReadTokens: 10 }, noCache)).toThrow(/cacheReadPerMTok.*10 cacheReadTokens/);
    expect(findMissingRate({ cacheReadTokens: 10 }, noCache)).toBe("cacheReadTokens");
    expect(findMissingRate({ cacheReadTokens: 0, inputTokens: 5 }, noCache)).toBeNull();
  });

  it.each([[-1], [1.5], [Number.NaN], [2 ** 53]])("rejects %s as a token count", (n) => {
    expect(() => priceUsage({ inputTokens: n }, entry())).toThrow(RangeError);
  });

  it("equals the independently computed integer sum of its components and is never negative", () => {
    // Rates are n / 10^9, so the exact total is Σ tokens × n / 10^15, checked in BigInt.
    const rateUnits = fc.bigInt({ min: 0n, max: 10n ** 13n });
    const fmt = (n: bigint) => {
      const s = n.toString().padStart(10, "0");
      return `${s.slice(0, -9)}.${s.slice(-9)}`;
    };
    fc.assert(
      fc.property(
        fullUsage,
        fc.array(rateUnits, { minLength: 7, maxLength: 7 }),
        fc.option(rateUnits, { nil: null }),
        (usage: Required<TokenUsage>, rates, perCall) => {
          const [i, cr, cw, cw1, o, r, t] = rates.map(fmt);
          const e = entry({
            inputPerMTok: i,
            cacheReadPerMTok: cr,
            cacheWritePerMTok: cw,
            cacheWrite1hPerMTok: cw1,
            outputPerMTok: o,
            reasoningPerMTok: r,
            toolOutputPerMTok: t,
            perCallUsd: perCall === null ? null : fmt(perCall),
          });
          const result = priceUsage(usage, e);
          let expected = (perCall ?? 0n) * 10n ** 6n;
          TOKEN_BUCKETS.forEach((b, k) => {
            expected += BigInt(usage[b]) * (rates[k] ?? 0n);
          });
          expect(new Decimal(result.total).times("1e15").toFixed()).toBe(expected.toString());
          const summed = Object.values(result.components).reduce((a, c) => a.plus(c), new Decimal(0));
          expect(summed.eq(result.total)).toBe(true);
          expect(new Decimal(result.total).isNegative()).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("costEvent", () => {
  it("uses the billed costUsd over the estimate", () => {
    expect(costEvent(llm({ costUsd: "0.0123" }), [entry()])).toEqual({ source: "billed", cost: "0.0123", priceEntryId: null });
    expect(costEvent(llm({ costUsd: 0.1 }), [])).toEqual({ source: "billed", cost: "0.1", priceEntryId: null });
  });

  it("reports an unusable costUsd as unpriced instead of estimating", () => {
    const r = costEvent(llm({ costUsd: "-1" }), [entry()]);
    expect(r.source).toBe("unpriced");
    expect(r.source === "unpriced" && r.reason).toMatch(/costUsd must not be negative/);
  });

  it("estimates from the matching entry and names it", () => {
    const r = costEvent(llm(), [entry()]);
    expect(r).toMatchObject({ source: "estimated", cost: "0.0035", priceEntryId: "e1" });
    expect(r.source === "estimated" && r.components.output).toBe("0.001");
  });

  it("estimates a dated Anthropic model from the built-in catalogue", () => {
    const r = costEvent(
      llm({ provider: "anthropic", model: "claude-sonnet-4-5-20250929", usage: { inputTokens: 100_000, outputTokens: 1_000_000 } }),
      catalogue,
    );
    // 100,000 × 3 + 1,000,000 × 15, per million: below the long-context threshold.
    expect(r).toMatchObject({ source: "estimated", cost: "15.3", priceEntryId: "builtin:anthropic/claude-sonnet-4-5@v1" });
  });

  it("is unpriced, never $0, when no price matches", () => {
    expect(costEvent(llm({ model: "gpt-9" }), [entry()])).toEqual({
      source: "unpriced",
      cost: null,
      reason: "no price for openai/gpt-9 at 2025-10-01T00:00:00.000Z",
    });
  });

  it("is unpriced, naming the bucket, when tokens have no rate in the matched entry", () => {
    const r = costEvent(llm({ usage: { inputTokens: 10, cacheWrite1hTokens: 400 } }), [entry({ cacheWrite1hPerMTok: null })]);
    expect(r.source).toBe("unpriced");
    expect(r.source === "unpriced" && r.reason).toMatch(/cacheWrite1hPerMTok.*400 cacheWrite1hTokens/);
  });

  it("prices an event whose empty buckets have no rate", () => {
    const r = costEvent(llm({ usage: { inputTokens: 1_000_000, cacheReadTokens: 0 } }), [entry({ cacheReadPerMTok: null })]);
    expect(r).toMatchObject({ source: "estimated", cost: "2.5" });
  });

  it("leaves gpu events to pool allocation, even with a costUsd", () => {
    expect(costEvent({ kind: "gpu", timestamp: at, costUsd: "5" }, [entry()])).toEqual({ source: "gpu", cost: null });
  });

  it("gives a tool call with no tokens and no provider/model no cost", () => {
    expect(costEvent({ kind: "tool", timestamp: at }, [entry()])).toEqual({ source: "none", cost: "0" });
    expect(costEvent({ kind: "retrieval", timestamp: at, usage: {} }, [entry()])).toEqual({ source: "none", cost: "0" });
  });

  it("is unpriced for a tool call with a provider/model that has no price", () => {
    const r = costEvent({ kind: "tool", timestamp: at, provider: "tavily", model: "search" }, [entry()]);
    expect(r).toEqual({ source: "unpriced", cost: null, reason: "no price for tavily/search at 2025-10-01T00:00:00.000Z" });
  });

  it("prices a tool call per call when its provider/model has a price entry", () => {
    const search = entry({ id: "tavily", provider: "tavily", model: "search", inputPerMTok: "0", outputPerMTok: "0", perCallUsd: "0.005" });
    expect(costEvent({ kind: "tool", timestamp: at, provider: "tavily", model: "search" }, [search])).toMatchObject({
      source: "estimated",
      cost: "0.005",
      priceEntryId: "tavily",
    });
  });

  it("is unpriced for an llm event or a tokened tool event without provider/model", () => {
    expect(costEvent(llm({ model: null }), [entry()]).source).toBe("unpriced");
    expect(costEvent({ kind: "other", timestamp: at, usage: { inputTokens: 5 } }, [entry()]).source).toBe("unpriced");
  });

  it("is unpriced, not thrown, for an entry whose rate was never validated", () => {
    const broken: PriceEntry = { ...entry(), inputPerMTok: "two dollars" };
    const r = costEvent(llm(), [broken]);
    expect(r.source === "unpriced" && r.reason).toMatch(/could not be applied/);
  });

  it("is unpriced, not thrown, for malformed usage or timestamp", () => {
    const bad = costEvent(llm({ usage: { inputTokens: -5 } }), [entry()]);
    expect(bad.source === "unpriced" && bad.reason).toMatch(/inputTokens must be a non-negative integer/);
    expect(costEvent(llm({ timestamp: new Date(Number.NaN) }), [entry()])).toMatchObject({ source: "unpriced", reason: "invalid timestamp" });
  });
});
