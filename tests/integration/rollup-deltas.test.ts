// The rollup refresh adds new events to the daily rollups as deltas (rollup_pending_events) and computes
// the facts of new requests from them: the result must be exactly what a full rebuild computes from the
// events. Random batches, through both ingest paths, with refreshes between them and beside them (a batch
// committed while a refresh runs): events out of order, ties on the timestamp, requests that span a month
// boundary in the organisation's time zone, late events that become a request's first of the month,
// customers on some events, batches sent twice. After every scenario each rollup table is compared
// row by row with the full rebuild of the same events. SEED=<n> replays one scenario.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { closeDb, createHandles, setHandles, type Handles } from "@/lib/db/client";
import { pick as pickFrom, seededRandom as random } from "@/lib/demo/random";
import { ingestEvents } from "@/lib/ingest/store-events";
import { refreshRollups } from "@/lib/rollups/refresh-rollups";
import { serverTraits } from "@/lib/db/server";
import type { PendingRead } from "@/lib/rollups/pending-read";
import { createTestDatabase, type TestDatabase } from "../support/database";

let database: TestDatabase;
let handles: Handles;
let db: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase("rollup_deltas");
  handles = createHandles(database.url, 4);
  setHandles(handles);
  db = handles.pool;
  // A zone whose days and months are not UTC's, and an overhead on top.
  await db.query(
    `INSERT INTO settings (key, value, updated_at) VALUES ('timezone', '"America/New_York"', now()), ('overhead', '{"globalPercent": "12.5", "perFeature": {}}', now())
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
  );
  await refreshRollups(db, { full: true });
}, 120_000);
afterAll(async () => {
  await closeDb();
  await database?.drop();
});

const TABLES = [
  ["daily_costs", "day, team, feature, endpoint, cohort, provider, model, pool, cost_source"],
  ["customer_daily", "day, customer_id, feature, cohort"],
  ["customer_monthly", "month, customer_id, feature"],
  ["customer_month_totals", "month, customer_id"],
  ["request_facts", "request_id"],
  ["weekly_stats", "week, endpoint, cohort, endpoint_all, cohort_all"],
  ["weekly_model_stats", "week, endpoint, model"],
  // Who was seen when. Not last_cohort: an incremental refresh keeps the cohort of the batch with the newest
  // event, which differs from the rebuild's when an older event with another cohort arrives late (a known
  // limit, in the README's "Customers and margin").
  ["customers", "id"],
] as const;
/** Columns a table's comparison leaves out: generated ids and timestamps (a customer's id is its key). */
const GENERATED = ["id", "updated_at", "computed_at", "created_at"];
const LEFT_OUT: Record<string, string[]> = { customers: ["updated_at", "last_cohort"] };

/** Every row of every rollup table as text, in key order (generated ids and timestamps left out). */
async function snapshot(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const [table, keys] of TABLES) {
    const { rows: cols } = await db.query<{ c: string }>(
      `SELECT column_name AS c FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name = $1 AND NOT column_name = ANY($2::text[])
       ORDER BY column_name`,
      [table, LEFT_OUT[table] ?? GENERATED],
    );
    const list = cols.map((r) => `"${r.c}"`).join(", ");
    const { rows } = await db.query<{ r: string }>(`SELECT (${list})::text AS r FROM ${table} ORDER BY ${keys}`);
    out[table] = rows.map((r) => r.r);
  }
  return out;
}

type Event = Record<string, unknown>;
const READS = ["scan", "probe"] as const satisfies readonly PendingRead[];

/**
 * A scenario's events: 30 requests over the last days of January and the first of February (New York).
 * `tag` keeps the ids of one test's scenario apart from another's with the same seed (all new events).
 */
function scenario(seed: number, n: number, tag: string): Event[] {
  const rnd = random(seed);
  const pick = <T,>(xs: readonly T[]) => pickFrom(rnd, xs);
  /** One of `xs`, or (a third of the time) no value: an untagged event. */
  const maybe = (xs: readonly string[]) => (rnd() < 1 / 3 ? undefined : pick(xs));
  const base = Date.parse("2026-01-30T12:00:00Z");
  const events: Event[] = [];
  for (let i = 0; i < n; i++) {
    // Ties on purpose: whole minutes, often the same one.
    const ts = new Date(base + Math.floor(rnd() * 5 * 24 * 60) * 60_000 * (rnd() < 0.3 ? 0 : 1)).toISOString();
    const e: Event = {
      id: `${tag}-s${seed}-e${i}-${rnd().toString(36).slice(2, 7)}`,
      timestamp: ts,
      endpoint: maybe(["chat.answer", "search.query"]),
      cohort: maybe(["free", "pro"]),
      provider: pick(["openai", "anthropic"]),
      model: pick(["m-small", "m-large"]),
      usage: { inputTokens: Math.floor(rnd() * 5000), outputTokens: Math.floor(rnd() * 800) },
      costUsd: rnd() < 0.85 ? `0.${String(Math.floor(rnd() * 1e9)).padStart(9, "0")}` : undefined,
      status: rnd() < 0.1 ? "error" : "ok",
      latencyMs: Math.floor(rnd() * 3000),
    };
    e.requestId = `${tag}-s${seed}-r${Math.floor(rnd() * 30)}`;
    if (rnd() < 0.5) e.customerId = pick(["acme", "globex", "initech"]);
    events.push(e);
  }
  return events;
}

/** Ingests a batch by either path; returns how many of its events were new. */
async function ingest(events: Event[], rnd: () => number): Promise<number> {
  const result = await ingestEvents(events, { db, copy: rnd() < 0.5 });
  expect(result.rejected).toEqual([]);
  expect(result.accepted + result.duplicates).toBe(events.length);
  return result.accepted;
}

describe("incremental rollups", () => {
  const seeds = process.env.SEED ? [Number(process.env.SEED)] : [1, 2, 3, 4, 5, 6];
  // Both ways of reading the pending events (a real refresh picks one by the store's size), and the daily
  // deltas computed on a second connection (even seeds; a real refresh does so from 10,000 pending requests
  // on a PostgreSQL server) or on the refresh's own.
  for (const [seed, read] of seeds.flatMap((s) => READS.map((r) => [s, r] as const))) {
    const aside = seed % 2 === 0;
    it(`equal a full rebuild, row for row (seed ${seed}, pending events read by ${read}${aside ? ", daily deltas computed aside" : ""})`, async () => {
      const rnd = random(seed * 7919);
      let asideRuns = 0;
      const refresh = async () => {
        const r = await refreshRollups(db, { waitMs: 30_000, read, aside });
        expect(r.skipped).toBeUndefined();
        if (r.aside) asideRuns++;
      };
      const events = scenario(seed, 240, read);
      let at = 0;
      let accepted = 0;
      while (at < events.length) {
        const batch = events.slice(at, (at += 1 + Math.floor(rnd() * 40)));
        const step = rnd();
        if (step < 0.4) {
          accepted += await ingest(batch, rnd);
        } else if (step < 0.7) {
          accepted += await ingest(batch, rnd);
          await refresh();
        } else {
          // A batch committed while a refresh runs: in this refresh or the next, never in neither or both.
          accepted += (await Promise.all([ingest(batch, rnd), refresh()]))[0];
        }
        // Sometimes a batch sent again: duplicates, nothing added.
        if (rnd() < 0.15) expect(await ingest(batch, rnd)).toBe(0);
      }
      // Every event of the scenario was new (no other test's), and stored once.
      expect(accepted).toBe(events.length);
      await refresh();
      // Computed aside where the server allows it (not the embedded one, not a Citus cluster), and only then.
      const traits = await serverTraits(db);
      expect(asideRuns > 0).toBe(aside && !traits.embedded && !traits.citus);
      expect((await db.query("SELECT count(*)::int AS n FROM rollup_pending_events")).rows[0].n).toBe(0);
      const incremental = await snapshot();
      await refreshRollups(db, { full: true, waitMs: 30_000 });
      const rebuilt = await snapshot();
      for (const [table] of TABLES) expect(incremental[table], table).toEqual(rebuilt[table]);
      // The scenario's figures are in the tables at all (not two empty snapshots).
      expect(rebuilt.daily_costs!.length).toBeGreaterThan(0);
      expect(rebuilt.customer_daily!.length).toBeGreaterThan(0);
    }, 120_000);
  }

  it("computes the daily rows itself when the second connection fails, with the same figures", async () => {
    // A pool whose second connection cannot see the tables (an empty search_path): the refresh takes the
    // first, so the daily rows computed aside fail to read, and the refresh must compute them itself.
    let made = 0;
    const failing = new pg.Pool({ connectionString: database.url, max: 2 });
    failing.on("connect", (c) => void (++made === 2 && c.query("SET search_path = ''")));
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const traits = await serverTraits(failing); // on the first connection
      const allowed = !traits.embedded && !traits.citus;
      const rnd = random(4242);
      let accepted = 0;
      const events = scenario(7, 160, "fails");
      for (let at = 0; at < events.length; ) accepted += await ingest(events.slice(at, (at += 40)), rnd);
      expect(accepted).toBe(events.length);
      const r = await refreshRollups(failing, { waitMs: 30_000, aside: true });
      expect(r.skipped).toBeUndefined();
      expect(r.aside).toBeUndefined();
      // Tried where the server allows it (and failed, said in the log); never tried elsewhere.
      expect(made).toBe(allowed ? 2 : 1);
      expect(warn.mock.calls.some(([m]) => /could not be computed on a second connection/.test(String(m)))).toBe(allowed);
      expect((await db.query("SELECT count(*)::int AS n FROM rollup_pending_events")).rows[0].n).toBe(0);
      const incremental = await snapshot();
      await refreshRollups(db, { full: true, waitMs: 30_000 });
      const rebuilt = await snapshot();
      for (const [table] of TABLES) expect(incremental[table], table).toEqual(rebuilt[table]);
    } finally {
      warn.mockRestore();
      await failing.end();
    }
  });

  for (const read of READS) {
    it(`moves a request's count to a late event that becomes its first of the month (pending events read by ${read})`, async () => {
      const day = async (requestId: string) =>
        (
          await db.query<{ day: string; requests: number }>(
            `SELECT day::text, sum(requests)::int AS requests FROM daily_costs WHERE endpoint = $1 GROUP BY day HAVING sum(requests) <> 0 ORDER BY day`,
            [requestId],
          )
        ).rows;
      const ep = `late-${read}-${Date.now().toString(36)}`;
      const ev = (id: string, ts: string) => ({ id: `${ep}-${id}`, timestamp: ts, requestId: `${ep}-r`, endpoint: ep, costUsd: "0.5" });
      await ingestEvents([ev("b", "2026-03-20T15:00:00Z")], { db });
      await refreshRollups(db, { waitMs: 30_000, read });
      expect(await day(ep)).toEqual([{ day: "2026-03-20", requests: 1 }]);
      // An earlier event of the same month arrives later: the request now counts on its day, once.
      await ingestEvents([ev("a", "2026-03-05T15:00:00Z")], { db });
      await refreshRollups(db, { waitMs: 30_000, read });
      expect(await day(ep)).toEqual([{ day: "2026-03-05", requests: 1 }]);
      // One of the previous month: a first of its own month, counted there too.
      await ingestEvents([ev("z", "2026-02-27T15:00:00Z")], { db });
      await refreshRollups(db, { waitMs: 30_000, read });
      expect(await day(ep)).toEqual([
        { day: "2026-02-27", requests: 1 },
        { day: "2026-03-05", requests: 1 },
      ]);
    });
  }
});
