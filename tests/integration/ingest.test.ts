// Ingest over real HTTP: golden provider usage priced exactly, per-row errors that name the field,
// idempotent re-sends, conflicts, unpriced and unattributed events, billed costs, NDJSON and limits.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Decimal from "decimal.js";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/generate-org";
import { signIn, withKey, type Session } from "../support/http";

const baseUrl = inject("baseUrl");
const db = new pg.Pool({ connectionString: inject("databaseUrl"), max: 1 });
let svc: Session;
const run = `run${Date.now()}`;

const post = (s: Session, body: unknown, contentType = "application/json") =>
  s.fetch("/api/v1/events", { method: "POST", headers: { "Content-Type": contentType }, body: typeof body === "string" ? body : JSON.stringify(body) });

beforeAll(async () => {
  const admin = await signIn(baseUrl, "admin@example.com", DEMO_PASSWORD);
  const res = await admin.fetch("/api/v1/api-keys", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name: "ingest test", scope: "ingest" }) });
  svc = withKey(baseUrl, ((await res.json()) as { key: string }).key);
});
afterAll(() => db.end());

// List prices per million tokens, written out here independently of the catalogue code.
// feesUsd: per-call fees of the tool calls in the fixture's usage (Anthropic web search: $10 per 1,000 searches).
const RATES: Record<string, { provider: string; model: string; input: string; cacheRead: string; cacheWrite: string; cacheWrite1h: string; output: string; feesUsd?: string }> = {
  "openai-chat-cached-reasoning": { provider: "openai", model: "o4-mini", input: "1.10", cacheRead: "0.275", cacheWrite: "1.10", cacheWrite1h: "1.10", output: "4.40" },
  "openai-responses-cached-reasoning": { provider: "openai", model: "gpt-5", input: "1.25", cacheRead: "0.125", cacheWrite: "1.25", cacheWrite1h: "1.25", output: "10" },
  "anthropic-cache-5m-1h": { provider: "anthropic", model: "claude-sonnet-4-5-20250929", input: "3", cacheRead: "0.30", cacheWrite: "3.75", cacheWrite1h: "6", output: "15", feesUsd: "0.01" },
  "anthropic-legacy-no-breakdown": { provider: "anthropic", model: "claude-haiku-4-5", input: "1", cacheRead: "0.10", cacheWrite: "1.25", cacheWrite1h: "2", output: "5" },
  "gemini-cached-thoughts-tool": { provider: "google", model: "gemini-2.5-flash", input: "0.30", cacheRead: "0.075", cacheWrite: "0.30", cacheWrite1h: "0.30", output: "2.50" },
};

type Expected = Record<"inputTokens" | "cacheReadTokens" | "cacheWriteTokens" | "cacheWrite1hTokens" | "outputTokens" | "reasoningTokens" | "toolOutputTokens", number>;

function expectedCost(u: Expected, r: (typeof RATES)[string]): Decimal {
  return new Decimal(u.inputTokens).mul(r.input)
    .add(new Decimal(u.cacheReadTokens).mul(r.cacheRead))
    .add(new Decimal(u.cacheWriteTokens).mul(r.cacheWrite))
    .add(new Decimal(u.cacheWrite1hTokens).mul(r.cacheWrite1h))
    .add(new Decimal(u.outputTokens + u.reasoningTokens + u.toolOutputTokens).mul(r.output))
    .div(1_000_000)
    .add(r.feesUsd ?? "0");
}

describe("golden provider usage over HTTP", () => {
  it("stores every fixture with disjoint token buckets and the exact estimated cost", async () => {
    const dir = path.resolve(import.meta.dirname, "..", "fixtures", "usage");
    const fixtures = readdirSync(dir).map((f) => ({ name: f.replace(/\.json$/, ""), ...JSON.parse(readFileSync(path.join(dir, f), "utf8")) as { rawUsage: unknown; expected: Expected } }))
      .filter((f) => RATES[f.name]);
    expect(fixtures).toHaveLength(Object.keys(RATES).length);
    const events = fixtures.map((f, i) => ({
      id: `${run}-golden-${i}`,
      timestamp: "2026-11-02T10:00:00Z",
      requestId: `${run}-golden-request`,
      endpoint: "chat.answer",
      cohort: "pro",
      provider: RATES[f.name]!.provider,
      model: RATES[f.name]!.model,
      rawUsage: f.rawUsage,
    }));
    const res = await post(svc, { events });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body).toEqual({ accepted: fixtures.length, duplicates: 0, unpriced: 0, rejected: [] });

    const { rows } = await db.query(
      `SELECT id, input_tokens::int, cache_read_tokens::int, cache_write_tokens::int, cache_write_1h_tokens::int, output_tokens::int,
              reasoning_tokens::int, tool_output_tokens::int, cost_usd::text, cost_source, feature, team, price_entry_id
       FROM cost_events WHERE request_id = $1 ORDER BY id`,
      [`${run}-golden-request`],
    );
    let total = new Decimal(0);
    fixtures.forEach((f, i) => {
      const row = rows.find((r) => r.id === `${run}-golden-${i}`)!;
      expect({
        inputTokens: row.input_tokens, cacheReadTokens: row.cache_read_tokens, cacheWriteTokens: row.cache_write_tokens,
        cacheWrite1hTokens: row.cache_write_1h_tokens, outputTokens: row.output_tokens, reasoningTokens: row.reasoning_tokens, toolOutputTokens: row.tool_output_tokens,
      }, f.name).toEqual(f.expected);
      const want = expectedCost(f.expected, RATES[f.name]!);
      expect(new Decimal(row.cost_usd).equals(want), `${f.name}: ${row.cost_usd} vs ${want.toString()}`).toBe(true);
      expect(row).toMatchObject({ cost_source: "estimated", feature: "chat", team: "assistant" });
      expect(row.price_entry_id).toMatch(/^[0-9a-f-]{36}$/);
      total = total.add(want);
    });
    const sum = await db.query("SELECT sum(cost_usd)::text AS s FROM cost_events WHERE request_id = $1", [`${run}-golden-request`]);
    expect(new Decimal(sum.rows[0].s).equals(total)).toBe(true);
  });
});

describe("the ingest API", () => {
  const ev = (n: string, extra: Record<string, unknown> = {}) => ({
    id: `${run}-${n}`, timestamp: "2026-11-03T08:00:00.000Z", requestId: `${run}-req-${n}`, provider: "openai", model: "gpt-4o-mini",
    usage: { inputTokens: 1000, outputTokens: 200 }, ...extra,
  });

  it("stores the valid rows of a mixed batch and names each invalid field (207)", async () => {
    const res = await post(svc, { events: [ev("ok1"), ev("bad1", { timestamp: "yesterday" }), ev("ok2"), { ...ev("bad2"), requestID: "typo" }, ev("bad3", { usage: { inputTokens: -5 } })] });
    expect(res.status).toBe(207);
    const body = (await res.json()) as { accepted: number; rejected: { index: number; id: string; errors: { path: string; message: string }[] }[] };
    expect(body.accepted).toBe(2);
    expect(body.rejected.map((r) => [r.index, r.id])).toEqual([[1, `${run}-bad1`], [3, `${run}-bad2`], [4, `${run}-bad3`]]);
    expect(body.rejected[0]!.errors[0]!.path).toBe("events.1.timestamp");
    expect(body.rejected[1]!.errors.map((e) => e.message).join(" ")).toMatch(/requestID.*requestId/);
    expect(body.rejected[2]!.errors[0]!.path).toBe("events.4.usage.inputTokens");
    const stored = await db.query("SELECT id FROM cost_events WHERE id LIKE $1 ORDER BY id", [`${run}-%`]);
    expect(stored.rows.map((r) => r.id)).toEqual(expect.arrayContaining([`${run}-ok1`, `${run}-ok2`]));
    expect(stored.rows.map((r) => r.id)).not.toContain(`${run}-bad1`);
  });

  it("counts a re-sent event as a duplicate and stores it once; other content under the same id is a conflict", async () => {
    const batch = { events: [ev("dup1"), ev("dup2")] };
    expect(await (await post(svc, batch)).json()).toMatchObject({ accepted: 2, duplicates: 0 });
    const again = await post(svc, batch);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ accepted: 0, duplicates: 2, rejected: [] });
    const changed = await post(svc, { events: [ev("dup1", { usage: { inputTokens: 999999 } })] });
    expect(changed.status).toBe(207);
    const body = (await changed.json()) as { rejected: { errors: { path: string; message: string }[] }[] };
    expect(body.rejected[0]!.errors[0]).toMatchObject({ path: "events.0.id" });
    expect(body.rejected[0]!.errors[0]!.message).toMatch(/already stored with different content/);
    const n = await db.query("SELECT count(*)::int AS n, sum(input_tokens)::int AS t FROM cost_events WHERE id = $1", [`${run}-dup1`]);
    expect(n.rows[0]).toEqual({ n: 1, t: 1000 });
  });

  it("uses a billed cost as is, keeps an unknown model unpriced (never $0) and untagged spend unattributed", async () => {
    const res = await post(svc, {
      events: [
        ev("billed", { costUsd: "0.012345678901" }),
        ev("unknown-model", { model: "my-finetune-7b", endpoint: undefined }),
        { id: `${run}-untagged`, timestamp: "2026-11-03T08:00:00Z", requestId: `${run}-req-untagged`, provider: "openai", model: "gpt-4o-mini", usage: { inputTokens: 10 } },
      ],
    });
    expect(await res.json()).toMatchObject({ accepted: 3, unpriced: 1 });
    const { rows } = await db.query("SELECT id, cost_usd::text, cost_source, unpriced_reason, endpoint, feature, team, cohort FROM cost_events WHERE id = ANY($1) ORDER BY id", [
      [`${run}-billed`, `${run}-unknown-model`, `${run}-untagged`],
    ]);
    const byId = Object.fromEntries(rows.map((r) => [r.id.replace(`${run}-`, ""), r]));
    expect(byId.billed).toMatchObject({ cost_source: "billed" });
    expect(new Decimal(byId.billed.cost_usd).equals("0.012345678901")).toBe(true);
    expect(byId["unknown-model"]).toMatchObject({ cost_source: "unpriced", cost_usd: null });
    expect(byId["unknown-model"].unpriced_reason).toMatch(/my-finetune-7b/);
    expect(byId.untagged).toMatchObject({ endpoint: null, feature: null, team: null, cohort: null, cost_source: "estimated" });
  });

  it("keeps failed attempts and fallbacks in their request's cost", async () => {
    const req = `${run}-retry-req`;
    await post(svc, {
      events: [
        ev("try1", { requestId: req, status: "error", attempt: 1, model: "gpt-4o" }),
        ev("try2", { requestId: req, status: "ok", attempt: 2, provider: "anthropic", model: "claude-haiku-4-5" }),
      ],
    });
    const { rows } = await db.query("SELECT sum(cost_usd)::text AS s, count(*)::int AS n FROM cost_events WHERE request_id = $1", [req]);
    // gpt-4o: 1000 × 2.50 + 200 × 10 per M; haiku 4.5: 1000 × 1 + 200 × 5 per M
    expect(rows[0].n).toBe(2);
    expect(new Decimal(rows[0].s).equals(new Decimal("0.0045").add("0.002"))).toBe(true);
  });

  it("accepts NDJSON and reports a malformed line as that row's error", async () => {
    const lines = [JSON.stringify(ev("nd1")), "{not json", JSON.stringify(ev("nd2"))].join("\n");
    const res = await post(svc, lines, "application/x-ndjson");
    expect(res.status).toBe(207);
    const body = (await res.json()) as { accepted: number; rejected: { index: number; errors: { path: string }[] }[] };
    expect(body.accepted).toBe(2);
    expect(body.rejected).toEqual([{ index: 1, id: null, errors: [{ path: "events.1", message: expect.stringMatching(/not valid JSON/) }] }]);
  });

  it("answers 400 for a malformed body, 401 for a bad key, 403 for a key without the ingest scope, 413 over the limits", async () => {
    expect((await post(svc, "{oops")).status).toBe(400);
    const notEvents = await post(svc, { items: [] });
    expect(notEvents.status).toBe(400);
    expect(((await notEvents.json()) as { error: { message: string } }).error.message).toMatch(/"events" array/);
    expect((await post(withKey(baseUrl, "cr_ingest_" + "x".repeat(43)), { events: [ev("k")] })).status).toBe(401);
    const viewer = await signIn(baseUrl, "viewer@example.com", DEMO_PASSWORD);
    expect((await post(viewer, { events: [ev("v")] })).status).toBe(403);
    const tooMany = await post(svc, { events: Array.from({ length: 5001 }, () => ({})) });
    expect(tooMany.status).toBe(413);
    expect(((await tooMany.json()) as { error: { message: string } }).error.message).toMatch(/limit is 5000/);
    const huge = await post(svc, JSON.stringify({ events: [{ id: "x".repeat(11 * 1024 * 1024) }] }));
    expect(huge.status).toBe(413);
  });
});
