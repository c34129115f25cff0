// Prices that match the bill, over HTTP: long-context tiers, served service tiers, tool fees and audio,
// each ingested as the provider's own usage object and read back from GET /api/v1/requests/{id} with the
// exact total. Every expected figure is computed here from the providers' published list prices, written
// out as literal USD-per-million rates with their source, independently of the catalogue code.
// Then the incomplete status: stored with the part that can be priced, counted on coverage per model with
// the reason and in the weekly figures beside unpriced. Week 2026-W38 (14–20 September) is this file's own.
import Decimal from "decimal.js";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/generate-org";
import { signIn, withKey, type Session } from "../support/http";

const baseUrl = inject("baseUrl");
const run = `bill${Date.now().toString(36)}`;
const TS = "2026-09-15T10:00:00Z";
let admin: Session;
let svc: Session;

beforeAll(async () => {
  admin = await signIn(baseUrl, "admin@example.com", DEMO_PASSWORD);
  const res = await admin.fetch("/api/v1/api-keys", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name: "bill parts", scope: "ingest" }) });
  svc = withKey(baseUrl, ((await res.json()) as { key: string }).key);
});

type Breakdown = {
  complete: boolean;
  incompleteEvents: number;
  direct: { costUsd: string };
  overhead: { baseUsd: string; costUsd: string };
  total: { costUsd: string };
  events: { costUsd: string | null; costSource: string; unpricedReason: string | null; serviceTier: string | null; toolCalls: Record<string, number> | null; modalityTokens: Record<string, number> }[];
};

/** Σ tokens × USD per million tokens ÷ 10^6, in decimal.js. */
const perMillion = (...parts: [tokens: number, usdPerMTok: string][]) => parts.reduce((s, [t, r]) => s.plus(new Decimal(t).times(r)), new Decimal(0)).div(1_000_000);

async function ingestOne(name: string, event: Record<string, unknown>): Promise<{ requestId: string; body: Breakdown }> {
  const requestId = `${run}-${name}`;
  const res = await svc.fetch("/api/v1/events", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ events: [{ id: `${requestId}-e`, timestamp: TS, requestId, endpoint: `${run}-ep`, cohort: "pro", ...event }] }),
  });
  const ingested = await res.json();
  expect(res.status, JSON.stringify(ingested)).toBe(200);
  expect(ingested, JSON.stringify(ingested)).toMatchObject({ accepted: 1, rejected: [] });
  const back = await admin.fetch(`/api/v1/requests/${encodeURIComponent(requestId)}`);
  const body = (await back.json()) as Breakdown;
  expect(back.status, JSON.stringify(body)).toBe(200);
  return { requestId, body };
}

/** The event's cost and the request's direct cost are exactly `expected`; the total is direct plus its overhead. */
function exactly(body: Breakdown, expected: Decimal, source = "estimated") {
  const event = body.events[0]!;
  expect(event.costSource, event.unpricedReason ?? "").toBe(source);
  expect(event.costUsd).toBe(expected.toFixed());
  expect(body.direct.costUsd).toBe(expected.toFixed());
  expect(body.overhead.baseUsd).toBe(expected.toFixed());
  expect(body.total.costUsd).toBe(expected.plus(body.overhead.costUsd).toFixed());
}

describe("golden bills over HTTP", () => {
  // Gemini API pricing (https://ai.google.dev/gemini-api/docs/pricing), Gemini 2.5 Pro, per million tokens:
  // prompts <= 200k: input 1.25, output (thinking included) 10.00, context cache 0.31;
  // prompts > 200k (cached content counts toward the prompt): input 2.50, output 15.00, context cache 0.625.
  it("prices a Gemini 2.5 Pro request below 200k prompt tokens at the base rates", async () => {
    const { body } = await ingestOne("gemini-below", {
      provider: "google",
      model: "gemini-2.5-pro",
      rawUsage: { usageMetadata: { promptTokenCount: 150_000, cachedContentTokenCount: 50_000, candidatesTokenCount: 2_000, thoughtsTokenCount: 1_000, totalTokenCount: 153_000 } },
    });
    exactly(body, perMillion([100_000, "1.25"], [50_000, "0.31"], [3_000, "10.00"]));
  });

  it("prices a Gemini 2.5 Pro request above 200k prompt tokens (cached included) wholly at the long-context rates", async () => {
    const { body } = await ingestOne("gemini-above", {
      provider: "google",
      model: "gemini-2.5-pro",
      // 160k uncached + 50k cached = 210k prompt tokens: above the threshold only because cached tokens count.
      rawUsage: { usageMetadata: { promptTokenCount: 210_000, cachedContentTokenCount: 50_000, candidatesTokenCount: 2_000, thoughtsTokenCount: 1_000, totalTokenCount: 213_000 } },
    });
    exactly(body, perMillion([160_000, "2.50"], [50_000, "0.625"], [3_000, "15.00"]));
  });

  // Anthropic pricing (https://docs.anthropic.com/en/docs/about-claude/pricing), Claude Sonnet 4.5 with the 1M
  // context, requests above 200k input tokens (input + cache reads + cache writes), per million tokens:
  // input 6, output 22.50, cache read 0.60, 5-minute cache write 7.50.
  it("prices a Claude Sonnet 4.5 request above 200k input tokens wholly at the long-context rates", async () => {
    const { body } = await ingestOne("sonnet-above", {
      provider: "anthropic",
      model: "claude-sonnet-4-5-20250929",
      rawUsage: { input_tokens: 150_000, cache_read_input_tokens: 40_000, cache_creation_input_tokens: 20_000, output_tokens: 3_000 },
    });
    exactly(body, perMillion([150_000, "6"], [40_000, "0.60"], [20_000, "7.50"], [3_000, "22.50"]));
  });

  // OpenAI API pricing (https://platform.openai.com/docs/pricing), GPT-5, per million tokens:
  // Flex: input 0.625, cached input 0.0625, output 5.00; Priority: input 2.50, cached input 0.25, output 20.00.
  it("prices an OpenAI Responses result served by flex at the flex rates, the tier read from the response", async () => {
    const { body } = await ingestOne("openai-flex", {
      provider: "openai",
      model: "gpt-5-2025-08-07",
      rawUsage: {
        object: "response",
        service_tier: "flex",
        usage: { input_tokens: 10_000, input_tokens_details: { cached_tokens: 4_000 }, output_tokens: 2_000, output_tokens_details: { reasoning_tokens: 1_500 }, total_tokens: 12_000 },
      },
    });
    expect(body.events[0]!.serviceTier).toBe("flex");
    exactly(body, perMillion([6_000, "0.625"], [4_000, "0.0625"], [2_000, "5.00"]));
  });

  it("prices an OpenAI Chat Completions result served by priority at the priority rates", async () => {
    const { body } = await ingestOne("openai-priority", {
      provider: "openai",
      model: "gpt-5",
      rawUsage: {
        object: "chat.completion",
        service_tier: "priority",
        usage: { prompt_tokens: 10_000, completion_tokens: 2_000, total_tokens: 12_000, prompt_tokens_details: { cached_tokens: 4_000 }, completion_tokens_details: { reasoning_tokens: 500 } },
      },
    });
    exactly(body, perMillion([6_000, "2.50"], [4_000, "0.25"], [2_000, "20.00"]));
  });

  // Anthropic pricing: Claude Haiku 4.5 input 1, output 5, cache read 0.10 per million; Message Batches 50% off.
  it("prices an Anthropic batch result at half the list price, the tier read from usage.service_tier", async () => {
    const { body } = await ingestOne("anthropic-batch", {
      provider: "anthropic",
      model: "claude-haiku-4-5",
      rawUsage: { input_tokens: 20_000, cache_read_input_tokens: 5_000, output_tokens: 1_000, service_tier: "batch" },
    });
    expect(body.events[0]!.serviceTier).toBe("batch");
    exactly(body, perMillion([20_000, "1"], [5_000, "0.10"], [1_000, "5"]).div(2));
  });

  // Anthropic pricing: Claude Sonnet 4.5 input 3, output 15 per million; web search $10 per 1,000 searches.
  it("adds $10 per 1,000 web searches to an Anthropic response with two searches", async () => {
    const { body } = await ingestOne("anthropic-search", {
      provider: "anthropic",
      model: "claude-sonnet-4-5",
      rawUsage: { input_tokens: 3_000, output_tokens: 500, server_tool_use: { web_search_requests: 2 } },
    });
    expect(body.events[0]!.toolCalls).toEqual({ webSearch: 2 });
    exactly(body, perMillion([3_000, "3"], [500, "15"]).plus(new Decimal(2).times(10).div(1_000)));
  });

  // OpenAI API pricing: gpt-4o-audio-preview text input 2.50, text output 10.00, audio input 40.00, audio output 80.00 per million.
  it("prices an OpenAI audio response's audio tokens at the audio rates and only the rest at the text rates", async () => {
    const { body } = await ingestOne("openai-audio", {
      provider: "openai",
      model: "gpt-4o-audio-preview",
      rawUsage: {
        prompt_tokens: 1_500,
        completion_tokens: 800,
        total_tokens: 2_300,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 1_000 },
        completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 600 },
      },
    });
    expect(body.events[0]!.modalityTokens).toEqual({ audioInputTokens: 1_000, audioOutputTokens: 600, imageInputTokens: 0 });
    exactly(body, perMillion([500, "2.50"], [1_000, "40.00"], [200, "10.00"], [600, "80.00"]));
  });

  // Gemini API pricing: Gemini 2.5 Flash text/image/video input 0.30, audio input 1.00, output 2.50 per million.
  it("prices a Gemini audio prompt's AUDIO tokens at the audio rate", async () => {
    const { body } = await ingestOne("gemini-audio", {
      provider: "google",
      model: "gemini-2.5-flash",
      rawUsage: {
        usageMetadata: {
          promptTokenCount: 5_000,
          candidatesTokenCount: 300,
          totalTokenCount: 5_300,
          promptTokensDetails: [{ modality: "TEXT", tokenCount: 1_000 }, { modality: "AUDIO", tokenCount: 4_000 }],
        },
      },
    });
    exactly(body, perMillion([1_000, "0.30"], [4_000, "1.00"], [300, "2.50"]));
  });
});

describe("incomplete prices", () => {
  type Group = { provider: string | null; model: string | null; reason: string | null; events: number };
  type Coverage = { unpriced: { events: number }; incomplete: { events: number; groups: Group[] } };

  it("stores what can be priced, flags the rest with a reason, and counts it on coverage and in the weekly figures", async () => {
    // Anthropic's priority tier is a commitment with no list price: priced at the standard rate, flagged.
    const priority = await ingestOne("anthropic-priority", {
      provider: "anthropic",
      model: "claude-haiku-4-5",
      rawUsage: { input_tokens: 10_000, output_tokens: 1_000, service_tier: "priority" },
    });
    exactly(priority.body, perMillion([10_000, "1"], [1_000, "5"]), "incomplete");
    expect(priority.body.events[0]!.unpricedReason).toMatch(/service tier "priority"/);
    expect(priority.body).toMatchObject({ complete: false, incompleteEvents: 1 });

    // Code execution has no per-call price in the price book: the tokens are priced, the calls are not.
    const tools = await ingestOne("anthropic-code", {
      provider: "anthropic",
      model: "claude-haiku-4-5",
      rawUsage: { input_tokens: 2_000, output_tokens: 100, server_tool_use: { code_execution_requests: 3 } },
    });
    exactly(tools.body, perMillion([2_000, "1"], [100, "5"]), "incomplete");
    expect(tools.body.events[0]!.unpricedReason).toMatch(/3 codeExecution calls with no fee/);

    // A count the normaliser cannot place (OpenAI has no image_tokens detail today): the rest is priced, the key named.
    // OpenAI API pricing: GPT-4.1 input 2.00, output 8.00 per million.
    const unknown = await ingestOne("openai-unknown", {
      provider: "openai",
      model: "gpt-4.1",
      rawUsage: { prompt_tokens: 1_000, completion_tokens: 100, prompt_tokens_details: { cached_tokens: 0, image_tokens: 300 } },
    });
    exactly(unknown.body, perMillion([1_000, "2.00"], [100, "8.00"]), "incomplete");
    expect(unknown.body.events[0]!.unpricedReason).toMatch(/usage key prompt_tokens_details\.image_tokens \(300\)/);

    expect((await admin.fetch("/api/v1/rollups/refresh", { method: "POST" })).status).toBe(200);
    const cov = (await (await admin.fetch("/api/v1/coverage?week=2026-W38")).json()) as Coverage;
    const haiku = cov.incomplete.groups.find((g) => g.provider === "anthropic" && g.model === "claude-haiku-4-5");
    expect(haiku?.events).toBeGreaterThanOrEqual(2);
    expect(haiku?.reason).toMatch(/^incomplete: /);
    expect(cov.incomplete.groups.find((g) => g.provider === "openai" && g.model === "gpt-4.1")?.reason).toMatch(/image_tokens/);
    expect(cov.incomplete.events).toBeGreaterThanOrEqual(3);

    const weekly = (await (await admin.fetch("/api/v1/weekly?week=2026-W38&groupBy=endpoint")).json()) as { rows: { endpoint: string | null; current: { incompleteEvents: number; unpricedEvents: number } | null }[] };
    const mine = weekly.rows.find((r) => r.endpoint === `${run}-ep`);
    expect(mine?.current).toMatchObject({ incompleteEvents: 3, unpricedEvents: 0 });
  });
});

describe("re-pricing when tiers, service tiers or fees change", () => {
  type Row = { provider: string; model: string; month: string; events: number; oldTotal: string; newTotal: string; closed: boolean };
  type Change = { diff: { events: number; months: string[]; rows: Row[]; closedMonths: string[] }; created: { id: string | null }[] };
  const provider = `${run}-llm`;
  const model = "long-1";
  let entryId: string;

  async function api<T>(method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await admin.fetch(url, { method, headers: body === undefined ? undefined : { "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as T };
  }

  beforeAll(async () => {
    const created = await api<Change>("POST", "/api/v1/prices", {
      entry: { provider, model, effectiveFrom: "2026-08-01", inputPerMTok: "1", outputPerMTok: "2", source: "test: base rates only" },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    entryId = created.body.created[0]!.id!;
    const ev = (id: string, timestamp: string, extra: Record<string, unknown>) => ({ id: `${run}-rp-${id}`, timestamp, requestId: `${run}-rp-${id}`, provider, model, ...extra });
    const r = await api<{ accepted: number }>("POST", "/api/v1/events", {
      events: [
        ev("aug-small", "2026-08-10T10:00:00Z", { usage: { inputTokens: 1_000, outputTokens: 100 } }),
        ev("aug-long", "2026-08-11T10:00:00Z", { usage: { inputTokens: 300_000, outputTokens: 1_000 } }),
        ev("sep-long", "2026-09-11T10:00:00Z", { usage: { inputTokens: 250_000, outputTokens: 2_000 } }),
        ev("sep-batch", "2026-09-12T10:00:00Z", { usage: { inputTokens: 10_000, outputTokens: 1_000 }, serviceTier: "batch" }),
      ],
    });
    expect(r.body.accepted).toBe(4);
  });

  it("shows a new long-context tier as a price change per model and month, touching only the requests above it", async () => {
    const dry = await api<Change>("PATCH", `/api/v1/prices/${entryId}`, { dryRun: true, entry: { tiers: [{ aboveTokens: 200_000, inputPerMTok: "2", outputPerMTok: "4" }] } });
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    const rows = dry.body.diff.rows.filter((r) => r.provider === provider).map(({ month, events, oldTotal, newTotal }) => ({ month, events, oldTotal, newTotal }));
    // Every event of the entry moves to its new version; only the long requests change cost. Per million tokens:
    // August: 300,000 × 1 + 1,000 × 2 -> 300,000 × 2 + 1,000 × 4, and the short one stays 1,000 × 1 + 100 × 2.
    // September: 250,000 × 1 + 2,000 × 2 -> 250,000 × 2 + 2,000 × 4, and the batch one stays 10,000 × 1 + 1,000 × 2.
    expect(rows).toEqual([
      { month: "2026-08", events: 2, oldTotal: "0.3032", newTotal: "0.6052" },
      { month: "2026-09", events: 2, oldTotal: "0.266", newTotal: "0.52" },
    ]);
  });

  it("refuses to apply the tier while August is closed, naming the month, and applies once it is reopened", async () => {
    const closed = await api("PATCH", "/api/v1/finance/months/2026-08", { closed: true });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    const patch = { entry: { tiers: [{ aboveTokens: 200_000, inputPerMTok: "2", outputPerMTok: "4" }] } };
    const dry = await api<Change>("PATCH", `/api/v1/prices/${entryId}`, { ...patch, dryRun: true });
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body.diff.closedMonths).toEqual(["2026-08"]);
    expect(dry.body.diff.rows.filter((r) => r.provider === provider).map((r) => [r.month, r.closed])).toEqual([["2026-08", true], ["2026-09", false]]);
    const refused = await api<{ error: { code: string; closedMonths: string[] } }>("PATCH", `/api/v1/prices/${entryId}`, patch);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: "month_closed", closedMonths: ["2026-08"] });
    const still = await admin.fetch(`/api/v1/requests/${run}-rp-aug-long`);
    expect(((await still.json()) as Breakdown).direct.costUsd).toBe("0.302");
    expect((await api("PATCH", "/api/v1/finance/months/2026-08", { closed: false })).status).toBe(200);
    const applied = await api<Change>("PATCH", `/api/v1/prices/${entryId}`, patch);
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    const after = await admin.fetch(`/api/v1/requests/${run}-rp-aug-long`);
    expect(((await after.json()) as Breakdown).direct.costUsd).toBe("0.604");
  });

  it("shows a batch service tier as a price change for the events served by it", async () => {
    const prices = await api<{ prices: { id: string; provider: string; model: string | null }[] }>("GET", "/api/v1/prices");
    const current = prices.body.prices.find((p) => p.provider === provider && p.model === model)!;
    const dry = await api<Change>("PATCH", `/api/v1/prices/${current.id}`, { dryRun: true, entry: { effectiveFrom: "2026-09-01", serviceTiers: { batch: { multiplier: "0.5" } } } });
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    // From September (a later start keeps August as it is). The batch event was incomplete at the standard rate
    // (10,000 × 1 + 1,000 × 2 per million) and becomes half of it; the long one keeps 250,000 × 2 + 2,000 × 4.
    expect(dry.body.diff.rows.filter((r) => r.provider === provider).map(({ month, events, oldTotal, newTotal }) => ({ month, events, oldTotal, newTotal }))).toEqual([
      { month: "2026-09", events: 2, oldTotal: "0.52", newTotal: "0.514" },
    ]);
    const batch = await admin.fetch(`/api/v1/requests/${run}-rp-sep-batch`);
    expect(((await batch.json()) as Breakdown).events[0]).toMatchObject({ costSource: "incomplete", costUsd: "0.012" });
  });
});
