// Contracts over HTTP: a 20 % contract on one provider. Events of that provider are stored at list
// price less 20 % with the list cost beside it, another provider's event stays at list; the request
// breakdown shows both figures exactly, computed here from the providers' published list prices.
// Every change is a dry run first (the change per model and UTC month), a closed month refuses it with
// 409 and changes nothing, and retiring the contract re-prices back to list. June 2025 is this file's own.
import { parse } from "csv-parse/sync";
import Decimal from "decimal.js";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/generate-org";
import { assertFocus } from "../support/focus-conformance";
import { signIn, withKey, type Session } from "../support/http";

const baseUrl = inject("baseUrl");
const db = new pg.Pool({ connectionString: inject("databaseUrl"), max: 1 });
const run = `ctr${Date.now().toString(36)}`;
const TS = "2025-06-10T10:00:00Z";
const REQUEST = `${run}-req`;
let admin: Session;

type Row = { provider: string; model: string; month: string; events: number; oldTotal: string; newTotal: string; closed: boolean };
type Diff = { events: number; months: string[]; oldTotal: string; newTotal: string; rows: Row[]; closedMonths: string[] };
type ContractView = { id: string | null; provider: string; model: string | null; percentOff: string; effectiveFrom: string; effectiveTo: string | null; retiredAt: string | null };
type Change = { applied: boolean; kind: string; diff: Diff; contracts: { created: ContractView[]; retired: ContractView[] } };
type Breakdown = {
  direct: { costUsd: string; listCostUsd: string };
  overhead: { percent: string; costUsd: string };
  total: { costUsd: string; listCostUsd: string };
  events: { provider: string; model: string; costUsd: string; listCostUsd: string | null; costSource: string }[];
};
type ErrorBody = { error: { code: string; errors?: { path: string; message: string }[]; closedMonths?: string[] } };

async function api<T>(method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await admin.fetch(url, { method, headers: body === undefined ? undefined : { "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as T };
}

/** Σ tokens × USD per million tokens ÷ 10^6, in decimal.js. */
const perMillion = (...parts: [tokens: number, usdPerMTok: string][]) => parts.reduce((s, [t, r]) => s.plus(new Decimal(t).times(r)), new Decimal(0)).div(1_000_000);

// Anthropic pricing (https://docs.anthropic.com/en/docs/about-claude/pricing), Claude Sonnet 4.5 per million
// tokens: input $3, cache reads $0.30, output $15. 10,000 input + 2,000 cache read + 1,000 output tokens.
const SONNET_LIST = perMillion([10_000, "3"], [2_000, "0.30"], [1_000, "15"]);
// OpenAI pricing (https://platform.openai.com/docs/pricing), GPT-4o mini per million tokens: input $0.15,
// output $0.60. 20,000 input + 4,000 output tokens.
const MINI_LIST = perMillion([20_000, "0.15"], [4_000, "0.60"]);
// 20 % off: what is paid is 80 % of list.
const SONNET_PAID = SONNET_LIST.times("0.8");

const contract = { provider: "anthropic", percentOff: "20", effectiveFrom: "2025-06-01", effectiveTo: "2025-07-01", note: `${run} enterprise agreement` };

async function breakdown(): Promise<Breakdown> {
  const r = await api<Breakdown>("GET", `/api/v1/requests/${encodeURIComponent(REQUEST)}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}
const byProvider = (b: Breakdown, p: string) => b.events.find((e) => e.provider === p)!;
/** The request total for a direct cost: the overhead percentage the breakdown applied, recomputed here. */
const withOverhead = (b: Breakdown, direct: Decimal) => direct.plus(direct.times(b.overhead.percent).div(100)).toFixed();

async function stored() {
  const { rows } = await db.query<{ provider: string; cost_usd: string; list_cost_usd: string | null }>(
    "SELECT provider, cost_usd::text, list_cost_usd::text FROM cost_events WHERE request_id = $1 ORDER BY provider",
    [REQUEST],
  );
  return rows;
}
async function contractAudits(): Promise<number> {
  const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE entity_type = 'contract'");
  return rows[0]!.n;
}

let contractId = "";

beforeAll(async () => {
  const session = await signIn(baseUrl, "admin@example.com", DEMO_PASSWORD);
  const res = await session.fetch("/api/v1/api-keys", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name: "contracts test", scope: "admin" }) });
  admin = withKey(baseUrl, ((await res.json()) as { key: string }).key);
});

afterAll(async () => {
  await db.query("DELETE FROM closed_months WHERE closed_by = $1", [run]);
  await db.query("UPDATE contracts SET retired_at = CURRENT_TIMESTAMP WHERE note = $1 AND retired_at IS NULL", [contract.note]);
  await db.end();
});

describe("a 20 % contract on one provider", () => {
  it("refuses an impossible percentage naming the field, and stores nothing", async () => {
    for (const percentOff of ["0", "100", "-3", "twenty"]) {
      const r = await api<ErrorBody>("POST", "/api/v1/contracts", { contract: { ...contract, percentOff } });
      expect(r.status).toBe(400);
      expect(r.body.error.errors?.map((e) => e.path)).toContain("contract.percentOff");
    }
    const { rows } = await db.query("SELECT 1 FROM contracts WHERE note = $1", [contract.note]);
    expect(rows).toHaveLength(0);
  });

  it("applies at ingest: the contracted provider is paid 80 % of list with list beside it, the other stays at list", async () => {
    const created = await api<Change>("POST", "/api/v1/contracts", { contract });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.contracts.created[0]).toMatchObject({ provider: "anthropic", model: null, percentOff: "20", effectiveFrom: "2025-06-01T00:00:00.000Z", effectiveTo: "2025-07-01T00:00:00.000Z" });
    contractId = created.body.contracts.created[0]!.id!;
    const listed = await api<{ contracts: ContractView[] }>("GET", "/api/v1/contracts");
    expect(listed.body.contracts.map((c) => c.id)).toContain(contractId);

    const res = await admin.fetch("/api/v1/events", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        events: [
          { id: `${run}-sonnet`, timestamp: TS, requestId: REQUEST, feature: run, provider: "anthropic", model: "claude-sonnet-4-5", usage: { inputTokens: 10_000, cacheReadTokens: 2_000, outputTokens: 1_000 } },
          { id: `${run}-mini`, timestamp: TS, requestId: REQUEST, feature: run, provider: "openai", model: "gpt-4o-mini", usage: { inputTokens: 20_000, outputTokens: 4_000 } },
        ],
      }),
    });
    expect(res.status, await res.clone().text()).toBe(200);

    const b = await breakdown();
    expect(SONNET_LIST.toFixed()).toBe("0.0456");
    expect(byProvider(b, "anthropic")).toMatchObject({ costSource: "estimated", costUsd: SONNET_PAID.toFixed(), listCostUsd: SONNET_LIST.toFixed() });
    expect(byProvider(b, "openai")).toMatchObject({ costSource: "estimated", costUsd: MINI_LIST.toFixed(), listCostUsd: null });
    expect(b.direct).toEqual(expect.objectContaining({ costUsd: SONNET_PAID.plus(MINI_LIST).toFixed(), listCostUsd: SONNET_LIST.plus(MINI_LIST).toFixed() }));
    expect(b.total.costUsd).toBe(withOverhead(b, SONNET_PAID.plus(MINI_LIST)));
    expect(b.total.listCostUsd).toBe(withOverhead(b, SONNET_LIST.plus(MINI_LIST)));
    expect(await stored()).toEqual([
      { provider: "anthropic", cost_usd: SONNET_PAID.toFixed(12), list_cost_usd: SONNET_LIST.toFixed(12) },
      { provider: "openai", cost_usd: MINI_LIST.toFixed(12), list_cost_usd: null },
    ]);
  });

  it("FOCUS shows ListCost at list and ContractedCost (= BilledCost = EffectiveCost) at what is paid, and conforms", async () => {
    const res = await admin.fetch("/api/v1/finance/monthly?month=2025-06&format=focus");
    expect(res.status).toBe(200);
    const text = await res.text();
    assertFocus(text);
    const rows = (parse(text, { columns: true }) as Record<string, string>[]).filter((r) => (JSON.parse(r.Tags!) as { feature?: string }).feature === run);
    const sonnet = rows.filter((r) => r.SkuId === "claude-sonnet-4-5");
    expect(sonnet).toHaveLength(1);
    expect(sonnet[0]).toMatchObject({ ChargeCategory: "Usage", PricingUnit: "USD", ListUnitPrice: "1", ContractedUnitPrice: "0.8" });
    for (const [col, v] of [["ListCost", SONNET_LIST], ["PricingQuantity", SONNET_LIST], ["ContractedCost", SONNET_PAID], ["BilledCost", SONNET_PAID], ["EffectiveCost", SONNET_PAID]] as const) {
      expect(new Decimal(sonnet[0]![col]!).eq(v), `${col} ${sonnet[0]![col]}`).toBe(true);
    }
    const mini = rows.filter((r) => r.SkuId === "gpt-4o-mini" && r.ChargeCategory === "Usage");
    expect(mini.length).toBeGreaterThan(0);
    for (const r of mini) expect(r.ListCost).toBe(r.ContractedCost);
    expect(mini.reduce((s, r) => s.plus(r.ListCost!), new Decimal(0)).eq(MINI_LIST)).toBe(true);
  });

  it("the weekly review and the monthly rollup show the list price beside what is paid", async () => {
    expect((await admin.fetch("/api/v1/rollups/refresh", { method: "POST" })).status).toBe(200);
    const paid = SONNET_PAID.plus(MINI_LIST);
    const list = SONNET_LIST.plus(MINI_LIST);
    const month = await api<{ totals: { directCost: string; listDirectCost: string; estimatedCost: string; incompleteCost: string } }>(
      "GET",
      `/api/v1/finance/monthly?month=2025-06&groupBy=&feature=${run}`,
    );
    expect(month.status, JSON.stringify(month.body)).toBe(200);
    expect(new Decimal(month.body.totals.directCost).eq(paid)).toBe(true);
    expect(new Decimal(month.body.totals.listDirectCost).eq(list)).toBe(true);
    expect(new Decimal(month.body.totals.estimatedCost).eq(paid)).toBe(true);
    expect(month.body.totals.incompleteCost).toBe("0");
    // June 2025 is this file's own: the week of 10 June holds this request alone.
    const week = await api<{ totals: { current: { directCost: string; listDirectCost: string } } }>("GET", "/api/v1/weekly?week=2025-W24");
    expect(week.status, JSON.stringify(week.body)).toBe(200);
    expect(new Decimal(week.body.totals.current.directCost).eq(paid)).toBe(true);
    expect(new Decimal(week.body.totals.current.listDirectCost).eq(list)).toBe(true);
  });

  it("a dry run of retiring it shows the change per model and month and changes nothing", async () => {
    const audits = await contractAudits();
    const dry = await api<Change>("DELETE", `/api/v1/contracts/${contractId}?dryRun=1`);
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body.applied).toBe(false);
    const mine = dry.body.diff.rows.filter((r) => r.model === "claude-sonnet-4-5" && r.month === "2025-06");
    expect(mine).toHaveLength(1);
    expect(new Decimal(mine[0]!.newTotal).minus(mine[0]!.oldTotal).gte(SONNET_LIST.minus(SONNET_PAID))).toBe(true);
    expect(dry.body.diff.rows.every((r) => r.provider === "anthropic" && r.month === "2025-06")).toBe(true);
    expect((await stored())[0]!.cost_usd).toBe(SONNET_PAID.toFixed(12));
    expect(await contractAudits()).toBe(audits);
  });

  it("a closed month refuses the change with 409 and changes nothing", async () => {
    await db.query("INSERT INTO closed_months (month, closed_by) VALUES ('2025-06-01', $1)", [run]);
    const audits = await contractAudits();
    const refused = await api<ErrorBody>("DELETE", `/api/v1/contracts/${contractId}`);
    expect(refused.status, JSON.stringify(refused.body)).toBe(409);
    expect(refused.body.error.code).toBe("month_closed");
    expect(refused.body.error.closedMonths).toEqual(["2025-06"]);
    const { rows } = await db.query<{ retired_at: Date | null }>("SELECT retired_at FROM contracts WHERE id = $1", [contractId]);
    expect(rows[0]!.retired_at).toBeNull();
    expect((await stored())[0]).toEqual({ provider: "anthropic", cost_usd: SONNET_PAID.toFixed(12), list_cost_usd: SONNET_LIST.toFixed(12) });
    expect(await contractAudits()).toBe(audits);
    await db.query("DELETE FROM closed_months WHERE closed_by = $1", [run]);
  });

  it("retiring it re-prices back to list, audited", async () => {
    const audits = await contractAudits();
    const r = await api<Change>("DELETE", `/api/v1/contracts/${contractId}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ applied: true, kind: "contract.retire" });
    expect(r.body.contracts.retired[0]!.retiredAt).not.toBeNull();
    const b = await breakdown();
    expect(byProvider(b, "anthropic")).toMatchObject({ costUsd: SONNET_LIST.toFixed(), listCostUsd: null });
    expect(b.direct).toEqual(expect.objectContaining({ costUsd: SONNET_LIST.plus(MINI_LIST).toFixed(), listCostUsd: SONNET_LIST.plus(MINI_LIST).toFixed() }));
    expect(b.total.costUsd).toBe(b.total.listCostUsd);
    expect(await stored()).toEqual([
      { provider: "anthropic", cost_usd: SONNET_LIST.toFixed(12), list_cost_usd: null },
      { provider: "openai", cost_usd: MINI_LIST.toFixed(12), list_cost_usd: null },
    ]);
    const { rows } = await db.query<{ action: string }>("SELECT action FROM audit_log WHERE entity_type = 'contract' ORDER BY id DESC LIMIT 2");
    expect(rows.map((x) => x.action).sort()).toEqual(["contract.reprice", "contract.retire"]);
    expect(await contractAudits()).toBe(audits + 2);
    const again = await api<ErrorBody>("DELETE", `/api/v1/contracts/${contractId}`);
    expect(again.status).toBe(404);
  });

  it("a new model-specific contract on stored events: the dry run lists the model and month, a closed month refuses it", async () => {
    const body = { contract: { ...contract, model: "claude-sonnet-4-5", percentOff: "12.5" } };
    const dry = await api<Change>("POST", "/api/v1/contracts", { ...body, dryRun: true });
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    const mine = dry.body.diff.rows.find((r) => r.model === "claude-sonnet-4-5" && r.month === "2025-06")!;
    expect(mine).toBeDefined();
    expect(mine.closed).toBe(false);
    expect(dry.body.diff.rows.some((r) => r.provider === "openai")).toBe(false);
    const { rows: none } = await db.query("SELECT 1 FROM contracts WHERE note = $1 AND retired_at IS NULL", [contract.note]);
    expect(none).toHaveLength(0);

    await db.query("INSERT INTO closed_months (month, closed_by) VALUES ('2025-06-01', $1)", [run]);
    const dryClosed = await api<Change>("POST", "/api/v1/contracts", { ...body, dryRun: true });
    expect(dryClosed.body.diff.closedMonths).toEqual(["2025-06"]);
    const refused = await api<ErrorBody>("POST", "/api/v1/contracts", body);
    expect(refused.status).toBe(409);
    const { rows: still } = await db.query("SELECT 1 FROM contracts WHERE note = $1 AND retired_at IS NULL", [contract.note]);
    expect(still).toHaveLength(0);
    expect((await stored())[0]!.cost_usd).toBe(SONNET_LIST.toFixed(12));
    await db.query("DELETE FROM closed_months WHERE closed_by = $1", [run]);

    const applied = await api<Change>("POST", "/api/v1/contracts", body);
    expect(applied.status, JSON.stringify(applied.body)).toBe(201);
    const b = await breakdown();
    // 12.5 % off Claude Sonnet 4.5's list.
    expect(byProvider(b, "anthropic")).toMatchObject({ costUsd: SONNET_LIST.times("0.875").toFixed(), listCostUsd: SONNET_LIST.toFixed() });
    expect(byProvider(b, "openai")).toMatchObject({ costUsd: MINI_LIST.toFixed(), listCostUsd: null });
  });
});
