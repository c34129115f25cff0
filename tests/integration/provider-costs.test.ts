// Provider cost reports in: recorded OpenAI organisation Costs API and Anthropic Admin API cost report pages
// (tests/fixtures/provider-costs, in the shapes their references document: see tests/unit/finance/provider-costs.test.ts),
// imported by POST, by the CLI, and pulled over HTTP from a local server standing in for both APIs (two pages
// each, a 429 with Retry-After and a 503 on the way); then the per-day, per-model reconciliation against
// events, with dark spend (a model the providers billed that no event shows) on the week's coverage.
// Days 2025-02-10 … 12 (week 2025-W07) are this file's own.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import Decimal from "decimal.js";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/generate-org";
import { callJson, signIn, withKey, type Session } from "../support/http";
import { startServer, type TestServer } from "../support/server";

const root = path.resolve(import.meta.dirname, "..", "..");
const fixtureFile = (name: string) => path.join(root, "tests", "fixtures", "provider-costs", name);
const fixture = (name: string) => JSON.parse(readFileSync(fixtureFile(name), "utf8")) as Record<string, unknown>;
const openAi = [fixture("openai-costs-page-1.json"), fixture("openai-costs-page-2.json")];
const anthropic = [fixture("anthropic-cost-report-page-1.json"), fixture("anthropic-cost-report-page-2.json")];
const OPENAI_KEY = "sk-admin-test-openai-0123456789";
const ANTHROPIC_KEY = "sk-ant-admin01-test-0123456789";

const db = new pg.Pool({ connectionString: inject("databaseUrl"), max: 1 });
const run = `pc${Date.now().toString(36)}`;
type Seen = { path: string; query: URLSearchParams; headers: http.IncomingHttpHeaders; at: number; status: number };
const seen: Seen[] = [];
let mock: http.Server;
let app: TestServer;
let finance: Session;
let admin: Session;

/** The providers' APIs: each asks for its own credentials; page 1 first answers 429 (OpenAI) or 503 (Anthropic) once. */
function startMock(): Promise<string> {
  const failedOnce = new Set<string>();
  mock = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const record = (status: number) => seen.push({ path: url.pathname, query: url.searchParams, headers: req.headers, at: Date.now(), status });
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record(status);
      res.writeHead(status, { "Content-Type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === "/v1/organization/costs") {
      if (req.headers.authorization !== `Bearer ${OPENAI_KEY}`) return send(401, { error: { message: "Invalid authorization header" } });
      if (!failedOnce.has("openai")) {
        failedOnce.add("openai");
        return send(429, { error: { message: "Rate limit reached" } }, { "Retry-After": "1" });
      }
      return send(200, url.searchParams.get("page") === "page_AAAAAGeq5YAAAAAA" ? openAi[1] : openAi[0]);
    }
    if (url.pathname === "/v1/organizations/cost_report") {
      if (req.headers["x-api-key"] !== ANTHROPIC_KEY || req.headers["anthropic-version"] !== "2023-06-01") return send(401, { type: "error", error: { type: "authentication_error" } });
      if (!failedOnce.has("anthropic")) {
        failedOnce.add("anthropic");
        return send(503, { type: "error", error: { type: "overloaded_error" } });
      }
      return send(200, url.searchParams.get("page") === "page_MjAyNS0wMi0xMVQwMDowMDowMFo=" ? anthropic[1] : anthropic[0]);
    }
    send(404, { error: "not found" });
  });
  return new Promise((resolve) => mock.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(mock.address() as AddressInfo).port}`)));
}

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(root, "bin", "cost-review.mjs"), ...args], { cwd: root, env: { ...process.env, DATABASE_URL: inject("databaseUrl") } }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

beforeAll(async () => {
  const base = await startMock();
  app = await startServer({
    databaseUrl: inject("databaseUrl"),
    port: 3750 + Math.floor(Math.random() * 200),
    env: { OPENAI_ADMIN_KEY: OPENAI_KEY, ANTHROPIC_ADMIN_KEY: ANTHROPIC_KEY, OPENAI_API_BASE_URL: base, ANTHROPIC_API_BASE_URL: base },
  });
  admin = await signIn(app.url, "admin@example.com", DEMO_PASSWORD);
  finance = await signIn(app.url, "finance@example.com", DEMO_PASSWORD);
  expect((await callJson(finance, "PUT", "/api/v1/finance/settings", { tolerancePct: "1" })).status).toBe(200);
  const key = (await callJson<{ key: string }>(admin, "POST", "/api/v1/api-keys", { name: run, scope: "ingest" })).body.key;
  let n = 0;
  const ev = (day: string, provider: string, model: string, costUsd: string) => ({
    id: `${run}-${n++}`,
    timestamp: `2025-02-${day}T1${n % 10}:00:00Z`,
    requestId: `${run}-r${n}`,
    endpoint: `${run}-ep`,
    cohort: "pro",
    kind: "llm",
    provider,
    model,
    usage: { inputTokens: 100, outputTokens: 10 },
    costUsd,
  });
  const events = [
    ev("10", "openai", "gpt-4o-mini-2024-07-18", "0.1"),
    ev("10", "openai", "gpt-4o-mini-2024-07-18", "0.08"),
    ev("11", "openai", "gpt-4o-2024-08-06", "1.5"),
    ev("11", "openai", "gpt-4.1-nano", "0.4"),
    ev("12", "openai", "gpt-4o-mini-2024-07-18", "0.3"),
    ev("10", "anthropic", "claude-sonnet-4-20250514", "1.7345"),
    // A day no report covers: not reconciled.
    ev("14", "openai", "gpt-4o-2024-08-06", "9"),
  ];
  const res = await withKey(app.url, key).fetch("/api/v1/events", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ events }) });
  expect(res.status).toBe(200);
  expect((await admin.fetch("/api/v1/rollups/refresh", { method: "POST" })).status).toBe(200);
}, 240_000);

afterAll(async () => {
  await app?.stop();
  await new Promise((r) => mock?.close(r));
  await db.end();
});

/** What is stored for a provider: its lines and their exact total (trailing zeros of NUMERIC(30,12) dropped). */
async function stored(provider: string) {
  const r = (await db.query<{ lines: number; total: string }>("SELECT count(*)::int AS lines, coalesce(sum(amount_usd), 0)::text AS total FROM provider_costs WHERE provider = $1", [provider])).rows[0]!;
  return { lines: r.lines, total: new Decimal(r.total).toFixed() };
}

describe("importing a provider's cost report", () => {
  it("by POST: every page, exact, and a re-import replaces instead of doubling", async () => {
    for (let i = 0; i < 2; i++) {
      const r = await callJson<{ lines: number; days: number; totalUsd: string; from: string; to: string }>(finance, "POST", "/api/v1/finance/provider-costs", { provider: "openai", pages: openAi });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ lines: 7, days: 3, totalUsd: "4.755123456789", from: "2025-02-10", to: "2025-02-12" });
      expect(await stored("openai")).toEqual({ lines: 7, total: "4.755123456789" });
    }
    const audit = await db.query("SELECT 1 FROM audit_log WHERE action = 'finance.provider_costs.import' AND entity_id = 'openai/2025-02-10..2025-02-12'");
    expect(audit.rowCount).toBeGreaterThanOrEqual(2);
  });

  it("refuses a hostile page with a 400 naming the field, and a viewer with 403", async () => {
    const bad = JSON.parse(JSON.stringify(openAi)) as { data: { results: { amount: { value: unknown } }[] }[] }[];
    bad[1]!.data[0]!.results[2]!.amount.value = "2.75; DROP TABLE";
    const r = await callJson<{ error: { message: string; errors: { path: string }[] } }>(finance, "POST", "/api/v1/finance/provider-costs", { provider: "openai", pages: bad });
    expect(r.status).toBe(400);
    expect(r.body.error.errors.map((e) => e.path)).toEqual(["pages.1.data.0.results.2.amount.value"]);
    expect((await callJson(finance, "POST", "/api/v1/finance/provider-costs", { provider: "azure", pages: openAi })).status).toBe(400);
    expect(await stored("openai")).toEqual({ lines: 7, total: "4.755123456789" });
    const viewer = await signIn(app.url, "viewer@example.com", DEMO_PASSWORD);
    expect((await callJson(viewer, "POST", "/api/v1/finance/provider-costs", { provider: "openai", pages: openAi })).status).toBe(403);
  });

  it("by the CLI from a file, again without doubling", async () => {
    for (let i = 0; i < 2; i++) {
      const r = await cli(["provider-costs", "import", fixtureFile("anthropic-cost-report-page-1.json")]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("Imported anthropic: 2 lines on 1 days for 2025-02-10 … 2025-02-10, $1.7345.");
    }
    expect(await stored("anthropic")).toEqual({ lines: 2, total: "1.7345" });
    const bad = await cli(["provider-costs", "import", fixtureFile("anthropic-cost-report-page-1.json"), "--provider", "openai"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("pages.0.data.0.start_time");
  });

  it("by pulling over HTTP: follows next_page, honours Retry-After on 429, retries 503, sends each provider's key header", async () => {
    const o = await callJson<{ pages: number; lines: number; totalUsd: string }>(finance, "POST", "/api/v1/finance/provider-costs/pull", { provider: "openai", from: "2025-02-10", to: "2025-02-13" });
    expect(o.status).toBe(200);
    expect(o.body).toMatchObject({ pages: 2, lines: 7, totalUsd: "4.755123456789" });
    const oc = seen.filter((s) => s.path === "/v1/organization/costs");
    expect(oc.map((s) => s.status)).toEqual([429, 200, 200]);
    expect(oc[1]!.at - oc[0]!.at).toBeGreaterThanOrEqual(950);
    expect(oc[0]!.query.get("start_time")).toBe("1739145600");
    expect(oc[0]!.query.get("end_time")).toBe("1739404800");
    expect(oc[0]!.query.get("bucket_width")).toBe("1d");
    expect(oc[2]!.query.get("page")).toBe("page_AAAAAGeq5YAAAAAA");
    expect(await stored("openai")).toEqual({ lines: 7, total: "4.755123456789" });

    const a = await callJson<{ pages: number; lines: number; totalUsd: string }>(admin, "POST", "/api/v1/finance/provider-costs/pull", { provider: "anthropic", from: "2025-02-10", to: "2025-02-12" });
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ pages: 2, lines: 3, totalUsd: "11.7345" });
    const ac = seen.filter((s) => s.path === "/v1/organizations/cost_report");
    expect(ac.map((s) => s.status)).toEqual([503, 200, 200]);
    expect(ac[0]!.query.get("starting_at")).toBe("2025-02-10T00:00:00Z");
    expect(ac[0]!.query.get("ending_at")).toBe("2025-02-12T00:00:00Z");
    expect(ac[2]!.query.get("page")).toBe("page_MjAyNS0wMi0xMVQwMDowMDowMFo=");
    expect(await stored("anthropic")).toEqual({ lines: 3, total: "11.7345" });
    expect(app.output()).not.toContain(OPENAI_KEY);
    expect(app.output()).not.toContain(ANTHROPIC_KEY);
  });

  it("a pull names the field when the range is wrong, and the missing key where none is set", async () => {
    const r = await callJson<{ error: { errors: { path: string }[] } }>(finance, "POST", "/api/v1/finance/provider-costs/pull", { provider: "openai", from: "2025-02-13", to: "2025-02-10" });
    expect(r.status).toBe(400);
    expect(r.body.error.errors.map((e) => e.path)).toEqual(["to"]);
    const other = await signIn(inject("baseUrl"), "finance@example.com", DEMO_PASSWORD);
    const noKey = await callJson<{ error: { message: string } }>(other, "POST", "/api/v1/finance/provider-costs/pull", { provider: "anthropic", from: "2025-02-10", to: "2025-02-12" });
    expect(noKey.status).toBe(400);
    expect(noKey.body.error.message).toContain("ANTHROPIC_ADMIN_KEY");
  });
});

type Daily = {
  totals: { computedCost: string; reportedCost: string; varianceUsd: string };
  darkSpend: { lines: number; totalCost: string; providers: { provider: string; days: number; totalCost: string }[] };
  lines: { provider: string; day: string; model: string | null; events: number; computedCost: string; reportedCost: string; varianceUsd: string; status: string }[];
};

describe("per-day, per-model reconciliation", () => {
  it("sets the events against the reports exactly, largest gap first, with the dark spend", async () => {
    const r = await callJson<Daily>(finance, "GET", "/api/v1/finance/reconciliation/daily?month=2025-02");
    expect(r.status).toBe(200);
    expect(r.body.lines.map((l) => [l.provider, l.day, l.model, l.computedCost, l.reportedCost, l.varianceUsd, l.status])).toEqual([
      ["anthropic", "2025-02-11", "claude-opus-4-20250514", "0", "10", "-10", "dark_spend"],
      ["openai", "2025-02-12", "o3-2025-04-16", "0", "2.75", "-2.75", "dark_spend"],
      ["openai", "2025-02-11", "gpt-4.1-nano", "0.4", "0", "0.4", "over"],
      ["openai", "2025-02-11", "gpt-4o-2024-08-06", "1.5", "1.525", "-0.025", "under"],
      ["openai", "2025-02-12", "gpt-4o-mini-2024-07-18", "0.3", "0.300123456789", "-0.000123456789", "within"],
      ["anthropic", "2025-02-10", "claude-sonnet-4-20250514", "1.7345", "1.7345", "0", "within"],
      ["openai", "2025-02-10", "gpt-4o-mini-2024-07-18", "0.18", "0.18", "0", "within"],
    ]);
    expect(r.body.totals).toEqual({ computedCost: "4.1145", reportedCost: "16.489623456789", varianceUsd: "-12.375123456789" });
    expect(r.body.darkSpend).toEqual({
      lines: 2,
      totalCost: "12.75",
      providers: [
        { provider: "anthropic", days: 1, totalCost: "10" },
        { provider: "openai", days: 1, totalCost: "2.75" },
      ],
    });
    const only = await callJson<Daily>(finance, "GET", "/api/v1/finance/reconciliation/daily?month=2025-02&provider=anthropic");
    expect(only.body.lines.map((l) => l.provider)).toEqual(["anthropic", "anthropic"]);
    const bad = await callJson<{ error: { errors: { path: string }[] } }>(finance, "GET", "/api/v1/finance/reconciliation/daily?month=2025-13&provider=x");
    expect(bad.status).toBe(400);
    expect(bad.body.error.errors.map((e) => e.path).sort()).toEqual(["month", "provider"]);
  });

  it("shows the month's reconciliation and dark spend on the finance page, worded for finance", async () => {
    const page = await (await finance.fetch("/finance/2025-02")).text();
    // The HTML without its scripts (the flight data repeats the page's text in another order).
    const text = page.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, "").replace(/<!-- -->/g, "");
    expect(text).toContain("$10.00 reported by anthropic on 1 day with no events: an uninstrumented service or key?");
    expect(text).toContain("$2.75 reported by openai on 1 day with no events");
    expect(text).toContain('data-testid="daily-reconciliation-table"');
    // Largest unexplained gap first: the anthropic dark line is the table's first row.
    const table = text.slice(text.indexOf('data-testid="daily-reconciliation-table"'));
    expect(table.indexOf("claude-opus-4-20250514")).toBeLessThan(table.indexOf("o3-2025-04-16"));
    expect(table.indexOf("o3-2025-04-16")).toBeLessThan(table.indexOf("gpt-4.1-nano"));
    const empty = (await (await finance.fetch("/finance/2025-01")).text()).replace(/<!-- -->/g, "");
    expect(empty).not.toContain('data-testid="month-dark-spend"');
    expect(empty).toContain("No provider cost report has been imported for 2025-01 yet");
  });

  it("shows the dark spend on the week's coverage, by API and on the page", async () => {
    const viewer = await signIn(app.url, "viewer@example.com", DEMO_PASSWORD);
    const c = await callJson<{ darkSpend: { lines: number; totalCost: string; groups: { provider: string; model: string | null; days: number; totalCost: string }[] } }>(
      viewer,
      "GET",
      "/api/v1/coverage?week=2025-W07",
    );
    expect(c.status).toBe(200);
    expect(c.body.darkSpend).toEqual({
      lines: 2,
      totalCost: "12.75",
      groups: [
        { provider: "anthropic", model: "claude-opus-4-20250514", days: 1, totalCost: "10" },
        { provider: "openai", model: "o3-2025-04-16", days: 1, totalCost: "2.75" },
      ],
    });
    const page = await (await viewer.fetch("/coverage/2025-W07")).text();
    expect(page).toContain("Dark spend: $12.75 on 2 day × model lines");
    expect(await (await viewer.fetch("/coverage/2025-W05")).text()).toMatch(/No dark spend(?![^<]*\$0\.00)/);
    const empty = await callJson<{ darkSpend: { lines: number; totalCost: string } }>(viewer, "GET", "/api/v1/coverage?week=2025-W05");
    expect(empty.body.darkSpend).toEqual({ lines: 0, totalCost: "0", groups: [] });
  });
});
