// Provider cost reports: the parsers on recorded pages in the documented shapes, their refusals naming the
// field, and the pull's paging and retries with an injected fetch.
//
// Shapes, as the API references document them:
// - OpenAI, GET /v1/organization/costs (https://platform.openai.com/docs/api-reference/usage/costs): a "page"
//   of "bucket"s with start_time/end_time (Unix seconds) and results of "organization.costs.result" with
//   amount {value: number, currency: "usd"}, line_item and project_id (when grouped); has_more, next_page.
// - Anthropic, GET /v1/organizations/cost_report (https://platform.claude.com/docs/en/api/admin-api/usage-cost/get-cost-report):
//   data[] buckets with starting_at/ending_at (RFC 3339) and results with amount as a decimal string in the
//   lowest currency unit (cents for USD), currency, cost_type, model, token_type, service_tier,
//   context_window, workspace_id, description; has_more, next_page.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { importOf, parseAnthropicCostReport, parseOpenAiCosts } from "@/lib/finance/provider-costs/parse";
import { pullProviderCostPages, pullProviderCosts } from "@/lib/finance/provider-costs/pull";
import { providerCostsPullSchema } from "@/lib/finance/schemas";
import { validate } from "@/lib/http/validation";

const fixture = (name: string) => JSON.parse(readFileSync(path.join(import.meta.dirname, "..", "..", "fixtures", "provider-costs", name), "utf8")) as Record<string, unknown>;
const openAi = [fixture("openai-costs-page-1.json"), fixture("openai-costs-page-2.json")];
const anthropic = [fixture("anthropic-cost-report-page-1.json"), fixture("anthropic-cost-report-page-2.json")];
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error("expected a refusal");
}
const paths = (e: AppError) => (e.details?.errors ?? []).map((x) => x.path);

describe("OpenAI costs pages", () => {
  it("become exact rows per UTC day and line item, the model read from the line item", () => {
    const rows = parseOpenAiCosts(openAi);
    expect(rows).toHaveLength(7);
    const by = (day: string, line: string) => rows.find((r) => r.day === day && JSON.parse(r.lineKey)[0] === line);
    expect(by("2025-02-10", "gpt-4o-mini-2024-07-18, input")).toMatchObject({ provider: "openai", model: "gpt-4o-mini-2024-07-18", amountUsd: "0.06" });
    expect(by("2025-02-12", "gpt-4o-mini-2024-07-18, output")?.amountUsd).toBe("0.000123456789");
    expect(by("2025-02-12", "o3-2025-04-16, output")).toMatchObject({ model: "o3-2025-04-16", amountUsd: "2.75" });
    // 0.06 + 0.12 + 1.5 + 0.025 + 0.3 + 0.000123456789 + 2.75, in decimal; float addition would not give this.
    const total = rows.reduce((s, r) => s + Math.round(Number(r.amountUsd) * 1e12), 0);
    expect(total).toBe(4_755_123_456_789);
  });

  it("adds up results that share a day and line, and writes tiny numbers out in full", () => {
    const page = clone(openAi[1]!) as { data: { results: { amount: { value: number } }[] }[] };
    page.data[0]!.results.push(clone(page.data[0]!.results[0]!));
    page.data[0]!.results[2]!.amount.value = 1e-7;
    const rows = parseOpenAiCosts([page]);
    expect(rows.find((r) => r.model === "gpt-4o-mini-2024-07-18" && r.lineKey.includes("input"))?.amountUsd).toBe("0.6");
    expect(rows.find((r) => r.model === "o3-2025-04-16")?.amountUsd).toBe("0.0000001");
  });

  it("a result without a line item has no model", () => {
    const rows = parseOpenAiCosts([{ object: "page", data: [{ object: "bucket", start_time: 1739145600, end_time: 1739232000, results: [{ object: "organization.costs.result", amount: { value: 0.06, currency: "usd" }, line_item: null, project_id: null }] }], has_more: false, next_page: null }]);
    expect(rows).toEqual([{ provider: "openai", day: "2025-02-10", lineKey: "[null,null]", model: null, amountUsd: "0.06" }]);
  });

  it("refuses bad input with a 400 naming the field", () => {
    const bad = clone(openAi) as { data: { start_time: number; results: { amount: { value: unknown; currency: string } }[] }[]; has_more?: unknown }[];
    bad[0]!.data[0]!.results[0]!.amount.value = "lots";
    bad[0]!.data[1]!.results[1]!.amount.currency = "eur";
    bad[1]!.data[0]!.start_time += 3600;
    const e = refusal(() => parseOpenAiCosts(bad));
    expect(e.status).toBe(400);
    expect(paths(e)).toEqual(["pages.0.data.0.results.0.amount.value", "pages.0.data.1.results.1.amount.currency", "pages.1.data.0.start_time"]);
    expect(e.message).toContain("amount.value");
    const noMore = clone(openAi[0]!);
    delete noMore.has_more;
    expect(paths(refusal(() => parseOpenAiCosts([noMore])))).toEqual(["pages.0.has_more"]);
    expect(paths(refusal(() => parseOpenAiCosts(["nope"])))).toEqual(["pages.0"]);
  });
});

describe("Anthropic cost report pages", () => {
  it("become exact USD rows from cents", () => {
    const rows = parseAnthropicCostReport(anthropic);
    expect(rows.map((r) => [r.day, r.model, r.amountUsd])).toEqual([
      ["2025-02-10", "claude-sonnet-4-20250514", "1.2345"],
      ["2025-02-10", "claude-sonnet-4-20250514", "0.5"],
      ["2025-02-11", "claude-opus-4-20250514", "10"],
    ]);
  });

  it("refuses bad input with a 400 naming the field", () => {
    const bad = clone(anthropic) as { data: { ending_at: string; results: Record<string, unknown>[] }[] }[];
    bad[0]!.data[0]!.results[0]!.amount = 12.5;
    const e = refusal(() => parseAnthropicCostReport(bad));
    expect(paths(e)).toEqual(["pages.0.data.0.results.0.amount"]);
    const bad2 = clone(anthropic) as typeof bad;
    bad2[0]!.data[0]!.results[1]!.amount = "12,50";
    bad2[0]!.data[0]!.results[0]!.currency = "EUR";
    bad2[1]!.data[0]!.ending_at = "2025-02-11T01:00:00Z";
    expect(paths(refusal(() => parseAnthropicCostReport(bad2)))).toEqual([
      "pages.0.data.0.results.0.currency",
      "pages.0.data.0.results.1.amount",
      "pages.1.data.0.starting_at",
    ]);
    const bad3 = clone(anthropic) as typeof bad;
    bad3[0]!.data[0]!.ending_at = "yesterday";
    expect(paths(refusal(() => parseAnthropicCostReport(bad3)))).toEqual(["pages.0.data.0.ending_at"]);
  });
});

describe("a file's JSON as an import", () => {
  it("reads the provider from the buckets' shape, or from {provider, pages}", () => {
    expect(importOf(openAi[0]).provider).toBe("openai");
    expect(importOf(anthropic).provider).toBe("anthropic");
    expect(importOf({ provider: "anthropic", pages: anthropic }).pages).toHaveLength(2);
    expect(paths(refusal(() => importOf({ data: [], has_more: false })))).toEqual(["provider"]);
    expect(paths(refusal(() => importOf({ provider: "google", pages: [] })))).toEqual(["provider"]);
  });
});

describe("pulling", () => {
  it("takes UTC days from … to, naming the field that is not one", () => {
    expect(validate(providerCostsPullSchema, { provider: "openai", from: "2025-02-10", to: "2025-03-01" })).toEqual({ provider: "openai", from: "2025-02-10", to: "2025-03-01" });
    for (const [body, field] of [
      [{ provider: "openai", from: "2026-13-01", to: "2026-02-30" }, ["from", "to"]],
      [{ provider: "openai", from: "2025-02-30", to: "2025-03-01" }, ["from"]],
      [{ provider: "openai", from: "2025-03-01", to: "2025-03-01" }, ["to"]],
      [{ provider: "openai", from: "2024-01-01", to: "2025-03-01" }, ["to"]],
      [{ provider: "gemini", from: 3, to: null }, ["provider", "from", "to"]],
    ] as const) {
      expect(paths(refusal(() => validate(providerCostsPullSchema, body)))).toEqual(field);
    }
  });

  it("waits as long as Retry-After says (seconds or an HTTP date), at most a minute, and backs off when it says nothing readable", async () => {
    const answers = [
      new Response("slow down", { status: 429, headers: { "Retry-After": "3600" } }),
      new Response("slow down", { status: 429, headers: { "Retry-After": new Date(Date.now() + 120_000).toUTCString() } }),
      new Response("slow down", { status: 429, headers: { "Retry-After": "soon" } }),
      Response.json(openAi[0]),
      Response.json(openAi[1]),
    ];
    const waits: number[] = [];
    await pullProviderCostPages("openai", "2025-02-10", "2025-02-13", {
      key: "sk-admin-secret",
      baseUrl: "http://reports.test/",
      fetch: (async () => answers.shift()!) as unknown as typeof fetch,
      sleep: async (ms) => void waits.push(ms),
    });
    // An hour and two minutes are capped at a minute; "soon" is the third try's back-off (500 ms × 2²).
    expect(waits).toEqual([60_000, 60_000, 2000]);
  });

  it("follows next_page, retries 429 after Retry-After and 5xx with back-off, and sends the key only as a header", async () => {
    const calls: { url: URL; auth: string | null }[] = [];
    const answers = [
      new Response("slow down", { status: 429, headers: { "Retry-After": "3" } }),
      Response.json(openAi[0]),
      new Response("oops", { status: 502 }),
      Response.json(openAi[1]),
    ];
    const waits: number[] = [];
    const pages = await pullProviderCostPages("openai", "2025-02-10", "2025-02-13", {
      key: "sk-admin-secret",
      baseUrl: "http://reports.test/",
      fetch: (async (url: URL, init?: RequestInit) => {
        calls.push({ url, auth: new Headers(init?.headers).get("authorization") });
        return answers.shift()!;
      }) as typeof fetch,
      sleep: async (ms) => void waits.push(ms),
    });
    expect(pages).toEqual(openAi);
    expect(waits).toEqual([3000, 500]);
    expect(calls.map((c) => c.url.pathname)).toEqual(Array(4).fill("/v1/organization/costs"));
    expect(calls[0]!.url.searchParams.get("start_time")).toBe("1739145600");
    expect(calls[0]!.url.searchParams.get("end_time")).toBe("1739404800");
    expect(calls[0]!.url.searchParams.get("group_by")).toBe("line_item");
    expect(calls[0]!.url.searchParams.get("page")).toBeNull();
    expect(calls[3]!.url.searchParams.get("page")).toBe("page_AAAAAGeq5YAAAAAA");
    expect(calls.every((c) => c.auth === "Bearer sk-admin-secret" && !c.url.href.includes("secret"))).toBe(true);
  });

  it("gives up after a bounded number of tries, and at once on 401, without the key in the message", async () => {
    let n = 0;
    const failing = (status: number) =>
      (async () => {
        n++;
        return new Response("no", { status });
      }) as unknown as typeof fetch;
    const opts = { key: "sk-admin-secret", baseUrl: "http://reports.test", sleep: async () => {} };
    const e1 = (await pullProviderCostPages("anthropic", "2025-02-10", "2025-02-12", { ...opts, fetch: failing(503) }).catch((e: AppError) => e)) as AppError;
    expect(e1).toBeInstanceOf(AppError);
    expect((e1 as AppError).status).toBe(502);
    expect(n).toBe(5);
    n = 0;
    const e2 = (await pullProviderCostPages("anthropic", "2025-02-10", "2025-02-12", { ...opts, fetch: failing(401) }).catch((e: AppError) => e)) as AppError;
    expect(n).toBe(1);
    expect(e2.message).toContain("401");
    expect(`${e1.message} ${e2.message}`).not.toContain("secret");
  });

  it("a page the parser refuses is the provider's fault: 502", async () => {
    const e = (await pullProviderCosts("anthropic", "2025-02-10", "2025-02-12", {
      key: "k",
      baseUrl: "http://reports.test",
      fetch: (async () => Response.json({ data: "x", has_more: false })) as unknown as typeof fetch,
    }).catch((x: AppError) => x)) as AppError;
    expect(e.status).toBe(502);
    expect(e.message).toContain("data");
  });
});
