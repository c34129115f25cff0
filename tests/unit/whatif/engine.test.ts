// The what-if engine's pure parts: token shifts, the rollup's percentile, fleet sizing, break-even,
// re-pricing one event through the ingest pricing path, and the scenario schema's 400s.
import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { breakEvenRequests, fleetSize, percentile, repriceLlmEvent, scenarioWindow, shiftUsage, statsOf, type WindowEvent } from "@/lib/whatif/engine";
import { whatifSchema } from "@/lib/whatif/schemas";
import { parsePriceEntry } from "@/lib/pricing/price-entry";
import { groupByProvider } from "@/lib/pricing/reprice";
import { validate } from "@/lib/http/validation";
import { AppError } from "@/lib/errors";
import { zeroUsage } from "@/lib/ingest/usage";

const D = (v: string | number) => new Decimal(v);
const usage = (u: Partial<Record<string, number>>) => ({ ...zeroUsage(), ...u });

describe("percentile", () => {
  it("interpolates linearly between ranks, like cr_percentile", () => {
    const v = ["1", "2", "3", "10"].map(D);
    expect(percentile(v, "0.5")!.toFixed()).toBe("2.5");
    expect(percentile(v, "0.95")!.toFixed()).toBe("8.95"); // pos 2.85: 3 + 7 × 0.85
    expect(percentile([], "0.5")).toBeNull();
  });
  it("statsOf rounds the mean to 12 places half up", () => {
    expect(statsOf(["1", "1", "2"].map(D)).costPerRequest.mean).toBe("1.333333333333");
    expect(statsOf(["0.000000000001", "0.000000000002"].map(D)).costPerRequest.mean).toBe("0.000000000002");
  });
});

describe("token shifts", () => {
  it("moves uncached text input into cache reads at the rate, leaving modality input and cache writes", () => {
    const r = shiftUsage(usage({ inputTokens: 1000, cacheReadTokens: 200, cacheWriteTokens: 50 }), { imageInputTokens: 100 }, { cacheHitRatePct: "50" });
    // text pool = 900 + 200 = 1100 → 550 read, 550 uncached + 100 image
    expect(r.usage).toMatchObject({ inputTokens: 650, cacheReadTokens: 550, cacheWriteTokens: 50 });
  });
  it("grows prompts, scales then caps output, keeping audio output within output", () => {
    const r = shiftUsage(usage({ inputTokens: 1000, outputTokens: 1000 }), { audioOutputTokens: 900 }, { promptGrowthPct: "25", outputScalePct: "50", outputCap: 300 });
    expect(r.usage.inputTokens).toBe(1250);
    expect(r.usage.outputTokens).toBe(300);
    expect(r.extras.audioOutputTokens).toBe(300);
  });
  it("rounds half up to whole tokens", () => {
    expect(shiftUsage(usage({ outputTokens: 3 }), {}, { outputScalePct: "50" }).usage.outputTokens).toBe(2);
  });
});

describe("self-hosting", () => {
  it("sizes a fleet of whole GPUs, at least one", () => {
    expect(fleetSize(D(0), 168, "50")).toBe(1);
    expect(fleetSize(D(84), 168, "50")).toBe(1);
    expect(fleetSize(D("84.0001"), 168, "50")).toBe(2);
  });
  it("breaks even where one GPU-week's cost is covered by the saving per request", () => {
    // $420 a GPU-week, $1 saved per request, 1 busy hour per request at 50 %: 84 requests per GPU-week,
    // so one GPU never fills up before it pays off → no break-even.
    expect(breakEvenRequests(D(1), D(0), D(420), D(1), "50")).toBeNull();
    // 0.01 busy hours per request: 8,400 requests per GPU-week; 420 needed.
    expect(breakEvenRequests(D(1), D(0), D(420), D("0.01"), "50")).toBe(420);
    expect(breakEvenRequests(D(1), D(1), D(420), D("0.01"), "50")).toBeNull();
  });
});

describe("re-pricing one event", () => {
  const entry = parsePriceEntry({
    id: "e1",
    provider: "acme",
    model: "big",
    effectiveFrom: new Date("2016-01-01T00:00:00Z"),
    effectiveTo: null,
    inputPerMTok: "3",
    cacheReadPerMTok: "0.3",
    cacheWritePerMTok: null,
    cacheWrite1hPerMTok: null,
    outputPerMTok: "15",
    reasoningPerMTok: null,
    toolOutputPerMTok: null,
    perCallUsd: null,
    tiers: null,
    serviceTiers: { batch: { multiplier: "0.5" } },
    toolFees: null,
    modalityRates: null,
    currency: "USD",
    source: "test",
    version: 1,
  });
  const pricing = { book: groupByProvider([entry]), contracts: [], overhead: { globalPercent: null, perFeature: {} } };
  const event: WindowEvent = {
    requestId: "r",
    id: "e",
    ts: new Date("2016-03-08T12:00:00Z"),
    kind: "llm",
    provider: "other",
    model: "small",
    usage: usage({ inputTokens: 1000, outputTokens: 100 }),
    extras: {},
    costUsd: "0.5",
    costSource: "billed",
    unpricedReason: null,
  };
  it("keeps a billed cost for the identity candidate and re-prices it when the model changes", () => {
    expect(repriceLlmEvent(event, {}, pricing)).toMatchObject({ cost: "0.5", source: "billed" });
    // 1000 × 3 + 100 × 15 = 4500 / 10^6
    expect(repriceLlmEvent(event, { provider: "acme", model: "big" }, pricing)).toMatchObject({ cost: "0.0045", source: "estimated" });
    expect(repriceLlmEvent(event, { provider: "acme", model: "big", serviceTier: "batch" }, pricing)).toMatchObject({ cost: "0.00225" });
  });
  it("flags an event the candidate cannot price, never guessing", () => {
    const r = repriceLlmEvent(event, { provider: "acme", model: "unknown" }, pricing);
    expect(r).toMatchObject({ cost: null, source: "unpriced" });
    expect(r.reason).toMatch(/no price for acme\/unknown/);
  });
});

describe("the scenario schema", () => {
  const ok = { endpoint: "chat.answer", candidates: [{}] };
  const paths = (body: unknown) => {
    try {
      validate(whatifSchema, body);
      return [];
    } catch (e) {
      return ((e as AppError).details?.errors ?? []).map((x) => x.path);
    }
  };
  it("accepts a minimal scenario with growth 1", () => {
    expect(validate(whatifSchema, ok).growth).toBe("1");
  });
  it("names each bad field", () => {
    expect(paths({ ...ok, candidates: [] })).toEqual(["candidates"]);
    expect(paths({ ...ok, from: "2016-03-01", to: "2016-04-15" })).toEqual(["to"]);
    expect(paths({ ...ok, from: "2016-03-01" })).toEqual(["to"]);
    expect(paths({ ...ok, candidates: [{ provider: "x" }] })).toEqual(["candidates.0.model"]);
    expect(paths({ ...ok, candidates: [{ cacheHitRatePct: 120 }] })).toEqual(["candidates.0.cacheHitRatePct"]);
    expect(paths({ ...ok, candidates: [{ selfHosted: { hourlyUsd: "2", targetUtilisationPct: 50 } }] })).toEqual(["candidates.0.selfHosted.tokensPerSecondPerGpu"]);
    expect(paths({ ...ok, candidates: [{ selfHosted: { hourlyUsd: "0", tokensPerSecondPerGpu: 10, targetUtilisationPct: 50 } }] })).toEqual(["candidates.0.selfHosted.hourlyUsd"]);
    expect(paths({ ...ok, growth: 0 })).toEqual(["growth"]);
  });
  it("defaults to the last complete week in the time zone", () => {
    // Wednesday 2016-03-16 in UTC: the last complete week is 7–13 March.
    expect(scenarioWindow({}, "UTC", new Date("2016-03-16T12:00:00Z"))).toEqual({ from: "2016-03-07", to: "2016-03-13", days: 7, timezone: "UTC" });
  });
});
