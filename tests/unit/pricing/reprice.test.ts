// Re-pricing's pure parts: which events a changed entry can touch, the new cost of one event as stored,
// the per model and month summary; and the price book's input checks.
import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { parsePriceEntry, type PriceEntryInput } from "@/lib/pricing/price-entry";
import { asStored, changeScope, couldMatch, DiffSummary, groupByProvider, likeFilter, repriceEvent, type StoredEvent } from "@/lib/pricing/reprice";
import { applyPatch, covers, parseEntryInput, sameTerms } from "@/lib/pricing/price-book";

function entry(over: Partial<PriceEntryInput> & { id: string }) {
  return parsePriceEntry({
    provider: "openai",
    effectiveFrom: "2026-01-01T00:00:00Z",
    inputPerMTok: "1",
    outputPerMTok: "2",
    source: "test",
    ...(over.modelPattern ? {} : { model: "gpt-4o" }),
    ...over,
  });
}

function event(over: Partial<StoredEvent> = {}): StoredEvent {
  return {
    id: "e1",
    ts: new Date("2026-03-10T10:00:00Z"),
    kind: "llm",
    provider: "openai",
    model: "gpt-4o",
    usage: { inputTokens: 1000, cacheReadTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 0, outputTokens: 500, reasoningTokens: 0, toolOutputTokens: 0 },
    extras: {},
    costUsd: null,
    listCostUsd: null,
    costSource: "unpriced",
    priceEntryId: null,
    unpricedReason: "no price for openai/gpt-4o at 2026-03-10T10:00:00.000Z",
    ...over,
  };
}

describe("which events a change can touch", () => {
  it("builds a LIKE filter that every name the entry can match satisfies", () => {
    expect(likeFilter(entry({ id: "a" }))).toBe("%gpt-4o%");
    expect(likeFilter(entry({ id: "a", modelPattern: "claude-*-4*" }))).toBe("%claude-%-4%");
    expect(likeFilter(entry({ id: "a", model: "my_model%1" }))).toBe("%my\\_model\\%1%");
    expect(likeFilter(entry({ id: "a", modelPattern: "*" }))).toBe("%");
  });

  it("matches by provider, normalised model name or pattern, inside the entry's window only", () => {
    const scope = changeScope([
      entry({ id: "a", effectiveTo: "2026-04-01T00:00:00Z" }),
      entry({ id: "b", provider: "anthropic", modelPattern: "claude-sonnet-*" }),
    ]);
    const at = new Date("2026-03-01T00:00:00Z");
    expect(couldMatch(scope, "openai", "gpt-4o", at)).toBe(true);
    expect(couldMatch(scope, " OpenAI ", "openai/gpt-4o-2024-08-06", at)).toBe(true);
    expect(couldMatch(scope, "openai", "gpt-4o-mini", at)).toBe(false);
    expect(couldMatch(scope, "azure", "gpt-4o", at)).toBe(false);
    expect(couldMatch(scope, "openai", "gpt-4o", new Date("2026-04-01T00:00:00Z"))).toBe(false);
    expect(couldMatch(scope, "openai", "gpt-4o", new Date("2025-12-31T23:59:59.999Z"))).toBe(false);
    expect(couldMatch(scope, "anthropic", "claude-sonnet-4-5-20250929", at)).toBe(true);
    expect(couldMatch(scope, "anthropic", "claude-opus-4", at)).toBe(false);
  });
});

describe("the new cost of one event", () => {
  const book = groupByProvider([entry({ id: "11111111-1111-4111-8111-111111111111", inputPerMTok: "3", outputPerMTok: "6" })]);

  it("prices an unpriced event with the entry in effect and says which entry", () => {
    const u = repriceEvent(event(), book);
    expect(u).toEqual({
      id: "e1",
      ts: new Date("2026-03-10T10:00:00Z"),
      costUsd: "0.006",
      listCostUsd: null,
      costSource: "estimated",
      priceEntryId: "11111111-1111-4111-8111-111111111111",
      unpricedReason: null,
    });
  });

  it("leaves an event alone when cost, source and entry are what is stored", () => {
    const same = event({ costUsd: "0.006000000000", costSource: "estimated", priceEntryId: "11111111-1111-4111-8111-111111111111", unpricedReason: null });
    expect(repriceEvent(same, book)).toBeNull();
    // The same cost from another entry is a change: the event must point at the entry that prices it.
    expect(repriceEvent({ ...same, priceEntryId: "22222222-2222-4222-8222-222222222222" }, book)?.priceEntryId).toBe("11111111-1111-4111-8111-111111111111");
  });

  it("never re-prices billed or GPU events, nor an event whose vendor cost was unusable", () => {
    expect(repriceEvent(event({ costSource: "billed", costUsd: "9" }), book)).toBeNull();
    expect(repriceEvent(event({ kind: "gpu", costSource: "gpu" }), book)).toBeNull();
    expect(repriceEvent(event({ unpricedReason: "costUsd must be at most 1000000000" }), book)).toBeNull();
  });

  it("turns a priced event unpriced when no entry is left, with the reason", () => {
    const u = repriceEvent(event({ costUsd: "0.5", costSource: "estimated", priceEntryId: "x" }), new Map());
    expect(u).toMatchObject({ costUsd: null, costSource: "unpriced", priceEntryId: null });
    expect(u?.unpricedReason).toMatch(/no price for openai\/gpt-4o/);
  });

  it("re-prices with the event's stored extras: a tier above the threshold, the served tier, tool calls", () => {
    const id = "11111111-1111-4111-8111-111111111111";
    const tiered = groupByProvider([
      entry({ id, inputPerMTok: "3", outputPerMTok: "6", tiers: [{ aboveTokens: 200_000, inputPerMTok: "6", outputPerMTok: "9" }], serviceTiers: { batch: { multiplier: "0.5" } } }),
    ]);
    const long = event({ usage: { ...event().usage, inputTokens: 250_000, outputTokens: 1_000 }, costUsd: "0.756", costSource: "estimated", priceEntryId: id, unpricedReason: null });
    // 250,000 × 6 + 1,000 × 9 per million: the whole request at the tier rates.
    expect(repriceEvent(long, tiered)).toMatchObject({ costUsd: "1.509", costSource: "estimated" });
    const batch = event({ extras: { serviceTier: "batch" } });
    expect(repriceEvent(batch, tiered)).toMatchObject({ costUsd: "0.003", costSource: "estimated" });
    const search = event({ extras: { toolCalls: { webSearch: 2 } } });
    const u = repriceEvent(search, tiered);
    expect(u).toMatchObject({ costUsd: "0.006", costSource: "incomplete", priceEntryId: id });
    expect(u?.unpricedReason).toMatch(/2 webSearch calls with no fee/);
    // Stored as it would be re-priced: nothing to do; a different reason is a change.
    expect(repriceEvent({ ...search, costUsd: "0.006", costSource: "incomplete", priceEntryId: id, unpricedReason: u!.unpricedReason }, tiered)).toBeNull();
    expect(repriceEvent({ ...search, costUsd: "0.006", costSource: "incomplete", priceEntryId: id, unpricedReason: "incomplete: other" }, tiered)).not.toBeNull();
  });

  it("compares and sums costs as NUMERIC(30,12) stores them (half away from zero)", () => {
    expect(asStored("0.0000000000005")).toBe("0.000000000001");
    expect(asStored("0.00000000000049")).toBe("0");
    expect(asStored("1.23")).toBe("1.23");
    const third = groupByProvider([entry({ id: "t", inputPerMTok: "0.33333333333333335", outputPerMTok: "0" })]);
    const u = repriceEvent(event({ usage: { ...event().usage, inputTokens: 7, outputTokens: 0 } }), third);
    expect(u?.costUsd).toBe("0.000002333333");
    expect(repriceEvent(event({ usage: { ...event().usage, inputTokens: 7, outputTokens: 0 }, costUsd: "0.000002333333", costSource: "estimated", priceEntryId: "t", unpricedReason: null }), third)).toBeNull();
  });
});

describe("the summary per model and month", () => {
  it("adds old and new totals exactly and counts unpriced to priced and back", () => {
    const s = new DiffSummary();
    const upd = (costUsd: string | null, costSource: "estimated" | "unpriced") => ({ id: "x", ts: new Date(), costUsd, listCostUsd: null, costSource, priceEntryId: null, unpricedReason: null });
    s.add(event({ costUsd: "0.1", costSource: "estimated" }), upd("0.2", "estimated"));
    s.add(event({ costUsd: null, costSource: "unpriced" }), upd("0.0000001", "estimated"));
    s.add(event({ ts: new Date("2026-04-30T23:59:59.999Z"), costUsd: "0.3", costSource: "estimated" }), upd(null, "unpriced"));
    s.add(event({ model: "gpt-4o-mini", ts: new Date("2026-02-01T00:00:00Z"), costUsd: "0.7", costSource: "estimated" }), upd("0.1", "estimated"));
    const r = s.result(["2026-04"]);
    expect(r).toMatchObject({ events: 4, months: ["2026-02", "2026-03", "2026-04"], oldTotal: "1.1", newTotal: "0.3000001", unpricedToPriced: 1, pricedToUnpriced: 1, closedMonths: ["2026-04"] });
    expect(r.rows.map((x) => [x.model, x.month, x.events, x.oldTotal, x.newTotal, x.closed])).toEqual([
      ["gpt-4o", "2026-03", 2, "0.1", "0.2000001", false],
      ["gpt-4o", "2026-04", 1, "0.3", "0", true],
      ["gpt-4o-mini", "2026-02", 1, "0.7", "0.1", false],
    ]);
    expect(new Decimal(r.newTotal).equals(r.rows.reduce((a, x) => a.add(x.newTotal), new Decimal(0)))).toBe(true);
  });
});

describe("price book input", () => {
  it("reports every bad field under entry., names unknown fields, and reads a bare date as midnight UTC", () => {
    const bad = parseEntryInput({ provider: "", inputPerMtok: "1", outputPerMTok: "abc", effectiveFrom: "2026-03-01", source: "x" });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    const paths = bad.errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["entry.inputPerMtok", "entry.provider", "entry.inputPerMTok", "entry.outputPerMTok"]));
    expect(bad.errors.find((e) => e.path === "entry.inputPerMtok")?.message).toMatch(/did you mean inputPerMTok/);

    const ok = parseEntryInput({ provider: "OpenAI", model: "gpt-4o", effectiveFrom: "2026-03-01", inputPerMTok: 2.5, outputPerMTok: "10.00", source: "page", id: "ignored", version: 7 });
    expect(ok.ok && ok.entry).toMatchObject({ provider: "openai", id: null, version: 1, inputPerMTok: "2.5", outputPerMTok: "10", effectiveFrom: new Date("2026-03-01T00:00:00Z") });
  });

  it("patches an entry: unnamed fields keep their value, null clears, a model replaces a pattern", () => {
    const old = entry({ id: "a", modelPattern: "gpt-4o-*", cacheReadPerMTok: "0.5" });
    const p = applyPatch(old, { model: "gpt-4o", cacheReadPerMTok: null, outputPerMTok: "3" });
    expect(p.ok && p.entry).toMatchObject({ model: "gpt-4o", modelPattern: null, cacheReadPerMTok: null, outputPerMTok: "3", inputPerMTok: "1", source: "test" });
    const q = applyPatch(old, { effectiveTo: "2025-06-01" });
    expect(q.ok ? [] : q.errors).toEqual([{ path: "entry.effectiveTo", message: "effectiveTo must be after effectiveFrom" }]);
  });

  it("treats equal rates written differently as the same terms, and knows when one window covers another", () => {
    const a = entry({ id: "a", inputPerMTok: "2.50" });
    const b = entry({ id: "b", inputPerMTok: "2.5", effectiveFrom: "2026-06-01T00:00:00Z", effectiveTo: "2026-07-01T00:00:00Z" });
    expect(sameTerms(a, b)).toBe(true);
    expect(covers(a, b)).toBe(true);
    expect(covers(b, a)).toBe(false);
    expect(sameTerms(a, entry({ id: "c", inputPerMTok: "2.5", cacheReadPerMTok: "1" }))).toBe(false);
  });

  it("sees a change in tiers, service tiers, fees or modality rates as a change of terms", () => {
    const a = entry({ id: "a", tiers: [{ aboveTokens: 200_000, inputPerMTok: "2", outputPerMTok: "4" }], toolFees: { webSearch: "0.01", fileSearch: "0.0025" } });
    expect(sameTerms(a, entry({ id: "b", tiers: [{ aboveTokens: 200_000, inputPerMTok: "2.0", outputPerMTok: "4" }], toolFees: { fileSearch: "0.0025", webSearch: "0.010" } }))).toBe(true);
    expect(sameTerms(a, entry({ id: "c", tiers: [{ aboveTokens: 128_000, inputPerMTok: "2", outputPerMTok: "4" }], toolFees: { webSearch: "0.01", fileSearch: "0.0025" } }))).toBe(false);
    expect(sameTerms(a, { ...a, serviceTiers: { batch: { multiplier: "0.5", rates: null } } })).toBe(false);
    expect(sameTerms(a, { ...a, toolFees: { webSearch: "0.01" } })).toBe(false);
    expect(sameTerms(a, { ...a, modalityRates: { audioInputPerMTok: "1", audioOutputPerMTok: null, imageInputPerMTok: null } })).toBe(false);
  });
});
