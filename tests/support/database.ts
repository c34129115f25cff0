// Test databases: a fresh database on the PostgreSQL server in TEST_DATABASE_URL, or a fresh
// in-memory embedded PGlite server when it is unset. Never a mock.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { startEmbedded } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";

export type TestDatabase = { url: string; kind: "postgres" | "embedded"; drop: () => Promise<void> };

function assertLocal(url: string): void {
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(host)) {
    throw new Error(`Refusing to run tests against a non-local database (${host}). TEST_DATABASE_URL must point at this machine.`);
  }
}

export async function createTestDatabase(label: string, opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const server = process.env.TEST_DATABASE_URL;
  let db: TestDatabase;
  if (server) {
    assertLocal(server);
    const name = `cr_test_${label.replace(/[^a-z0-9]/gi, "_").toLowerCase()}_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const u = new URL(server);
    u.pathname = `/${name}`;
    db = {
      url: u.toString(),
      kind: "postgres",
      drop: async () => {
        const c = new pg.Client({ connectionString: server });
        await c.connect();
        // A pool's end() resolves before its connections have closed; give them a moment, so that FORCE only
        // ends connections someone left open (a closing one it ends answers its client with an error).
        for (let i = 0; i < 40; i++) {
          const { rows } = await c.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1", [name]);
          if (rows[0]!.n === 0) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await c.end();
      },
    };
  } else {
    const e = await startEmbedded("memory://");
    db = { url: e.url, kind: "embedded", drop: e.stop };
  }
  if (opts.migrate !== false) {
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    await migrate(pool);
    await pool.end();
  }
  return db;
}
