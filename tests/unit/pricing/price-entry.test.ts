// Price entry schema: exact decimal rates, defaults and the shape rules a stored price must satisfy.
import { describe, expect, it } from "vitest";
import { parsePriceEntry, priceEntryKey, priceEntrySchema, rateRelationProblems, toDecimalString } from "@/lib/pricing/price-entry";
import { builtInCatalogue } from "@/lib/pricing/catalogue";
import { applyPatch, parseEntryInput } from "@/lib/pricing/price-book";

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

describe("rateRelationProblems", () => {
  const entry = (rates: Record<string, unknown>) => parsePriceEntry({ provider: "p", model: "m", effectiveFrom: "2026-01-01T00:00:00Z", inputPerMTok: "1", outputPerMTok: "4", source: "s", ...rates });
  const paths = (rates: Record<string, unknown>) => rateRelationProblems(entry(rates)).map((p) => p.path);

  it("flags a cache read dearer than input and output 10× or more cheaper than input, in the base rates, tiers and service tiers", () => {
    expect(paths({})).toEqual([]);
    expect(paths({ cacheReadPerMTok: "1" })).toEqual([]);
    expect(paths({ cacheReadPerMTok: "1.01" })).toEqual(["cacheReadPerMTok"]);
    expect(paths({ outputPerMTok: "0.1" })).toEqual(["outputPerMTok"]);
    expect(paths({ outputPerMTok: "0.11" })).toEqual([]);
    // An output rate of 0 is an embedding's or a per-call price's.
    expect(paths({ outputPerMTok: "0" })).toEqual([]);
    expect(paths({ tiers: [{ aboveTokens: 200000, inputPerMTok: "2", cacheReadPerMTok: "2.5", outputPerMTok: "8" }] })).toEqual(["tiers.0.cacheReadPerMTok"]);
    expect(paths({ serviceTiers: { flex: { rates: { inputPerMTok: "1", outputPerMTok: "0.05" } }, batch: { multiplier: "0.5" } } })).toEqual(["serviceTiers.flex.rates.outputPerMTok"]);
  });

  it("holds for every entry of the built-in catalogue", () => {
    for (const e of builtInCatalogue()) expect(rateRelationProblems(e), `${e.provider}/${e.model}`).toEqual([]);
  });

  it("refuses such an entry from the API unless it says ratesConfirmed: true; a patch is judged only on relations it adds", () => {
    const input = { provider: "p", model: "m", effectiveFrom: "2026-01-01", inputPerMTok: "1", cacheReadPerMTok: "2", outputPerMTok: "4", source: "s" };
    const refused = parseEntryInput(input);
    expect(refused.ok).toBe(false);
    expect(refused.ok ? [] : refused.errors.map((e) => e.path)).toEqual(["entry.cacheReadPerMTok"]);
    const confirmed = parseEntryInput({ ...input, ratesConfirmed: true });
    expect(confirmed.ok).toBe(true);
    const stored = confirmed.ok ? confirmed.entry : entry({});
    // Closing the confirmed entry's dates needs no new confirmation; making output tiny does.
    expect(applyPatch(stored, { effectiveTo: "2026-06-01" }).ok).toBe(true);
    const worse = applyPatch(stored, { outputPerMTok: "0.05" });
    expect(worse.ok ? [] : worse.errors.map((e) => e.path)).toEqual(["entry.outputPerMTok"]);
  });
});
