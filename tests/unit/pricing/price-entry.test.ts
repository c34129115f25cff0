// Price entry schema: exact decimal rates, defaults and the shape rules a stored price must satisfy.
import { describe, expect, it } from "vitest";
import { parsePriceEntry, priceEntryKey, priceEntrySchema, toDecimalString } from "@/lib/pricing/price-entry";

const base = {
  provider: "openai",
  model: "gpt-4o",
  effectiveFrom: "2025-01-01T00:00:00Z",
  inputPerMTok: "2.50",
  outputPerMTok: "10",
  source: "OpenAI pricing page",
};

describe("priceEntrySchema", () => {
  it("converts numeric rates through their shortest round-trip string, not the binary float", () => {
    const e = parsePriceEntry({ ...base, inputPerMTok: 0.1, outputPerMTok: 2.5e-6, cacheReadPerMTok: 1e-7 });
    expect(e.inputPerMTok).toBe("0.1");
    expect(e.outputPerMTok).toBe("0.0000025");
    expect(e.cacheReadPerMTok).toBe("0.0000001");
  });

  it("normalises string rates to plain decimal strings", () => {
    const e = parsePriceEntry({ ...base, inputPerMTok: " 2.50 ", outputPerMTok: "1.0e1" });
    expect(e.inputPerMTok).toBe("2.5");
    expect(e.outputPerMTok).toBe("10");
  });

  it("leaves optional rates null instead of inventing defaults, and fills currency and version", () => {
    const e = parsePriceEntry(base);
    expect(e.cacheReadPerMTok).toBeNull();
    expect(e.cacheWritePerMTok).toBeNull();
    expect(e.cacheWrite1hPerMTok).toBeNull();
    expect(e.reasoningPerMTok).toBeNull();
    expect(e.toolOutputPerMTok).toBeNull();
    expect(e.perCallUsd).toBeNull();
    expect(e.effectiveTo).toBeNull();
    expect(e.currency).toBe("USD");
    expect(e.version).toBe(1);
    expect(e.effectiveFrom.toISOString()).toBe("2025-01-01T00:00:00.000Z");
  });

  it("lower-cases the provider", () => {
    expect(parsePriceEntry({ ...base, provider: " OpenAI " }).provider).toBe("openai");
  });

  it.each([["-1"], [-0.5], ["abc"], ["0x10"], ["Infinity"], [Number.NaN], [Number.POSITIVE_INFINITY], ["1e13"], [true]])(
    "rejects the rate %s",
    (bad) => {
      expect(priceEntrySchema.safeParse({ ...base, inputPerMTok: bad }).success).toBe(false);
    },
  );

  it("requires input and output rates and a source", () => {
    const { inputPerMTok: _i, ...noInput } = base;
    const { outputPerMTok: _o, ...noOutput } = base;
    expect(priceEntrySchema.safeParse(noInput).success).toBe(false);
    expect(priceEntrySchema.safeParse(noOutput).success).toBe(false);
    expect(priceEntrySchema.safeParse({ ...base, source: "  " }).success).toBe(false);
  });

  it("requires exactly one of model and modelPattern", () => {
    const { model: _m, ...neither } = base;
    expect(priceEntrySchema.safeParse(neither).success).toBe(false);
    expect(priceEntrySchema.safeParse({ ...base, modelPattern: "gpt-4o-*" }).success).toBe(false);
    expect(priceEntrySchema.safeParse({ ...neither, modelPattern: "gpt-4o-*" }).success).toBe(true);
  });

  it("rejects a modelPattern without '*'", () => {
    const { model: _m, ...neither } = base;
    expect(priceEntrySchema.safeParse({ ...neither, modelPattern: "gpt-4o" }).success).toBe(false);
  });

  it("rejects effectiveTo at or before effectiveFrom", () => {
    expect(priceEntrySchema.safeParse({ ...base, effectiveTo: "2025-01-01T00:00:00Z" }).success).toBe(false);
    expect(priceEntrySchema.safeParse({ ...base, effectiveTo: "2024-12-31T00:00:00Z" }).success).toBe(false);
    expect(priceEntrySchema.safeParse({ ...base, effectiveTo: "2025-01-01T00:00:00.001Z" }).success).toBe(true);
  });

  it("rejects a currency other than USD", () => {
    expect(priceEntrySchema.safeParse({ ...base, currency: "EUR" }).success).toBe(false);
  });

  it("accepts its own output as input (a stored entry re-validates unchanged)", () => {
    const e = parsePriceEntry({ ...base, cacheReadPerMTok: "1.25", perCallUsd: 0.01 });
    expect(parsePriceEntry(e)).toEqual(e);
  });
});

describe("priceEntryKey", () => {
  it("uses the id when there is one, otherwise provider/model@effectiveFrom#version", () => {
    expect(priceEntryKey(parsePriceEntry({ ...base, id: "abc" }))).toBe("abc");
    expect(priceEntryKey(parsePriceEntry({ ...base, version: 3 }))).toBe("openai/gpt-4o@2025-01-01T00:00:00.000Z#v3");
  });
});

describe("toDecimalString", () => {
  it("turns -0 into 0 and keeps large exact decimals", () => {
    expect(toDecimalString("-0")).toEqual({ ok: true, value: "0" });
    expect(toDecimalString("123456789012.000000000000000000000000000001")).toEqual({
      ok: true,
      value: "123456789012.000000000000000000000000000001",
    });
  });

  it("refuses more fractional digits than it can keep exact", () => {
    expect(toDecimalString("0.0000000000000000000000000000001").ok).toBe(false);
  });
});
