// Keeps the review's rollups fresh: recomputes the per-request facts of requests that received events
// (or were marked dirty by re-pricing and GPU or overhead changes) and the weekly figures of the weeks
// they belong to. Runs every few seconds inside the app; one instance at a time (advisory lock).
import type pg from "pg";
import { getSetting } from "@/lib/settings/settings";
import { affectedDays, applyPendingEvents, pendingDeltaRows, rebuildDailyCosts, refreshDays, type PendingDeltaRows } from "@/lib/finance/daily-costs";
import { withTransaction } from "@/lib/db/transaction";
import { serverTraits } from "@/lib/db/server";
import { PENDING_EVENTS, pendingRead, type PendingRead } from "@/lib/rollups/pending-read";

/** The advisory lock that keeps refreshes one at a time (exported for the tests that hold it). */
export const LOCK_KEY = 7_318_201_456;
/**
 * The longest a refresh looks back before its own start. An event's `received_at` is its transaction's
 * start, so a transaction still open when a refresh starts may commit events stamped before that start.
 * The watermark therefore stops at the oldest transaction then open in this database (pg_stat_activity),
 * and never more than this far back. Nothing open (the usual case, and always on the embedded server,
 * which runs one transaction at a time): no look-back at all, so a refresh does not redo the requests
 * the previous one just did (after a bulk load that was every one of them, for two minutes).
 */
const MAX_OVERLAP_MS = 2 * 60_000;
/**
 * Requests per facts statement. Measured on 1M events (250k requests): 5,000 per statement took 23 s,
 * 50,000 took 15 s, all at once 14.6 s; chunks keep the statement's memory bounded on a larger backlog.
 */
const CHUNK = 50_000;
/** From this many pending rows deleted by a refresh on, it vacuums the pending list right after. */
const VACUUM_PENDING_FROM = 10_000;
/**
 * From this many pending requests on, the daily deltas are computed on a second connection while the
 * refresh computes the facts (computeAside). After a 1M-event burst (364,411 requests) each took 7–9 s and
 * 13–17 s one after the other; below a few thousand requests both take milliseconds and a second
 * connection buys nothing.
 */
const ASIDE_FROM = 10_000;
/** Milliseconds each phase of a refresh took (facts, days, customers, weekly): in the refresh API's answer. */
export type RefreshPhases = Record<"facts" | "days" | "customers" | "weekly", number>;
/** `aside`: the daily deltas were computed on a second connection (not set when it failed and the refresh computed them). */
export type RefreshResult = { requests: number; weeks: string[]; full: boolean; skipped?: boolean; phases?: RefreshPhases; aside?: boolean };

/**
 * The per-request figures, for the events `source` selects (only events that name a request: their
 * request_key is their request id, the key a Citus cluster keeps a request's events together by, so
 * grouping by it computes each request where it lives), with the GPU shares `gpuFilter` selects.
 * Parameters: $1 request ids (NULL for all), $2 time zone, $3 per-feature overhead percentages (jsonb),
 * $4 global overhead percentage.
 */
function factsCtes(source: string, gpuFilter: string): string {
  return `ev AS (${source}),
tags AS (
  SELECT request_key AS request_id, min(ts) AS first_ts,
    (array_agg(endpoint ORDER BY ts, id) FILTER (WHERE endpoint IS NOT NULL))[1] AS endpoint,
    (array_agg(feature ORDER BY ts, id) FILTER (WHERE feature IS NOT NULL))[1] AS feature,
    (array_agg(team ORDER BY ts, id) FILTER (WHERE team IS NOT NULL))[1] AS team,
    (array_agg(cohort ORDER BY ts, id) FILTER (WHERE cohort IS NOT NULL))[1] AS cohort,
    (array_agg(customer_id ORDER BY ts, id) FILTER (WHERE customer_id IS NOT NULL))[1] AS customer_id,
    (array_agg(status ORDER BY ts DESC, attempt DESC, id DESC))[1] AS last_status,
    count(*)::int AS events,
    (count(*) FILTER (WHERE cost_source = 'unpriced'))::int AS unpriced_events,
    (count(*) FILTER (WHERE cost_source = 'incomplete'))::int AS incomplete_events,
    coalesce(sum(cost_usd), 0) AS direct_cost,
    -- What contracts took off list (list_cost_usd is NULL where none applied).
    coalesce(sum(list_cost_usd - cost_usd), 0) AS contract_discount,
    sum(input_tokens) AS input_tokens, sum(cache_read_tokens) AS cache_read_tokens,
    sum(cache_write_tokens + cache_write_1h_tokens) AS cache_write_tokens, sum(output_tokens) AS output_tokens,
    sum(reasoning_tokens) AS reasoning_tokens, sum(tool_output_tokens) AS tool_output_tokens,
    -- Wall time from the first call's start to the last call's end (latencies capped at a year: bad input must not break the rollup).
    extract(epoch FROM max(ts + least(coalesce(latency_ms, 0), 3.15e10) * interval '1 millisecond') - min(ts)) * 1000 AS latency_ms
  FROM ev GROUP BY request_key
),
gpu AS (
  SELECT request_id, sum(cost_usd) AS gpu_cost FROM gpu_allocations WHERE request_id <> '' AND ${gpuFilter} GROUP BY request_id
),
-- Its own scan rather than a second reference to ev, which would make PostgreSQL materialise every event.
per_model AS (
  SELECT request_key AS request_id, CASE WHEN model IS NULL THEN '(' || kind || ')' ELSE coalesce(provider || '/', '') || model END AS model,
    coalesce(sum(cost_usd), 0) AS cost
  FROM (${source}) e GROUP BY 1, 2
),
models AS (SELECT request_id, jsonb_object_agg(model, cost) AS model_costs FROM per_model GROUP BY request_id),
loaded AS (
  SELECT t.*, coalesce(g.gpu_cost, 0) AS gpu_cost,
    round((t.direct_cost + coalesce(g.gpu_cost, 0))
      * coalesce((($3::jsonb) ->> t.feature)::numeric, $4::numeric, 0) / 100, 12) AS overhead_cost,
    coalesce(m.model_costs, '{}'::jsonb) AS model_costs
  FROM tags t LEFT JOIN gpu g USING (request_id) LEFT JOIN models m USING (request_id)
)`;
}

const FACTS_INSERT = `INSERT INTO request_facts (request_id, first_ts, week, endpoint, feature, team, cohort, customer_id, events, unpriced_events,
    incomplete_events, direct_cost, contract_discount, gpu_cost, overhead_cost, total_cost, input_tokens, cache_read_tokens, cache_write_tokens, output_tokens,
    reasoning_tokens, tool_output_tokens, latency_ms, is_error, model_costs)
  SELECT request_id, first_ts, date_trunc('week', first_ts AT TIME ZONE $2)::date, endpoint, feature, team, cohort, customer_id, events,
    unpriced_events, incomplete_events, direct_cost, contract_discount, gpu_cost, overhead_cost, direct_cost + gpu_cost + overhead_cost,
    input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens, tool_output_tokens, latency_ms,
    last_status = 'error', model_costs
  FROM loaded`;

/** Recompute the listed requests ($1); returns the weeks they are in now and those of requests left without events. */
const FACTS_SQL = `
WITH ids AS (SELECT unnest($1::text[]) AS request_id),
${factsCtes("SELECT * FROM cost_events WHERE request_id IN (SELECT request_id FROM ids)", "request_id IN (SELECT request_id FROM ids)")},
gone AS (
  DELETE FROM request_facts f USING ids WHERE f.request_id = ids.request_id
    AND NOT EXISTS (SELECT 1 FROM tags t WHERE t.request_id = f.request_id)
  RETURNING f.week
),
upserted AS (
  ${FACTS_INSERT}
  ON CONFLICT (request_id) DO UPDATE SET first_ts = EXCLUDED.first_ts, week = EXCLUDED.week, endpoint = EXCLUDED.endpoint,
    feature = EXCLUDED.feature, team = EXCLUDED.team, cohort = EXCLUDED.cohort, customer_id = EXCLUDED.customer_id, events = EXCLUDED.events,
    unpriced_events = EXCLUDED.unpriced_events, incomplete_events = EXCLUDED.incomplete_events, direct_cost = EXCLUDED.direct_cost,
    contract_discount = EXCLUDED.contract_discount, gpu_cost = EXCLUDED.gpu_cost,
    overhead_cost = EXCLUDED.overhead_cost, total_cost = EXCLUDED.total_cost, input_tokens = EXCLUDED.input_tokens,
    cache_read_tokens = EXCLUDED.cache_read_tokens, cache_write_tokens = EXCLUDED.cache_write_tokens,
    output_tokens = EXCLUDED.output_tokens, reasoning_tokens = EXCLUDED.reasoning_tokens,
    tool_output_tokens = EXCLUDED.tool_output_tokens, latency_ms = EXCLUDED.latency_ms, is_error = EXCLUDED.is_error,
    model_costs = EXCLUDED.model_costs
  RETURNING week
)
SELECT DISTINCT week::text AS week FROM (SELECT week FROM upserted UNION ALL SELECT week FROM gone) w`;

/**
 * New requests: those with pending events and no facts row yet (after a burst, nearly all of them). Every
 * event of such a request is pending: an event leaves the pending list only in a refresh that also computes
 * its request's facts. So their events are read through the pending list, and their rows inserted, with no
 * conflict to check, nothing to delete and no earlier week to recompute. $1 is unused (NULL). Returns their
 * weeks. Two ways to read the events (pending-read.ts): `scan` joins the pending list to every stored event
 * (the cheapest way when most stored events are pending), `probe` looks each pending event up by its key
 * (one index probe each, whatever the store's size).
 */
const NEW_EVENTS: Record<PendingRead, string> = {
  scan: `SELECT e.* FROM ${PENDING_EVENTS.scan}
   WHERE e.request_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM request_facts f WHERE f.request_id = e.request_key)`,
  // The facts row looked up per event (a subquery, not a join: the statement runs without nested loops).
  probe: `SELECT e.* FROM ${PENDING_EVENTS.probe}
   WHERE e.request_id IS NOT NULL AND (SELECT 1 FROM request_facts f WHERE f.request_id = e.request_key) IS NULL`,
};
/** The GPU shares of the pending requests: by a join (scan), or looked up by request id (probe: an index scan for the list). */
const NEW_GPU: Record<PendingRead, string> = {
  scan: "$1::text[] IS NULL AND request_id IN (SELECT request_key FROM rollup_pending_events)",
  probe: "$1::text[] IS NULL AND request_id = ANY(ARRAY(SELECT DISTINCT request_key FROM rollup_pending_events))",
};
const newFactsSql = (read: PendingRead) => `
WITH ${factsCtes(NEW_EVENTS[read], NEW_GPU[read])}
${FACTS_INSERT}
RETURNING week::text AS week`;
const NEW_FACTS_SQL: Record<PendingRead, string> = { scan: newFactsSql("scan"), probe: newFactsSql("probe") };

/** Every request at once ($1 is NULL): one pass over the events instead of one query per chunk. */
const FULL_FACTS_SQL = `
WITH ${factsCtes("SELECT * FROM cost_events WHERE request_id IS NOT NULL AND $1::text[] IS NULL", "$1::text[] IS NULL")}
${FACTS_INSERT}`;

// The weeks' per-request rows in a CTE of their own: one server inlines it; a Citus cluster, which cannot
// run GROUPING SETS or the ordered array_agg across shards, ships just these rows to the coordinator and
// computes the exact percentiles there (docs/scaling.md).
const WEEKLY_SQL = `
WITH f AS (
  SELECT week, endpoint, cohort, total_cost, direct_cost, contract_discount, gpu_cost, overhead_cost, input_tokens, cache_read_tokens,
    cache_write_tokens, output_tokens, reasoning_tokens, tool_output_tokens, unpriced_events, incomplete_events, latency_ms, is_error
  FROM request_facts WHERE week = ANY($1::date[])
)
INSERT INTO weekly_stats (week, endpoint, cohort, endpoint_all, cohort_all, requests, total_cost, mean_cost, p50_cost, p95_cost,
  direct_cost, contract_discount, gpu_cost, overhead_cost, input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens,
  tool_output_tokens, unpriced_requests, unpriced_events, incomplete_events, latency_p95_ms, error_requests)
SELECT week, endpoint, cohort, GROUPING(endpoint) = 1, GROUPING(cohort) = 1, count(*)::int, sum(total_cost),
  round(avg(total_cost), 12),
  round(cr_percentile(array_agg(total_cost ORDER BY total_cost), 0.5), 12),
  round(cr_percentile(array_agg(total_cost ORDER BY total_cost), 0.95), 12),
  sum(direct_cost), sum(contract_discount), sum(gpu_cost), sum(overhead_cost), sum(input_tokens), sum(cache_read_tokens), sum(cache_write_tokens),
  sum(output_tokens), sum(reasoning_tokens), sum(tool_output_tokens),
  (count(*) FILTER (WHERE unpriced_events > 0))::int, sum(unpriced_events)::int, sum(incomplete_events)::int,
  percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms), (count(*) FILTER (WHERE is_error))::int
FROM f
GROUP BY GROUPING SETS ((week, endpoint, cohort), (week, endpoint), (week, cohort), (week))`;

const WEEKLY_MODELS_SQL = `
INSERT INTO weekly_model_stats (week, endpoint, model, requests, direct_cost)
SELECT f.week, f.endpoint, m.key, count(*)::int, sum((m.value #>> '{}')::numeric)
FROM request_facts f CROSS JOIN LATERAL jsonb_each(f.model_costs) m
WHERE f.week = ANY($1::date[])
GROUP BY f.week, f.endpoint, m.key`;

/**
 * Customers on first sight: one row per customer id the selected events name, with when it was first and
 * last seen and the cohort of its latest event that has one (its plan unless one is set by hand).
 */
function customersSql(source: string): string {
  return `
WITH src AS (${source})
INSERT INTO customers (id, last_cohort, first_seen, last_seen)
SELECT customer_id, (array_agg(cohort ORDER BY ts DESC, id DESC) FILTER (WHERE cohort IS NOT NULL))[1], min(ts), max(ts)
FROM src GROUP BY customer_id
ON CONFLICT (id) DO UPDATE SET
  first_seen = least(customers.first_seen, EXCLUDED.first_seen),
  last_seen = greatest(customers.last_seen, EXCLUDED.last_seen),
  last_cohort = CASE WHEN EXCLUDED.last_seen >= customers.last_seen AND EXCLUDED.last_cohort IS NOT NULL
    THEN EXCLUDED.last_cohort ELSE customers.last_cohort END`;
}
const CUSTOMER_EVENT = "SELECT customer_id, cohort, ts, id FROM cost_events WHERE customer_id IS NOT NULL";
const CUSTOMERS_FULL_SQL = customersSql(CUSTOMER_EVENT);
/** The customers of the pending events (only new events add or move a customer; re-pricing changes no tag). */
const CUSTOMERS_PENDING_SQL: Record<PendingRead, string> = {
  scan: customersSql(`SELECT e.customer_id, e.cohort, e.ts, e.id FROM ${PENDING_EVENTS.scan} WHERE e.customer_id IS NOT NULL`),
  probe: customersSql(`SELECT e.customer_id, e.cohort, e.ts, e.id FROM ${PENDING_EVENTS.probe} WHERE e.customer_id IS NOT NULL`),
};

/**
 * Recomputes the facts of the requests with pending events and of the requests whose costs changed
 * (`changed`); returns every week they touched. Only this refresh (under its lock) writes request_facts:
 * the pending requests without a row are new and inserted in one statement; the rest are recomputed from
 * all their events and upserted, a chunk at a time.
 */
async function factsFor(client: pg.PoolClient, pendingKeys: number, changed: string[], tz: string, read: PendingRead): Promise<string[]> {
  const oh = await getSetting(client, "overhead");
  const params = [tz, JSON.stringify(oh.perFeature), oh.globalPercent];
  // The pending requests that already have facts: recomputed with the changed ones.
  const known =
    pendingKeys === 0
      ? []
      : (await client.query<{ r: string }>("SELECT request_id AS r FROM request_facts WHERE request_id IN (SELECT request_key FROM rollup_pending_events)")).rows;
  const recompute = [...new Set([...changed, ...known.map((r) => r.r)])];
  const weeks = new Set<string>();
  if (pendingKeys > 0) {
    // The planner cannot estimate the new requests' events (read by scanning: the join of the pending list
    // to the events on three equal, nearly unique columns; by probing: events without a facts row) and
    // takes them for a handful of rows, then re-aggregates the per-model costs for each request in a nested
    // loop: quadratic (3,334 new requests took 24 s). Hash joins are therefore required: also on a Citus
    // cluster's workers, which plan their shards' part themselves (the refresh passes its SET LOCALs on to
    // them). A scan reads every stored event, which the refresh only chooses while the pending events are a
    // large part of them (pending-read.ts); a probe's lookups stay nested loops (a lateral subquery has no
    // other plan) and its facts rows are looked up in a subquery.
    await client.query("SET LOCAL enable_nestloop = off");
    for (const r of (await client.query<{ week: string }>(NEW_FACTS_SQL[read], [null, ...params])).rows) weeks.add(r.week);
    await client.query("SET LOCAL enable_nestloop = on");
  }
  for (let i = 0; i < recompute.length; i += CHUNK) {
    const chunk = recompute.slice(i, i + CHUNK);
    // The weeks the requests were in before (a late event can move a request to an earlier week). Read in
    // a statement of its own: a Citus cluster may run a CTE beside the upsert after it.
    const before = await client.query<{ week: string }>("SELECT DISTINCT week::text AS week FROM request_facts WHERE request_id = ANY($1::text[])", [chunk]);
    for (const r of before.rows) weeks.add(r.week);
    for (const r of (await client.query<{ week: string }>(FACTS_SQL, [chunk, ...params])).rows) weeks.add(r.week);
  }
  return [...weeks];
}

async function weeklyFor(client: pg.PoolClient, weeks: string[]): Promise<void> {
  if (weeks.length === 0) return;
  // Two statements: one statement cannot delete and re-insert the same unique key.
  await client.query("DELETE FROM weekly_stats WHERE week = ANY($1::date[])", [weeks]);
  await client.query(WEEKLY_SQL, [weeks]);
  await client.query("DELETE FROM weekly_model_stats WHERE week = ANY($1::date[])", [weeks]);
  await client.query(WEEKLY_MODELS_SQL, [weeks]);
}

/** How far the last refresh got: the refresher's own state, kept in the settings table but not a setting. */
async function watermark(client: pg.PoolClient): Promise<unknown> {
  return (await client.query<{ value: unknown }>("SELECT value FROM settings WHERE key = 'rollups.watermark'")).rows[0]?.value;
}

/**
 * When this refresh starts, and the instant before which every event is sure to be visible to it: the
 * start of the oldest other transaction open in this database, if any, but at most MAX_OVERLAP_MS back.
 * A backend of another role shows no `xact_start` here (insufficient privilege): then the full look-back.
 */
async function refreshStart(client: pg.PoolClient): Promise<{ startedAt: Date; through: Date }> {
  const { rows } = await client.query<{ now: Date; oldest: Date | null; hidden: boolean }>(
    `SELECT now() AS now,
       min(xact_start) FILTER (WHERE xact_start IS NOT NULL) AS oldest,
       coalesce(bool_or(query = '<insufficient privilege>'), false) AS hidden
     FROM (SELECT now()) n LEFT JOIN pg_stat_activity a
       ON a.datname = current_database() AND a.pid <> pg_backend_pid() AND a.backend_type = 'client backend'
     GROUP BY 1`,
  );
  const { now, oldest, hidden } = rows[0]!;
  const floor = now.getTime() - MAX_OVERLAP_MS;
  const back = hidden ? floor : Math.max(floor, Math.min(now.getTime(), oldest?.getTime() ?? now.getTime()));
  return { startedAt: now, through: new Date(back) };
}

/**
 * The stored watermark: `{ startedAt, through }`, every event received before `through` is in the rollups.
 * Older versions stored the refresh's start alone, to be read with a two-minute look-back.
 */
function coveredThrough(mark: unknown): string | null {
  if (typeof mark === "string") return new Date(Date.parse(mark) - MAX_OVERLAP_MS).toISOString();
  if (mark && typeof mark === "object" && typeof (mark as { through?: unknown }).through === "string") return (mark as { through: string }).through;
  return null;
}

async function setWatermark(client: pg.PoolClient, startedAt: Date, through: Date): Promise<void> {
  await client.query(
    `INSERT INTO settings (key, value, updated_at) VALUES ('rollups.watermark', $1::jsonb, now())
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`,
    [JSON.stringify({ startedAt: startedAt.toISOString(), through: through.toISOString() })],
  );
}

/** Put requests on the list for the next refresh (after their costs changed without new events). */
export async function markRequestsDirty(db: pg.Pool | pg.PoolClient, requestIds: string[]): Promise<void> {
  if (requestIds.length === 0) return;
  await db.query("INSERT INTO rollup_dirty_requests (request_id) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING", [requestIds]);
}

/** Mark every request with an event in [from, to): after a price or pool change over that window. */
export async function markWindowDirty(db: pg.Pool | pg.PoolClient, from: Date, to: Date | null): Promise<void> {
  await db.query(
    `INSERT INTO rollup_dirty_requests (request_id)
     SELECT DISTINCT request_id FROM cost_events WHERE request_id IS NOT NULL AND ts >= $1 AND ($2::timestamptz IS NULL OR ts < $2)
     ON CONFLICT DO NOTHING`,
    [from, to],
  );
}

/**
 * Takes the refresh lock: at once or not at all, or waiting up to `waitMs` for a refresh in progress
 * (in line behind it, so a refresh requested after new events runs after the one that may have missed them).
 */
async function takeLock(client: pg.PoolClient, waitMs: number): Promise<boolean> {
  if (waitMs <= 0) {
    const { rows } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [LOCK_KEY]);
    return rows[0]?.ok === true;
  }
  await client.query("SELECT set_config('lock_timeout', $1, false)", [`${Math.ceil(waitMs)}ms`]);
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === "55P03") return false; // lock_not_available: still busy after waitMs
    throw err;
  } finally {
    await client.query("SELECT set_config('lock_timeout', '0', false)");
  }
}

/**
 * Whether a second connection may read this refresh's snapshot: on a PostgreSQL server, with room in the
 * pool. Not on the embedded server (one transaction at a time: the second would wait for this one), nor
 * on a Citus coordinator (an exported snapshot covers the coordinator's own tables only, not the shards).
 */
async function asideAllowed(db: pg.Pool): Promise<boolean> {
  const traits = await serverTraits(db);
  return !traits.embedded && !traits.citus && (db.options.max ?? 10) >= 2;
}

/**
 * The pending events' daily deltas, computed on a second connection in a read-only transaction on this
 * refresh's exported snapshot (the same events and pending rows, to the row), while this connection goes
 * on with the facts. The promise is handled at once: if the refresh fails first, nobody waits for it.
 */
function computeAside(db: pg.Pool, snapshot: string, tz: string, read: PendingRead): Promise<PendingDeltaRows> {
  const rows = withTransaction((tx) => pendingDeltaRows(tx, tz, read), { db, isolation: "repeatable read", readOnly: true, snapshot });
  rows.catch(() => undefined);
  return rows;
}

/** The rows computed aside, or none (to compute them here) when the second connection failed: slower, the same figures. */
async function asideOrHere(rows: Promise<PendingDeltaRows>): Promise<PendingDeltaRows | undefined> {
  try {
    return await rows;
  } catch (err) {
    console.warn(`rollup refresh: the daily deltas could not be computed on a second connection (${(err as Error).message}); computing them here`);
    return undefined;
  }
}

/**
 * Brings the rollups up to date. `full` rebuilds everything (after a time-zone or overhead change).
 * When another process is refreshing, returns `skipped` without doing anything, at once or, with
 * `waitMs`, once that refresh has held the lock for `waitMs` longer. `read` chooses how the pending events
 * are read (by default from the store's size against theirs: pending-read.ts); both give the same figures.
 * `aside` computes the daily deltas on a second connection where the server allows (by default from
 * ASIDE_FROM pending requests on); the figures are the same either way.
 */
export async function refreshRollups(
  db: pg.Pool,
  opts: { full?: boolean; waitMs?: number; read?: PendingRead; aside?: boolean } = {},
): Promise<RefreshResult> {
  const client = await db.connect();
  try {
    if (!(await takeLock(client, opts.waitMs ?? 0))) return { requests: 0, weeks: [], full: false, skipped: true };
    try {
      const { startedAt, through } = await refreshStart(client);
      const tz = await getSetting(client, "timezone");
      const mark = coveredThrough(await watermark(client));
      const full = opts.full === true || mark === null;
      const phases: RefreshPhases = { facts: 0, days: 0, customers: 0, weekly: 0 };
      let t = performance.now();
      const lap = (phase: keyof RefreshPhases) => {
        const now = performance.now();
        phases[phase] += Math.round(now - t);
        t = now;
      };
      let ids: string[] = [];
      let deletedPending = 0;
      let usedAside = false;
      // Repeatable read: every statement sees the same events and pending rows, so the pending events this
      // refresh adds to the daily rollups are exactly the rows its final DELETE removes (rows committed
      // meanwhile stay for the next refresh), and a recomputed day holds exactly what the deltas left out.
      const allWeeks = await withTransaction(async () => {
        let weeks: string[];
        // The per-request aggregates and the first-event ranks sort many events: in memory (on a Citus
        // cluster, the coordinator's share; each worker keeps its own setting for its shards' parts).
        await client.query("SET LOCAL work_mem = '64MB'");
        // From here on, a SET LOCAL reaches a Citus cluster's workers too (on one server it is a setting
        // nobody reads). No JIT compilation: the refresh's statements are planned on estimates that look
        // large, and compiling them took 1.6 s each of a 1M-event catch-up, more than it saved.
        await client.query("SET LOCAL citus.propagate_set_commands = 'local'");
        await client.query("SET LOCAL jit = off");
        if (full) {
          await client.query("DELETE FROM request_facts");
          await client.query("DELETE FROM rollup_dirty_requests");
          await client.query("DELETE FROM rollup_pending_events");
          const oh = await getSetting(client, "overhead");
          await client.query(FULL_FACTS_SQL, [null, tz, JSON.stringify(oh.perFeature), oh.globalPercent]);
          lap("facts");
          await rebuildDailyCosts(client, tz);
          lap("days");
          await client.query(CUSTOMERS_FULL_SQL);
          lap("customers");
          weeks = [];
        } else {
          // Requests whose costs changed without new events (re-priced, GPU hours recomputed): their days and
          // facts are recomputed. Requests with pending (new) events: their facts.
          const { rows: changed } = await client.query<{ r: string }>(
            `SELECT request_id AS r FROM rollup_dirty_requests
             UNION SELECT a.request_id FROM gpu_allocations a JOIN gpu_pool_hours h USING (pool, hour)
               WHERE h.computed_at >= $1::timestamptz AND a.request_id <> ''`,
            [mark],
          );
          // The request keys of the pending events (an event without a request is keyed by its own id, which
          // names no facts row and recomputes nothing).
          const { rows: fresh } = await client.query<{ r: string }>("SELECT DISTINCT request_key AS r FROM rollup_pending_events");
          const recompute = changed.map((r) => r.r);
          const pendingKeys = fresh.map((r) => r.r);
          ids = [...new Set([...recompute, ...pendingKeys])];
          // Nothing pending (the usual idle refresh): no statement reads the pending list, whose deleted rows
          // (a burst's worth until autovacuum comes by) would otherwise be scanned several times for nothing;
          // nor is the read chosen (it counts the list), as no statement uses it.
          const read = opts.read ?? (pendingKeys.length > 0 ? (await pendingRead(client)).read : "probe");
          // A large pending list: its daily deltas are computed aside, on this transaction's snapshot (exported
          // before it writes anything), while the facts are computed here.
          const aside =
            pendingKeys.length > 0 && (opts.aside ?? pendingKeys.length >= ASIDE_FROM) && (await asideAllowed(db))
              ? computeAside(db, (await client.query<{ id: string }>("SELECT pg_export_snapshot() AS id")).rows[0]!.id, tz, read)
              : undefined;
          await client.query("DELETE FROM rollup_dirty_requests WHERE request_id = ANY($1::text[])", [recompute]);
          // The facts and the customers read the pending list (new requests): it is emptied after them.
          weeks = await factsFor(client, pendingKeys.length, recompute, tz, read);
          lap("facts");
          // Finance's daily rollups: the new events added once each, then the days of the changed requests
          // and recomputed GPU hours rebuilt.
          if (pendingKeys.length > 0) {
            const computed = aside && (await asideOrHere(aside));
            usedAside = computed !== undefined;
            await applyPendingEvents(client, tz, read, computed);
          }
          await refreshDays(client, tz, await affectedDays(client, tz, recompute, mark as string));
          lap("days");
          if (pendingKeys.length > 0) {
            await client.query(CUSTOMERS_PENDING_SQL[read]);
            deletedPending = (await client.query("DELETE FROM rollup_pending_events")).rowCount ?? 0;
          }
          lap("customers");
        }
        const all = full
          ? (await client.query<{ w: string }>("SELECT DISTINCT week::text AS w FROM request_facts")).rows.map((r) => r.w)
          : weeks;
        if (full) {
          await client.query("DELETE FROM weekly_stats");
          await client.query("DELETE FROM weekly_model_stats");
        }
        await weeklyFor(client, all);
        await setWatermark(client, startedAt, through);
        lap("weekly");
        return all;
      }, { db: client, isolation: "repeatable read" });
      // A burst's pending rows, once deleted, are scanned by every later refresh until autovacuum comes by
      // (within a minute or so; an idle refresh of a 1M-event store took 0.5–1.4 s instead of 15–50 ms
      // until then). Vacuumed at once instead, after the commit, still under the lock. Best effort: a role that
      // may not vacuum the table leaves it to autovacuum.
      if (deletedPending >= VACUUM_PENDING_FROM) await client.query("VACUUM rollup_pending_events").catch(() => undefined);
      const requests = full ? (await client.query<{ n: number }>("SELECT count(*)::int AS n FROM request_facts")).rows[0]!.n : ids.length;
      return { requests, weeks: allWeeks.sort(), full, phases, ...(usedAside ? { aside: true } : {}) };
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    client.release();
  }
}
