// Test databases: a fresh database on the PostgreSQL server in TEST_DATABASE_URL, or a fresh
// in-memory embedded PGlite server when it is unset. Never a mock.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { startEmbedded } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";

export type TestDatabase = { url: string; kind: "postgres" | "citus" | "embedded"; drop: () => Promise<void> };

type Node = { host: string; port: number };

/**
 * The workers of the Citus cluster whose coordinator TEST_DATABASE_URL names (its maintenance database's
 * node list, as `../shared/citus/cluster.sh start` sets it up), or null for a plain PostgreSQL server.
 */
async function citusWorkers(admin: pg.Client): Promise<Node[] | null> {
  const { rows } = await admin.query<{ present: boolean }>("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') AS present");
  if (!rows[0]!.present) return null;
  const nodes = await admin.query<{ host: string; port: number }>(
    "SELECT nodename AS host, nodeport AS port FROM pg_dist_node WHERE groupid <> 0 AND noderole = 'primary' AND isactive ORDER BY nodeport",
  );
  return nodes.rows;
}

async function onNode(server: string, node: Node, sql: string[], database?: string): Promise<void> {
  const u = new URL(server);
  u.hostname = node.host;
  u.port = String(node.port);
  if (database) u.pathname = `/${database}`;
  const c = new pg.Client({ connectionString: u.toString() });
  // Citus reports why a connection to a worker failed in a WARNING before its bare "failure on connection
  // marked as essential" error; keep it, so the error says what happened.
  const warnings: string[] = [];
  c.on("notice", (n) => {
    if (n.severity === "WARNING") warnings.push([n.message, n.detail].filter(Boolean).join(": "));
  });
  await c.connect();
  try {
    for (const q of sql) {
      try {
        await c.query(q);
      } catch (e) {
        const why = warnings.length ? ` (${warnings.join("; ")})` : "";
        throw new Error(`${node.host}:${node.port}${database ? `/${database}` : ""}: ${q}: ${(e as Error).message}${why}`, { cause: e });
      }
    }
  } finally {
    await c.end();
  }
}

/**
 * A database on a Citus cluster: Citus keeps its metadata per database and does not create databases on
 * the workers, so it is created on every node, with the extension, and the workers are added to it on the
 * coordinator (what `cluster.sh db NAME` does). Tests use TEST_CITUS_SHARDS shards per table (default 4:
 * two per worker, so queries still span shards and workers) where production keeps Citus's 32.
 */
async function createOnCluster(server: string, name: string, workers: Node[], shards: number): Promise<void> {
  const u = new URL(server);
  const coordinator = { host: u.hostname, port: Number(u.port || 5432) };
  for (const w of workers) await onNode(server, w, [`CREATE DATABASE "${name}"`]);
  for (const w of workers) await onNode(server, w, ["SET client_min_messages = warning", "CREATE EXTENSION IF NOT EXISTS citus"], name);
  await onNode(server, coordinator, [`ALTER DATABASE "${name}" SET citus.shard_count = ${Number.isSafeInteger(shards) && shards > 0 ? shards : 32}`]);
  await onNode(
    server,
    coordinator,
    ["SET client_min_messages = warning", "CREATE EXTENSION IF NOT EXISTS citus", `SELECT citus_set_coordinator_host('${coordinator.host}', ${coordinator.port})`],
    name,
  );
  // Adding a worker syncs the new database's metadata to it over a fresh connection, which a busy cluster has
  // refused once in CI; the step is idempotent (a node already in the list is not added again), so it is tried
  // up to three times, each failure with its reason on stderr.
  for (const w of workers) {
    const add = `SELECT citus_add_node('${w.host}', ${w.port}) FROM (SELECT 1) AS one WHERE NOT EXISTS (SELECT 1 FROM pg_dist_node WHERE nodename = '${w.host}' AND nodeport = ${w.port})`;
    for (let attempt = 1; ; attempt++) {
      try {
        await onNode(server, coordinator, [add], name);
        break;
      } catch (e) {
        if (attempt === 3) throw e;
        console.error(`Adding worker ${w.host}:${w.port} to ${name} failed (try ${attempt} of 3), trying again: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, 1000 * attempt));
      }
    }
  }
}

async function dropEverywhere(server: string, name: string, nodes: Node[]): Promise<void> {
  for (const n of nodes) await onNode(server, n, [`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`]);
}

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
    db = await createDatabaseOn(server, `cr_test_${label}`, { migrate: false, shards: Number(process.env.TEST_CITUS_SHARDS ?? 4) });
  } else {
    const e = await startEmbedded("memory://");
    db = { url: e.url, kind: "embedded", drop: e.stop };
  }
  if (opts.migrate !== false) await migrateDatabase(db.url);
  return db;
}

async function migrateDatabase(url: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
}

/**
 * A fresh database `<prefix>_<random>` on the local PostgreSQL server, or on the Citus cluster, whose
 * coordinator `server` names (then on every node, with `shards` shards per distributed table), migrated
 * unless told not to. The tests and the benchmark's Citus section make their databases with it.
 */
export async function createDatabaseOn(server: string, prefix: string, opts: { migrate?: boolean; shards?: number } = {}): Promise<TestDatabase> {
  let db: TestDatabase;
  {
    assertLocal(server);
    const name = `${prefix.replace(/[^a-z0-9]/gi, "_").toLowerCase()}_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    const workers = await citusWorkers(admin);
    await admin.end();
    if (workers) await createOnCluster(server, name, workers, opts.shards ?? 32);
    const u = new URL(server);
    u.pathname = `/${name}`;
    db = {
      url: u.toString(),
      kind: workers ? "citus" : "postgres",
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
        if (workers) await dropEverywhere(server, name, workers);
      },
    };
  }
  if (opts.migrate !== false) await migrateDatabase(db.url);
  return db;
}
