// The benchmark's own database: created fresh on the configured server, migrated, dropped at the end.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createApiKey } from "@/lib/auth/api-keys";
import { closeDb, createHandles, setHandles } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";

export type BenchDatabase = { url: string; name: string; drop: () => Promise<void> };

export async function createBenchDatabase(serverUrl: string): Promise<BenchDatabase> {
  const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const name = `cr_bench_${stamp}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
  return {
    url,
    name,
    drop: async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** An API key in the benchmark database, created directly (not over HTTP), for a section's requests. */
export async function createBenchKey(databaseUrl: string, name: string, scope: "ingest" | "admin"): Promise<string> {
  setHandles(createHandles(databaseUrl, 1));
  try {
    return (await createApiKey({ name, scope }, { label: "bench" })).key;
  } finally {
    await closeDb();
  }
}
