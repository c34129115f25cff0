// Contracts: which contract governs an event (model-specific over provider-wide, dates, name variants),
// what it applies to (estimated and incomplete, never billed, GPU or unpriced), and the property that a
// contract never raises a cost: contracted = list × (1 − p/100) exactly, and contracted ≤ list.
import DecimalJs from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyContract, discounted, matchContract, type Contract } from "@/lib/pricing/contracts";
import { parsePriceEntry } from "@/lib/pricing/price-entry";
import { costEvent, type EventCost } from "@/lib/pricing/price-event";
import { groupByProvider, repriceEvent, type StoredEvent } from "@/lib/pricing/reprice";
import { contractChangeSchema } from "@/lib/pricing/schemas";
import { fullUsage } from "./usage-arbitrary";

// Enough precision that the independent computation below never rounds (usage reaches 2^53 tokens).
const Decimal = DecimalJs.clone({ precision: 200 });

const contract = (over: Partial<Contract>): Contract => ({
  id: "c",
  provider: "anthropic",
  model: null,
  percentOff: "20",
  effectiveFrom: new Date("2026-01-01T00:00:00Z"),
  effectiveTo: null,
  note: "",
  createdAt: new Date("2026-01-01T00:00:00Z"),
  ...over,
});
const at = new Date("2026-03-10T10:00:00Z");

describe("matching a contract", () => {
  const wide = contract({ id: "wide" });
  const sonnet = contract({ id: "sonnet", model: "claude-sonnet-4-5", percentOff: "30" });

  it("takes the model-specific contract over the provider-wide one, whatever their order", () => {
    expect(matchContract([wide, sonnet], "anthropic", "claude-sonnet-4-5", at)?.id).toBe("sonnet");
    expect(matchContract([sonnet, wide], "anthropic", "claude-sonnet-4-5", at)?.id).toBe("sonnet");
    expect(matchContract([wide, sonnet], "anthropic", "claude-haiku-4-5", at)?.id).toBe("wide");
  });

  it("compares the provider like the price book and matches the model's dated and prefixed names", () => {
    expect(matchContract([sonnet], " Anthropic ", "claude-sonnet-4-5-20250929", at)?.id).toBe("sonnet");
    expect(matchContract([sonnet], "anthropic", "anthropic/claude-sonnet-4-5", at)?.id).toBe("sonnet");
    expect(matchContract([sonnet], "anthropic", "claude-sonnet-4", at)).toBeNull();
    expect(matchContract([wide], "openai", "gpt-4o", at)).toBeNull();
  });

  it("applies from effectiveFrom (inclusive) up to effectiveTo (exclusive)", () => {
    const march = contract({ effectiveFrom: new Date("2026-03-01T00:00:00Z"), effectiveTo: new Date("2026-04-01T00:00:00Z") });
    expect(matchContract([march], "anthropic", "m", new Date("2026-02-28T23:59:59.999Z"))).toBeNull();
    expect(matchContract([march], "anthropic", "m", new Date("2026-03-01T00:00:00Z"))).toBe(march);
    expect(matchContract([march], "anthropic", "m", new Date("2026-03-31T23:59:59.999Z"))).toBe(march);
    expect(matchContract([march], "anthropic", "m", new Date("2026-04-01T00:00:00Z"))).toBeNull();
  });

  it("a model-specific contract out of its dates leaves the provider-wide one in force", () => {
    const ended = contract({ id: "ended", model: "claude-sonnet-4-5", effectiveTo: new Date("2026-02-01T00:00:00Z") });
    expect(matchContract([ended, wide], "anthropic", "claude-sonnet-4-5", at)?.id).toBe("wide");
  });

  it("between two of the same kind, the later start wins", () => {
    const older = contract({ id: "older", effectiveFrom: new Date("2025-01-01T00:00:00Z") });
    expect(matchContract([wide, older], "anthropic", "m", at)?.id).toBe("wide");
    expect(matchContract([older, wide], "anthropic", "m", at)?.id).toBe("wide");
  });
});

describe("what a contract applies to", () => {
  const ev = { provider: "anthropic", model: "claude-sonnet-4-5", timestamp: at };
  const contracts = [contract({})];
  it("discounts estimated and incomplete costs and keeps the list cost", () => {
    const est: EventCost = { source: "estimated", cost: "0.0456", priceEntryId: "p", components: {} as never };
    expect(applyContract(est, contracts, ev)).toMatchObject({ cost: { source: "estimated", cost: "0.03648" }, listCost: "0.0456" });
    const inc: EventCost = { source: "incomplete", cost: "1", priceEntryId: "p", components: {} as never, reason: "incomplete: x" };
    expect(applyContract(inc, contracts, ev)).toMatchObject({ cost: { source: "incomplete", cost: "0.8", reason: "incomplete: x" }, listCost: "1" });
  });
  it("never touches billed (the bill has the discount), GPU, unpriced or no-cost events", () => {
    for (const cost of [
      { source: "billed", cost: "0.5", priceEntryId: null },
      { source: "gpu", cost: null },
      { source: "unpriced", cost: null, reason: "no price" },
      { source: "none", cost: "0" },
    ] as EventCost[]) {
      expect(applyContract(cost, contracts, ev)).toEqual({ cost, listCost: null, contract: null });
    }
  });
  it("leaves a cost with no matching contract as list, with no list cost of its own", () => {
    const est: EventCost = { source: "estimated", cost: "0.0054", priceEntryId: "p", components: {} as never };
    expect(applyContract(est, contracts, { ...ev, provider: "openai" })).toEqual({ cost: est, listCost: null, contract: null });
  });
});

describe("a contract never raises a cost", () => {
  const entry = parsePriceEntry({
    id: "e",
    provider: "anthropic",
    model: "claude-sonnet-4-5",
    effectiveFrom: "2025-01-01T00:00:00Z",
    inputPerMTok: "3",
    cacheReadPerMTok: "0.30",
    cacheWritePerMTok: "3.75",
    cacheWrite1hPerMTok: "6",
    outputPerMTok: "15",
    source: "test",
  });
  // 0 < p < 100 with up to four decimals.
  const percent = fc.integer({ min: 1, max: 999_999 }).map((n) => new Decimal(n).div(10_000).toFixed());

  it("contracted = list × (1 − p/100) exactly, and contracted ≤ list", () => {
    fc.assert(
      fc.property(fullUsage, percent, (usage, p) => {
        const list = costEvent({ usage, provider: "anthropic", model: "claude-sonnet-4-5", timestamp: at, kind: "llm" }, [entry]);
        const { cost, listCost } = applyContract(list, [contract({ percentOff: p })], { provider: "anthropic", model: "claude-sonnet-4-5", timestamp: at });
        if (list.source !== "estimated") return;
        expect(listCost).toBe(list.cost);
        const expected = new Decimal(list.cost).times(new Decimal(1).minus(new Decimal(p).div(100)));
        expect(new Decimal(cost.cost!).eq(expected)).toBe(true);
        expect(new Decimal(cost.cost!).lte(list.cost)).toBe(true);
      }),
    );
  });

  it("holds for the stored figures too (both rounded to 12 places): re-pricing stores contracted ≤ list", () => {
    const book = groupByProvider([entry]);
    fc.assert(
      fc.property(fullUsage, percent, (usage, p) => {
        const stored: StoredEvent = {
          id: "x", ts: at, kind: "llm", provider: "anthropic", model: "claude-sonnet-4-5", usage, extras: {},
          costUsd: null, listCostUsd: null, costSource: "unpriced", priceEntryId: null, unpricedReason: "no price",
        };
        const u = repriceEvent(stored, book, [contract({ percentOff: p })]);
        expect(u).not.toBeNull();
        expect(new Decimal(u!.costUsd!).lte(u!.listCostUsd!)).toBe(true);
        expect(new Decimal(u!.costUsd!).decimalPlaces()).toBeLessThanOrEqual(12);
      }),
    );
  });

  it("discounted is exact for a fractional percentage", () => {
    expect(discounted("0.0456", "12.5")).toBe("0.0399");
    expect(discounted("1", "33.3333")).toBe("0.666667");
  });
});

describe("re-pricing with a contract", () => {
  const entry = parsePriceEntry({ id: "e", provider: "openai", model: "gpt-4o", effectiveFrom: "2026-01-01T00:00:00Z", inputPerMTok: "1", outputPerMTok: "2", source: "t" });
  const base: StoredEvent = {
    id: "e1", ts: at, kind: "llm", provider: "openai", model: "gpt-4o",
    usage: { inputTokens: 1000, cacheReadTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 0, outputTokens: 500, reasoningTokens: 0, toolOutputTokens: 0 },
    extras: {}, costUsd: "0.002", listCostUsd: null, costSource: "estimated", priceEntryId: "e", unpricedReason: null,
  };
  const c = contract({ provider: "openai", percentOff: "25" });
  it("a new contract changes the cost and keeps the list cost", () => {
    expect(repriceEvent(base, groupByProvider([entry]), [c])).toMatchObject({ costUsd: "0.0015", listCostUsd: "0.002" });
  });
  it("retiring it puts the list cost back and clears list_cost_usd", () => {
    const contracted = { ...base, costUsd: "0.0015", listCostUsd: "0.002" };
    expect(repriceEvent(contracted, groupByProvider([entry]), [])).toMatchObject({ costUsd: "0.002", listCostUsd: null });
    expect(repriceEvent(contracted, groupByProvider([entry]), [c])).toBeNull();
  });
  it("never re-prices a billed event under a contract", () => {
    expect(repriceEvent({ ...base, costSource: "billed", costUsd: "0.5" }, groupByProvider([entry]), [c])).toBeNull();
  });
});

describe("the contract input", () => {
  const ok = { provider: "anthropic", percentOff: "20", effectiveFrom: "2026-01-01" };
  it("accepts a provider-wide contract from a date, and a model one with an end", () => {
    expect(contractChangeSchema.parse({ contract: ok }).contract).toMatchObject({ model: null, percentOff: "20", effectiveFrom: "2026-01-01T00:00:00.000Z", effectiveTo: null, note: "" });
    expect(contractChangeSchema.parse({ contract: { ...ok, model: "claude-sonnet-4-5", percentOff: 12.5, effectiveTo: "2026-07-01" }, dryRun: true })).toMatchObject({ dryRun: true, contract: { percentOff: "12.5" } });
  });
  it.each([
    [{ ...ok, percentOff: "0" }, "contract.percentOff"],
    [{ ...ok, percentOff: 100 }, "contract.percentOff"],
    [{ ...ok, percentOff: "-5" }, "contract.percentOff"],
    [{ ...ok, percentOff: "ten" }, "contract.percentOff"],
    [{ ...ok, provider: " " }, "contract.provider"],
    [{ ...ok, effectiveFrom: "soon" }, "contract.effectiveFrom"],
    [{ ...ok, effectiveTo: "2025-12-01" }, "contract.effectiveTo"],
    [{ ...ok, percent: 20 }, "contract"],
  ])("refuses %j naming %s", (input, path) => {
    const r = contractChangeSchema.safeParse({ contract: input });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => ["contract", ...i.path].join(".").replace(/^contract\.contract/, "contract"))).toContain(path);
  });
});
