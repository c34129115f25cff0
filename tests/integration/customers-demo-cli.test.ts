// The demo's customers and revenue (lib/demo/generate-revenue.ts) as the customer APIs show them, and
// `cost-review revenue import FILE.csv` run as a person runs it, straight into the database.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Decimal from "decimal.js";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/generate-org";
import type { CustomerList, MarginOverview } from "@/lib/customers/margin";
import { lastCompleteMonth } from "@/lib/finance/months";
import { callJson, signIn } from "../support/http";

const root = path.resolve(import.meta.dirname, "..", "..");
const baseUrl = inject("baseUrl");
const db = new pg.Pool({ connectionString: inject("databaseUrl"), max: 1 });
const dir = mkdtempSync(path.join(tmpdir(), "cost-review-revenue-"));

afterAll(async () => {
  await db.end();
  rmSync(dir, { recursive: true, force: true });
});

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(root, "bin", "cost-review.mjs"), ...args], { cwd: root, env: { ...process.env, DATABASE_URL: inject("databaseUrl") } }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

describe("the demo's customers", () => {
  it("are a few large and a few hundred small, with revenue for paid plans only and Acme clearly under water", async () => {
    const finance = await signIn(baseUrl, "finance@example.com", DEMO_PASSWORD);
    const admin = await signIn(baseUrl, "admin@example.com", DEMO_PASSWORD);
    const tz = (await callJson<{ timezone: string }>(admin, "GET", "/api/v1/settings/review")).body.timezone;
    const month = lastCompleteMonth(new Date(), tz);
    const all = await callJson<CustomerList>(finance, "GET", `/api/v1/customers?month=${month}&pageSize=500`);
    expect(all.status).toBe(200);
    expect(all.body.total).toBeGreaterThan(150);
    expect(all.body.total).toBeLessThanOrEqual(309);
    const byId = new Map(all.body.lines.map((l) => [l.customerId, l]));
    // Free customers pay nothing: no revenue, so no margin (never 100 %).
    const free = all.body.lines.filter((l) => l.customerId.startsWith("free-"));
    expect(free.length).toBeGreaterThan(50);
    expect(free.every((l) => l.revenue === null && l.marginPct === null)).toBe(true);
    expect(all.body.lines.filter((l) => l.customerId.startsWith("pro-")).every((l) => l.revenue !== null)).toBe(true);
    const acme = byId.get("acme")!;
    expect(acme.name).toBe("Acme Corp");
    expect(acme.underWater).toBe(true);
    expect(new Decimal(acme.cost).div(acme.revenue!).toNumber()).toBeGreaterThan(1.3);
    expect(all.body.lines[0]!.underWater).toBe(true);
    // The top cost is carried by a few customers.
    const overview = await callJson<MarginOverview>(finance, "GET", `/api/v1/margin?month=${month}`);
    expect(overview.status).toBe(200);
    expect(Number(overview.body.heaviest.top10PctShare)).toBeGreaterThan(30);
    expect(overview.body.organisation.revenue).not.toBeNull();
    // Globex's revenue is per feature, so features have revenue to show.
    expect(overview.body.byFeature.some((f) => f.key === "chat" && f.revenue !== null)).toBe(true);
  });
});

describe("cost-review revenue import", () => {
  it("names a refused row by its file line and stores nothing, then imports a good file and warns of unknown ids", async () => {
    const bad = path.join(dir, "bad.csv");
    writeFileSync(bad, "month,customer_id,amount_usd\n2025-03,pro-001,10\n\n2025-03,pro-002,ten\n");
    const refused = await cli(["revenue", "import", bad]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("line 4, amountUsd");
    expect((await db.query("SELECT 1 FROM customer_revenue WHERE month = '2025-03-01'")).rowCount).toBe(0);

    const good = path.join(dir, "good.csv");
    writeFileSync(good, "customerId,amountUsd,month,feature\npro-001,10.125,2025-03,\npro-002,4,2025-03,chat\nnobody-xyz,1,2025-03,\n");
    const ok = await cli(["revenue", "import", good]);
    expect(ok.stderr).toContain("nobody-xyz");
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("Saved 3 revenue rows for 2025-03: $15.125 in all.");
    const rows = await db.query<{ customer_id: string; feature: string; amount_usd: string }>(
      "SELECT customer_id, feature, amount_usd::text FROM customer_revenue WHERE month = '2025-03-01' ORDER BY customer_id",
    );
    expect(rows.rows.map((r) => [r.customer_id, r.feature, new Decimal(r.amount_usd).toFixed()])).toEqual([
      ["nobody-xyz", "", "1"],
      ["pro-001", "", "10.125"],
      ["pro-002", "chat", "4"],
    ]);
    const usage = await cli(["revenue", "import"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("revenue import takes one FILE");
  });
});
