// The schema drift check (`npm run db:check`): prisma/schema.prisma against the SQL migrations applied to
// an empty database. It passes on the committed schema and fails, naming the difference, on edited copies.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareSchemas, introspect, parsePrismaSchema, type DbSchema } from "@/lib/db/schema-drift";
import { createTestDatabase, type TestDatabase } from "../support/database";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "..", "..");
const schemaText = readFileSync(path.join(root, "prisma", "schema.prisma"), "utf8");

let db: TestDatabase;
let live: DbSchema;

beforeAll(async () => {
  db = await createTestDatabase("drift");
  const pool = new pg.Pool({ connectionString: db.url, max: 1 });
  try {
    live = await introspect(pool);
  } finally {
    await pool.end();
  }
});
afterAll(async () => {
  await db.drop();
});

/** The committed schema with one edit (runs of spaces in `from` match any alignment); the edit must apply exactly once. */
function edited(from: string, to: string): string {
  const pattern = new RegExp(from.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/ +/g, "[ \\t]+"), "g");
  expect(schemaText.match(pattern)?.length ?? 0, `"${from}" occurs once in schema.prisma`).toBe(1);
  return schemaText.replace(pattern, () => to);
}

const drift = (text: string) => compareSchemas(parsePrismaSchema(text), live);

describe("the schema drift check", () => {
  it("finds no difference between the committed schema and the migrations", () => {
    expect(drift(schemaText)).toEqual([]);
    // It did look: every table the migrations made is there, and the models cover them.
    expect(live.tables.map((t) => t.name)).toEqual(expect.arrayContaining(["users", "cost_events", "review_items", "weekly_model_stats"]));
    expect(parsePrismaSchema(schemaText).models.length).toBe(live.tables.length - 1); // less the migrator's own table
  });

  it.each([
    ["a renamed column", ['passwordHash          String?                @map("password_hash")', 'passwordHash          String?                @map("password_digest")'], [
      "User (users): column password_hash exists in the migrations but no field maps to it",
      "User (users).passwordHash: no column password_digest in the migrations",
    ]],
    ["a changed type", ['@map("review_threshold_pct") @db.Decimal(6, 2)', '@map("review_threshold_pct") @db.Decimal(8, 2)'], [
      "Endpoint (endpoints).reviewThresholdPct: numeric(8,2) in the Prisma schema but numeric(6,2) in the database",
    ]],
    ["a type without its native annotation", ['  pool String?\n  gpuSeconds Float? @map("gpu_seconds")', '  pool String?\n  gpuSeconds Decimal? @map("gpu_seconds")'], [
      "CostEvent (cost_events).gpuSeconds: numeric(65,30) in the Prisma schema but double precision in the database",
    ]],
    ["a required field that is nullable in SQL", ["  description        String?\n  featureId", "  description        String\n  featureId"], [
      "Endpoint (endpoints).description: required in the Prisma schema but nullable in the database",
    ]],
    ["a different default", ['currency            String    @default("USD")', 'currency            String    @default("EUR")'], [
      "PriceEntry (price_entries).currency: @default(\"EUR\") in the Prisma schema but DEFAULT 'USD'::text in the database",
    ]],
    ["a missing default", ["  disabled              Boolean                @default(false)", "  disabled              Boolean"], [
      "User (users).disabled: the database has a default (false) that the Prisma schema does not declare",
    ]],
    // Roles are checked text since migration 0024: an enum declared for them is a type the database lacks.
    ["an enum the migrations do not have", ['  name         String\n  /// admin | owner | finance | viewer (a CHECK; lib/auth/permissions.ts ROLES)\n  role         String    @default("viewer")', '  name         String\n  role         Role      @default(viewer)'], [
      'enum Role: no type "Role" in the database',
      "User (users).role: enum Role in the Prisma schema but text in the database",
    ]],
    ["a unique constraint the SQL does not have", ["  version        String\n", "  version        String                 @unique\n"], [
      "Release (releases): unique (version) in the Prisma schema but no such unique index in the database",
    ]],
    ["a unique constraint left out", ['  @@unique([week, endpoint, model], map: "weekly_model_stats_key")\n', ""], [
      "WeeklyModelStat (weekly_model_stats): unique index weekly_model_stats_key (week, endpoint, model) in the database is not declared in the Prisma schema",
    ]],
    ["an index the SQL does not have", ["  @@index([shippedAt])\n", "  @@index([createdAt])\n"], [
      "Release (releases): index (created_at) in the Prisma schema but no such index in the database",
    ]],
    ["a different primary key", ["  @@id([pool, hour])\n", "  @@id([pool, hour, status])\n"], [
      "GpuPoolHour (gpu_pool_hours): primary key (pool, hour, status) in the Prisma schema but (pool, hour) in the database",
    ]],
    ["a table without a model", ['model RollupDirtyRequest {\n  requestId String @id @map("request_id")\n\n  @@map("rollup_dirty_requests")\n}\n', ""], [
      "table rollup_dirty_requests exists in the migrations but no model maps to it (model it, or add it to SQL_ONLY_TABLES with a reason)",
    ]],
  ] as const)("fails on %s", (_name, [from, to], expected) => {
    const text = edited(from, to);
    expect(drift(_name === "an enum the migrations do not have" ? `${text}\nenum Role {\n  admin\n  viewer\n}\n` : text)).toEqual(expected);
  });

  it("runs as `npm run db:check`: exit 0 on the committed schema, 1 with the difference on an edited copy", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "db-check-"));
    try {
      const copy = path.join(dir, "schema.prisma");
      writeFileSync(copy, edited('@map("review_threshold_pct") @db.Decimal(6, 2)', '@map("review_threshold_pct") @db.Decimal(6, 3)'));
      const script = path.join(root, "scripts", "db-check.ts");
      // One after the other: each starts its own embedded database and applies every migration.
      const ok = await run(process.execPath, ["--import", "tsx", script], { cwd: root });
      const bad = await run(process.execPath, ["--import", "tsx", script, "--schema", copy], { cwd: root }).then(
        () => null,
        (err: { code?: number; stderr?: string }) => err,
      );
      expect(ok.stdout).toMatch(/agrees with the \d+ migrations/);
      expect(bad?.code).toBe(1);
      expect(bad?.stderr).toContain("Endpoint (endpoints).reviewThresholdPct: numeric(6,3) in the Prisma schema but numeric(6,2) in the database");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
