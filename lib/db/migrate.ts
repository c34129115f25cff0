// Applies the committed SQL migrations in prisma/migrations, in name order, each in its own
// transaction, recording name and checksum. Safe to run concurrently (advisory lock) and at every start.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import type pg from "pg";
import { env, projectRoot } from "@/lib/env";

export type Migration = { name: string; sql: string; checksum: string };
export type MigrationStatus = {
  applied: string[];
  pending: string[];
  /** Applied migrations whose file changed after they were applied, or that no longer exist. */
  drifted: string[];
};

const LOCK_KEY = 7_318_201_455; // arbitrary, constant: serialises migrators on one database
const TABLE = "_cost_review_migrations";

export function migrationsDir(): string {
  return path.join(projectRoot(), "prisma", "migrations");
}

export function readMigrations(dir = migrationsDir()): Migration[] {
  if (!existsSync(/*turbopackIgnore: true*/ dir)) throw new Error(`No migrations directory at ${dir}`);
  return readdirSync(/*turbopackIgnore: true*/ dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(/*turbopackIgnore: true*/ path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(/*turbopackIgnore: true*/ path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

async function ensureTable(client: pg.PoolClient | pg.Pool): Promise<void> {
  await client.query(
    `CREATE TABLE IF NOT EXISTS ${TABLE} (
       name TEXT PRIMARY KEY,
       checksum TEXT NOT NULL,
       applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
  );
}

export async function migrationStatus(pool: pg.Pool, migrations = readMigrations()): Promise<MigrationStatus> {
  const exists = await pool.query<{ present: boolean }>(`SELECT to_regclass('${TABLE}') IS NOT NULL AS present`);
  const rows = exists.rows[0]?.present
    ? (await pool.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM ${TABLE} ORDER BY name`)).rows
    : [];
  const byName = new Map(rows.map((r) => [r.name, r.checksum]));
  const files = new Map(migrations.map((m) => [m.name, m.checksum]));
  return {
    applied: rows.map((r) => r.name),
    pending: migrations.filter((m) => !byName.has(m.name)).map((m) => m.name),
    drifted: rows.filter((r) => files.get(r.name) !== r.checksum).map((r) => r.name),
  };
}

export async function migrate(pool: pg.Pool, migrations = readMigrations()): Promise<string[]> {
  const applied: string[] = [];
  const client = await pool.connect();
  try {
    // One migrator at a time per database: a second one waits here, then finds nothing left to do.
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    // The layout the distribution migration (0025_citus_layout) reads: auto, citus or single.
    await client.query("SELECT set_config('cost_review.layout', $1, false)", [env().COST_REVIEW_DB_LAYOUT]);
    await ensureTable(client);
    const done = new Map(
      (await client.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM ${TABLE}`)).rows.map((r) => [r.name, r.checksum]),
    );
    for (const m of migrations) {
      const checksum = done.get(m.name);
      if (checksum !== undefined) {
        if (checksum !== m.checksum) {
          throw new Error(`Migration ${m.name} was changed after it was applied. Add a new migration instead of editing an applied one.`);
        }
        continue;
      }
      await client.query("BEGIN");
      try {
        // Look again inside the transaction: on the embedded server every connection shares one session,
        // so the advisory lock above does not keep two migrators apart there, but transactions do.
        const again = await client.query(`SELECT 1 FROM ${TABLE} WHERE name = $1`, [m.name]);
        if (again.rowCount) {
          await client.query("COMMIT");
          continue;
        }
        await client.query(m.sql);
        await client.query(`INSERT INTO ${TABLE} (name, checksum) VALUES ($1, $2)`, [m.name, m.checksum]);
        await client.query("COMMIT");
        applied.push(m.name);
      } catch (err) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw err instanceof Error ? new Error(`Migration ${m.name} failed: ${err.message}`) : err;
      }
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]).catch(() => undefined);
    client.release();
  }
  return applied;
}
