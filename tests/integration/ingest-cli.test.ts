// `cost-review ingest FILE`, run as a person runs it: over HTTP into the running app (--url, --key)
// and straight into the database (DATABASE_URL), with a small CSV that has one bad row.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Decimal from "decimal.js";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/generate-org";
import { signIn } from "../support/http";

const root = path.resolve(import.meta.dirname, "..", "..");
const baseUrl = inject("baseUrl");
const db = new pg.Pool({ connectionString: inject("databaseUrl"), max: 1 });
const run = `cli${Date.now()}`;
const dir = mkdtempSync(path.join(tmpdir(), "cost-review-ingest-"));
let key: string;

type Result = { code: number; stdout: string; stderr: string };

function cli(args: string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(root, "bin", "cost-review.mjs"), ...args], { cwd: root, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** The fixture with its ids and request ids made unique to one test, written to a temporary file. */
function fixtureCopy(prefix: string, name = "events.csv"): string {
  const text = readFileSync(path.join(root, "tests", "fixtures", "events-small.csv"), "utf8").replaceAll("fixture-", `${prefix}-`);
  const file = path.join(dir, `${prefix}-${name}`);
  writeFileSync(file, text);
  return file;
}

beforeAll(async () => {
  const admin = await signIn(baseUrl, "admin@example.com", DEMO_PASSWORD);
  const res = await admin.fetch("/api/v1/api-keys", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name: "cli ingest test", scope: "ingest" }) });
  key = ((await res.json()) as { key: string }).key;
});
afterAll(async () => {
  await db.end();
  rmSync(dir, { recursive: true, force: true });
});

async function expectGoodRowsStored(prefix: string) {
  const { rows } = await db.query("SELECT id, cost_usd::text, cost_source, feature, latency_ms FROM cost_events WHERE id LIKE $1 ORDER BY id", [`${prefix}-%`]);
  expect(rows.map((r) => r.id)).toEqual([`${prefix}-1`, `${prefix}-2`, `${prefix}-4`]);
  const byId = Object.fromEntries(rows.map((r) => [r.id.slice(prefix.length + 1), r]));
  // gpt-4o-mini: 1000 uncached input at $0.15, 200 cached at $0.075, 300 output at $0.60 per million tokens.
  expect(new Decimal(byId["1"].cost_usd).equals(new Decimal(1000).mul("0.15").add(new Decimal(200).mul("0.075")).add(new Decimal(300).mul("0.60")).div(1e6))).toBe(true);
  expect(byId["1"]).toMatchObject({ cost_source: "estimated", feature: "chat", latency_ms: 812 });
  expect(byId["2"]).toMatchObject({ cost_source: "billed" });
  expect(new Decimal(byId["2"].cost_usd).equals("0.0125")).toBe(true);
  // claude-haiku-4-5: 500 input at $1, 100 output at $5 per million tokens.
  expect(new Decimal(byId["4"].cost_usd).equals("0.001")).toBe(true);
}

function expectBadRowReported(out: Result, prefix: string) {
  expect(out.code, out.stderr).toBe(1);
  expect(out.stdout).toMatch(new RegExp(`line 4 \\(id ${prefix}-3\\): inputTokens: inputTokens must be a number, got the string "12k"`));
}

describe("cost-review ingest --url (over HTTP)", () => {
  const prefix = `${run}-http`;

  it("stores the good rows, prints the bad row's line and field, exits 1; a second run counts duplicates", async () => {
    const file = fixtureCopy(prefix);
    const first = await cli(["ingest", file, "--url", baseUrl, "--key", key]);
    expectBadRowReported(first, prefix);
    expect(first.stdout).toMatch(/4 rows.*3 accepted, 0 duplicates \(already stored\), 0 unpriced, 1 rejected/);
    expect(first.stderr).toMatch(/batch 1\/1: 4\/4 rows sent/);
    await expectGoodRowsStored(prefix);

    const second = await cli(["ingest", file, "--url", `${baseUrl}/api/v1/events`, "--batch", "2"], { COST_REVIEW_API_KEY: key });
    expectBadRowReported(second, prefix);
    expect(second.stdout).toMatch(/0 accepted, 3 duplicates \(already stored\), 0 unpriced, 1 rejected/);
    expect(second.stderr).toMatch(/batch 2\/2: 4\/4 rows sent/);
    await expectGoodRowsStored(prefix);
  });

  it("exits 0 for an NDJSON file whose rows are all accepted", async () => {
    const file = path.join(dir, `${run}-good.ndjson`);
    const ev = (n: number) => JSON.stringify({ id: `${run}-nd-${n}`, timestamp: "2026-10-05T10:00:00Z", requestId: `${run}-nd`, provider: "openai", model: "gpt-4o-mini", usage: { inputTokens: 10 } });
    writeFileSync(file, `${ev(1)}\n\n${ev(2)}\n`);
    const out = await cli(["ingest", file, "--url", baseUrl, "--key", key]);
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toMatch(/2 accepted/);
    expect(out.stdout).not.toMatch(/Rejected rows/);
  });

  it("says so when the key is refused, without retrying", async () => {
    const out = await cli(["ingest", fixtureCopy(`${run}-nokey`), "--url", baseUrl, "--key", "cr_ingest_wrong"]);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/refused the batch \(401\).*API key is not valid/);
    expect(out.stderr).not.toMatch(/retrying/);
  });

  it("refuses a file whose header names an unknown column, naming it", async () => {
    const file = path.join(dir, `${run}-badheader.csv`);
    writeFileSync(file, "id,timestamp,tokens\nx,2026-10-05T10:00:00Z,5\n");
    const out = await cli(["ingest", file, "--url", baseUrl, "--key", key]);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/unknown column "tokens"/);
  });
});

describe("cost-review ingest (straight into the database)", () => {
  const prefix = `${run}-direct`;

  it("stores the good rows, prints the bad row's line and field, exits 1; a second run counts duplicates", async () => {
    const env = { DATABASE_URL: inject("databaseUrl") };
    const file = fixtureCopy(prefix);
    const first = await cli(["ingest", file], env);
    expectBadRowReported(first, prefix);
    expect(first.stdout).toMatch(/3 accepted, 0 duplicates/);
    expect(first.stdout).toMatch(/sending to the database/);
    await expectGoodRowsStored(prefix);

    const second = await cli(["ingest", file], env);
    expectBadRowReported(second, prefix);
    expect(second.stdout).toMatch(/0 accepted, 3 duplicates/);
    await expectGoodRowsStored(prefix);
  });
});
