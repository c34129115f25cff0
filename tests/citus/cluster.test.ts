// The event store on a real three-node Citus cluster (coordinator and two workers on this machine, from
// ../shared/citus; run by scripts/test-citus.sh). Ingest goes through the coordinator, as the app's does,
// while the cluster changes under it: a third worker is added and the shards rebalanced onto it, or a
// worker is killed with SIGKILL and started again. Every event must be stored exactly once, with the exact
// cost sum, and a batch the cluster refused must have left nothing behind.
import Decimal from "decimal.js";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, createHandles, setHandles } from "@/lib/db/client";
import { ingestEvents } from "@/lib/ingest/store-events";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { addWorker, alive, dropOnWorker, killNode, query, restartCluster } from "../support/citus";

let db: TestDatabase;
let pool: pg.Pool;
const extraWorkers: number[] = [];

beforeAll(async () => {
  db = await createTestDatabase("citus_cluster");
  if (db.kind !== "citus") throw new Error("These tests need TEST_DATABASE_URL to name a Citus coordinator (scripts/test-citus.sh starts one).");
  pool = new pg.Pool({ connectionString: db.url, max: 8 });
  // The price book and its cache read through the app's handles.
  setHandles(createHandles(db.url, 2));
});

afterAll(async () => {
  await closeDb();
  await pool?.end();
  for (const port of extraWorkers) await dropOnWorker(db.url, port).catch(() => undefined);
  await db?.drop();
});

/** A batch of events with billed costs (exact decimals with up to 9 places), each for its own request. */
function batch(prefix: string, b: number, size: number): { events: Record<string, unknown>[]; sum: Decimal } {
  let sum = new Decimal(0);
  const events = Array.from({ length: size }, (_, i) => {
    const n = b * size + i;
    const cost = new Decimal(1 + ((n * 7919) % 100_000)).div(1e9).plus(n % 3 === 0 ? "0.01" : "0");
    sum = sum.plus(cost);
    return {
      id: `${prefix}-${n}`,
      timestamp: new Date(Date.UTC(2026, 9, 1 + (n % 28), n % 24, n % 60)).toISOString(),
      // Two events per request, on whichever worker holds the request; every third names no endpoint
      // (unattributed spend, stored all the same).
      requestId: `${prefix}-r${Math.floor(n / 2)}`,
      endpoint: n % 3 === 1 ? undefined : "chat.answer",
      provider: "openai",
      model: "gpt-4o-mini",
      usage: { inputTokens: 100 + (n % 50), outputTokens: 10 },
      costUsd: cost.toFixed(),
    };
  });
  return { events, sum };
}

type Outcome = { batch: number; ids: string[]; error: string };

/** Errors a worker that is down, restarting or having its shards moved answers with. */
const TRANSIENT = /SSL SYSCALL|EOF detected|server closed|socket|connect|connection|terminat|shut ?down|recovery|not accepting|could not|timeout|canceling|ECONNRE|EPIPE|closed|placement|shard|metadata|lock|deadlock|retry|serializ|2PC|prepared/i;

/**
 * Clients that send `batches` batches through the coordinator, each retried until it is stored. A failed
 * attempt is recorded; `gate` (when set) holds retries back until the test lets them go.
 */
async function ingestLoop(opts: {
  prefix: string;
  batches: number;
  /** keep sending batches past `batches` while this says so */
  more?: () => boolean;
  size: number;
  clients: number;
  failures: Outcome[];
  gate?: () => Promise<void>;
  onBatch?: (n: number) => void;
}): Promise<{ total: Decimal; batches: number }> {
  let next = 0;
  let done = 0;
  let total = new Decimal(0);
  const take = () => (next < opts.batches || opts.more?.() ? next++ : -1);
  const client = async () => {
    for (let b = take(); b >= 0; b = take()) {
      const { events, sum } = batch(opts.prefix, b, opts.size);
      for (let attempt = 1; ; attempt++) {
        try {
          const r = await ingestEvents(events, { db: pool });
          expect(r.rejected).toEqual([]);
          break;
        } catch (err) {
          opts.failures.push({ batch: b, ids: events.map((e) => String(e.id)), error: (err as Error).message });
          // Only what a cluster change can cause is retried; anything else is a bug and fails the test.
          if (attempt > 200 || !TRANSIENT.test((err as Error).message)) throw err;
          if (opts.gate) await opts.gate();
          await new Promise((r) => setTimeout(r, 100 * Math.min(attempt, 10)));
        }
      }
      total = total.plus(sum);
      opts.onBatch?.(++done);
    }
  };
  await Promise.all(Array.from({ length: opts.clients }, client));
  return { total, batches: done };
}

async function stored(prefix: string): Promise<{ rows: number; ids: number; ledger: number; sum: string }> {
  const { rows } = await pool.query<{ rows: number; ids: number; ledger: number; sum: string }>(
    `SELECT (SELECT count(*)::int FROM cost_events WHERE id LIKE $1) AS rows,
            (SELECT count(DISTINCT id)::int FROM cost_events WHERE id LIKE $1) AS ids,
            (SELECT count(*)::int FROM event_ids WHERE id LIKE $1) AS ledger,
            (SELECT coalesce(sum(cost_usd), 0)::text FROM cost_events WHERE id LIKE $1) AS sum`,
    [`${prefix}-%`],
  );
  return rows[0]!;
}

const waitFor = async (cond: () => boolean, ms: number, what: string) => {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe("the event store on a Citus cluster", () => {
  it("is distributed as docs/scaling.md says: per-request data co-located by request, the ledger by event id", async () => {
    const { rows } = await pool.query<{ table_name: string; citus_table_type: string; distribution_column: string; colocation_id: number }>(
      "SELECT table_name::text, citus_table_type, distribution_column, colocation_id FROM citus_tables ORDER BY 1",
    );
    const by = new Map(rows.map((r) => [r.table_name, r]));
    expect(by.get("cost_events")).toMatchObject({ citus_table_type: "distributed", distribution_column: "request_key" });
    for (const t of ["request_facts", "gpu_allocations", "rollup_dirty_requests"]) {
      expect(by.get(t), t).toMatchObject({ citus_table_type: "distributed", distribution_column: "request_id", colocation_id: by.get("cost_events")!.colocation_id });
    }
    // The daily rollups' pending list, next to the events it names.
    expect(by.get("rollup_pending_events")).toMatchObject({
      citus_table_type: "distributed",
      distribution_column: "request_key",
      colocation_id: by.get("cost_events")!.colocation_id,
    });
    expect(by.get("event_ids")).toMatchObject({ citus_table_type: "distributed", distribution_column: "id" });
    expect(by.get("event_ids")!.colocation_id).not.toBe(by.get("cost_events")!.colocation_id);
    for (const t of ["users", "endpoints", "features", "teams", "cohorts", "price_entries", "contracts", "settings", "weekly_stats", "daily_costs"]) {
      expect(by.get(t)?.citus_table_type, t).toBe("reference");
    }
    // The outbox stays on the coordinator, where FOR UPDATE SKIP LOCKED holds.
    expect(by.get("outbox")?.citus_table_type).toBe("local");
    // Every table of the schema is known to Citus: none was left behind as a coordinator-only table.
    const local = await pool.query<{ t: string }>(
      `SELECT c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> '_cost_review_migrations'
         AND NOT EXISTS (SELECT 1 FROM pg_dist_partition p WHERE p.logicalrelid = c.oid)`,
    );
    expect(local.rows.map((r) => r.t)).toEqual([]);
  });

  it("stores every event exactly once, with the exact cost sum, while a third worker is added and the shards rebalanced onto it", { timeout: 600_000 }, async () => {
    const prefix = "rebal";
    const failures: Outcome[] = [];
    let batchesDone = 0;
    let rebalanced = false;
    const ingest = ingestLoop({
      prefix,
      batches: 20,
      // Keep ingesting until the rebalance is over, so it runs entirely under load.
      more: () => !rebalanced,
      size: 250,
      clients: 3,
      failures,
      onBatch: (n) => (batchesDone = n),
    });
    const rebalance = (async () => {
      await waitFor(() => batchesDone >= 5, 120_000, "ingest to start");
      const port = await addWorker(db.url);
      extraWorkers.push(port);
      await pool.query("SELECT citus_rebalance_start()");
      await pool.query("SELECT citus_rebalance_wait()");
      rebalanced = true;
      return { port, during: batchesDone };
    })();
    const [{ total, batches }, { port, during }] = await Promise.all([ingest, rebalance]);
    // The rebalance finished while batches were still being sent.
    expect(during).toBeLessThan(batches);
    console.log(`rebalance: ${batches} batches of 250 from 3 clients, the move done after ${during}; ${failures.length} attempts refused during it`);
    const placed = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM citus_shards WHERE nodeport = $1", [port]);
    expect(placed.rows[0]!.n).toBeGreaterThan(0);
    const status = await pool.query<{ state: string }>("SELECT state::text FROM citus_rebalance_status() ORDER BY job_id DESC LIMIT 1");
    expect(status.rows[0]?.state).toBe("finished");

    const n = batches * 250;
    const after = await stored(prefix);
    expect({ rows: after.rows, ids: after.ids, ledger: after.ledger }).toEqual({ rows: n, ids: n, ledger: n });
    expect(after.sum).toBe(total.toFixed(12));
  });

  it("refuses the batches in flight when a worker is SIGKILLed, leaving no partial batch, and stores every retry once after it is back", { timeout: 600_000 }, async () => {
    const prefix = "kill";
    const failures: Outcome[] = [];
    let batchesDone = 0;
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const BATCHES = 60;
    const ingest = ingestLoop({
      prefix,
      batches: BATCHES,
      size: 250,
      clients: 3,
      failures,
      onBatch: (n) => (batchesDone = n),
      gate: () => released,
    });
    await waitFor(() => batchesDone >= 5, 120_000, "ingest to start");
    const pids = killNode("worker2");
    await waitFor(() => pids.every((p) => !alive(p)), 30_000, "the killed worker's processes to end");
    // Batches keep coming while the worker is down: every one of them is refused.
    await waitFor(() => failures.length >= 3, 120_000, "batches to be refused");
    restartCluster();
    // Prepared transactions the kill left undecided are settled (commit where the coordinator committed).
    // The coordinator's first use of a connection the kill cut fails once more: try again until it answers.
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        await pool.query("SELECT recover_prepared_transactions()");
        break;
      } catch (err) {
        if (Date.now() > deadline || !TRANSIENT.test((err as Error).message)) throw err;
        await new Promise((r) => setTimeout(r, 500));
      }
    }

    // Each refused batch is in the store entirely or not at all, in both tables.
    const refused = new Map(failures.map((f) => [f.batch, f.ids]));
    for (const [b, ids] of refused) {
      const { rows } = await pool.query<{ events: number; ledger: number }>(
        "SELECT (SELECT count(*)::int FROM cost_events WHERE id = ANY($1::text[])) AS events, (SELECT count(*)::int FROM event_ids WHERE id = ANY($1::text[])) AS ledger",
        [ids],
      );
      expect([0, ids.length], `batch ${b}`).toContain(rows[0]!.events);
      expect(rows[0]!.ledger, `batch ${b}`).toBe(rows[0]!.events);
    }
    expect(failures.length).toBeGreaterThanOrEqual(3);
    const whole = [...refused.keys()].length;
    console.log(`kill: ${failures.length} attempts refused over ${whole} batches while worker2 was down; none stored in part`);

    release();
    const { total, batches } = await ingest;
    expect(batches).toBe(BATCHES);
    const n = BATCHES * 250;
    const after = await stored(prefix);
    expect({ rows: after.rows, ids: after.ids, ledger: after.ledger }).toEqual({ rows: n, ids: n, ledger: n });
    expect(after.sum).toBe(total.toFixed(12));
    // The worker is a working member again: a query over every shard answers.
    const shards = await query(db.url, "SELECT count(*)::int AS n FROM cost_events");
    expect(shards.rows[0].n).toBeGreaterThanOrEqual(n);
  });
});
