// Budgets over real HTTP and PostgreSQL: a plan with a steady weekday pattern over the last nine weeks
// (weekdays 10 requests, weekends 4, each $0.01 billed plus overhead), so the month-end forecast is known
// exactly: the pattern carried to the month's end. A budget below it opens an alert in its owner's My work;
// the split against the previous month is all volume (the price did not move) and adds up exactly. Who may set
// which budget follows the policy: finance any, a feature's owner only that feature's.
import Decimal from "decimal.js";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/generate-org";
import { addDays, localDate } from "@/lib/rollups/weeks";
import { callJson, signIn, withKey, type Session } from "../support/http";

const baseUrl = inject("baseUrl");
const db = new pg.Pool({ connectionString: inject("databaseUrl"), max: 1 });
const run = `bud${Date.now().toString(36)}`;
const PLAN = `${run}-plan`;
let admin: Session;
let finance: Session;
let owner: Session;
let ownerId = "";
let overheadPct = new Decimal(0);
let today = "";

type Split = { cohort: string | null; change: string; volume: string; rate: string };
type Budget = {
  id: string;
  amountUsd: string;
  ownerId: string | null;
  breach: boolean;
  overBy: string;
  forecast: { asOf: string; monthToDate: { cost: string }; forecast: { cost: string; low: string; high: string }; previous: { cost: string }; split: { change: string; volume: string; rate: string; byCohort: Split[] } };
  alert: { status: string } | null;
};
type ErrorBody = { error: { code: string; message: string; errors?: { path: string }[] } };

const weekday = (day: string) => (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
const requestsOn = (day: string) => (weekday(day) < 5 ? 10 : 4);
const costPerRequest = () => new Decimal("0.01").times(new Decimal(100).plus(overheadPct)).div(100);
/** The pattern's cost over [from, to). */
const patternCost = (from: string, to: string) => {
  let n = 0;
  for (let d = from; d < to; d = addDays(d, 1)) n += requestsOn(d);
  return costPerRequest().times(n);
};

beforeAll(async () => {
  const session = await signIn(baseUrl, "admin@example.com", DEMO_PASSWORD);
  const res = await session.fetch("/api/v1/api-keys", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name: "budgets test", scope: "admin" }) });
  admin = withKey(baseUrl, ((await res.json()) as { key: string }).key);
  finance = await signIn(baseUrl, "finance@example.com", DEMO_PASSWORD);
  owner = await signIn(baseUrl, "owner@example.com", DEMO_PASSWORD);
  ownerId = (await db.query<{ id: string }>("SELECT id FROM users WHERE email = 'owner@example.com'")).rows[0]!.id;
  const oh = (await callJson<{ overhead: { globalPercent: string | null } }>(admin, "GET", "/api/v1/settings/overhead")).body.overhead;
  overheadPct = new Decimal(oh.globalPercent ?? 0);
  const tz = (await db.query<{ value: string }>("SELECT value #>> '{}' AS value FROM settings WHERE key = 'timezone'")).rows[0]?.value ?? "UTC";
  today = localDate(new Date(), tz);
  // Nine weeks of completed days, each request one event at noon UTC (the same local day in any time zone within 11 hours),
  // on an endpoint of its own: the same every week, so it moves no review figure other files look at (not even unattributed).
  const events: unknown[] = [];
  for (let d = addDays(today, -63); d < today; d = addDays(d, 1)) {
    for (let i = 0; i < requestsOn(d); i++) {
      events.push({ id: `${run}-${d}-${i}`, requestId: `${run}-${d}-${i}`, timestamp: `${d}T12:00:00Z`, endpoint: `${run}-endpoint`, feature: `${run}-feature`, cohort: PLAN, provider: "openai", model: "gpt-4o-mini", usage: { inputTokens: 10 }, costUsd: "0.01" });
    }
  }
  for (let i = 0; i < events.length; i += 500) {
    const r = await callJson<{ rejected: unknown[] }>(admin, "POST", "/api/v1/events", { events: events.slice(i, i + 500) });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.rejected).toEqual([]);
  }
  expect((await admin.fetch("/api/v1/rollups/refresh", { method: "POST" })).status).toBe(200);
});

afterAll(async () => {
  await db.query("DELETE FROM budgets WHERE scope_value LIKE $1", [`${run}%`]);
  await db.end();
});

describe("budgets", () => {
  let budget: Budget;

  it("refuses a budget naming what is wrong, and one nobody may set", async () => {
    const bad = await callJson<ErrorBody>(finance, "POST", "/api/v1/budgets", { scope: "galaxy", amountUsd: "-5" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.errors!.map((e) => e.path).sort()).toEqual(["amountUsd", "scope"]);
    const nul = await callJson<ErrorBody>(finance, "POST", "/api/v1/budgets", { scope: "team", scopeValue: "a\u0000b", amountUsd: "5" });
    expect(nul.status).toBe(400);
    expect(nul.body.error.errors![0]!.path).toBe("body.scopeValue");
    const noTeam = await callJson<ErrorBody>(finance, "POST", "/api/v1/budgets", { scope: "team", scopeValue: `${run}-nobody`, amountUsd: "5" });
    expect(noTeam.status).toBe(400);
    expect(noTeam.body.error.errors![0]!.path).toBe("scopeValue");
    // An owner may not set a plan's budget, nor another owner's feature's.
    expect((await callJson(owner, "POST", "/api/v1/budgets", { scope: "plan", scopeValue: PLAN, amountUsd: "5" })).status).toBe(403);
    const other = (await db.query<{ slug: string }>("SELECT slug FROM features WHERE owner_id IS DISTINCT FROM $1 LIMIT 1", [ownerId])).rows[0];
    if (other) expect((await callJson(owner, "POST", "/api/v1/budgets", { scope: "feature", scopeValue: other.slug, amountUsd: "5" })).status).toBe(403);
  });

  it("forecasts the month exactly for a steady weekday pattern, and says the budget will be missed", async () => {
    const monthStart = `${today.slice(0, 7)}-01`;
    const monthEnd = addDays(`${today.slice(0, 7)}-28`, 4).slice(0, 7) + "-01";
    const expected = patternCost(monthStart, monthEnd);
    const amount = expected.times("0.9").toDecimalPlaces(2);
    const r = await callJson<Budget>(finance, "POST", "/api/v1/budgets", { scope: "plan", scopeValue: PLAN, amountUsd: amount.toFixed(), ownerId });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    budget = r.body;
    const f = budget.forecast;
    expect(f.asOf).toBe(today);
    expect(new Decimal(f.monthToDate.cost).equals(patternCost(monthStart, today))).toBe(true);
    expect(new Decimal(f.forecast.cost).minus(expected).abs().lt("0.000001"), `${f.forecast.cost} ≈ ${expected.toFixed()}`).toBe(true);
    expect(f.forecast.low).toBe(f.forecast.cost);
    expect(f.forecast.high).toBe(f.forecast.cost);
    expect(budget.breach).toBe(true);
    expect(new Decimal(budget.overBy).equals(new Decimal(f.forecast.cost).minus(amount))).toBe(true);
    // Against the previous month: all volume (the price per request did not move), and the parts add up exactly.
    const prevStart = `${addDays(monthStart, -1).slice(0, 7)}-01`;
    expect(new Decimal(f.previous.cost).equals(patternCost(prevStart, monthStart))).toBe(true);
    expect(new Decimal(f.split.volume).plus(f.split.rate).equals(f.split.change)).toBe(true);
    expect(new Decimal(f.split.change).equals(new Decimal(f.forecast.cost).minus(f.previous.cost))).toBe(true);
    expect(new Decimal(f.split.rate).abs().lt("0.000001")).toBe(true);
    expect(f.split.byCohort.map((c) => c.cohort)).toEqual([PLAN]);
  });

  it("opens an alert for the owner when the check predicts the breach, once, and the owner acknowledges it", async () => {
    const check = await callJson<{ opened: string[] }>(admin, "POST", "/api/v1/budgets/check");
    expect(check.status).toBe(200);
    expect(check.body.opened).toContain(budget.id);
    expect((await callJson<{ opened: string[] }>(admin, "POST", "/api/v1/budgets/check")).body.opened).not.toContain(budget.id);
    const work = await callJson<{ sections: { key: string; entries: { href: string; title: string }[] }[] }>(owner, "GET", "/api/v1/my-work");
    const entry = work.body.sections.find((s) => s.key === "budgets")!.entries.find((e) => e.href.startsWith(`/budgets/${budget.id}`));
    expect(entry?.title).toContain(`Plan ${PLAN}`);
    const month = today.slice(0, 7);
    expect((await owner.fetch(`/api/v1/budgets/${budget.id}/acknowledge?month=${month}`, { method: "POST" })).status).toBe(204);
    const after = await callJson<{ sections: { key: string; entries: { href: string }[] }[] }>(owner, "GET", "/api/v1/my-work");
    expect(after.body.sections.find((s) => s.key === "budgets")!.entries.some((e) => e.href.startsWith(`/budgets/${budget.id}`))).toBe(false);
    expect((await callJson<Budget>(owner, "GET", `/api/v1/budgets/${budget.id}`)).body.alert).toMatchObject({ status: "acknowledged" });
  });

  it("a budget above the forecast opens nothing; raising it clears the open alert; changes are audited", async () => {
    const raised = await callJson<Budget>(finance, "PATCH", `/api/v1/budgets/${budget.id}`, { amountUsd: new Decimal(budget.forecast.forecast.cost).times(2).toDecimalPlaces(2).toFixed() });
    expect(raised.status, JSON.stringify(raised.body)).toBe(200);
    expect(raised.body.breach).toBe(false);
    expect((await callJson<{ opened: string[] }>(admin, "POST", "/api/v1/budgets/check")).body.opened).not.toContain(budget.id);
    // The owner may not change a plan's budget; a viewer may not even try.
    expect((await callJson(owner, "PATCH", `/api/v1/budgets/${budget.id}`, { amountUsd: "1" })).status).toBe(403);
    const { rows } = await db.query<{ action: string }>("SELECT action FROM audit_log WHERE entity_type = 'budget' AND entity_id = $1 ORDER BY id", [budget.id]);
    expect(rows.map((r) => r.action)).toEqual(["budget.create", "budget.update"]);
    const listed = await callJson<{ budgets: Budget[] }>(owner, "GET", "/api/v1/budgets");
    expect(listed.body.budgets.map((b) => b.id)).toContain(budget.id);
  });

  it("lets a feature's owner set that feature's budget, and refuses a second one for the same feature", async () => {
    const mine = (await db.query<{ slug: string }>("SELECT slug FROM features WHERE owner_id = $1 ORDER BY slug LIMIT 1", [ownerId])).rows[0]!;
    await db.query("DELETE FROM budgets WHERE scope = 'feature' AND scope_value = $1", [mine.slug]);
    const r = await callJson<Budget>(owner, "POST", "/api/v1/budgets", { scope: "feature", scopeValue: mine.slug, amountUsd: "1000" });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.ownerId).toBe(ownerId);
    expect((await callJson<ErrorBody>(finance, "POST", "/api/v1/budgets", { scope: "feature", scopeValue: mine.slug, amountUsd: "5" })).status).toBe(409);
    expect((await owner.fetch(`/api/v1/budgets/${r.body.id}`, { method: "DELETE" })).status).toBe(204);
  });
});
