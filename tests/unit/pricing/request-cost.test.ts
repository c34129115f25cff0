// The request breakdown: direct + GPU + overhead (for the first event's feature), exact, and honest
// about unpriced parts.
import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { buildRequestCost, type GpuShareView, type RequestEvent } from "@/lib/pricing/request-cost";
import { overheadConfigSchema } from "@/lib/pricing/schemas";

const zero = { inputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 0, outputTokens: 0, reasoningTokens: 0, toolOutputTokens: 0 };
const ev = (id: string, over: Partial<RequestEvent> = {}): RequestEvent => ({
  id,
  timestamp: "2026-10-05T10:00:00.000Z",
  kind: "llm",
  provider: "openai",
  model: "gpt-4o-mini",
  tags: { endpoint: null, feature: "chat", team: null, cohort: null },
  tokens: zero,
  serviceTier: null,
  toolCalls: null,
  modalityTokens: { audioInputTokens: 0, audioOutputTokens: 0, imageInputTokens: 0 },
  status: "ok",
  attempt: 1,
  latencyMs: null,
  pool: null,
  gpuSeconds: null,
  costUsd: "0.1",
  listCostUsd: null,
  costSource: "billed",
  unpricedReason: null,
  priceEntry: null,
  ...over,
});
const share = (costUsd: string | null): GpuShareView => ({
  pool: "a100",
  hour: "2026-10-05T10:00:00.000Z",
  gpuSeconds: 360,
  costUsd,
  poolHour: { costUsd: costUsd === null ? null : "3.6", status: costUsd === null ? "unpriced" : "priced", split: "proportional", requests: 2, gpuSeconds: 1080, utilisation: 0.3, priceId: null, hourlyUsd: null },
});
const config = overheadConfigSchema.parse({ globalPercent: "10", perFeature: { chat: "25", search: "0" } });

describe("buildRequestCost", () => {
  it("keeps what is paid in the totals and shows the list total beside it when a contract discounted an event", () => {
    const r = buildRequestCost("r", [ev("a", { costUsd: "0.8", listCostUsd: "1", costSource: "estimated" }), ev("b")], [], config);
    // chat: 25 % overhead. Paid: (0.8 + 0.1) × 1.25; at list: (1 + 0.1) × 1.25.
    expect(r.direct).toMatchObject({ costUsd: "0.9", listCostUsd: "1.1" });
    expect(r.total).toMatchObject({ costUsd: "1.125", listCostUsd: "1.375" });
    expect(r.total.note).toContain("$1.375 at list");
    const plain = buildRequestCost("r", [ev("b")], [], config);
    expect(plain.total).toMatchObject({ costUsd: "0.125", listCostUsd: "0.125" });
    expect(plain.total.note).not.toContain("at list");
  });

  it("adds direct, GPU and the feature's overhead exactly", () => {
    const r = buildRequestCost("r1", [ev("e1", { costUsd: "0.1" }), ev("e2", { costUsd: "0.2" }), ev("g", { kind: "gpu", costSource: "gpu", costUsd: null })], [share("1.2")], config);
    expect(r).toMatchObject({
      complete: true,
      unpricedEvents: 0,
      direct: { costUsd: "0.3", events: 2, pricedEvents: 2 },
      gpu: { costUsd: "1.2" },
      overhead: { percent: "25", source: "feature", feature: "chat", baseUsd: "1.5", costUsd: "0.375" },
      total: { costUsd: "1.875" },
    });
  });

  it("takes the feature from the first event only", () => {
    const r = buildRequestCost("r1", [ev("e1", { tags: { endpoint: null, feature: "summaries", team: null, cohort: null } }), ev("e2")], [], config);
    expect(r.overhead).toMatchObject({ feature: "summaries", source: "global", percent: "10" });
  });

  it("honours an override of 0 and reports no overhead when none is configured", () => {
    const searchFirst = [ev("e1", { tags: { endpoint: null, feature: "search", team: null, cohort: null } })];
    expect(buildRequestCost("r", searchFirst, [], config).overhead).toMatchObject({ source: "feature", percent: "0", costUsd: "0" });
    const none = overheadConfigSchema.parse({});
    expect(buildRequestCost("r", searchFirst, [], none).overhead).toMatchObject({ source: "none", percent: "0", costUsd: "0" });
  });

  it("counts an incomplete event's known part in the totals and marks the request as not complete", () => {
    const r = buildRequestCost(
      "r",
      [ev("e1", { costUsd: "0.5" }), ev("e2", { costUsd: "0.25", costSource: "incomplete", unpricedReason: "incomplete: 2 webSearch calls with no fee" })],
      [],
      config,
    );
    expect(r).toMatchObject({ complete: false, unpricedEvents: 0, incompleteEvents: 1, direct: { costUsd: "0.75", pricedEvents: 2 } });
    expect(r.total.note).toMatch(/1 event is priced in part only/);
  });

  it("leaves unpriced events and unpriced GPU shares out of every sum and says so", () => {
    const r = buildRequestCost(
      "r",
      [ev("e1", { costUsd: "0.5" }), ev("e2", { costUsd: null, costSource: "unpriced", unpricedReason: "no price" })],
      [share(null)],
      config,
    );
    expect(r).toMatchObject({ complete: false, unpricedEvents: 1, unpricedGpuShares: 1, direct: { costUsd: "0.5" }, gpu: { costUsd: "0" } });
    expect(r.total.costUsd).toBe("0.625");
    expect(r.total.note).toMatch(/excludes 1 unpriced event and 1 GPU share of an unpriced pool-hour/);
  });

  it("stays exact with many small costs", () => {
    const events = Array.from({ length: 1000 }, (_, i) => ev(`e${i}`, { costUsd: "0.000000000001" }));
    const r = buildRequestCost("r", events, [], config);
    expect(r.direct.costUsd).toBe("0.000000001");
    expect(new Decimal(r.total.costUsd).equals(new Decimal("0.000000001").mul("1.25"))).toBe(true);
  });
});
