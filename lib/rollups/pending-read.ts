// How a rollup refresh reads the events of its pending list (rollup_pending_events): by joining the list to
// every stored event, or by looking each pending event (and each pending request's events) up by its key.
import type pg from "pg";

/**
 * `scan`: hash joins over every stored event; the cheapest way when most stored events are pending (a
 * store that is one burst). `probe`: one index lookup per pending event (and per pending request for the
 * daily rollups' first-event ranks), so a refresh costs what its new events cost, whatever the store holds.
 */
export type PendingRead = "scan" | "probe";

/**
 * Each pending event, looked up by its key (an index probe): the `probe` read's way to the pending events.
 * OFFSET 0 keeps the lookup a subquery of its own, which PostgreSQL cannot turn into a hash join over every
 * stored event. Aliases: w (the pending row), e (the event).
 */
export const PROBE_PENDING = `rollup_pending_events w
   CROSS JOIN LATERAL (SELECT * FROM cost_events e WHERE e.request_key = w.request_key AND e.id = w.id AND e.ts = w.ts OFFSET 0) e`;

/** The pending events (alias e, their pending rows w) by either read: the FROM clause the refresh's statements share. */
export const PENDING_EVENTS: Record<PendingRead, string> = {
  scan: "rollup_pending_events w JOIN cost_events e ON e.request_key = w.request_key AND e.id = w.id AND e.ts = w.ts",
  probe: PROBE_PENDING,
};

/**
 * From this many stored events per pending event on, the refresh looks them up. Measured on one server with
 * 1M stored events: the hash join read them at about 1.1 µs each, a lookup cost about 8 µs per pending
 * event, and at ten stored per pending both refreshes took the same (7.8 and 8.0 s for 100,000 events). The
 * lookups start earlier because a scan of fewer than 10,000 new requests may also get the planner's
 * quadratic nested loop (factsFor): 10,000 events took 48.6 s by scanning, 0.92 s by looking up.
 */
export const PROBE_FROM_STORED_PER_PENDING = 5;

/** The read for `pending` pending events in a store of about `stored` events (an estimate; 0 when unknown). */
export function choosePendingRead(pending: number, stored: number): PendingRead {
  return pending > 0 && stored >= PROBE_FROM_STORED_PER_PENDING * pending ? "probe" : "scan";
}

/**
 * The pending events, and the stored ones as the statistics count them: per partition, rows inserted less
 * rows deleted (current within a second or so) or the planner's count as of the last ANALYZE (kept when the
 * counters are reset, as after a crash), whichever is larger. A Citus coordinator holds no rows of its own
 * and counts none: there the workers scan their shards, as they plan them.
 */
export async function pendingRead(client: pg.PoolClient): Promise<{ read: PendingRead; pending: number; stored: number }> {
  const { rows } = await client.query<{ pending: number; stored: number }>(
    `SELECT (SELECT count(*) FROM rollup_pending_events)::float8 AS pending,
       (SELECT coalesce(sum(greatest(s.n_live_tup, c.reltuples, 0)), 0) FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid LEFT JOIN pg_stat_user_tables s ON s.relid = i.inhrelid
        WHERE i.inhparent = 'cost_events'::regclass)::float8 AS stored`,
  );
  const { pending, stored } = rows[0]!;
  return { read: choosePendingRead(pending, stored), pending, stored };
}
