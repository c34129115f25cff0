// Customers and margin over real HTTP and PostgreSQL: events name their customer, revenue is uploaded per
// customer and month (and feature), and the customer list, a customer's page data and the margin overview
// are checked against figures computed here from the raw events and the uploaded revenue, exactly.
// September to November 2017 are this file's own.
import Decimal from "decimal.js";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/generate-org";
import { callJson, signIn, withKey, type Session } from "../support/http";
import { endpointPageData } from "@/lib/review/endpoint-page-data";

const baseUrl = inject("baseUrl");
const db = new pg.Pool({ connectionString: inject("databaseUrl"), max: 1 });
const run = `cus${Date.now().toString(36)}`;
const ACME = `${run}-acme`;
const BETA = `${run}-beta`;
const GAMMA = `${run}-gamma`;
const CHAT = `${run}-chat`;
const SEARCH = `${run}-search`;
let admin: Session;
let finance: Session;
let overheadPct = new Decimal(0);

type Line = { customerId: string; name: string | null; plan: string | null; requests: number; cost: string; revenue: string | null; margin: string | null; marginPct: string | null; costSharePct: string | null; underWater: boolean; unknown: boolean };
type List = { total: number; underWater: number; lines: Line[] };
type Group = { key: string | null; assumedRevenue?: string | null; customers: number; customersWithRevenue: number; requests: number; cost: string; costWithRevenue: string; revenue: string | null; margin: string | null; marginPct: string | null };
type Overview = {
  organisation: { cost: string; customerCost: string; revenue: string | null; margin: string | null; marginPct: string | null; previous: { cost: string; revenue: string | null; marginPct: string | null }; marginPctChange: string | null };
  byPlan: Group[];
  byFeature: Group[];
  heaviest: { customers: number; top1PctShare: string | null; top10PctShare: string | null; curve: { customersPct: number; costSharePct: string }[] };
};
type ErrorBody = { error: { code: string; message: string; errors?: { path: string; message: string }[] } };

const exactly = (actual: string | null | undefined, expected: Decimal | string) =>
  expect(actual !== null && actual !== undefined && new Decimal(actual).equals(expected), `${actual} should be exactly ${expected.toString()}`).toBe(true);

// Billed costs, so the expected figures need no price book: [id, customer, feature, cohort, request, timestamp, costUsd].
const EVENTS: [string, string | null, string, string, string, string, string][] = [
  ["a1", ACME, CHAT, "pro", "r-a1", "2017-10-03T10:00:00Z", "1.250000000001"],
  ["a2", ACME, CHAT, "pro", "r-a1", "2017-10-03T10:00:02Z", "0.5"],
  ["a3", ACME, SEARCH, "pro", "r-a2", "2017-10-10T09:00:00Z", "2.125"],
  ["a4", ACME, CHAT, "pro", "r-a3", "2017-09-20T09:00:00Z", "3"],
  ["b1", BETA, CHAT, "free", "r-b1", "2017-10-05T10:00:00Z", "0.75"],
  ["b2", BETA, CHAT, "free", "r-b2", "2017-10-06T10:00:00Z", "0.25"],
  ["g1", GAMMA, SEARCH, "pro", "r-g1", "2017-10-07T10:00:00Z", "0.333333333333"],
  // A request that crosses into November: its November event is November's.
  ["g2", GAMMA, SEARCH, "pro", "r-g1", "2017-11-01T12:00:00Z", "0.1"],
  // Spend that names no customer: the organisation's, no customer's.
  ["n1", null, CHAT, "pro", "r-n1", "2017-10-08T10:00:00Z", "4"],
];

const loaded = (cost: Decimal) => cost.plus(cost.times(overheadPct).div(100));
/** A customer's cost in a month from the raw events above: billed cost plus overhead. */
function costOf(customer: string | null, month: string, feature?: string): Decimal {
  return loaded(EVENTS.filter((e) => e[1] === customer && e[5].startsWith(month) && (feature === undefined || e[2] === feature)).reduce((s, e) => s.plus(e[6]), new Decimal(0)));
}

async function revenue(rows: unknown[]) {
  return callJson<{ saved: number; unknownCustomers: string[] } & ErrorBody>(finance, "PUT", "/api/v1/customer-revenue", { rows });
}
const list = async (query: string) => callJson<List>(finance, "GET", `/api/v1/customers?${query}`);

beforeAll(async () => {
  const session = await signIn(baseUrl, "admin@example.com", DEMO_PASSWORD);
  const res = await session.fetch("/api/v1/api-keys", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name: "customers test", scope: "admin" }) });
  admin = withKey(baseUrl, ((await res.json()) as { key: string }).key);
  finance = await signIn(baseUrl, "finance@example.com", DEMO_PASSWORD);
  const oh = (await callJson<{ overhead: { globalPercent: string | null; perFeature: Record<string, string> } }>(admin, "GET", "/api/v1/settings/overhead")).body.overhead;
  overheadPct = new Decimal(oh.globalPercent ?? 0);
  const events = EVENTS.map(([id, customer, feature, cohort, request, timestamp, costUsd]) => ({
    id: `${run}-${id}`,
    requestId: `${run}-${request}`,
    timestamp,
    feature,
    cohort,
    ...(customer ? { customerId: customer } : {}),
    provider: "openai",
    model: "gpt-4o-mini",
    usage: { inputTokens: 100, outputTokens: 10 },
    costUsd,
  }));
  const r = await callJson<{ accepted: number; rejected: unknown[] }>(admin, "POST", "/api/v1/events", { events });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  expect(r.body.rejected).toEqual([]);
  expect((await admin.fetch("/api/v1/rollups/refresh", { method: "POST" })).status).toBe(200);
});

afterAll(async () => {
  await db.query("DELETE FROM closed_months WHERE closed_by = $1", [run]);
  await db.end();
});

describe("customers", () => {
  it("are made on first sight with the cohort of their latest event as plan", async () => {
    const { rows } = await db.query<{ id: string; last_cohort: string; first_seen: Date; last_seen: Date }>(
      "SELECT id, last_cohort, first_seen, last_seen FROM customers WHERE id LIKE $1 ORDER BY id",
      [`${run}-%`],
    );
    expect(rows.map((r) => [r.id, r.last_cohort])).toEqual([
      [ACME, "pro"],
      [BETA, "free"],
      [GAMMA, "pro"],
    ]);
    expect(rows[0]!.first_seen.toISOString()).toBe("2017-09-20T09:00:00.000Z");
    expect(rows[2]!.last_seen.toISOString()).toBe("2017-11-01T12:00:00.000Z");
  });

  it("refuses bad revenue rows naming each one, and stores nothing", async () => {
    const bad = await revenue([
      { month: "2017-10", customerId: ACME, amountUsd: "10" },
      { month: "2017-10", customerId: BETA, amountUsd: "lots" },
      { month: "April", customerId: GAMMA, amountUsd: "1" },
      { month: "2017-10", customerId: "", amountUsd: "-1" },
    ]);
    expect(bad.status).toBe(400);
    const paths = bad.body.error.errors!.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["rows.1.amountUsd", "rows.2.month", "rows.3.customerId", "rows.3.amountUsd"]));
    expect(paths.some((p) => p.startsWith("rows.0"))).toBe(false);
    const dup = await revenue([
      { month: "2017-10", customerId: ACME, amountUsd: "10" },
      { month: "2017-10", customerId: ACME, amountUsd: "11" },
    ]);
    expect(dup.status).toBe(400);
    expect(dup.body.error.errors![0]).toMatchObject({ path: "rows.1" });
    const { rows } = await db.query("SELECT 1 FROM customer_revenue WHERE customer_id LIKE $1", [`${run}-%`]);
    expect(rows).toHaveLength(0);
  });

  it("takes revenue per customer and month (and per feature), and says which ids it has never seen", async () => {
    const r = await revenue([
      { month: "2017-10", customerId: ACME, amountUsd: "10" },
      { month: "2017-10", customerId: ACME, feature: CHAT, amountUsd: "6" },
      { month: "2017-10", customerId: ACME, feature: SEARCH, amountUsd: "4" },
      { month: "2017-09", customerId: ACME, amountUsd: "9.5" },
      { month: "2017-10", customerId: BETA, amountUsd: "0.5" },
      { month: "2017-10", customerId: `${run}-typo`, amountUsd: "1" },
    ]);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.saved).toBe(6);
    expect(r.body.unknownCustomers).toEqual([`${run}-typo`]);
    // A later upload of the same row replaces it.
    expect((await revenue([{ month: "2017-10", customerId: `${run}-typo`, amountUsd: "2" }])).status).toBe(200);
  });

  it("lists the month's customers, under water first, with cost and margin exactly as computed from the events", async () => {
    const r = await list(`month=2017-10&q=${run}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.total).toBe(4);
    expect(r.body.underWater).toBe(1);
    const [first, ...rest] = r.body.lines;
    expect(first!.customerId).toBe(BETA);
    expect(first!.underWater).toBe(true);
    const beta = costOf(BETA, "2017-10");
    exactly(first!.cost, beta);
    exactly(first!.margin, new Decimal("0.5").minus(beta));
    expect(first!.marginPct).toBe(new Decimal("0.5").minus(beta).div("0.5").times(100).toDecimalPlaces(2).toFixed(2));
    const byId = new Map(rest.map((l) => [l.customerId, l]));
    const acme = byId.get(ACME)!;
    const acmeCost = costOf(ACME, "2017-10");
    exactly(acme.cost, acmeCost);
    expect(acme.requests).toBe(2);
    // The row without a feature is the customer's revenue; the per-feature rows do not add to it.
    exactly(acme.revenue, "10");
    exactly(acme.margin, new Decimal(10).minus(acmeCost));
    expect(acme.costSharePct).toBe(acmeCost.div(10).times(100).toDecimalPlaces(2).toFixed(2));
    // No revenue: no margin, never 100 %.
    const gamma = byId.get(GAMMA)!;
    exactly(gamma.cost, costOf(GAMMA, "2017-10"));
    expect(gamma).toMatchObject({ revenue: null, margin: null, marginPct: null, underWater: false, plan: "pro" });
    // Revenue for an id never seen in events: shown with no cost, flagged unknown.
    expect(byId.get(`${run}-typo`)).toMatchObject({ cost: "0", revenue: "2", unknown: true, marginPct: "100.00" });
    // The request that crossed into November counts in November too, with its November event only.
    const may = await list(`month=2017-11&q=${run}`);
    expect(may.body.lines.map((l) => l.customerId)).toEqual([GAMMA]);
    exactly(may.body.lines[0]!.cost, costOf(GAMMA, "2017-11"));
    expect(may.body.lines[0]!.requests).toBe(1);
  });

  it("pages and searches", async () => {
    const page1 = await list(`month=2017-10&q=${run}&sort=requests&pageSize=2`);
    const page2 = await list(`month=2017-10&q=${run}&sort=requests&pageSize=2&page=2`);
    expect(page1.body.lines).toHaveLength(2);
    expect(page2.body.lines).toHaveLength(2);
    expect(new Set([...page1.body.lines, ...page2.body.lines].map((l) => l.customerId)).size).toBe(4);
    expect((await list(`month=2017-10&q=${run}-ac`)).body.lines.map((l) => l.customerId)).toEqual([ACME]);
    expect((await list(`month=2017-10&q=${run}&underWater=1`)).body.lines.map((l) => l.customerId)).toEqual([BETA]);
    const nul = await callJson<ErrorBody>(finance, "GET", `/api/v1/customers?month=2017-10&q=${encodeURIComponent("a\u0000")}`);
    expect(nul.status).toBe(400);
    const bad = await callJson<ErrorBody>(finance, "GET", "/api/v1/customers?month=2019-13&pageSize=9999&sort=vibes");
    expect(bad.status).toBe(400);
    expect(bad.body.error.errors!.map((e) => e.path).sort()).toEqual(["month", "pageSize", "sort"]);
  });

  it("shows one customer per feature with feature revenue, and twelve months of history", async () => {
    const r = await callJson<{ figures: Line; plan: string; byFeature: (Group & { feature: string })[]; history: { month: string; cost: string; revenue: string | null; marginPct: string | null }[] }>(
      finance,
      "GET",
      `/api/v1/customers/${encodeURIComponent(ACME)}?month=2017-10`,
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.plan).toBe("pro");
    const chat = r.body.byFeature.find((f) => f.feature === CHAT)!;
    const search = r.body.byFeature.find((f) => f.feature === SEARCH)!;
    exactly(chat.cost, costOf(ACME, "2017-10", CHAT));
    exactly(chat.margin, new Decimal(6).minus(costOf(ACME, "2017-10", CHAT)));
    exactly(search.margin, new Decimal(4).minus(costOf(ACME, "2017-10", SEARCH)));
    expect(r.body.history).toHaveLength(12);
    expect(r.body.history.at(-1)!.month).toBe("2017-10");
    const march = r.body.history.at(-2)!;
    exactly(march.cost, costOf(ACME, "2017-09"));
    exactly(march.revenue, "9.5");
    const unknown = await callJson<ErrorBody>(finance, "GET", `/api/v1/customers/${run}-nobody?month=2017-10`);
    expect(unknown.status).toBe(404);
  });

  it("gives the organisation's month against the previous, per plan and per feature", async () => {
    const r = await callJson<Overview>(finance, "GET", "/api/v1/margin?month=2017-10");
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const o = r.body.organisation;
    // Only this file writes October 2017: all its spend, with and without a customer, against all revenue.
    const all = loaded(EVENTS.filter((e) => e[5].startsWith("2017-10")).reduce((s, e) => s.plus(e[6]), new Decimal(0)));
    exactly(o.cost, all);
    exactly(o.customerCost, all.minus(costOf(null, "2017-10")));
    exactly(o.revenue, "12.5");
    exactly(o.margin, new Decimal("12.5").minus(all));
    const pctNow = new Decimal("12.5").minus(all).div("12.5").times(100).toDecimalPlaces(2);
    expect(o.marginPct).toBe(pctNow.toFixed(2));
    const march = costOf(ACME, "2017-09");
    exactly(o.previous.cost, march);
    const pctBefore = new Decimal("9.5").minus(march).div("9.5").times(100).toDecimalPlaces(2);
    expect(o.previous.marginPct).toBe(pctBefore.toFixed(2));
    expect(o.marginPctChange).toBe(pctNow.minus(pctBefore).toFixed(2));

    const pro = r.body.byPlan.find((p) => p.key === "pro")!;
    expect(pro).toMatchObject({ customers: 2, customersWithRevenue: 1, requests: 3 });
    exactly(pro.cost, costOf(ACME, "2017-10").plus(costOf(GAMMA, "2017-10")));
    // The margin is taken on the customers with revenue only.
    exactly(pro.costWithRevenue, costOf(ACME, "2017-10"));
    exactly(pro.margin, new Decimal(10).minus(costOf(ACME, "2017-10")));
    const chat = r.body.byFeature.find((f) => f.key === CHAT)!;
    exactly(chat.cost, costOf(ACME, "2017-10", CHAT).plus(costOf(BETA, "2017-10", CHAT)));
    exactly(chat.revenue, "6");
    exactly(chat.margin, new Decimal(6).minus(costOf(ACME, "2017-10", CHAT)));
    // Four customers with cost (the unknown id has none): the top 10 % is the dearest one.
    expect(r.body.heaviest.customers).toBe(3);
    const costs = [ACME, BETA, GAMMA].map((c) => costOf(c, "2017-10")).sort((a, b) => b.comparedTo(a));
    const total = costs.reduce((s, c) => s.plus(c), new Decimal(0));
    expect(r.body.heaviest.top10PctShare).toBe(costs[0]!.div(total).times(100).toDecimalPlaces(2).toFixed(2));
    expect(r.body.heaviest.curve.at(-1)).toEqual({ customersPct: 100, costSharePct: "100.00" });
  });

  it("names a customer and sets its plan by hand; the plan view follows", async () => {
    const bad = await callJson<ErrorBody>(finance, "PATCH", `/api/v1/customers/${encodeURIComponent(GAMMA)}`, { plan: 7, colour: "red" });
    expect(bad.status).toBe(400);
    expect((await callJson<ErrorBody>(finance, "PATCH", `/api/v1/customers/${encodeURIComponent(GAMMA)}`, { name: "x\u0000y" })).status).toBe(400);
    const r = await callJson<{ name: string; plan: string; lastCohort: string }>(finance, "PATCH", `/api/v1/customers/${encodeURIComponent(GAMMA)}`, { name: "Gamma Ltd", plan: "enterprise" });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ name: "Gamma Ltd", plan: "enterprise", lastCohort: "pro" });
    const o = await callJson<Overview>(finance, "GET", "/api/v1/margin?month=2017-10");
    expect(o.body.byPlan.find((p) => p.key === "enterprise")).toMatchObject({ customers: 1, customersWithRevenue: 0, revenue: null, margin: null });
    expect((await list(`month=2017-10&q=Gamma`)).body.lines.map((l) => l.customerId)).toContain(GAMMA);
    const { rows } = await db.query("SELECT action FROM audit_log WHERE entity_type = 'customer' AND entity_id = $1", [GAMMA]);
    expect(rows).toEqual([{ action: "customers.update" }]);
  });

  it("refuses revenue for a closed month with 409 and changes nothing", async () => {
    await db.query("INSERT INTO closed_months (month, closed_by) VALUES ('2017-09-01', $1)", [run]);
    const r = await revenue([{ month: "2017-09", customerId: ACME, amountUsd: "1" }]);
    expect(r.status).toBe(409);
    expect(r.body.error.message).toContain("2017-09");
    const { rows } = await db.query<{ amount_usd: string }>("SELECT amount_usd::text FROM customer_revenue WHERE customer_id = $1 AND month = '2017-09-01'", [ACME]);
    expect(rows.map((x) => new Decimal(x.amount_usd).toFixed())).toEqual(["9.5"]);
  });

  it("keeps each month's sums in step with the days as late events arrive, exactly", async () => {
    const DELTA = `${run}-delta`;
    const post = async (events: [string, string, string, string, string][]) => {
      const r = await callJson<{ rejected: unknown[] }>(admin, "POST", "/api/v1/events", {
        events: events.map(([id, feature, request, timestamp, costUsd]) => ({
          id: `${run}-${id}`, requestId: `${run}-${request}`, timestamp, feature, cohort: "pro", customerId: DELTA,
          provider: "openai", model: "gpt-4o-mini", usage: { inputTokens: 1, outputTokens: 1 }, costUsd,
        })),
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.rejected).toEqual([]);
      expect((await admin.fetch("/api/v1/rollups/refresh", { method: "POST" })).status).toBe(200);
    };
    const delta = async () => (await list(`month=2017-11&q=${DELTA}`)).body.lines[0]!;
    await post([["d1", CHAT, "r-d1", "2017-11-03T10:00:00Z", "0.1"], ["d2", SEARCH, "r-d2", "2017-11-05T10:00:00Z", "0.2"]]);
    exactly((await delta()).cost, loaded(new Decimal("0.3")));
    // Late: a retry of r-d1 on its day, a new feature on a day already counted, and a new day.
    await post([["d3", CHAT, "r-d1", "2017-11-03T10:00:09Z", "0.000000000007"], ["d4", CHAT, "r-d4", "2017-11-05T11:00:00Z", "1"], ["d5", SEARCH, "r-d5", "2017-11-20T11:00:00Z", "2"]]);
    const after = await delta();
    exactly(after.cost, loaded(new Decimal("3.300000000007")));
    expect(after.requests).toBe(4);
    const detail = await callJson<{ byFeature: { feature: string | null; requests: number; cost: string }[] }>(finance, "GET", `/api/v1/customers/${encodeURIComponent(DELTA)}?month=2017-11`);
    expect(detail.status).toBe(200);
    exactly(detail.body.byFeature.find((f) => f.feature === CHAT)!.cost, loaded(new Decimal("1.100000000007")));
    exactly(detail.body.byFeature.find((f) => f.feature === SEARCH)!.cost, loaded(new Decimal("2.2")));
    // Both monthly tables, each in one snapshot: every month's row is the sum of its days, no row more or less.
    for (const [table, keys, key] of [["customer_monthly", "customer_id, feature", "coalesce(feature, '') AS feature"], ["customer_month_totals", "customer_id", null]] as const) {
      const { rows } = await db.query<{ n: number }>(`
        WITH d AS (
          SELECT date_trunc('month', day)::date AS month, customer_id, ${key ? `${key}, ` : ""}count(*)::int AS parts, sum(events)::int AS events,
            sum(requests)::int AS requests, sum(direct_cost) AS direct_cost, sum(gpu_cost) AS gpu_cost, sum(overhead_cost) AS overhead_cost
          FROM customer_daily GROUP BY ${key ? "1, 2, 3" : "1, 2"}
        ), m AS (SELECT month, ${keys}, parts, events, requests, direct_cost, gpu_cost, overhead_cost FROM ${table})
        SELECT ((SELECT count(*) FROM (SELECT * FROM d EXCEPT SELECT * FROM m) x) + (SELECT count(*) FROM (SELECT * FROM m EXCEPT SELECT * FROM d) y))::int AS n`);
      expect(rows[0]!.n, table).toBe(0);
    }
    const { rows: mine } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM customer_monthly WHERE customer_id = $1", [DELTA]);
    expect(mine[0]!.n).toBe(2);
  });

  it("assumes a plan's revenue per request for customers without uploaded revenue, labelled, and uploaded revenue wins", async () => {
    const EPS = `${run}-eps`;
    const PLAN = `${run}-plan`;
    const events = [
      ["e1", CHAT, "r-e1", "2017-11-04T10:00:00Z", "0.1"],
      ["e2", CHAT, "r-e2", "2017-11-04T11:00:00Z", "0.2"],
      ["e3", SEARCH, "r-e3", "2017-11-06T10:00:00Z", "0.3"],
    ].map(([id, feature, request, timestamp, costUsd]) => ({
      id: `${run}-${id}`, requestId: `${run}-${request}`, timestamp, feature, cohort: PLAN, customerId: EPS,
      provider: "openai", model: "gpt-4o-mini", usage: { inputTokens: 1, outputTokens: 1 }, costUsd,
    }));
    expect((await callJson(admin, "POST", "/api/v1/events", { events })).status).toBe(200);
    expect((await admin.fetch("/api/v1/rollups/refresh", { method: "POST" })).status).toBe(200);
    const eps = async () => (await list(`month=2017-11&q=${EPS}`)).body.lines[0] as Line & { revenueSource: string | null; assumedRevenue: string | null; assumedRevenuePerRequest: string | null };
    expect(await eps()).toMatchObject({ revenue: null, revenueSource: null, margin: null });

    // Hostile or wrong input: a 400 naming the field, nothing stored.
    const bad = await callJson<ErrorBody>(finance, "PUT", "/api/v1/plan-revenue-rates", { rates: [{ plan: PLAN, revenuePerRequest: "-1" }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.errors![0]!.path).toBe("rates.0.revenuePerRequest");
    const twice = await callJson<ErrorBody>(finance, "PUT", "/api/v1/plan-revenue-rates", { rates: [{ plan: PLAN, revenuePerRequest: "1" }, { plan: PLAN, revenuePerRequest: "2" }] });
    expect(twice.status).toBe(400);
    expect(twice.body.error.errors![0]!.message).toContain("repeats");
    expect((await callJson<ErrorBody>(finance, "PUT", "/api/v1/plan-revenue-rates", { rates: [{ plan: "x\u0000", revenuePerRequest: "1" }] })).status).toBe(400);
    expect(await eps()).toMatchObject({ revenue: null, revenueSource: null });

    const set = await callJson<{ plans: { plan: string; revenuePerRequest: string | null; customers: number }[] }>(finance, "PUT", "/api/v1/plan-revenue-rates", { rates: [{ plan: PLAN, revenuePerRequest: "0.25" }] });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.plans.find((p) => p.plan === PLAN)).toMatchObject({ revenuePerRequest: "0.25", customers: 1 });
    const cost = loaded(new Decimal("0.6"));
    const assumed = await eps();
    expect(assumed).toMatchObject({ revenueSource: "assumed", assumedRevenuePerRequest: "0.25", requests: 3, underWater: false });
    exactly(assumed.revenue, "0.75");
    exactly(assumed.assumedRevenue, "0.75");
    exactly(assumed.margin, new Decimal("0.75").minus(cost));
    const overview = await callJson<Overview>(finance, "GET", "/api/v1/margin?month=2017-11");
    const plan = overview.body.byPlan.find((p) => p.key === PLAN)!;
    exactly(plan.revenue, "0.75");
    exactly(plan.assumedRevenue, "0.75");
    const detail = await callJson<{ byFeature: { feature: string; revenue: string | null; assumedRevenue: string | null }[]; assumedRevenuePerRequest: string | null }>(finance, "GET", `/api/v1/customers/${encodeURIComponent(EPS)}?month=2017-11`);
    expect(detail.body.assumedRevenuePerRequest).toBe("0.25");
    exactly(detail.body.byFeature.find((f) => f.feature === CHAT)!.assumedRevenue, "0.5");
    exactly(detail.body.byFeature.find((f) => f.feature === SEARCH)!.revenue, "0.25");

    // Uploaded revenue wins over the assumption.
    expect((await revenue([{ month: "2017-11", customerId: EPS, amountUsd: "2" }])).status).toBe(200);
    const uploaded = await eps();
    expect(uploaded).toMatchObject({ revenueSource: "uploaded", assumedRevenue: null, assumedRevenuePerRequest: null });
    exactly(uploaded.revenue, "2");

    // Removing the assumption: gone from the list of rates, audited both times.
    const removed = await callJson<{ plans: { plan: string; revenuePerRequest: string | null }[] }>(finance, "PUT", "/api/v1/plan-revenue-rates", { rates: [{ plan: PLAN, revenuePerRequest: null }] });
    expect(removed.body.plans.find((p) => p.plan === PLAN)).toMatchObject({ revenuePerRequest: null });
    const { rows } = await db.query<{ after: Record<string, string | null> }>("SELECT after FROM audit_log WHERE action = 'customers.plan_rates.update' AND entity_id = $1 ORDER BY id", [PLAN]);
    expect(rows.map((r) => r.after[PLAN])).toEqual(["0.25", null]);
  });

  it("charges the month back per customer, the unattributed spend on its own line, adding up to the month exactly", async () => {
    type Cb = { by: string; totalCost: string; method: string; lines: { owner: string | null; label: string; requests: number; totalCost: string; sharePct: string | null }[] };
    const r = await callJson<Cb>(finance, "GET", "/api/v1/finance/chargeback?month=2017-10&by=customer&format=json");
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.method).toContain("Unattributed line");
    const by = new Map(r.body.lines.map((l) => [l.owner, l]));
    for (const c of [ACME, BETA, GAMMA]) exactly(by.get(c)!.totalCost, costOf(c, "2017-10"));
    expect(by.get(ACME)!.requests).toBe(2);
    // The event without a customer: the Unattributed line, last, never spread.
    const last = r.body.lines.at(-1)!;
    expect(last).toMatchObject({ owner: null, label: "Unattributed", requests: 1 });
    exactly(last.totalCost, costOf(null, "2017-10"));
    const sum = r.body.lines.reduce((a, l) => a.plus(l.totalCost), new Decimal(0));
    exactly(r.body.totalCost, sum);
    exactly(r.body.totalCost, [ACME, BETA, GAMMA, null].reduce((a, c) => a.plus(costOf(c, "2017-10")), new Decimal(0)));
    expect(r.body.lines.reduce((a, l) => a.plus(l.sharePct ?? 0), new Decimal(0)).toFixed(2)).toBe("100.00");
    const csv = await finance.fetch("/api/v1/finance/chargeback?month=2017-10&by=customer&format=csv");
    expect(csv.status).toBe(200);
    expect((await csv.text()).split("\n").filter((l) => l.startsWith("2017-10,customer,")).length).toBe(r.body.lines.length);
    const bad = await callJson<ErrorBody>(finance, "GET", "/api/v1/finance/chargeback?month=2017-10&by=planet");
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("team, tenant, customer");
  });

  it("drills an endpoint's week down by customer: the most expensive first, the requests without one on their own line", async () => {
    const EP = `${run}-ep`;
    const [X, Y] = [`${run}-x`, `${run}-y`];
    const events = ([
      ["x1", X, "r-x1", "1"],
      ["x2", X, "r-x2", "0.5"],
      ["y1", Y, "r-y1", "0.25"],
      ["z1", null, "r-z1", "4"],
    ] as const).map(([id, customer, request, costUsd]) => ({
      id: `${run}-${id}`, requestId: `${run}-${request}`, timestamp: "2017-11-15T12:00:00Z", endpoint: EP, feature: CHAT, cohort: "pro",
      ...(customer ? { customerId: customer } : {}), provider: "openai", model: "gpt-4o-mini", usage: { inputTokens: 1, outputTokens: 1 }, costUsd,
    }));
    expect((await callJson(admin, "POST", "/api/v1/events", { events })).status).toBe(200);
    expect((await admin.fetch("/api/v1/rollups/refresh", { method: "POST" })).status).toBe(200);
    const data = await endpointPageData(db, EP, "2017-11-13");
    expect(data.customers.count).toBe(2);
    expect(data.customers.top.map((c) => [c.customerId, c.requests])).toEqual([[X, 2], [Y, 1], [null, 1]]);
    const total = loaded(new Decimal("5.75"));
    exactly(data.customers.top[0]!.totalCost, loaded(new Decimal("1.5")));
    exactly(data.customers.top[0]!.costPerRequest, loaded(new Decimal("0.75")));
    expect(data.customers.top[2]!.sharePct).toBe(loaded(new Decimal(4)).div(total).times(100).toDecimalPlaces(2).toFixed(2));
    expect(data.outliers[0]).toMatchObject({ customerId: null });
    expect(data.outliers.find((o) => o.requestId === `${run}-r-x1`)).toMatchObject({ customerId: X });
  });
});
