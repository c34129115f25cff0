// "Why it moved" through its API: the change in mean cost per request splits into mix and rate parts
// that add up to it exactly, and the model shifts add up to the direct cost per request of the raw events.
// Weeks 2026-W33 (10–16 August) and 2026-W34 (17–23 August) are this file's own.
import Decimal from "decimal.js";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/generate-org";
import { signIn, withKey, type Session } from "../support/http";

const baseUrl = inject("baseUrl");
const db = new pg.Pool({ connectionString: inject("databaseUrl"), max: 1 });
const run = `why${Date.now().toString(36)}`;
const EP = `${run}-ep`;
let viewer: Session;

type Why = {
  split: { mean0: string; mean1: string; change: string; mix: string; rate: string; drivers: { cohort: string; share0: string; share1: string; mix: string; rate: string; total: string }[] };
  models: { model: string; before: string; after: string; change: string; usedBefore: string; usedAfter: string }[];
  tokens: { bucket: string; before: string; after: string }[];
};

beforeAll(async () => {
  const admin = await signIn(baseUrl, "admin@example.com", DEMO_PASSWORD);
  viewer = await signIn(baseUrl, "viewer@example.com", DEMO_PASSWORD);
  const keyRes = await admin.fetch("/api/v1/api-keys", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name: "why", scope: "ingest" }) });
  const svc = withKey(baseUrl, ((await keyRes.json()) as { key: string }).key);
  const events: Record<string, unknown>[] = [];
  let n = 0;
  const call = (req: string, day: string, cohort: string, model: string, cost: string, extra: Record<string, unknown> = {}) =>
    events.push({ id: `${run}-${n++}`, timestamp: `2026-08-${day}T09:00:${String(n % 60).padStart(2, "0")}Z`, requestId: `${run}-${req}`, endpoint: EP, cohort, provider: "acme-ml", model, costUsd: cost, usage: { inputTokens: 1000, outputTokens: 100 }, ...extra });
  // W33: three free requests at $1 on m1, one enterprise request at $3 on m1.
  for (let i = 0; i < 3; i++) call(`w33-free-${i}`, "11", "free", "m1", "1");
  call("w33-ent", "12", "enterprise", "m1", "3");
  // W34: the free requests move to m2 at $1.50 (a retried call in one of them), enterprise doubles its share.
  call("w34-free-0", "18", "free", "m2", "0.5", { status: "error", attempt: 1 });
  call("w34-free-0", "18", "free", "m2", "1", { attempt: 2 });
  call("w34-free-1", "19", "free", "m2", "1.5");
  for (let i = 0; i < 2; i++) call(`w34-ent-${i}`, "20", "enterprise", "m1", "3");
  events.push({ id: `${run}-tool`, timestamp: "2026-08-20T09:30:00Z", requestId: `${run}-w34-ent-0`, endpoint: EP, cohort: "enterprise", kind: "tool", costUsd: "0.1" });
  const res = await svc.fetch("/api/v1/events", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ events }) });
  expect(res.status).toBe(200);
  expect((await admin.fetch("/api/v1/rollups/refresh", { method: "POST" })).status).toBe(200);
});
afterAll(() => db.end());

async function why(): Promise<Why> {
  const res = await viewer.fetch(`/api/v1/why-it-moved?week=2026-W34&endpoint=${EP}`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { why: Why | null };
  expect(body.why).not.toBeNull();
  return body.why!;
}

describe("why it moved, through the API", () => {
  it("splits the change into mix and rate parts that add up to it exactly, per cohort and in total", async () => {
    const w = await why();
    const weekly = async (week: string) => {
      const r = await viewer.fetch(`/api/v1/weekly?week=${week}&groupBy=endpoint`);
      return ((await r.json()) as { rows: { endpoint: string; current: { meanCost: string } }[] }).rows.find((x) => x.endpoint === EP)!.current.meanCost;
    };
    // The split's means are the weekly API's means (fully loaded, so overhead in force is included).
    expect(new Decimal(w.split.mean0).eq(await weekly("2026-W33"))).toBe(true);
    expect(new Decimal(w.split.mean1).eq(await weekly("2026-W34"))).toBe(true);
    expect(new Decimal(w.split.mix).plus(w.split.rate).eq(w.split.change)).toBe(true);
    expect(new Decimal(w.split.mean1).minus(w.split.mean0).eq(w.split.change)).toBe(true);
    const sum = (k: "mix" | "rate") => w.split.drivers.reduce((s, d) => s.plus(d[k]), new Decimal(0));
    expect(sum("mix").eq(w.split.mix)).toBe(true);
    expect(sum("rate").eq(w.split.rate)).toBe(true);
    const enterprise = w.split.drivers.find((d) => d.cohort === "enterprise")!;
    expect([enterprise.share0, enterprise.share1]).toEqual(["0.25", "0.5"]);
    // Enterprise's share doubled: a positive mix part; free got dearer per request: a positive rate part.
    expect(new Decimal(enterprise.mix).gt(0)).toBe(true);
    expect(new Decimal(w.split.drivers.find((d) => d.cohort === "free")!.rate).gt(0)).toBe(true);
  });

  it("names the model shift, and the model parts add up to the raw direct cost per request", async () => {
    const w = await why();
    const { rows } = await db.query<{ week: string; model: string; cost: string; total: string; all_requests: number }>(
      `WITH r AS (SELECT request_id, date_trunc('week', min(ts) AT TIME ZONE 'UTC')::date AS week FROM cost_events WHERE endpoint = $1 GROUP BY request_id),
       per_week AS (SELECT r.week, sum(e.cost_usd) AS total, count(DISTINCT r.request_id)::int AS all_requests FROM r JOIN cost_events e USING (request_id) GROUP BY r.week)
       SELECT r.week::text AS week, CASE WHEN e.model IS NULL THEN '(' || e.kind || ')' ELSE e.provider || '/' || e.model END AS model,
         sum(e.cost_usd)::text AS cost, min(w.total)::text AS total, min(w.all_requests) AS all_requests
       FROM cost_events e JOIN r USING (request_id) JOIN per_week w ON w.week = r.week GROUP BY 1, 2`,
      [EP],
    );
    const raw = (week: string, model: string) => rows.find((r) => r.week === week && r.model === model);
    for (const m of w.models) {
      const before = raw("2026-08-10", m.model);
      const after = raw("2026-08-17", m.model);
      expect(new Decimal(m.before).eq(before ? new Decimal(before.cost).div(before.all_requests).toDecimalPlaces(12) : 0)).toBe(true);
      expect(new Decimal(m.after).eq(after ? new Decimal(after.cost).div(after.all_requests).toDecimalPlaces(12) : 0)).toBe(true);
    }
    const directAfter = w.models.reduce((s, m) => s.plus(m.after), new Decimal(0));
    const total34 = rows.find((r) => r.week === "2026-08-17")!;
    expect(directAfter.eq(new Decimal(total34.total).div(total34.all_requests))).toBe(true);
    expect(directAfter.eq("2.275")).toBe(true);
    // m2 is new: half the requests use it, $3 (a failed attempt included) over four requests; m1 stays at $6 over four.
    expect(w.models.find((m) => m.model === "acme-ml/m2")).toMatchObject({ before: "0", after: "0.75", usedBefore: "0", usedAfter: "0.5" });
    expect(w.models.find((m) => m.model === "acme-ml/m1")).toMatchObject({ before: "1.5", after: "1.5", usedBefore: "1", usedAfter: "0.5" });
    expect(w.models.find((m) => m.model === "(tool)")).toMatchObject({ after: "0.025" });
    expect(w.models[0]!.model).toBe("acme-ml/m2");
  });

  it("says why there is nothing to explain, and names a missing endpoint parameter", async () => {
    const none = await viewer.fetch(`/api/v1/why-it-moved?week=2026-W33&endpoint=${EP}`);
    expect(await none.json()).toMatchObject({ why: null, reason: expect.stringContaining("2026-W32") });
    const bad = await viewer.fetch("/api/v1/why-it-moved?week=2026-W34");
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('"path":"endpoint"');
  });
});
