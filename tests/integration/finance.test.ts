// Finance over real HTTP and PostgreSQL: events go in through the ingest API, the rollups are refreshed,
// and the monthly rollup, chargeback lines and downloads (CSV, FOCUS CSV and Parquet) are checked against sums computed
// independently in SQL from cost_events, gpu_allocations and the overhead setting; reconciliation with
// invoices; closing a month refuses re-pricing it; close and reopen are audited; only finance writes.
import Decimal from "decimal.js";
import { parse } from "csv-parse/sync";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/generate-org";
import { guardFormula } from "@/lib/finance/csv";
import { FOCUS_GUARDED, FOCUS_SCHEMA } from "@/lib/finance/focus";
import { parseMonth } from "@/lib/finance/months";
import { financeTrend } from "@/lib/finance/trend";
import { assertFocus, focusTableOfCsv } from "../support/focus-conformance";
import { readFocusParquet } from "../support/focus-parquet";
import { signIn, withKey, type Session, callJson } from "../support/http";

const baseUrl = inject("baseUrl");
const db = new pg.Pool({ connectionString: inject("databaseUrl"), max: 2 });
const run = `fin${Date.now()}`;
const PROVIDER = run;
const TIERED = `${run}-tiers`;
const POOL = `${run}-pool`;
const MONTH = "2019-06";
const TEAM_A = `${run}-a`;
const TEAM_B = `${run}-b`;
let admin: Session;
let finance: Session;
let owner: Session;
let viewer: Session;
let svc: Session;
let overheadBefore: unknown;
let tz = "UTC";

const call = callJson;
const exactly = (actual: string | Decimal, expected: string | Decimal) =>
  expect(new Decimal(actual).equals(expected), `${actual.toString()} should be exactly ${expected.toString()}`).toBe(true);

const ev = (id: string, requestId: string, ts: string, extra: Record<string, unknown>) => ({ id: `${run}-${id}`, requestId, timestamp: ts, ...extra });
const est = (team: string | undefined, feature: string | undefined, cohort: string, input: number, output: number) => ({
  provider: PROVIDER,
  model: "m-est",
  usage: { inputTokens: input, outputTokens: output },
  ...(team ? { team } : {}),
  ...(feature ? { feature } : {}),
  cohort,
  // A registered endpoint would fill in its team: the unattributed event has none.
  ...(team ? { endpoint: "chat.answer" } : {}),
});

async function ingest(events: unknown[]) {
  const r = await call<{ accepted: number; rejected: unknown[] }>(svc, "POST", "/api/v1/events", { events });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  expect(r.body.rejected).toEqual([]);
}
async function refresh(full = false) {
  const r = await call(admin, "POST", `/api/v1/rollups/refresh${full ? "?full=1" : ""}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

/** The month's figures straight from the raw tables: events in the month, GPU shares of its hours, overhead on both. */
async function independent(month: string) {
  const oh = (await call<{ overhead: { globalPercent: string | null; perFeature: Record<string, string> } }>(admin, "GET", "/api/v1/settings/overhead")).body.overhead;
  const { rows } = await db.query<{ direct: string; gpu: string; overhead: string; requests: number; billed: string }>(
    `WITH b AS (SELECT ($1 || '-01')::date::timestamp AT TIME ZONE $2 AS s, (($1 || '-01')::date + interval '1 month')::timestamp AT TIME ZONE $2 AS e),
     ev AS (SELECT coalesce(cost_usd, 0) AS c, cost_source, feature, request_id FROM cost_events, b WHERE ts >= b.s AND ts < b.e),
     firstgpu AS (
       SELECT DISTINCT ON (a.pool, a.hour, a.request_id) a.pool, a.hour, a.request_id, x.feature
       FROM gpu_allocations a, b, cost_events x
       WHERE a.hour >= b.s AND a.hour < b.e AND x.request_key = a.request_id AND x.request_id = a.request_id AND x.kind = 'gpu' AND x.pool = a.pool
         AND x.ts >= a.hour AND x.ts < a.hour + interval '1 hour'
       ORDER BY a.pool, a.hour, a.request_id, x.ts, x.id),
     ga AS (SELECT coalesce(a.cost_usd, 0) AS c, f.feature FROM gpu_allocations a CROSS JOIN b
       LEFT JOIN firstgpu f USING (pool, hour, request_id) WHERE a.hour >= b.s AND a.hour < b.e),
     pct AS (SELECT $3::jsonb AS per, $4::numeric AS g)
     SELECT (SELECT coalesce(sum(c), 0) FROM ev)::text AS direct,
       (SELECT coalesce(sum(c), 0) FROM ev WHERE cost_source = 'billed')::text AS billed,
       (SELECT coalesce(sum(c), 0) FROM ga)::text AS gpu,
       (SELECT coalesce(sum(c * coalesce((per ->> feature)::numeric, g, 0) / 100), 0) FROM (SELECT c, feature FROM ev UNION ALL SELECT c, feature FROM ga) x, pct)::text AS overhead,
       (SELECT count(DISTINCT request_id)::int FROM ev) AS requests`,
    [month, tz, JSON.stringify(oh.perFeature), oh.globalPercent],
  );
  const r = rows[0]!;
  return { ...r, total: new Decimal(r.direct).plus(r.gpu).plus(r.overhead) };
}

type Figures = { requests: number; directCost: string; billedCost: string; gpuCost: string; overheadCost: string; totalCost: string; costPerRequest: string | null };
type Rollup = { month: string; rows: (Figures & { key: Record<string, string | null> })[]; totals: Figures };
type Chargeback = { method: string; totalCost: string; lines: { owner: string | null; label: string; totalCost: string; sharePct: string | null }[] };

const rollup = async (query: string, who = finance) => {
  const r = await call<Rollup>(who, "GET", `/api/v1/finance/monthly?${query}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
};
const csvOf = async (path: string, who = finance) => {
  const res = await who.fetch(path);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/csv");
  expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename=".+\.csv"$/);
  return parse(await res.text(), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
};
const sum = (values: string[]) => values.reduce((s, v) => s.plus(v || 0), new Decimal(0));

beforeAll(async () => {
  admin = await signIn(baseUrl, "admin@example.com", DEMO_PASSWORD);
  finance = await signIn(baseUrl, "finance@example.com", DEMO_PASSWORD);
  owner = await signIn(baseUrl, "owner@example.com", DEMO_PASSWORD);
  viewer = await signIn(baseUrl, "viewer@example.com", DEMO_PASSWORD);
  const key = await call<{ key: string }>(admin, "POST", "/api/v1/api-keys", { name: "finance test", scope: "ingest" });
  svc = withKey(baseUrl, key.body.key);
  tz = (await call<{ timezone: string }>(admin, "GET", "/api/v1/settings/review")).body.timezone;
  overheadBefore = (await call<{ overhead: unknown }>(admin, "GET", "/api/v1/settings/overhead")).body.overhead;
  expect((await call(admin, "PUT", "/api/v1/settings/overhead", { globalPercent: "10", perFeature: { chat: "25", summaries: "12.5" } })).status).toBe(200);
  const price = await call(admin, "POST", "/api/v1/prices", {
    entry: { provider: PROVIDER, model: "m-est", effectiveFrom: "2019-01-01", inputPerMTok: "2", outputPerMTok: "8", source: "finance test" },
  });
  expect(price.status, JSON.stringify(price.body)).toBe(201);
  // A model with a long-context tier above 1,000 prompt tokens (input 1 → 4, output 4 → 16 per 1M), and one
  // without a batch rate: the first bills some requests whole at the tier, the second leaves a batch event incomplete.
  const tiered = await call(admin, "POST", "/api/v1/prices", {
    entry: { provider: TIERED, model: "m-tier", effectiveFrom: "2019-01-01", inputPerMTok: "1", outputPerMTok: "4", tiers: [{ aboveTokens: 1000, inputPerMTok: "4", outputPerMTok: "16" }], source: "finance test" },
  });
  expect(tiered.status, JSON.stringify(tiered.body)).toBe(201);
  const noBatch = await call(admin, "POST", "/api/v1/prices", {
    entry: { provider: TIERED, model: "m-std", effectiveFrom: "2019-01-01", inputPerMTok: "2", outputPerMTok: "8", source: "finance test" },
  });
  expect(noBatch.status, JSON.stringify(noBatch.body)).toBe(201);
  const gpuPool = await call(admin, "POST", "/api/v1/gpu-pools", { name: POOL, hourlyUsd: "3.6", effectiveFrom: "2019-01-01T00:00:00Z" });
  expect(gpuPool.status, JSON.stringify(gpuPool.body)).toBe(201);
  await ingest([
    ev("r1a", `${run}-r1`, "2019-06-03T10:00:00Z", est(TEAM_A, "chat", "acme", 1000, 500)),
    ev("r1b", `${run}-r1`, "2019-06-03T10:00:01Z", { ...est(TEAM_A, "chat", "acme", 10, 10), model: "m-bill", costUsd: "0.123456789012" }),
    ev("r2", `${run}-r2`, "2019-06-10T09:00:00Z", est(TEAM_B, "semantic-search", "pro", 3333, 777)),
    ev("r3", `${run}-r3`, "2019-06-11T09:00:00Z", { ...est(undefined, undefined, "globex", 1, 1), model: "m-bill", costUsd: "0.5" }),
    ev("r4", `${run}-r4`, "2019-06-12T10:05:00Z", { kind: "gpu", pool: POOL, gpuSeconds: 600, team: TEAM_A, feature: "summaries", cohort: "acme", provider: "self-hosted", model: "llama" }),
    ev("r5", `${run}-r5`, "2019-06-12T10:20:00Z", { kind: "gpu", pool: POOL, gpuSeconds: 1200, team: TEAM_B, feature: "chat", cohort: "pro", provider: "self-hosted", model: "llama" }),
    ev("r6a", `${run}-r6`, "2019-06-30T12:00:00Z", est(TEAM_B, "chat", "pro", 2000, 100)),
    ev("r6b", `${run}-r6`, "2019-07-01T12:00:00Z", est(TEAM_B, "chat", "pro", 2000, 100)),
    ev("r7", `${run}-r7`, "2019-06-20T08:00:00Z", { ...est(TEAM_A, "chat", "free", 100, 100), model: "m-unknown" }),
    ev("r9", `${run}-r9`, "2019-06-21T08:00:00Z", { ...est(TEAM_A, "chat", "pro", 2000, 100), provider: TIERED, model: "m-tier" }),
    ev("r10", `${run}-r10`, "2019-06-21T09:00:00Z", { ...est(TEAM_A, "chat", "pro", 500, 100), provider: TIERED, model: "m-tier" }),
    ev("r11", `${run}-r11`, "2019-06-21T10:00:00Z", { ...est(TEAM_A, "chat", "pro", 1000, 100), provider: TIERED, model: "m-std", serviceTier: "batch" }),
  ]);
  await refresh(true);
});

afterAll(async () => {
  await call(admin, "PUT", "/api/v1/settings/overhead", overheadBefore);
  await db.end();
});

describe("monthly rollup", () => {
  it("books exactly the month's event costs, GPU shares and overhead, computed independently from the raw tables", async () => {
    const r = await rollup(`month=${MONTH}&groupBy=team`);
    const sql = await independent(MONTH);
    exactly(r.totals.directCost, sql.direct);
    exactly(r.totals.billedCost, sql.billed);
    exactly(r.totals.gpuCost, sql.gpu);
    exactly(r.totals.overheadCost, sql.overhead);
    exactly(r.totals.totalCost, sql.total);
    expect(r.totals.requests).toBe(sql.requests);
    // Ten requests had an event in June (r6 spans into July and counts in both months).
    expect(r.totals.requests).toBe(10);
    expect((await rollup(`month=2019-07&groupBy=team`)).totals.requests).toBe(1);
    // The GPU pool-hour (3.6) is split 600:1200 between r4 (team A) and r5 (team B), idle included.
    exactly(r.totals.gpuCost, "3.6");
    exactly(r.rows.find((x) => x.key.team === TEAM_A)!.gpuCost, "1.2");
    exactly(sum(r.rows.map((x) => x.totalCost)), r.totals.totalCost);
  });

  it("agrees with the raw tables for the demo's last complete month too", async () => {
    const month = new Date(Date.now() - 40 * 86_400_000).toISOString().slice(0, 7);
    const r = await rollup(`month=${month}&groupBy=provider,model`);
    const sql = await independent(month);
    expect(new Decimal(r.totals.totalCost).gt(0)).toBe(true);
    exactly(r.totals.totalCost, sql.total);
    exactly(r.totals.gpuCost, sql.gpu);
    expect(r.totals.requests).toBe(sql.requests);
  });

  it("groups and filters on every dimension with the same total", async () => {
    const all = await rollup(`month=${MONTH}&groupBy=`);
    for (const g of ["feature", "endpoint", "cohort", "provider,model", "costSource", "team,cohort"]) {
      const r = await rollup(`month=${MONTH}&groupBy=${g}`);
      exactly(r.totals.totalCost, all.totals.totalCost);
      exactly(sum(r.rows.map((x) => x.totalCost)), all.totals.totalCost);
      expect(r.rows.reduce((s, x) => s + x.requests, 0)).toBe(all.totals.requests);
    }
    const a = await rollup(`month=${MONTH}&groupBy=team&team=${TEAM_A}`);
    expect(a.rows.map((x) => x.key.team)).toEqual([TEAM_A]);
    const none = await rollup(`month=${MONTH}&groupBy=team&team=(none)`);
    expect(none.rows.map((x) => x.key.team)).toEqual([null]);
    // r3: 0.5 billed, no feature → global 10 % overhead.
    exactly(none.totals.totalCost, "0.55");
  });

  it("follows new events with an incremental refresh of the days they touch", async () => {
    const before = await rollup(`month=${MONTH}&groupBy=team`);
    await ingest([ev("late", `${run}-late`, "2019-06-15T10:00:00Z", { ...est(TEAM_A, "semantic-search", "pro", 5, 5), model: "m-bill", costUsd: "1.000000000001" })]);
    await refresh(false);
    const after = await rollup(`month=${MONTH}&groupBy=team`);
    exactly(new Decimal(after.totals.totalCost).minus(before.totals.totalCost), "1.1000000000011");
    expect(after.totals.requests).toBe(before.totals.requests + 1);
    exactly(after.totals.totalCost, (await independent(MONTH)).total);
  });

  it("refuses a bad query and names the field", async () => {
    for (const [q, field] of [
      ["month=2019-13", "month"],
      ["groupBy=colour&month=2019-06", "groupBy"],
      ["month=2019-06&format=xml", "format"],
      ["month=2019-06&format=parquet", "format"],
    ] as const) {
      const r = await call<{ error: { code: string; errors: { path: string }[] } }>(finance, "GET", `/api/v1/finance/monthly?${q}`);
      expect(r.status).toBe(400);
      expect(r.body.error.errors.map((e) => e.path.split(".")[0])).toContain(field);
    }
  });
});

describe("GPU shares named by their pool, and the twelve-month trend", () => {
  const APRIL = "2019-04";

  it("names a GPU share whose event has no provider or model by its pool, with no requests of its own", async () => {
    // One GPU event without provider or model: its request takes the whole pool-hour (3.6).
    await ingest([ev("g1", `${run}-g1`, "2019-04-08T10:05:00Z", { kind: "gpu", pool: POOL, gpuSeconds: 60, team: TEAM_A, feature: "summaries", cohort: "acme" })]);
    await refresh(false);
    const r = await rollup(`month=${APRIL}&groupBy=provider,model`);
    const share = r.rows.find((x) => x.key.model === `gpu: ${POOL}`)!;
    expect(share.key.provider).toBe(`gpu: ${POOL}`);
    exactly(share.gpuCost, "3.6");
    exactly(share.directCost, "0");
    expect(share.requests).toBe(0);
    expect(share.costPerRequest).toBeNull();
    // The request is counted once, with its GPU event (no provider, no model, no cost of its own).
    const event = r.rows.find((x) => x.key.model === null)!;
    expect(event.requests).toBe(1);
    expect(r.totals.requests).toBe(1);
    // The pool's name filters like any other value, and is offered as one.
    const only = await rollup(`month=${APRIL}&groupBy=team&model=${encodeURIComponent(`gpu: ${POOL}`)}`);
    exactly(only.totals.gpuCost, "3.6");
    exactly(only.totals.totalCost, share.totalCost);
  });

  it("gives each month's total exactly as the monthly rollup does, split by the first grouping", async () => {
    const month = parseMonth(MONTH)!;
    for (const dim of [null, "team", "model"] as const) {
      const t = await financeTrend(db, month, dim);
      expect(t.months.map((m) => m.month)).toEqual(["2018-07", "2018-08", "2018-09", "2018-10", "2018-11", "2018-12", "2019-01", "2019-02", "2019-03", "2019-04", "2019-05", "2019-06"]);
      for (const m of t.months) {
        const r = await rollup(`month=${m.month}&groupBy=${dim ?? ""}`);
        exactly(m.total, r.totals.totalCost);
        exactly(sum(Object.values(m.values)), m.total);
        expect(Object.keys(m.values).sort()).toEqual(t.series.map((s) => s.key).sort());
        if (dim) {
          // Each named series is exactly that group's row in the month.
          for (const s of t.series) {
            const row = r.rows.find((x) => (x.key[dim] ?? "(none)") === s.label);
            exactly(m.values[s.key]!, row ? row.totalCost : "0");
          }
        }
      }
    }
    const june = (await financeTrend(db, month, "team")).months.at(-1)!;
    expect(new Decimal(june.total).gt(0)).toBe(true);
    const april = (await financeTrend(db, month, "model")).series.map((s) => s.label);
    expect(april).toContain(`gpu: ${POOL}`);
  });

  it("keeps the largest groups and adds the rest up as Other; filters as the page does", async () => {
    const month = parseMonth(MONTH)!;
    const all = await financeTrend(db, month, "team");
    expect(all.series.map((s) => s.label).sort()).toEqual([TEAM_A, TEAM_B, "(none)"].sort());
    const top1 = await financeTrend(db, month, "team", {}, 1);
    expect(top1.series.map((s) => s.label)).toEqual([all.series[0]!.label, "Other"]);
    for (const [i, m] of top1.months.entries()) {
      exactly(m.total, all.months[i]!.total);
      exactly(m.values.s0!, all.months[i]!.values.s0!);
      exactly(m.values.other!, new Decimal(m.total).minus(m.values.s0!));
    }
    const a = await financeTrend(db, month, "feature", { team: TEAM_A });
    exactly(a.months.at(-1)!.total, (await rollup(`month=${MONTH}&groupBy=&team=${TEAM_A}`)).totals.totalCost);
  });
});

describe("chargeback", () => {
  it("has one line per team plus an explicit Unattributed line, summing exactly to the month's total", async () => {
    const total = (await rollup(`month=${MONTH}&groupBy=`)).totals.totalCost;
    for (const by of ["team", "tenant"]) {
      const r = await call<Chargeback>(finance, "GET", `/api/v1/finance/chargeback?month=${MONTH}&by=${by}`);
      expect(r.status).toBe(200);
      exactly(r.body.totalCost, total);
      exactly(sum(r.body.lines.map((l) => l.totalCost)), total);
      // Shares by largest remainder: exactly 100.00 together.
      exactly(sum(r.body.lines.map((l) => l.sharePct ?? "0")), "100");
      expect(r.body.method).toMatch(/not spread/);
      if (by === "team") {
        expect(r.body.lines.map((l) => l.label).sort()).toEqual([TEAM_A, TEAM_B, "Unattributed"].sort());
        exactly(r.body.lines.find((l) => l.owner === null)!.totalCost, "0.55");
      }
    }
  });
});

describe("downloads", () => {
  it("CSV of the rollup and of the chargeback parse back to the same totals to the cent (and exactly)", async () => {
    const j = await rollup(`month=${MONTH}&groupBy=team,provider`);
    const rows = await csvOf(`/api/v1/finance/monthly?month=${MONTH}&groupBy=team,provider&format=csv`);
    const lines = rows.filter((r) => r.row === "line");
    const totalRow = rows.find((r) => r.row === "total")!;
    expect(lines).toHaveLength(j.rows.length);
    exactly(sum(lines.map((r) => r.total_cost_usd!)), j.totals.totalCost);
    exactly(totalRow.total_cost_usd!, j.totals.totalCost);
    expect(new Decimal(totalRow.total_cost_usd!).toFixed(2)).toBe(new Decimal(j.totals.totalCost).toFixed(2));
    expect(Number(totalRow.requests)).toBe(j.totals.requests);

    const cb = await csvOf(`/api/v1/finance/chargeback?month=${MONTH}&by=team&format=csv`);
    exactly(sum(cb.map((r) => r.total_cost_usd!)), j.totals.totalCost);
    expect(cb.map((r) => r.owner)).toContain("Unattributed");
  });

  it("the FOCUS file conforms to FOCUS 1.2: EffectiveCost sums to the fully-loaded total and BilledCost to the billed and estimated costs and GPU shares, exactly", async () => {
    // The month has GPU shares, overhead on every feature and request r6 spanning the month boundary (June 30 → July 1).
    const j = await rollup(`month=${MONTH}&groupBy=team,provider`);
    const sql = await independent(MONTH);
    const res = await finance.fetch(`/api/v1/finance/monthly?month=${MONTH}&format=focus`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain(`cost-review-focus-${MONTH}.csv`);
    const text = await res.text();
    const billedAndGpu = new Decimal(sql.direct).plus(sql.gpu);
    assertFocus(text, { effectiveTotal: sql.total, billedTotal: billedAndGpu });
    exactly(sql.total, j.totals.totalCost);
    const focus = parse(text, { columns: true }) as Record<string, string>[];
    const of = (source: string, col: string) => sum(focus.filter((r) => r.x_CostSource === source).map((r) => r[col]!));
    // BilledCost: what the provider billed (its own figure), what we estimated from the price book, the GPU shares.
    exactly(of("billed", "BilledCost"), sql.billed);
    exactly(of("estimated", "BilledCost").plus(of("incomplete", "BilledCost")), new Decimal(sql.direct).minus(sql.billed));
    exactly(of("gpu", "BilledCost"), sql.gpu);
    exactly(of("overhead", "BilledCost"), "0");
    exactly(of("overhead", "EffectiveCost"), sql.overhead);
    exactly(of("unpriced", "EffectiveCost"), "0");
    const tags = focus.map((r) => JSON.parse(r.Tags!) as { team?: string });
    exactly(sum(focus.filter((_, i) => tags[i]!.team === TEAM_A).map((r) => r.EffectiveCost!)), j.rows.filter((x) => x.key.team === TEAM_A).reduce((s, x) => s.plus(x.totalCost), new Decimal(0)));

    // One row per token class at the price entry's rate (input 2, output 8 per 1M tokens); ConsumedQuantity counts every class.
    const est = focus.filter((r) => r.x_CostSource === "estimated" && r.SkuId === "m-est" && r.ServiceProviderName === PROVIDER);
    expect(new Set(est.map((r) => r.SkuMeter))).toEqual(new Set(["Input tokens", "Output tokens"]));
    for (const r of est) {
      expect(r.PricingUnit).toBe("1M Tokens");
      expect(r.ListUnitPrice).toBe(r.SkuMeter === "Input tokens" ? "2" : "8");
      expect(r.ContractedUnitPrice).toBe(r.ListUnitPrice);
      exactly(r.PricingQuantity!, new Decimal(r.ConsumedQuantity!).div(1_000_000));
    }
    const { rows: tok } = await db.query<{ t: string }>(
      `SELECT sum(input_tokens + cache_read_tokens + cache_write_tokens + cache_write_1h_tokens + output_tokens + reasoning_tokens + tool_output_tokens)::text AS t
       FROM cost_events WHERE provider = $1 AND cost_source = 'estimated' AND ts >= ($2 || '-01')::date::timestamp AT TIME ZONE $3
         AND ts < (($2 || '-01')::date + interval '1 month')::timestamp AT TIME ZONE $3`,
      [PROVIDER, MONTH, tz],
    );
    exactly(sum(focus.filter((r) => r.x_CostSource === "estimated" && r.ProviderName === PROVIDER).map((r) => r.ConsumedQuantity!)), tok[0]!.t);

    // Only an event whose cost is the base rates' split is split by token class. Above its 1,000-token tier
    // (2,000 × $4 + 100 × $16 per 1M = $0.0096) the whole request is one row priced per dollar; below it
    // (500 × $1 + 100 × $4 = $0.0009), token classes at the base rates; the batch event the book has no rate
    // for is incomplete: its priced part at the standard rates (1,000 × $2 + 100 × $8 = $0.0028), said so.
    const tieredRows = focus.filter((r) => r.ProviderName === TIERED);
    const above = tieredRows.filter((r) => r.SkuMeter === "Priced requests");
    expect(above.map((r) => [r.SkuId, r.PricingUnit, r.ListUnitPrice, new Decimal(r.BilledCost!).toFixed(), r.ConsumedQuantity])).toEqual([["m-tier", "USD", "1", "0.0096", "2100"]]);
    expect(above[0]!.ChargeDescription).toContain("long-context tier");
    const below = tieredRows.filter((r) => r.SkuId === "m-tier" && r.PricingUnit === "1M Tokens");
    expect(below.map((r) => [r.SkuMeter, r.ListUnitPrice, new Decimal(r.BilledCost!).toFixed()]).sort()).toEqual([["Input tokens", "1", "0.0005"], ["Output tokens", "4", "0.0004"]]);
    const part = tieredRows.filter((r) => r.x_CostSource === "incomplete");
    expect(part.map((r) => [r.SkuId, r.SkuMeter, new Decimal(r.BilledCost!).toFixed()])).toEqual([["m-std", "Priced part", "0.0028"]]);
    expect(part[0]!.ChargeDescription).toContain("cannot price");

    // The request spanning the boundary: its June 30 event is booked in June's file, its July 1 event in July's.
    const july = await (await finance.fetch(`/api/v1/finance/monthly?month=2019-07&format=focus`)).text();
    assertFocus(july, { effectiveTotal: (await independent("2019-07")).total });
    const costOf = async (id: string) => (await db.query<{ c: string }>("SELECT cost_usd::text AS c FROM cost_events WHERE id = $1", [`${run}-${id}`])).rows[0]!.c;
    const r6On = (rows: Record<string, string>[], at: string) =>
      sum(rows.filter((r) => r.x_CostSource === "estimated" && r.ProviderName === PROVIDER && r.Tags!.includes(`"cohort":"pro"`) && r.Tags!.includes(`"feature":"chat"`)
        && r.ChargePeriodStart! <= at && at < r.ChargePeriodEnd!).map((r) => r.BilledCost!));
    exactly(r6On(focus, "2019-06-30T12:00:00Z"), await costOf("r6a"));
    exactly(r6On(parse(july, { columns: true }) as Record<string, string>[], "2019-07-01T12:00:00Z"), await costOf("r6b"));

    // GPU shares: the pool as SKU, hours as the unit, the organisation as provider; overhead as Adjustment rows.
    const gpu = focus.filter((r) => r.x_CostSource === "gpu");
    expect(gpu.length).toBeGreaterThan(0);
    for (const r of gpu) {
      expect(r.SkuId).toBe(POOL);
      expect(r.PricingUnit).toBe("Hours");
      expect(r.ProviderName).toBe("Self-hosted");
      expect(r.ChargeCategory).toBe("Usage");
    }
    exactly(sum(gpu.map((r) => r.PricingQuantity!)).toDecimalPlaces(12), sum(gpu.map((r) => r.BilledCost!)).div("3.6").toDecimalPlaces(12));
    for (const r of focus.filter((x) => x.x_CostSource === "overhead")) {
      expect([r.ChargeCategory, r.ProviderName, r.BilledCost, r.ListCost, r.ContractedCost]).toEqual(["Adjustment", "Self-hosted", "0", r.EffectiveCost, r.EffectiveCost]);
    }
    expect(focus.find((r) => r.x_CostSource === "unpriced" && r.SkuId === "m-unknown")!.ChargeDescription).toContain("no price");
    for (const r of focus) expect(r.ChargePeriodStart).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });
  it("the FOCUS Parquet file holds the FOCUS CSV's rows cell for cell, typed, and conforms to FOCUS 1.2 with the same totals", async () => {
    const sql = await independent(MONTH);
    const csv = focusTableOfCsv(await (await finance.fetch(`/api/v1/finance/monthly?month=${MONTH}&format=focus`)).text());
    const res = await finance.fetch(`/api/v1/finance/monthly?month=${MONTH}&format=focus-parquet`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/vnd.apache.parquet");
    expect(res.headers.get("content-disposition")).toContain(`cost-review-focus-${MONTH}.parquet`);
    const file = await readFocusParquet(await res.arrayBuffer());

    // Typed: decimals exact DECIMAL(38, 20), date-times TIMESTAMP in UTC, the rest UTF8 strings.
    expect(file.header).toEqual(csv.header);
    for (const [i, c] of FOCUS_SCHEMA.entries()) {
      const e = file.columns[i]!;
      if (c.type === "decimal") expect(e, c.name).toMatchObject({ converted_type: "DECIMAL", precision: 38, scale: 20 });
      else if (c.type === "datetime") expect(e.logical_type, c.name).toEqual({ type: "TIMESTAMP", isAdjustedToUTC: true, unit: "MILLIS" });
      else expect(e.converted_type, c.name).toBe("UTF8");
    }
    // Cell for cell: a decimal compared as its exact value, a date-time as its instant, the CSV's empty cell as
    // null, and a text cell the CSV guards against spreadsheet formulas (a leading ') with the same guard.
    const normal = (rows: (string | null)[][], fromCsv: boolean) =>
      rows.map((cells) =>
        cells.map((v, i) => {
          if (v === null || v === "") return null;
          const type = FOCUS_SCHEMA[i]!.type;
          if (type === "decimal") return new Decimal(v).toFixed();
          if (type === "datetime") return new Date(v).toISOString();
          return !fromCsv && FOCUS_GUARDED.has(i) ? guardFormula(v) : v;
        }),
      );
    expect(file.rows.length).toBe(csv.rows.length);
    expect(file.rows.length).toBeGreaterThan(10);
    expect(normal(file.rows, false)).toEqual(normal(csv.rows, true));
    // Nothing lost to floating point: a GPU share's 20-decimal hours and a sub-cent cost come back digit for digit.
    const hours = file.rows.filter((r) => r[FOCUS_SCHEMA.findIndex((c) => c.name === "x_CostSource")] === "gpu").map((r) => r[FOCUS_SCHEMA.findIndex((c) => c.name === "PricingQuantity")]!);
    expect(hours.length).toBeGreaterThan(0);
    expect(hours.some((h) => h.split(".")[1]?.length === 20), hours.join(" ")).toBe(true);

    // The same conformance check as the CSV, on the Parquet file's rows: exact totals included.
    assertFocus(file, { effectiveTotal: sql.total, billedTotal: new Decimal(sql.direct).plus(sql.gpu) });
  });
});

describe("reconciliation", () => {
  type Rec = { tolerancePct: string; lines: { provider: string; billedCost: string; estimatedCost: string; computedCost: string; invoicedCost: string | null; varianceUsd: string | null; variancePct: string | null; status: string }[] };
  it("shows computed vs invoiced per provider with billed and estimated apart, and a status against the tolerance", async () => {
    const before = await call<Rec>(finance, "GET", `/api/v1/finance/reconciliation?month=${MONTH}`);
    const line = before.body.lines.find((l) => l.provider === PROVIDER)!;
    expect(line.status).toBe("no_invoice");
    const { rows } = await db.query<{ billed: string; estimated: string }>(
      `SELECT coalesce(sum(cost_usd) FILTER (WHERE cost_source = 'billed'), 0)::text AS billed, coalesce(sum(cost_usd) FILTER (WHERE cost_source = 'estimated'), 0)::text AS estimated
       FROM cost_events WHERE provider = $1 AND ts >= ($2 || '-01')::date::timestamp AT TIME ZONE $3 AND ts < (($2 || '-01')::date + interval '1 month')::timestamp AT TIME ZONE $3`,
      [PROVIDER, MONTH, tz],
    );
    exactly(line.billedCost, rows[0]!.billed);
    exactly(line.estimatedCost, rows[0]!.estimated);
    exactly(line.computedCost, new Decimal(rows[0]!.billed).plus(rows[0]!.estimated));

    const near = new Decimal(line.computedCost).times("1.005").toDecimalPlaces(6).toFixed();
    expect((await call(finance, "PUT", "/api/v1/finance/invoices", { month: MONTH, invoices: [{ provider: PROVIDER.toUpperCase(), amountUsd: near }] })).status).toBe(200);
    let rec = (await call<Rec>(finance, "GET", `/api/v1/finance/reconciliation?month=${MONTH}`)).body.lines.find((l) => l.provider === PROVIDER)!;
    exactly(rec.invoicedCost!, near);
    exactly(rec.varianceUsd!, new Decimal(line.computedCost).minus(near));
    expect(rec.status).toBe("within");

    const far = new Decimal(line.computedCost).times("1.05").toDecimalPlaces(6).toFixed();
    await call(finance, "PUT", "/api/v1/finance/invoices", { month: MONTH, invoices: [{ provider: PROVIDER, amountUsd: far }] });
    rec = (await call<Rec>(finance, "GET", `/api/v1/finance/reconciliation?month=${MONTH}`)).body.lines.find((l) => l.provider === PROVIDER)!;
    expect(rec.status).toBe("under");
    expect(Number(rec.variancePct)).toBeCloseTo(-4.76, 1);

    expect((await call(finance, "PUT", "/api/v1/finance/settings", { tolerancePct: "6" })).status).toBe(200);
    rec = (await call<Rec>(finance, "GET", `/api/v1/finance/reconciliation?month=${MONTH}`)).body.lines.find((l) => l.provider === PROVIDER)!;
    expect(rec.status).toBe("within");
    await call(finance, "PUT", "/api/v1/finance/settings", { tolerancePct: "1" });

    const bad = await call<{ error: { errors: { path: string }[] } }>(finance, "PUT", "/api/v1/finance/invoices", { month: MONTH, invoices: [{ provider: PROVIDER, amountUsd: "-3" }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.errors[0]!.path).toBe("invoices.0.amountUsd");
  });
});

describe("invoices", () => {
  type Rec = { lines: { provider: string; computedCost: string; invoicedCost: string | null; invoiceNote: string | null; status: string }[] };
  const NOTES_MONTH = "2019-08";
  const putCsv = (csv: string, month: string | null = NOTES_MONTH) =>
    finance.fetch(`/api/v1/finance/invoices${month ? `?month=${month}` : ""}`, { method: "PUT", headers: { "Content-Type": "text/csv" }, body: csv });

  it("returns each invoice's note, entered as JSON or uploaded as CSV", async () => {
    const saved = await call(finance, "PUT", "/api/v1/finance/invoices", { month: NOTES_MONTH, invoices: [{ provider: PROVIDER, amountUsd: "9.3", note: "INV-0815 (August)" }] });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    let line = (await call<Rec>(finance, "GET", `/api/v1/finance/reconciliation?month=${NOTES_MONTH}`)).body.lines.find((l) => l.provider === PROVIDER)!;
    expect([line.invoicedCost, line.invoiceNote]).toEqual(["9.3", "INV-0815 (August)"]);

    const csv = await putCsv(`provider,amount_usd,note\n${PROVIDER},"1,234.50","PO 7, credit applied"\n${TIERED},0.25,\n`);
    expect(csv.status, await csv.clone().text()).toBe(200);
    expect(await csv.json()).toMatchObject({ month: NOTES_MONTH, saved: 2 });
    const lines = (await call<Rec>(finance, "GET", `/api/v1/finance/reconciliation?month=${NOTES_MONTH}`)).body.lines;
    line = lines.find((l) => l.provider === PROVIDER)!;
    expect([line.invoicedCost, line.invoiceNote]).toEqual(["1234.5", "PO 7, credit applied"]);
    expect(lines.find((l) => l.provider === TIERED)!.invoicedCost).toBe("0.25");
  });

  it("answers a CSV with the wrong separator or missing columns with a 400 naming them, and stores nothing", async () => {
    const semi = await putCsv(`provider;amount_usd;note\n${PROVIDER};5;x\n`);
    expect(semi.status).toBe(400);
    const body = (await semi.json()) as { error: { message: string; errors: { path: string; message: string }[] } };
    expect(body.error.message).toContain("The file needs the columns provider, amount_usd");
    expect(body.error.message).toContain("its header has: provider;amount_usd;note — is it comma-separated?");
    expect(body.error.message).not.toMatch(/Invalid Record Length/i);
    expect(body.error.errors.map((e) => e.path)).toEqual(["header"]);

    const missing = (await (await putCsv(`provider,total\n${PROVIDER},5\n`)).json()) as { error: { message: string } };
    expect(missing.error.message).toContain("missing: amount_usd; its header has: provider,total");
    const uneven = await putCsv(`provider,amount_usd\n${PROVIDER},1,000.50\n`);
    expect(uneven.status).toBe(400);
    expect(((await uneven.json()) as { error: { message: string } }).error.message).toContain("Line 2 has 3 fields; the header has 2");
    // A bad amount is named by its file line; a CSV body without ?month= is told to name it.
    const bad = (await (await putCsv(`provider,amount_usd\n${PROVIDER},5\n${TIERED},lots\n`)).json()) as { error: { errors: { path: string }[] } };
    expect(bad.error.errors.map((e) => e.path)).toEqual(["line 3.amountUsd"]);
    const noMonth = await putCsv(`provider,amount_usd\n${PROVIDER},5\n`, null);
    expect(noMonth.status).toBe(400);
    expect(((await noMonth.json()) as { error: { errors: { path: string }[] } }).error.errors.map((e) => e.path)).toEqual(["month"]);
    const line = (await call<Rec>(finance, "GET", `/api/v1/finance/reconciliation?month=${NOTES_MONTH}`)).body.lines.find((l) => l.provider === PROVIDER)!;
    expect(line.invoicedCost).toBe("1234.5");
  });

  it("refuses an invoice for self-hosted models, by JSON and by CSV, and asks none for them", async () => {
    const r = await call<{ error: { message: string; errors: { path: string; message: string }[] } }>(finance, "PUT", "/api/v1/finance/invoices", {
      month: NOTES_MONTH,
      invoices: [{ provider: "Self-Hosted", amountUsd: "10" }],
    });
    expect(r.status).toBe(400);
    expect(r.body.error.errors).toEqual([{ path: "invoices.0.provider", message: expect.stringContaining("self-hosted has no invoice") }]);
    const csv = await putCsv(`provider,amount_usd\n${PROVIDER},5\nself-hosted,10\n`);
    expect(csv.status).toBe(400);
    expect(((await csv.json()) as { error: { errors: { path: string }[] } }).error.errors.map((e) => e.path)).toEqual(["line 3.provider"]);
    const stored = await db.query("SELECT 1 FROM finance_invoices WHERE provider = 'self-hosted'");
    expect(stored.rowCount).toBe(0);
  });

  it("shows no (no provider) line of zeros, and one that carries cost without asking for an invoice", async () => {
    const month = "2019-09";
    const noProvider = (id: string, extra: Record<string, unknown>) => ev(id, `${run}-${id}`, "2019-09-04T10:00:00Z", { kind: "llm", team: TEAM_A, cohort: "pro", usage: { inputTokens: 5, outputTokens: 5 }, ...extra });
    await ingest([noProvider("np1", { model: "no-price-anywhere" })]);
    await refresh(false);
    let lines = (await call<Rec>(finance, "GET", `/api/v1/finance/reconciliation?month=${month}`)).body.lines;
    expect(lines.map((l) => l.provider)).not.toContain("(no provider)");
    await ingest([noProvider("np2", { model: "billed-elsewhere", costUsd: "0.42" })]);
    await refresh(false);
    lines = (await call<Rec>(finance, "GET", `/api/v1/finance/reconciliation?month=${month}`)).body.lines;
    expect(lines.find((l) => l.provider === "(no provider)")).toMatchObject({ computedCost: "0.42", status: "not_invoiced", invoicedCost: null });
  });
});

describe("closing a month", () => {
  const newPrice = { entry: { provider: PROVIDER, model: "m-est", effectiveFrom: "2019-06-15", inputPerMTok: "3", outputPerMTok: "9", source: "late change" } };

  it("locks re-pricing of the month until it is reopened; both audited; only finance may do it", async () => {
    for (const who of [owner, viewer]) {
      expect((await call(who, "PATCH", `/api/v1/finance/months/${MONTH}`, { closed: true })).status).toBe(403);
      expect((await call(who, "PUT", "/api/v1/finance/invoices", { month: MONTH, invoices: [{ provider: PROVIDER, amountUsd: "1" }] })).status).toBe(403);
      expect((await call(who, "GET", `/api/v1/finance/monthly?month=${MONTH}`)).status).toBe(403);
    }
    const future = await call<{ error: { errors: { path: string }[] } }>(finance, "PATCH", `/api/v1/finance/months/2999-01`, { closed: true });
    expect(future.status).toBe(400);

    const totalBefore = (await rollup(`month=${MONTH}&groupBy=`)).totals.totalCost;
    const closed = await call<{ closed: boolean; closedBy: string }>(finance, "PATCH", `/api/v1/finance/months/${MONTH}`, { closed: true });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body).toMatchObject({ closed: true, closedBy: "finance@example.com" });
    expect((await call(finance, "PATCH", `/api/v1/finance/months/${MONTH}`, { closed: true })).status).toBe(409);

    const refused = await call<{ error: { code: string; message: string } }>(admin, "POST", "/api/v1/prices", newPrice);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("month_closed");
    expect(refused.body.error.message).toContain(MONTH);
    const invoices = await call<{ error: { message: string } }>(finance, "PUT", "/api/v1/finance/invoices", { month: MONTH, invoices: [{ provider: PROVIDER, amountUsd: "1" }] });
    expect(invoices.status).toBe(409);
    await refresh(false);
    exactly((await rollup(`month=${MONTH}&groupBy=`)).totals.totalCost, totalBefore);

    const reopened = await call<{ closed: boolean }>(finance, "PATCH", `/api/v1/finance/months/${MONTH}`, { closed: false });
    expect(reopened.status).toBe(200);
    expect(reopened.body.closed).toBe(false);
    const allowed = await call(admin, "POST", "/api/v1/prices", newPrice);
    expect(allowed.status, JSON.stringify(allowed.body)).toBe(201);
    await refresh(false);
    const after = await rollup(`month=${MONTH}&groupBy=`);
    expect(new Decimal(after.totals.totalCost).gt(totalBefore)).toBe(true);
    exactly(after.totals.totalCost, (await independent(MONTH)).total);

    const audit = await call<{ entries: { action: string; entityId: string | null; actorLabel: string; after: unknown }[] }>(admin, "GET", "/api/v1/audit?entityType=month&limit=20");
    const mine = audit.body.entries.filter((e) => e.entityId === MONTH).map((e) => e.action);
    expect(mine).toEqual(["finance.month.reopen", "finance.month.close"]);
    expect(audit.body.entries.find((e) => e.action === "finance.month.close")!.actorLabel).toBe("finance@example.com");
    const invAudit = await call<{ entries: { action: string; entityId: string | null }[] }>(admin, "GET", "/api/v1/audit?entityType=finance_invoice&limit=20");
    expect(invAudit.body.entries.some((e) => e.action === "finance.invoice.save" && e.entityId === `${MONTH}/${PROVIDER}`)).toBe(true);
  });
});
