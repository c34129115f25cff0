// The Citus cluster the Citus tests run on: started by `scripts/test-citus.sh` from ../shared/citus
// (cluster.sh: a coordinator and two workers on this machine). These helpers add a third worker to one
// test database and stop a worker the hard way, as the rebalancing and crash tests need.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";

/** cluster.sh (CITUS_CLUSTER overrides where it is). */
export function clusterScript(): string {
  return process.env.CITUS_CLUSTER ?? path.resolve(import.meta.dirname, "../../../shared/citus/cluster.sh");
}

/** Where cluster.sh keeps the nodes' data (CITUS_DIR, as cluster.sh reads it). */
export function clusterDir(): string {
  return process.env.CITUS_DIR ?? "/tmp/citus-cluster";
}

export function cluster(...args: string[]): string {
  return execFileSync("bash", [clusterScript(), ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

function urlOn(url: string, port: number, database?: string): string {
  const u = new URL(url);
  u.port = String(port);
  if (database !== undefined) u.pathname = `/${database}`;
  return u.toString();
}

export async function query(url: string, sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await c.query(sql, params);
  } finally {
    await c.end();
  }
}

/**
 * Starts the third worker (cluster.sh add), creates the test database on it with the extension, and adds
 * it to that database's cluster. Returns its port. Only this database sees the new node.
 */
export async function addWorker(dbUrl: string): Promise<number> {
  const port = Number(cluster("add").split("\n").pop());
  const name = new URL(dbUrl).pathname.slice(1);
  const exists = await query(urlOn(dbUrl, port, "postgres"), "SELECT 1 FROM pg_database WHERE datname = $1", [name]);
  if (!exists.rowCount) await query(urlOn(dbUrl, port, "postgres"), `CREATE DATABASE "${name}"`);
  await query(urlOn(dbUrl, port, name), "CREATE EXTENSION IF NOT EXISTS citus");
  await query(dbUrl, "SELECT citus_add_node('127.0.0.1', $1)", [port]);
  return port;
}

/** Drops the test database on the third worker (the test database's own drop knows only the first two). */
export async function dropOnWorker(dbUrl: string, port: number): Promise<void> {
  const name = new URL(dbUrl).pathname.slice(1);
  await query(urlOn(dbUrl, port, "postgres"), `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

/** The pids of a node's postmaster and of every process it started. */
function nodeProcesses(node: string): number[] {
  const pid = Number(readFileSync(path.join(clusterDir(), node, "postmaster.pid"), "utf8").split("\n")[0]);
  const children = execFileSync("pgrep", ["-P", String(pid)], { encoding: "utf8" }).split("\n").filter(Boolean).map(Number);
  return [pid, ...children];
}

/** SIGKILLs a node's postmaster and all its backends at once: the machine it runs on is gone. */
export function killNode(node: string): number[] {
  const pids = nodeProcesses(node);
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
  return pids;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts whatever node of the cluster is down (cluster.sh start is idempotent); PostgreSQL recovers from its WAL. */
export function restartCluster(): void {
  cluster("start");
}
