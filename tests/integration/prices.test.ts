// The price book over real HTTP: a dry run reports exactly what an independent computation finds and
// changes nothing; applying re-prices exactly those events (billed ones never), audits, and refuses
// closed months; updates with a later date keep earlier events; LiteLLM imports; per-field errors.
import { readFileSync } from "node:fs";
import path from "node:path";
import Decimal from "decimal.js";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/generate-org";
import { signIn, withKey, type Session } from "../support/http";

const baseUrl = inject("baseUrl");
const db = new pg.Pool({ connectionString: inject("databaseUrl"), max: 1 });
const run = `p${Date.now()}`;
const PROVIDER = "acme";
const ALPHA = `${run}-alpha`;
const BETA = `${run}-beta`;
const GAMMA = `${run}-gamma`;
let admin: Session;

type Diff = {
  events: number;
  months: string[];
  oldTotal: string;
  newTotal: string;
  unpricedToPriced: number;
  pricedToUnpriced: number;
  rows: { provider: string; model: string; month: string; events: number; oldTotal: string; newTotal: string; unpricedToPriced: number; pricedToUnpriced: number; closed: boolean }[];
  closedMonths: string[];
};
type Price = { id: string | null; provider: string; model: string | null; modelPattern: string | null; version: number; effectiveFrom: string; effectiveTo: string | null; retiredAt: string | null; inputPerMTok: string; outputPerMTok: string; cacheReadPerMTok: string | null };
type ChangeResult = { applied: boolean; kind: string; created: Price[]; retired: Price[]; shortened: Price[]; skipped: { key: string; reason: string }[]; diff: Diff };
type ErrorBody = { error: { code: string; message: string; errors?: { path: string; message: string }[]; closedMonths?: string[] } };

async function api<T>(method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await admin.fetch(url, {
    method,
    headers: body === undefined ? undefined : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

const usage = (inputTokens: number, outputTokens: number, cacheReadTokens = 0) => ({ inputTokens, outputTokens, cacheReadTokens });
const ev = (id: string, model: string, timestamp: string, u: ReturnType<typeof usage>, extra: Record<string, unknown> = {}) => ({
  id: `${run}-${id}`, timestamp, requestId: `${run}-req-${id}`, provider: PROVIDER, model, usage: u, ...extra,
});

async function ingest(events: unknown[]) {
  const r = await api<{ accepted: number; rejected: unknown[] }>("POST", "/api/v1/events", { events });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  expect(r.body.accepted).toBe(events.length);
}

type EventRow = { id: string; cost_usd: string | null; cost_source: string; price_entry_id: string | null; unpriced_reason: string | null };
async function events(): Promise<Record<string, EventRow>> {
  const { rows } = await db.query<EventRow>(
    "SELECT id, cost_usd::text, cost_source, price_entry_id::text, unpriced_reason FROM cost_events WHERE id LIKE $1 ORDER BY id",
    [`${run}-%`],
  );
  return Object.fromEntries(rows.map((r) => [r.id.slice(run.length + 1), r]));
}

async function bookState() {
  const { rows } = await db.query("SELECT id, version, effective_to, retired_at FROM price_entries ORDER BY id");
  const audit = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE entity_type = 'price_entry'");
  return { rows, audits: audit.rows[0]!.n };
}

/** Tokens per event, straight from the database, priced here with decimal.js: rates per million tokens. */
async function independentCost(ids: string[], r: { input: string; cacheRead: string; output: string }): Promise<Map<string, Decimal>> {
  const { rows } = await db.query<{ id: string; i: string; cr: string; o: string }>(
    "SELECT id, input_tokens::text AS i, cache_read_tokens::text AS cr, output_tokens::text AS o FROM cost_events WHERE id = ANY($1)",
    [ids.map((id) => `${run}-${id}`)],
  );
  return new Map(rows.map((x) => [
    x.id.slice(run.length + 1),
    new Decimal(x.i).mul(r.input).add(new Decimal(x.cr).mul(r.cacheRead)).add(new Decimal(x.o).mul(r.output)).div(1_000_000),
  ]));
}

async function sqlSum(ids: string[]): Promise<Decimal> {
  const { rows } = await db.query<{ s: string | null }>("SELECT sum(cost_usd)::text AS s FROM cost_events WHERE id = ANY($1)", [ids.map((id) => `${run}-${id}`)]);
  return new Decimal(rows[0]!.s ?? 0);
}

const sum = (xs: Decimal[]) => xs.reduce((a, b) => a.add(b), new Decimal(0));
const E_RATES = { input: "3", cacheRead: "0.5", output: "6" };
let alphaId = "";

beforeAll(async () => {
  const session = await signIn(baseUrl, "admin@example.com", DEMO_PASSWORD);
  const res = await session.fetch("/api/v1/api-keys", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ name: "prices test", scope: "admin" }),
  });
  admin = withKey(baseUrl, ((await res.json()) as { key: string }).key);

  // A pattern price covering every model of this run from February, with no cache-read rate.
  const pattern = await api<ChangeResult>("POST", "/api/v1/prices", {
    entry: { provider: PROVIDER, modelPattern: `${run}-*`, effectiveFrom: "2026-02-01", inputPerMTok: "1", outputPerMTok: "2", source: "test pattern" },
  });
  expect(pattern.status, JSON.stringify(pattern.body)).toBe(201);
  expect(pattern.body.diff.events).toBe(0);

  await ingest([
    ev("a1", ALPHA, "2026-03-10T10:00:00Z", usage(1000, 500)), // estimated by the pattern
    ev("a2", ALPHA, "2026-04-05T10:00:00Z", usage(2000, 100)), // estimated by the pattern
    ev("a3", ALPHA, "2026-03-11T10:00:00Z", usage(100, 0, 1000)), // unpriced: the pattern has no cache-read rate
    ev("a4", ALPHA, "2026-01-15T10:00:00Z", usage(300, 30)), // unpriced: before the pattern's start
    ev("a5", ALPHA, "2026-03-12T10:00:00Z", usage(1000, 1000), { costUsd: "0.5" }), // billed
    ev("b1", BETA, "2026-03-10T10:00:00Z", usage(1000, 0)), // another model under the same pattern
    ev("g1", GAMMA, "2026-05-02T10:00:00Z", usage(1000, 1000)),
  ]);
});

afterAll(async () => {
  await db.query("DELETE FROM closed_months WHERE closed_by = $1", [run]);
  await db.end();
});

describe("creating a price re-prices the events it affects", () => {
  let dry: Diff;

  it("stores the events as ingest priced them", async () => {
    const e = await events();
    expect(Object.fromEntries(Object.entries(e).map(([k, v]) => [k, v.cost_source]))).toEqual({
      a1: "estimated", a2: "estimated", a3: "unpriced", a4: "unpriced", a5: "billed", b1: "estimated", g1: "estimated",
    });
    expect(e.a3!.unpriced_reason).toMatch(/cacheReadPerMTok/);
  });

  it("dry run: the numbers equal an independent computation, and nothing changes", async () => {
    const before = { events: await events(), book: await bookState() };
    const r = await api<ChangeResult>("POST", "/api/v1/prices", {
      entry: { provider: PROVIDER, model: ALPHA, effectiveFrom: "2026-01-01", inputPerMTok: "3", cacheReadPerMTok: "0.5", outputPerMTok: "6", source: "contract" },
      dryRun: true,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.applied).toBe(false);
    dry = r.body.diff;

    const affected = ["a1", "a2", "a3", "a4"];
    const newCost = await independentCost(affected, E_RATES);
    expect(dry.events).toBe(4);
    expect(dry.unpricedToPriced).toBe(2);
    expect(dry.pricedToUnpriced).toBe(0);
    expect(dry.closedMonths).toEqual([]);
    expect(dry.months).toEqual(["2026-01", "2026-03", "2026-04"]);
    expect(new Decimal(dry.oldTotal).equals(await sqlSum(affected)), `old ${dry.oldTotal}`).toBe(true);
    expect(new Decimal(dry.newTotal).equals(sum([...newCost.values()])), `new ${dry.newTotal}`).toBe(true);

    const byMonth = Object.fromEntries(dry.rows.map((x) => [x.month, x]));
    expect(dry.rows.every((x) => x.provider === PROVIDER && x.model === ALPHA && !x.closed)).toBe(true);
    expect(byMonth["2026-01"]).toMatchObject({ events: 1, oldTotal: "0", unpricedToPriced: 1 });
    expect(new Decimal(byMonth["2026-01"]!.newTotal).equals(newCost.get("a4")!)).toBe(true);
    expect(byMonth["2026-03"]).toMatchObject({ events: 2, unpricedToPriced: 1 });
    expect(new Decimal(byMonth["2026-03"]!.oldTotal).equals(await sqlSum(["a1"]))).toBe(true);
    expect(new Decimal(byMonth["2026-03"]!.newTotal).equals(newCost.get("a1")!.add(newCost.get("a3")!))).toBe(true);
    expect(byMonth["2026-04"]).toMatchObject({ events: 1, unpricedToPriced: 0 });
    expect(new Decimal(byMonth["2026-04"]!.newTotal).equals(newCost.get("a2")!)).toBe(true);

    expect(await events()).toEqual(before.events);
    expect(await bookState()).toEqual(before.book);
  });

  it("apply: stores the entry, re-prices exactly those events, leaves billed and other models alone, and audits", async () => {
    const before = await events();
    const r = await api<ChangeResult>("POST", "/api/v1/prices", {
      entry: { provider: PROVIDER, model: ALPHA, effectiveFrom: "2026-01-01", inputPerMTok: "3", cacheReadPerMTok: "0.5", outputPerMTok: "6", source: "contract" },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.applied).toBe(true);
    expect(r.body.diff).toEqual(dry);
    const created = r.body.created[0]!;
    expect(created).toMatchObject({ provider: PROVIDER, model: ALPHA, version: 1, inputPerMTok: "3", cacheReadPerMTok: "0.5", outputPerMTok: "6", retiredAt: null });
    alphaId = created.id!;

    const after = await events();
    const newCost = await independentCost(["a1", "a2", "a3", "a4"], E_RATES);
    for (const id of ["a1", "a2", "a3", "a4"]) {
      expect(after[id], id).toMatchObject({ cost_source: "estimated", price_entry_id: alphaId, unpriced_reason: null });
      expect(new Decimal(after[id]!.cost_usd!).equals(newCost.get(id)!), `${id}: ${after[id]!.cost_usd}`).toBe(true);
    }
    expect((await sqlSum(["a1", "a2", "a3", "a4"])).equals(r.body.diff.newTotal)).toBe(true);
    expect(after.a5).toEqual(before.a5);
    expect(new Decimal(after.a5!.cost_usd!).equals("0.5")).toBe(true);
    expect(after.a5!.cost_source).toBe("billed");
    expect(after.b1).toEqual(before.b1);
    expect(after.g1).toEqual(before.g1);

    const audit = await db.query<{ action: string; entity_id: string; before: { total: string } | null; after: Record<string, unknown> }>(
      "SELECT action, entity_id, before, after FROM audit_log WHERE entity_type = 'price_entry' AND entity_id = $1 ORDER BY id",
      [alphaId],
    );
    expect(audit.rows.map((a) => a.action)).toEqual(["price_entry.create", "price_entry.reprice"]);
    expect(audit.rows[0]!.after).toMatchObject({ model: ALPHA, inputPerMTok: "3" });
    expect(audit.rows[1]!.after).toMatchObject({ change: "create", events: 4, total: r.body.diff.newTotal, unpricedToPriced: 2 });
    expect(audit.rows[1]!.before).toMatchObject({ total: r.body.diff.oldTotal });

    const list = await api<{ prices: Price[] }>("GET", "/api/v1/prices");
    expect(list.body.prices.find((p) => p.id === alphaId)).toMatchObject({ model: ALPHA, version: 1 });
  });
});

describe("updating a price", () => {
  let v2 = "";

  it("with a later effective date re-prices only the events from that date, and keeps the old price before it", async () => {
    const before = await events();
    const dry = await api<ChangeResult>("PATCH", `/api/v1/prices/${alphaId}`, { entry: { effectiveFrom: "2026-04-01", inputPerMTok: "4" }, dryRun: true });
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body.diff).toMatchObject({ events: 1, months: ["2026-04"] });
    expect(await events()).toEqual(before);

    const r = await api<ChangeResult>("PATCH", `/api/v1/prices/${alphaId}`, { entry: { effectiveFrom: "2026-04-01", inputPerMTok: "4" } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.diff).toEqual(dry.body.diff);
    v2 = r.body.created[0]!.id!;
    expect(r.body.created[0]).toMatchObject({ version: 2, effectiveFrom: "2026-04-01T00:00:00.000Z", inputPerMTok: "4", outputPerMTok: "6", cacheReadPerMTok: "0.5" });
    expect(r.body.shortened[0]).toMatchObject({ id: alphaId, effectiveTo: "2026-04-01T00:00:00.000Z", retiredAt: null });

    const after = await events();
    const expected = (await independentCost(["a2"], { input: "4", cacheRead: "0.5", output: "6" })).get("a2")!;
    expect(new Decimal(after.a2!.cost_usd!).equals(expected)).toBe(true);
    expect(after.a2!.price_entry_id).toBe(v2);
    for (const id of ["a1", "a3", "a4", "a5", "b1", "g1"]) expect(after[id], id).toEqual(before[id]);
    expect(after.a1!.price_entry_id).toBe(alphaId);
  });

  it("with the same dates retires the old version, which stays in the history", async () => {
    const r = await api<ChangeResult>("PATCH", `/api/v1/prices/${v2}`, { entry: { outputPerMTok: "7" } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.created[0]).toMatchObject({ version: 3, outputPerMTok: "7" });
    expect(r.body.retired[0]).toMatchObject({ id: v2 });
    expect(r.body.retired[0]!.retiredAt).not.toBeNull();
    expect(r.body.diff.events).toBe(1);
    const a2 = (await events()).a2!;
    expect(new Decimal(a2.cost_usd!).equals((await independentCost(["a2"], { input: "4", cacheRead: "0.5", output: "7" })).get("a2")!)).toBe(true);

    const active = await api<{ prices: Price[] }>("GET", "/api/v1/prices");
    expect(active.body.prices.some((p) => p.id === v2)).toBe(false);
    const history = await api<{ prices: Price[] }>("GET", "/api/v1/prices?history=1");
    expect(history.body.prices.find((p) => p.id === v2)?.retiredAt).not.toBeNull();
    const audit = await db.query("SELECT action FROM audit_log WHERE entity_type = 'price_entry' AND entity_id = $1 ORDER BY id", [r.body.created[0]!.id]);
    expect(audit.rows.map((a) => a.action)).toEqual(["price_entry.update", "price_entry.reprice"]);
  });
});

describe("closed months are locked", () => {
  it("refuses (409) a change that re-prices an event in a closed month, naming it, and changes nothing", async () => {
    await db.query("INSERT INTO closed_months (month, closed_by) VALUES ('2026-03-01', $1)", [run]);
    const before = { events: await events(), book: await bookState() };

    const dry = await api<ChangeResult>("DELETE", `/api/v1/prices/${alphaId}?dryRun=1`);
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body.diff.closedMonths).toEqual(["2026-03"]);
    expect(dry.body.diff.rows.filter((x) => x.closed).map((x) => x.month)).toEqual(["2026-03"]);
    expect(dry.body.diff.rows.find((x) => x.month === "2026-01")?.closed).toBe(false);

    const r = await api<ErrorBody>("DELETE", `/api/v1/prices/${alphaId}`);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe("month_closed");
    expect(r.body.error.message).toContain("2026-03");
    expect(r.body.error.closedMonths).toEqual(["2026-03"]);
    expect(await events()).toEqual(before.events);
    expect(await bookState()).toEqual(before.book);
  });

  it("still applies a change whose events are all in open months", async () => {
    const active = await api<{ prices: Price[] }>("GET", "/api/v1/prices");
    const v3 = active.body.prices.find((p) => p.model === ALPHA && p.version === 3)!;
    const r = await api<ChangeResult>("PATCH", `/api/v1/prices/${v3.id}`, { entry: { outputPerMTok: "8" } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.diff).toMatchObject({ events: 1, months: ["2026-04"], closedMonths: [] });
    await db.query("DELETE FROM closed_months WHERE closed_by = $1", [run]);
  });
});

describe("importing LiteLLM's price file", () => {
  const fixture = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "..", "fixtures", "litellm-excerpt.json"), "utf8")) as Record<string, unknown>;
  // After every stored event (ingest refuses events more than a day ahead), so no test's events move.
  const future = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);

  it("previews the entries it would add, skips what it cannot use or already has, and stores nothing", async () => {
    const before = await bookState();
    const r = await api<ChangeResult>("POST", "/api/v1/prices/import", { format: "litellm", data: fixture, effectiveFrom: future, dryRun: true });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.applied).toBe(false);
    expect(r.body.created.map((p) => `${p.provider}/${p.model}`).sort()).toEqual([
      "anthropic/claude-sonnet-4-5-20250929",
      "gemini/gemini-2.5-pro",
      "openai/gpt-4.1-mini",
      "openai/gpt-4o",
    ]);
    expect(r.body.created.find((p) => p.model === "gpt-4o")).toMatchObject({ inputPerMTok: "2.5", cacheReadPerMTok: "1.25", outputPerMTok: "10", effectiveFrom: `${future}T00:00:00.000Z`, id: null });
    const skipped = Object.fromEntries(r.body.skipped.map((s) => [s.key, s.reason]));
    expect(skipped["openai/text-embedding-3-small"]).toMatch(/equals the active entry/);
    expect(Object.keys(skipped)).toEqual(expect.arrayContaining(["sample_spec", "standard/1024-x-1024/dall-e-3"]));
    expect(r.body.diff.events).toBe(0);
    expect(await bookState()).toEqual(before);
  });

  it("applies, audits, and a second import of the same file adds nothing", async () => {
    const r = await api<ChangeResult>("POST", "/api/v1/prices/import", { format: "litellm", data: fixture, effectiveFrom: future });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.created).toHaveLength(4);
    expect(r.body.created.every((p) => typeof p.id === "string")).toBe(true);
    // gpt-4o already has the built-in v1, so the import is its next version.
    expect(r.body.created.find((p) => p.model === "gpt-4o")?.version).toBe(2);
    const audit = await db.query("SELECT count(*)::int AS n FROM audit_log WHERE action = 'price_entry.create' AND entity_id = ANY($1)", [r.body.created.map((p) => p.id)]);
    expect(audit.rows[0].n).toBe(4);

    const again = await api<ChangeResult>("POST", "/api/v1/prices/import", { format: "litellm", data: fixture, effectiveFrom: future });
    expect(again.status).toBe(200);
    expect(again.body.created).toEqual([]);
    expect(again.body.skipped.filter((s) => /equals the active entry/.test(s.reason))).toHaveLength(5);
  });

  it("re-prices the events an imported entry now prices", async () => {
    const data = { [`${PROVIDER}/${GAMMA}`]: { litellm_provider: PROVIDER, mode: "chat", input_cost_per_token: 1.5e-6, output_cost_per_token: 3e-6 } };
    const r = await api<ChangeResult>("POST", "/api/v1/prices/import", { format: "litellm", data, effectiveFrom: "2026-05-01" });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const expected = (await independentCost(["g1"], { input: "1.5", cacheRead: "0", output: "3" })).get("g1")!;
    expect(r.body.diff).toMatchObject({ events: 1, months: ["2026-05"], newTotal: expected.toFixed() });
    const g1 = (await events()).g1!;
    expect(g1.price_entry_id).toBe(r.body.created[0]!.id);
    expect(new Decimal(g1.cost_usd!).equals(expected)).toBe(true);
  });

  it("loads the built-in prices only for models with no active entry", async () => {
    const r = await api<ChangeResult>("POST", "/api/v1/prices/import", { format: "builtin", dryRun: true });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.created).toEqual([]);
    expect(r.body.skipped.length).toBeGreaterThan(10);
  });
});

describe("a large window", () => {
  it("re-prices more events than one chunk, each exactly once, many sharing a timestamp", async () => {
    const n = 11_001;
    const model = `${run}-bulk`;
    await db.query(`CREATE TABLE IF NOT EXISTS "cost_events_2026_06" PARTITION OF "cost_events" FOR VALUES FROM ('2026-06-01') TO ('2026-07-01')`);
    await db.query(
      `INSERT INTO cost_events (id, ts, request_id, request_key, kind, provider, model, input_tokens, cost_source, unpriced_reason)
       SELECT $1 || '-bulk-' || i, timestamptz '2026-06-01' + (i % 97) * interval '1 minute', $1 || '-bulk-req', $1 || '-bulk-req', 'llm', $2, $3, 1000 + i, 'unpriced', 'no price'
       FROM generate_series(1, $4::int) AS i`,
      [run, PROVIDER, model, n],
    );
    const expected = new Decimal(n * 1000 + (n * (n + 1)) / 2).mul(2).div(1_000_000);
    const entry = { provider: PROVIDER, model, effectiveFrom: "2026-06-01", inputPerMTok: "2", outputPerMTok: "4", source: "bulk" };
    const dry = await api<ChangeResult>("POST", "/api/v1/prices", { entry, dryRun: true });
    expect(dry.body.diff).toMatchObject({ events: n, unpricedToPriced: n, oldTotal: "0", months: ["2026-06"] });
    expect(new Decimal(dry.body.diff.newTotal).equals(expected)).toBe(true);

    const r = await api<ChangeResult>("POST", "/api/v1/prices", { entry });
    expect(r.status, JSON.stringify(r.body).slice(0, 500)).toBe(201);
    expect(r.body.diff).toEqual(dry.body.diff);
    const { rows } = await db.query<{ n: number; s: string; e: number }>(
      "SELECT count(*)::int AS n, sum(cost_usd)::text AS s, count(*) FILTER (WHERE price_entry_id = $2)::int AS e FROM cost_events WHERE model = $1 AND cost_source = 'estimated'",
      [model, r.body.created[0]!.id],
    );
    expect(rows[0]!.n).toBe(n);
    expect(rows[0]!.e).toBe(n);
    expect(new Decimal(rows[0]!.s).equals(expected)).toBe(true);
  });
});

describe("validation", () => {
  it("reports each invalid field of an entry with its path", async () => {
    const r = await api<ErrorBody>("POST", "/api/v1/prices", {
      entry: { provider: "", model: "m", inputPerMTok: "-1", outputPerMTok: "abc", effectiveFrom: "yesterday", source: "", cacheReadPerMtok: "1" },
      dryRun: true,
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("invalid_request");
    const errors = Object.fromEntries(r.body.error.errors!.map((e) => [e.path, e.message]));
    expect(Object.keys(errors)).toEqual(expect.arrayContaining(["entry.provider", "entry.inputPerMTok", "entry.outputPerMTok", "entry.effectiveFrom", "entry.source", "entry.cacheReadPerMtok"]));
    expect(errors["entry.inputPerMTok"]).toMatch(/negative/);
    expect(errors["entry.cacheReadPerMtok"]).toMatch(/did you mean cacheReadPerMTok/);

    const both = await api<ErrorBody>("POST", "/api/v1/prices", {
      entry: { provider: "x", model: "m", modelPattern: "m*", effectiveFrom: "2026-01-01", effectiveTo: "2025-01-01", inputPerMTok: "1", outputPerMTok: "1", source: "s" },
    });
    expect(both.status).toBe(400);
    expect(both.body.error.errors!.map((e) => e.path).sort()).toEqual(["entry.effectiveTo", "entry.model"]);

    const flags = await api<ErrorBody>("POST", "/api/v1/prices", { entry: {}, dryRun: "yes", extra: 1 });
    expect(flags.status).toBe(400);
    expect(flags.body.error.errors!.map((e) => e.path)).toEqual(expect.arrayContaining(["dryRun"]));
  });

  it("refuses rate relations no price list has unless the entry confirms them, and says which (dry run: nothing stored)", async () => {
    const odd = { provider: "sanity", model: "m-odd", effectiveFrom: "2026-01-01", inputPerMTok: "1", cacheReadPerMTok: "1.5", outputPerMTok: "0.1", source: "s" };
    const r = await api<ErrorBody>("POST", "/api/v1/prices", { entry: odd, dryRun: true });
    expect(r.status).toBe(400);
    const errors = Object.fromEntries(r.body.error.errors!.map((e) => [e.path, e.message]));
    expect(Object.keys(errors).sort()).toEqual(["entry.cacheReadPerMTok", "entry.outputPerMTok"]);
    expect(errors["entry.cacheReadPerMTok"]).toContain("costs more than uncached input");
    expect(errors["entry.outputPerMTok"]).toContain("10× or more cheaper than input");
    const tier = await api<ErrorBody>("POST", "/api/v1/prices", {
      entry: { ...odd, cacheReadPerMTok: "0.1", outputPerMTok: "4", tiers: [{ aboveTokens: 1000, inputPerMTok: "2", cacheReadPerMTok: "3", outputPerMTok: "8" }] },
      dryRun: true,
    });
    expect(tier.status).toBe(400);
    expect(tier.body.error.errors!.map((e) => e.path)).toEqual(["entry.tiers.0.cacheReadPerMTok"]);
    const notBoolean = await api<ErrorBody>("POST", "/api/v1/prices", { entry: { ...odd, ratesConfirmed: "yes" }, dryRun: true });
    expect(notBoolean.status).toBe(400);
    expect(notBoolean.body.error.errors!.map((e) => e.path)).toContain("entry.ratesConfirmed");
    const confirmed = await api<{ created: unknown[] }>("POST", "/api/v1/prices", { entry: { ...odd, ratesConfirmed: true }, dryRun: true });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body.created).toHaveLength(1);
  });

  it("reports invalid patches, unknown entries and invalid imports", async () => {
    const patch = await api<ErrorBody>("PATCH", `/api/v1/prices/${alphaId}`, { entry: { inputPerMTok: "x", outputPerMTok: null }, dryRun: true });
    expect(patch.status).toBe(400);
    expect(patch.body.error.errors!.map((e) => e.path).sort()).toEqual(["entry.inputPerMTok", "entry.outputPerMTok"]);
    const dates = await api<ErrorBody>("PATCH", `/api/v1/prices/${alphaId}`, { entry: { effectiveTo: "2025-01-01" }, dryRun: true });
    expect(dates.status).toBe(400);
    expect(dates.body.error.errors).toEqual([{ path: "entry.effectiveTo", message: "effectiveTo must be after effectiveFrom" }]);
    const empty = await api<ErrorBody>("PATCH", `/api/v1/prices/${alphaId}`, { entry: { inputPerMTok: "3.0" }, dryRun: true });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/empty/);

    const missing = await api<ErrorBody>("PATCH", "/api/v1/prices/00000000-0000-4000-8000-000000000000", { entry: { outputPerMTok: "1" } });
    expect(missing.status).toBe(404);
    const retired = await api<ErrorBody>("DELETE", `/api/v1/prices/${(await db.query("SELECT id FROM price_entries WHERE retired_at IS NOT NULL LIMIT 1")).rows[0].id}`);
    expect(retired.status).toBe(404);

    const imp = await api<ErrorBody>("POST", "/api/v1/prices/import", { format: "litellm", data: [], effectiveFrom: "soon" });
    expect(imp.status).toBe(400);
    expect(imp.body.error.errors!.map((e) => e.path).sort()).toEqual(["data", "effectiveFrom"]);
    const fmt = await api<ErrorBody>("POST", "/api/v1/prices/import", { format: "csv" });
    expect(fmt.status).toBe(400);
    expect(fmt.body.error.errors![0]!.path).toBe("format");
  });
});
