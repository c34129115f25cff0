// The coverage drill-down: unattributed spend (no endpoint, no cohort) and unpriced events of one week,
// checked against the raw events, over HTTP. Week 2026-W31 (27 July – 2 August) is this file's own.
import Decimal from "decimal.js";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/generate-org";
import { signIn, withKey, type Session } from "../support/http";

const baseUrl = inject("baseUrl");
const db = new pg.Pool({ connectionString: inject("databaseUrl"), max: 1 });
const run = `cov${Date.now().toString(36)}`;
let viewer: Session;

type Coverage = {
  week: string;
  totals: { requests: number; totalCost: string };
  unattributed: { requests: number; totalCost: string; share: number; groups: { feature: string | null; team: string | null; cohort: string | null; requests: number; totalCost: string; exampleRequestId: string }[]; top: { requestId: string; totalCost: string }[] };
  noCohort: { requests: number; totalCost: string; byEndpoint: { endpoint: string; requests: number; totalCost: string }[] };
  unpriced: { requests: number; events: number; groups: { provider: string | null; model: string | null; reason: string | null; events: number; requests: number }[]; top: { requestId: string; unpricedEvents: number }[] };
};

beforeAll(async () => {
  const admin = await signIn(baseUrl, "admin@example.com", DEMO_PASSWORD);
  viewer = await signIn(baseUrl, "viewer@example.com", DEMO_PASSWORD);
  const keyRes = await admin.fetch("/api/v1/api-keys", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name: "coverage", scope: "ingest" }) });
  const svc = withKey(baseUrl, ((await keyRes.json()) as { key: string }).key);
  const events: Record<string, unknown>[] = [];
  let n = 0;
  const add = (req: string, extra: Record<string, unknown>) =>
    events.push({ id: `${run}-${n++}`, timestamp: `2026-07-28T1${n % 10}:00:00Z`, requestId: `${run}-${req}`, ...extra });
  for (let i = 0; i < 4; i++) add(`tagged-${i}`, { endpoint: `${run}-ep`, cohort: "pro", kind: "tool", costUsd: `0.${i + 1}` });
  // Untagged: no endpoint on any event, one with a feature tag, one with nothing at all.
  add("untagged-a", { feature: `${run}-feature`, team: "search", kind: "tool", costUsd: "0.25" });
  add("untagged-a", { feature: `${run}-feature`, kind: "tool", costUsd: "0.05" });
  add("untagged-b", { kind: "tool", costUsd: "1.5" });
  // A request whose endpoint comes only on its second event still counts as attributed.
  add("late-tag", { kind: "tool", costUsd: "0.01" });
  add("late-tag", { endpoint: `${run}-ep`, cohort: "free", kind: "tool", costUsd: "0.02" });
  // An endpoint but no cohort.
  add("no-cohort", { endpoint: `${run}-ep`, kind: "tool", costUsd: "0.7" });
  // Unpriced: a model the price book does not know, twice in one request, once in another.
  add("unpriced-1", { endpoint: `${run}-ep`, cohort: "pro", provider: "acme-ml", model: `${run}-ft`, usage: { inputTokens: 10 } });
  add("unpriced-1", { endpoint: `${run}-ep`, cohort: "pro", provider: "acme-ml", model: `${run}-ft`, usage: { inputTokens: 20 } });
  add("unpriced-2", { endpoint: `${run}-ep`, cohort: "pro", provider: "acme-ml", model: `${run}-ft`, usage: { inputTokens: 30 } });
  const res = await svc.fetch("/api/v1/events", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ events }) });
  expect(res.status).toBe(200);
  expect((await admin.fetch("/api/v1/rollups/refresh", { method: "POST" })).status).toBe(200);
});
afterAll(() => db.end());

async function coverage(week = "2026-W31"): Promise<Coverage> {
  const res = await viewer.fetch(`/api/v1/coverage?week=${week}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Coverage;
}

describe("coverage drill-down", () => {
  // Other suites may store random events in any week, so the week's figures are checked against the raw
  // events of the whole week, and this file's own requests by name.
  const weekRequests = `
    WITH r AS (
      SELECT request_id, min(ts) AS first_ts, sum(coalesce(cost_usd, 0)) AS direct, bool_or(endpoint IS NOT NULL) AS tagged,
        (array_agg(cohort ORDER BY ts) FILTER (WHERE cohort IS NOT NULL))[1] AS cohort,
        (array_agg(endpoint ORDER BY ts) FILTER (WHERE endpoint IS NOT NULL))[1] AS endpoint,
        count(*) FILTER (WHERE cost_source = 'unpriced') AS unpriced
      FROM cost_events WHERE request_id IS NOT NULL GROUP BY request_id),
    g AS (SELECT request_id, sum(cost_usd) AS gpu FROM gpu_allocations GROUP BY request_id)
    SELECT r.*, r.direct + coalesce(g.gpu, 0) AS cost
    FROM r LEFT JOIN g USING (request_id) WHERE r.first_ts >= '2026-07-27T00:00:00Z' AND r.first_ts < '2026-08-03T00:00:00Z'`;

  it("totals the unattributed spend exactly as the raw events do, grouped by the tags the requests carry", async () => {
    const c = await coverage();
    const { rows } = await db.query<{ cost: string; requests: number }>(
      `SELECT coalesce(sum(cost), 0)::text AS cost, count(*)::int AS requests FROM (${weekRequests}) w WHERE NOT tagged`,
    );
    expect(new Decimal(c.unattributed.totalCost).eq(rows[0]!.cost)).toBe(true);
    expect(c.unattributed.requests).toBe(rows[0]!.requests);
    expect(c.unattributed.requests).toBeGreaterThanOrEqual(2);
    const withFeature = c.unattributed.groups.find((g) => g.feature === `${run}-feature`);
    expect(withFeature).toMatchObject({ team: "search", requests: 1, totalCost: "0.3", exampleRequestId: `${run}-untagged-a` });
    const groupSum = c.unattributed.groups.reduce((s, g) => s.plus(g.totalCost), new Decimal(0));
    expect(groupSum.eq(c.unattributed.totalCost)).toBe(true);
    // The most expensive first.
    const costs = c.unattributed.top.map((r) => new Decimal(r.totalCost));
    for (let i = 1; i < costs.length; i++) expect(costs[i - 1]!.gte(costs[i]!)).toBe(true);
    expect(c.unattributed.share).toBeCloseTo(new Decimal(c.unattributed.totalCost).div(c.totals.totalCost).toNumber(), 10);
  });

  it("lists requests without a cohort per endpoint", async () => {
    const c = await coverage();
    expect(c.noCohort.byEndpoint).toContainEqual({ endpoint: `${run}-ep`, requests: 1, totalCost: "0.7" });
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${weekRequests}) w WHERE tagged AND cohort IS NULL`);
    expect(c.noCohort.requests).toBe(rows[0]!.n);
  });

  it("groups the unpriced events by model and names the requests to open", async () => {
    const c = await coverage();
    const { rows } = await db.query<{ events: number; requests: number }>(
      `SELECT coalesce(sum(unpriced), 0)::int AS events, (count(*) FILTER (WHERE unpriced > 0))::int AS requests FROM (${weekRequests}) w`,
    );
    expect(c.unpriced.events).toBe(rows[0]!.events);
    expect(c.unpriced.requests).toBe(rows[0]!.requests);
    const ours = c.unpriced.groups.find((g) => g.model === `${run}-ft`);
    expect(ours).toMatchObject({ provider: "acme-ml", events: 3, requests: 2 });
    expect(ours!.reason).toContain(`no price for acme-ml/${run}-ft`);
    expect(c.unpriced.groups.reduce((s, g) => s + g.events, 0)).toBe(c.unpriced.events);
    for (const r of c.unpriced.top) expect(r.unpricedEvents).toBeGreaterThan(0);
  });

  it("answers an empty week with zeros and a malformed week with a field error", async () => {
    const empty = await coverage("2019-W02");
    expect(empty).toMatchObject({ totals: { requests: 0, totalCost: "0" }, unattributed: { requests: 0, groups: [] }, unpriced: { events: 0, groups: [] } });
    const bad = await viewer.fetch("/api/v1/coverage?week=2026-W99");
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('"path":"week"');
  });

  it("is linked from the review page and renders the drill-down for a reader", async () => {
    const review = await viewer.fetch("/review/2026-W31");
    expect(await review.text()).toContain('href="/coverage/2026-W31"');
    const page = await viewer.fetch("/coverage/2026-W31");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`${run}-untagged-b`);
    expect(html).toContain(`${run}-ft`);
  });
});
