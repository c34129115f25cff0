// The BigInt arithmetic behind priceUsage: exact, and written exactly as decimal.js writes the same value,
// since stored costs and the texts compared in tests and reconciliations must not change with it.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Dec, parsePriceEntry, toDecimalString } from "@/lib/pricing/price-entry";
import { costEvent, priceUsage, TOKEN_BUCKETS, type TokenUsage } from "@/lib/pricing/price-event";
import { add, format, scaled, timesInteger } from "@/lib/pricing/scaled-decimal";
import { fullUsage } from "./usage-arbitrary";

const decimalText = fc
  .tuple(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.integer({ min: 0, max: 30 }))
  .map(([units, scale]) => new Dec(units.toString()).dividedBy(new Dec(10).pow(scale)).toFixed());

// Price entries take rates up to 10^12.
const rateText = fc
  .tuple(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.integer({ min: 0, max: 30 }))
  .map(([units, scale]) => new Dec(units.toString()).dividedBy(new Dec(10).pow(scale)).toFixed());

describe("scaled decimals", () => {
  it("format writes what decimal.js's toFixed writes", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 40n }), fc.integer({ min: 0, max: 40 }), (units, scale) => {
        const expected = new Dec(units.toString()).dividedBy(new Dec(10).pow(scale)).toFixed();
        expect(format({ units, scale })).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it("round-trips plain decimals, trailing zeros and all", () => {
    expect(format(scaled("2.50"))).toBe("2.5");
    expect(format(scaled("0.000"))).toBe("0");
    expect(format(scaled("1500"))).toBe("1500");
    expect(format(scaled("0.0000001"))).toBe("0.0000001");
    expect(() => scaled("1e-7")).toThrow(RangeError);
    expect(() => scaled("-1")).toThrow(RangeError);
  });

  it("adds and multiplies exactly, as decimal.js does", () => {
    fc.assert(
      fc.property(decimalText, decimalText, fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (a, b, n) => {
        expect(format(add(scaled(a), scaled(b)))).toBe(new Dec(a).plus(b).toFixed());
        expect(format(timesInteger(scaled(a), n, 6))).toBe(new Dec(a).times(n).dividedBy(1_000_000).toFixed());
      }),
      { numRuns: 1000 },
    );
  });
});

describe("priceUsage text", () => {
  // The decimal.js computation priceUsage used before: every component and the total, text for text.
  function reference(usage: Required<TokenUsage>, rates: (string | null)[], perCall: string | null) {
    const [input, cacheRead, cacheWrite, cacheWrite1h, output, reasoning, toolOutput] = rates;
    const rateOf = [input, cacheRead, cacheWrite, cacheWrite1h, output, reasoning ?? output, toolOutput ?? output];
    let total = new Dec(perCall ?? "0");
    const parts = TOKEN_BUCKETS.map((b, k) => {
      if (usage[b] === 0) return "0";
      const cost = new Dec(usage[b]).times(rateOf[k]!).dividedBy(1_000_000);
      total = total.plus(cost);
      return cost.toFixed();
    });
    return { total: total.toFixed(), parts, perCall: new Dec(perCall ?? "0").toFixed() };
  }

  it("matches the decimal.js result character for character", () => {
    fc.assert(
      fc.property(
        fullUsage,
        fc.array(rateText, { minLength: 5, maxLength: 5 }),
        fc.option(rateText, { nil: null }),
        fc.option(rateText, { nil: null }),
        fc.option(rateText, { nil: null }),
        (usage: Required<TokenUsage>, [input, cacheRead, cacheWrite, cacheWrite1h, output], reasoning, toolOutput, perCall) => {
          const e = parsePriceEntry({
            provider: "p",
            model: "m",
            effectiveFrom: "2025-01-01T00:00:00Z",
            inputPerMTok: input,
            cacheReadPerMTok: cacheRead,
            cacheWritePerMTok: cacheWrite,
            cacheWrite1hPerMTok: cacheWrite1h,
            outputPerMTok: output,
            reasoningPerMTok: reasoning,
            toolOutputPerMTok: toolOutput,
            perCallUsd: perCall,
            source: "test",
          });
          const got = priceUsage(usage, e);
          const want = reference(usage, [input!, cacheRead!, cacheWrite!, cacheWrite1h!, output!, reasoning, toolOutput], perCall);
          expect(got.total).toBe(want.total);
          const c = got.components;
          expect([c.input, c.cacheRead, c.cacheWrite, c.cacheWrite1h, c.output, c.reasoning, c.toolOutput, c.perCall]).toEqual([...want.parts, want.perCall]);
          expect([c.audioInput, c.audioOutput, c.imageInput, c.toolFees]).toEqual(["0", "0", "0", "0"]);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("billed costs", () => {
  it("keep the text toDecimalString gives, whether or not they take the short cut", () => {
    const text = fc.oneof(
      decimalText,
      fc.stringMatching(/^0{0,2}\d{1,10}(\.\d{0,32})?$/),
      fc.constantFrom("0", "0.0", "1000000000", "999999999.5", "1000000000.1", "00.10", "1e-7", "5."),
    );
    fc.assert(
      fc.property(text, (costUsd) => {
        const got = costEvent({ kind: "llm", costUsd, timestamp: new Date("2025-06-01T00:00:00Z") }, []);
        const want = toDecimalString(costUsd, { max: new Dec("1e9") });
        if (want.ok) expect(got).toEqual({ source: "billed", cost: want.value, priceEntryId: null });
        else expect(got.source).toBe("unpriced");
      }),
      { numRuns: 2000 },
    );
  });
});
