// The weekly and cost-per-request APIs against an independent computation over the raw events:
// requests spanning several calls, retries, billed and estimated costs, and a week boundary.
import Decimal from "decimal.js";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/generate-org";
import { LOCK_KEY, refreshRollups } from "@/lib/rollups/refresh-rollups";
import { signIn, withKey, type Session } from "../support/http";

const baseUrl = inject("baseUrl");
const db = new pg.Pool({ connectionString: inject("databaseUrl"), max: 1 });
const run = `r${Date.now().toString(36)}`;
const EP = `rollup-${run}`;
let admin: Session;

/** Exact linear-interpolation percentile of sorted decimals (what percentile_cont computes, without floats). */
function percentile(sorted: Decimal[], p: number): Decimal {
  const pos = new Decimal(p).times(sorted.length - 1);
  const lo = pos.floor().toNumber();
  const hi = pos.ceil().toNumber();
  return sorted[lo]!.plus(sorted[hi]!.minus(sorted[lo]!).times(pos.minus(lo)));
}

type Row = { endpoint: string | null; cohort: string | null; current: { requests: number; totalCost: string; meanCost: string; p50Cost: string; p95Cost: string } | null };

beforeAll(async () => {
  admin = await signIn(baseUrl, "admin@example.com", DEMO_PASSWORD);
  const keyRes = await admin.fetch("/api/v1/api-keys", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name: "rollups", scope: "ingest" }) });
  const svc = withKey(baseUrl, ((await keyRes.json()) as { key: string }).key);
  // Week 2026-W24 is 8–14 June; W25 starts Monday 15 June.
  const events: Record<string, unknown>[] = [];
  let n = 0;
  const add = (req: string, ts: string, extra: Record<string, unknown>) =>
    events.push({ id: `${run}-${n++}`, timestamp: ts, requestId: `${run}-${req}`, endpoint: EP, ...extra });
  for (let i = 0; i < 23; i++) {
    const cohort = i % 3 === 0 ? "enterprise" : "free";
    const day = String(8 + (i % 6)).padStart(2, "0");
    // three calls per request: embedding, a retried chat call (error then ok), and a billed tool call
    add(`a${i}`, `2026-06-${day}T10:00:00Z`, { cohort, kind: "embedding", provider: "openai", model: "text-embedding-3-small", usage: { inputTokens: 100 + i } });
    add(`a${i}`, `2026-06-${day}T10:00:01Z`, { cohort, provider: "openai", model: "gpt-4o-mini", usage: { inputTokens: 1000 * (i + 1), outputTokens: 50 }, status: "error", attempt: 1 });
    add(`a${i}`, `2026-06-${day}T10:00:05Z`, { cohort, provider: "openai", model: "gpt-4o-mini", usage: { inputTokens: 1000 * (i + 1), outputTokens: 300 + i }, attempt: 2 });
    add(`a${i}`, `2026-06-${day}T10:00:06Z`, { cohort, kind: "tool", costUsd: `0.00${i + 1}7` });
  }
  // A request that starts on Sunday night and ends on Monday: it belongs to the first week.
  add("boundary", "2026-06-14T23:59:50Z", { cohort: "free", provider: "openai", model: "gpt-4o", usage: { inputTokens: 5000, outputTokens: 500 } });
  add("boundary", "2026-06-15T00:00:10Z", { cohort: "free", provider: "openai", model: "gpt-4o", usage: { inputTokens: 7000, outputTokens: 900 } });
  // Next week: one cheaper request, for the week-over-week change.
  add("next", "2026-06-16T09:00:00Z", { cohort: "free", provider: "openai", model: "gpt-4o-mini", usage: { inputTokens: 100, outputTokens: 10 } });
  const res = await svc.fetch("/api/v1/events", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ events }) });
  expect(res.status).toBe(200);
  const refresh = await admin.fetch("/api/v1/rollups/refresh", { method: "POST" });
  expect(refresh.status).toBe(200);
});
afterAll(() => db.end());

/** Per-request cost from the raw events, grouped the way the review groups (first event's week and tags). */
async function independent(week: string, cohort: string | null): Promise<Decimal[]> {
  const { rows } = await db.query<{ cost: string }>(
    `WITH r AS (
       SELECT request_id, min(ts) AS first_ts, sum(coalesce(cost_usd, 0)) AS cost,
         (array_agg(cohort ORDER BY ts))[1] AS cohort
       FROM cost_events WHERE endpoint = $1 GROUP BY request_id)
     SELECT cost::text FROM r WHERE date_trunc('week', first_ts AT TIME ZONE 'UTC')::date = $2::date AND ($3::text IS NULL OR cohort = $3)
     ORDER BY cost`,
    [EP, week, cohort],
  );
  return rows.map((r) => new Decimal(r.cost));
}

describe("the weekly rollup", () => {
  it("equals the raw events for the endpoint and for each cohort, to the last decimal", async () => {
    const res = await admin.fetch(`/api/v1/weekly?week=2026-W24&groupBy=endpoint,cohort`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { rows: Row[] };
    const mine = body.rows.filter((r) => r.endpoint === EP);
    expect(mine.map((r) => r.cohort).sort()).toEqual(["enterprise", "free"]);
    for (const row of mine) {
      const costs = await independent("2026-06-08", row.cohort);
      const total = costs.reduce((s, c) => s.plus(c), new Decimal(0));
      expect(row.current!.requests).toBe(costs.length);
      expect(new Decimal(row.current!.totalCost).equals(total)).toBe(true);
      expect(new Decimal(row.current!.meanCost).equals(total.div(costs.length).toDecimalPlaces(12))).toBe(true);
      expect(new Decimal(row.current!.p50Cost).equals(percentile(costs, 0.5).toDecimalPlaces(12))).toBe(true);
      expect(new Decimal(row.current!.p95Cost).equals(percentile(costs, 0.95).toDecimalPlaces(12))).toBe(true);
    }
  });

  it("agrees with PostgreSQL's percentile_cont, and counts the Sunday-night request in its first week", async () => {
    const res = await admin.fetch(`/api/v1/weekly?week=2026-W24&groupBy=endpoint`);
    const row = ((await res.json()) as { rows: Row[] }).rows.find((r) => r.endpoint === EP)!;
    const { rows } = await db.query<{ n: number; p50: number; p95: number }>(
      `WITH r AS (SELECT request_id, min(ts) AS first_ts, sum(coalesce(cost_usd, 0)) AS cost FROM cost_events WHERE endpoint = $1 GROUP BY request_id)
       SELECT count(*)::int AS n, percentile_cont(0.5) WITHIN GROUP (ORDER BY cost) AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY cost) AS p95
       FROM r WHERE first_ts >= '2026-06-08' AND first_ts < '2026-06-15'`,
      [EP],
    );
    expect(rows[0]!.n).toBe(24); // 23 three-call requests and the boundary request
    expect(row.current!.requests).toBe(24);
    expect(Number(row.current!.p50Cost)).toBeCloseTo(rows[0]!.p50, 12);
    expect(Number(row.current!.p95Cost)).toBeCloseTo(rows[0]!.p95, 12);
  });

  it("shows the week-over-week change against the previous week", async () => {
    const res = await admin.fetch(`/api/v1/weekly?week=2026-W25&groupBy=endpoint`);
    const row = ((await res.json()) as { rows: (Row & { previous: Row["current"]; change: { meanCost: string; requests: string } })[] }).rows.find((r) => r.endpoint === EP)!;
    expect(row.current!.requests).toBe(1);
    expect(row.previous!.requests).toBe(24);
    const expected = new Decimal(row.current!.meanCost).minus(row.previous!.meanCost).div(row.previous!.meanCost).times(100).toDecimalPlaces(2);
    expect(row.change.meanCost).toBe(expected.toFixed(2));
    expect(row.change.requests).toBe("-95.83");
  });

  it("rejects a malformed week with a message naming the field", async () => {
    const res = await admin.fetch(`/api/v1/weekly?week=2026-47`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { errors: { path: string; message: string }[] } };
    expect(body.error.errors[0]).toMatchObject({ path: "week", message: expect.stringMatching(/ISO week/) });
  });
});

describe("cost per request over a range", () => {
  it("groups by cohort and team from the requests, and by model from the events, matching the raw events", async () => {
    const res = await admin.fetch(`/api/v1/cost-per-request?from=2026-06-08&to=2026-06-15&groupBy=endpoint,cohort`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { basis: string; rows: { group: Record<string, string>; requests: number; totalCost: string; p95Cost: string }[] };
    expect(body.basis).toBe("fully-loaded");
    const free = body.rows.find((r) => r.group.endpoint === EP && r.group.cohort === "free")!;
    const costs = await independent("2026-06-08", "free");
    expect(free.requests).toBe(costs.length);
    expect(new Decimal(free.p95Cost).equals(percentile(costs, 0.95).toDecimalPlaces(12))).toBe(true);

    const byModel = await admin.fetch(`/api/v1/cost-per-request?from=2026-06-08&to=2026-06-15&groupBy=endpoint,model`);
    const modelBody = (await byModel.json()) as { basis: string; rows: { group: Record<string, string | null>; requests: number; totalCost: string }[] };
    expect(modelBody.basis).toBe("direct cost by model");
    const mini = modelBody.rows.find((r) => r.group.endpoint === EP && r.group.model === "gpt-4o-mini")!;
    const sql = await db.query<{ n: number; s: string }>(
      `SELECT count(DISTINCT request_id)::int AS n, sum(cost_usd)::text AS s FROM cost_events WHERE endpoint = $1 AND model = 'gpt-4o-mini' AND ts >= '2026-06-08' AND ts < '2026-06-15'`,
      [EP],
    );
    expect(mini.requests).toBe(sql.rows[0]!.n);
    expect(new Decimal(mini.totalCost).equals(sql.rows[0]!.s)).toBe(true);
  });

  it("names a bad grouping", async () => {
    const res = await admin.fetch(`/api/v1/cost-per-request?from=2026-06-08&to=2026-06-15&groupBy=colour`);
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/groupBy takes any of endpoint, feature, team, cohort, model, provider/);
  });
});

describe("review settings", () => {
  it("validate the time zone and threshold, and audit a change", async () => {
    const bad = await admin.fetch("/api/v1/settings/review", { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ timezone: "Mars/Olympus", thresholdPct: "-3" }) });
    expect(bad.status).toBe(400);
    const errors = ((await bad.json()) as { error: { errors: { path: string }[] } }).error.errors.map((e) => e.path).sort();
    expect(errors).toEqual(["thresholdPct", "timezone"]);
    const ok = await admin.fetch("/api/v1/settings/review", { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ thresholdPct: "12.5" }) });
    expect(await ok.json()).toMatchObject({ thresholdPct: "12.5", timezone: "UTC" });
    const audit = await db.query("SELECT after FROM audit_log WHERE action = 'settings.review.update' ORDER BY id DESC LIMIT 1");
    expect(audit.rows[0].after).toMatchObject({ thresholdPct: "12.5" });
    await admin.fetch("/api/v1/settings/review", { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ thresholdPct: "10" }) });
  });

  it("take per-endpoint thresholds that decide the weekly API's flags, and refuse an unknown endpoint by name", async () => {
    const put = (body: unknown) => admin.fetch("/api/v1/settings/review", { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const bad = await put({ endpointThresholds: { "no-such-endpoint": "15", "chat.answer": "-2" } });
    expect(bad.status).toBe(400);
    const paths = ((await bad.json()) as { error: { errors: { path: string }[] } }).error.errors.map((e) => e.path).sort();
    expect(paths).toEqual(["endpointThresholds.chat.answer"]);
    const unknown = await put({ endpointThresholds: { "no-such-endpoint": "15" } });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(await unknown.json())).toContain("endpointThresholds.no-such-endpoint");

    // This file's endpoint, registered (as an admin would in the organisation's structure), moves from W24 to W25
    // on one request; the minimum volume is lowered to one request for the length of this test.
    await db.query("INSERT INTO endpoints (slug, name, feature_id) SELECT $1, $1, id FROM features ORDER BY slug LIMIT 1", [EP]);
    expect((await put({ minRequests: 1 })).status).toBe(200);
    const weekly = async () => {
      const res = await admin.fetch("/api/v1/weekly?week=2026-W25&groupBy=endpoint");
      const body = (await res.json()) as { rows: { endpoint: string; flagged: boolean; thresholdPct: string; change: { meanCost: string } }[] };
      return body.rows.find((r) => r.endpoint === EP)!;
    };
    try {
      const before = await weekly();
      expect(before.thresholdPct).toBe("10");
      const move = new Decimal(before.change.meanCost).abs();
      expect(move.gte(10)).toBe(true);
      expect(before.flagged).toBe(true);

      // A threshold just above the move clears the flag; exactly at the move flags it again.
      const above = move.plus("0.01").toFixed(2);
      const set = await put({ endpointThresholds: { [EP]: above } });
      expect(set.status, await set.clone().text()).toBe(200);
      expect(((await set.json()) as { endpointThresholds: Record<string, string> }).endpointThresholds[EP]).toBe(new Decimal(above).toFixed());
      expect(await weekly()).toMatchObject({ flagged: false, thresholdPct: new Decimal(above).toFixed() });
      await put({ endpointThresholds: { [EP]: move.toFixed(2) } });
      expect((await weekly()).flagged).toBe(true);

      const cleared = await put({ endpointThresholds: { [EP]: null } });
      expect(((await cleared.json()) as { endpointThresholds: Record<string, string> }).endpointThresholds).not.toHaveProperty(EP);
      expect(await weekly()).toMatchObject({ flagged: true, thresholdPct: "10" });
    } finally {
      await put({ minRequests: 50, endpointThresholds: { [EP]: null } });
    }
    // Each change is audited with the endpoint's threshold before and after.
    const audit = await db.query("SELECT count(*)::int AS n FROM audit_log WHERE action = 'settings.review.update' AND after -> 'endpointThresholds' ? $1", [EP]);
    expect(audit.rows[0].n).toBeGreaterThanOrEqual(2);
  });
});

describe("a refresh requested while another one runs", () => {
  it("waits for it, then answers with figures that include the events stored meanwhile", async () => {
    const LATE = `${EP}-late`;
    const keyRes = await admin.fetch("/api/v1/api-keys", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name: "rollups late", scope: "ingest" }) });
    const svc = withKey(baseUrl, ((await keyRes.json()) as { key: string }).key);
    // Another session holds the refresh lock, as the app's scheduler does during a refresh that is slow
    // under load (on the embedded server every connection shares one session, so nothing waits there).
    const holder = new pg.Client({ connectionString: inject("databaseUrl") });
    await holder.connect();
    try {
      await holder.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
      // Week 2026-W30 is 20–26 July.
      const events = Array.from({ length: 7 }, (_, i) => ({ id: `${LATE}-${i}`, timestamp: `2026-07-22T1${i}:00:00Z`, requestId: `${LATE}-r${i}`, endpoint: LATE, kind: "tool", costUsd: "0.25" }));
      const stored = await svc.fetch("/api/v1/events", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ events }) });
      expect(stored.status).toBe(200);
      let answered = false;
      const pending = admin.fetch("/api/v1/rollups/refresh", { method: "POST" }).then((r) => ((answered = true), r));
      // Longer than a slow refresh on a loaded machine: the request keeps waiting rather than give up.
      await new Promise((r) => setTimeout(r, 12_000));
      if (inject("databaseKind") !== "embedded") expect(answered, "the refresh waits for the one holding the lock").toBe(false);
      await holder.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]);
      const res = await pending;
      expect(res.status, await res.clone().text()).toBe(200);
      const body = (await res.json()) as { skipped?: boolean; weeks: string[] };
      expect(body.skipped).toBeUndefined();
      expect(body.weeks).toContain("2026-07-20");
      const weekly = (await (await admin.fetch("/api/v1/weekly?week=2026-W30")).json()) as { rows: Row[] };
      const row = weekly.rows.find((r) => r.endpoint === LATE);
      expect(row?.current?.requests).toBe(7);
      expect(new Decimal(row!.current!.totalCost).equals("1.75")).toBe(true);
    } finally {
      await holder.end();
    }
  });
});

describe("the refresh watermark", () => {
  // The app's refreshes run on their own connections; these call the same function directly, waiting for
  // the app's scheduler when it holds the lock.
  const refresher = new pg.Pool({ connectionString: inject("databaseUrl"), max: 2 });
  afterAll(() => refresher.end());
  const refresh = () => refreshRollups(refresher, { waitMs: 120_000 });

  it("does not redo the requests the previous refresh just covered when no transaction was open", async () => {
    const ONCE = `${EP}-once`;
    const keyRes = await admin.fetch("/api/v1/api-keys", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name: "rollups once", scope: "ingest" }) });
    const svc = withKey(baseUrl, ((await keyRes.json()) as { key: string }).key);
    const events = Array.from({ length: 5 }, (_, i) => ({ id: `${ONCE}-${i}`, timestamp: `2026-07-23T0${i}:00:00Z`, requestId: `${ONCE}-r${i}`, endpoint: ONCE, kind: "tool", costUsd: "0.5" }));
    const stored = await svc.fetch("/api/v1/events", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ events }) });
    expect(stored.status).toBe(200);
    await refresh();
    const facts = await db.query("SELECT count(*)::int AS n FROM request_facts WHERE endpoint = $1", [ONCE]);
    expect(facts.rows[0].n).toBe(5);
    // Within two minutes of the events: an earlier version looked back two minutes every time and
    // recomputed every request received in them (after a bulk load, all of them, on every refresh).
    const again = await refresh();
    expect(again.skipped).toBeUndefined();
    expect(again.requests).toBe(0);
    expect(again.weeks).toEqual([]);
  });

  it("picks up, on the next refresh, events committed after a refresh by a transaction that was open when it started", async () => {
    if (inject("databaseKind") === "embedded") return; // the embedded server runs one transaction at a time: nothing is ever open beside a refresh
    const LATE = `${EP}-inflight`;
    const writer = new pg.Client({ connectionString: inject("databaseUrl") });
    await writer.connect();
    try {
      await writer.query("BEGIN");
      // received_at is the transaction's start: before the refresh below starts, committed after it ends.
      // As ingest stores an event: with its row on the daily rollups' pending list, in the same transaction.
      await writer.query(
        `INSERT INTO cost_events (id, ts, request_id, request_key, endpoint, kind, cost_usd, cost_source) VALUES ($1, '2026-07-24T09:00:00Z', $2, $2, $3, 'tool', 0.75, 'billed')`,
        [`${LATE}-0`, `${LATE}-r0`, LATE],
      );
      await writer.query(`INSERT INTO rollup_pending_events (request_key, id, ts) VALUES ($2, $1, '2026-07-24T09:00:00Z')`, [`${LATE}-0`, `${LATE}-r0`]);
      await new Promise((r) => setTimeout(r, 50));
      await refresh();
      await writer.query("COMMIT");
      // Invisible to that refresh: its pending row brings it into the next one, in the facts and the days.
      const next = await refresh();
      expect(next.weeks).toContain("2026-07-20");
      const after = await db.query("SELECT total_cost::text AS total FROM request_facts WHERE request_id = $1", [`${LATE}-r0`]);
      expect(after.rows.map((r) => new Decimal(r.total).toFixed())).toEqual(["0.75"]);
      const day = await db.query("SELECT events, requests, direct_cost::text AS cost FROM daily_costs WHERE endpoint = $1", [LATE]);
      expect(day.rows.map((r) => [r.events, r.requests, new Decimal(r.cost).toFixed()])).toEqual([[1, 1, "0.75"]]);
    } finally {
      await writer.end();
    }
  });
});
