// Migrations on a fresh database, their checksums, concurrent migrators, and the command-line tool.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { migrate, migrationStatus, readMigrations } from "@/lib/db/migrate";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { withKey } from "../support/http";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "..", "..");
const cli = (args: string[], env: Record<string, string>) =>
  run(process.execPath, [path.join(root, "bin", "cost-review.mjs"), ...args], { cwd: root, env: { ...process.env, ...env } });

let fresh: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  fresh = await createTestDatabase("migrations", { migrate: false });
  pool = new pg.Pool({ connectionString: fresh.url, max: 3 });
  // Dropping the database at the end terminates any connection still closing ("terminating connection due to
  // administrator command"): expected then, and nothing else may go unheard.
  pool.on("error", (err: Error & { code?: string }) => {
    if (err.code !== "57P01") throw err;
  });
});
afterAll(async () => {
  await pool.end();
  await fresh.drop();
});

describe("migrations", () => {
  it("apply to an empty database once, even with two migrators at the same time", async () => {
    const files = readMigrations();
    expect((await migrationStatus(pool)).pending).toEqual(files.map((f) => f.name));
    const [a, b] = await Promise.all([migrate(pool), migrate(pool)]);
    expect([...a, ...b].sort()).toEqual(files.map((f) => f.name));
    expect(await migrationStatus(pool)).toEqual({ applied: files.map((f) => f.name), pending: [], drifted: [] });
    expect(await migrate(pool)).toEqual([]);
    const tables = await pool.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
    expect(tables.rows.map((r) => r.t)).toEqual(expect.arrayContaining(["users", "teams", "features", "endpoints", "cohorts", "api_keys", "audit_log"]));
  });

  it("refuse to run when an applied migration was edited", async () => {
    const files = readMigrations();
    const edited = files.map((f, i) => (i === 0 ? { ...f, checksum: "edited" } : f));
    expect((await migrationStatus(pool, edited)).drifted).toEqual([files[0]!.name]);
    await expect(migrate(pool, edited)).rejects.toThrow(/was changed after it was applied/);
  });

  it("roll back a failing migration completely", async () => {
    const bad = [...readMigrations(), { name: "9999_broken", sql: "CREATE TABLE half_done (x int); SELECT * FROM no_such_table;", checksum: "x" }];
    await expect(migrate(pool, bad)).rejects.toThrow(/9999_broken failed/);
    const half = await pool.query("SELECT to_regclass('half_done') AS t");
    expect(half.rows[0].t).toBeNull();
    expect((await migrationStatus(pool, bad)).pending).toEqual(["9999_broken"]);
  });
});

describe("the cost-review command", () => {
  it("creates users and prints an API key once that then works against the app", async () => {
    const env = { DATABASE_URL: inject("databaseUrl") };
    const email = `cli-${Date.now()}@example.com`;
    const out = await cli(["user", "create", "--email", email, "--name", "From CLI", "--role", "owner"], env);
    expect(out.stdout).toMatch(new RegExp(`Created owner ${email}`));
    expect(out.stdout).toMatch(/Password \(shown once\): \S{16}/);

    const keyOut = await cli(["apikey", "create", "--scope", "ingest", "--name", "from cli"], env);
    const key = keyOut.stdout.match(/cr_ingest_[A-Za-z0-9_-]{43}/)?.[0];
    expect(key).toBeDefined();
    const me = await withKey(inject("baseUrl"), key!).fetch("/api/v1/me");
    expect(me.status).toBe(200);

    const audit = await new pg.Pool({ connectionString: env.DATABASE_URL, max: 1 });
    const rows = await audit.query("SELECT action FROM audit_log WHERE actor_label = 'cli' ORDER BY id");
    await audit.end();
    expect(rows.rows.map((r) => r.action)).toEqual(expect.arrayContaining(["user.create", "apikey.create"]));
  });

  it("names the wrong field and exits non-zero on bad input", async () => {
    const err = await cli(["user", "create", "--email", "bad", "--name", "X", "--role", "boss"], { DATABASE_URL: inject("databaseUrl") }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(err).toMatchObject({ code: 1 });
    expect((err as { stderr: string }).stderr).toMatch(/email: email must be a valid email address/);
    expect((err as { stderr: string }).stderr).toMatch(/role: role must be one of/);
  });

  it("migrates and reports status", async () => {
    const db = await createTestDatabase("cli_migrate", { migrate: false });
    try {
      const before = await cli(["migrate", "--status"], { DATABASE_URL: db.url }).catch((e: { code: number; stdout: string }) => e);
      expect(before).toMatchObject({ code: 1 });
      const applied = await cli(["migrate"], { DATABASE_URL: db.url });
      expect(applied.stdout).toMatch(/Applied: 0001_foundation/);
      const after = await cli(["migrate", "--status"], { DATABASE_URL: db.url });
      expect(after.stdout).toMatch(/pending: none/);
    } finally {
      await db.drop();
    }
  });
});
