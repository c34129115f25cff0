// The daily cost rollup finance reads (daily_costs): per day in the organisation's time zone and per
// team × feature × endpoint × cohort × provider × model × cost source, the events' direct cost, the GPU
// pool-hour shares, the overhead on both, tokens, events and requests. Kept fresh by the rollup refresh,
// which recomputes only the days its changes touch.
//
// Decisions:
// - An event belongs to the day (and month) of its own timestamp in the organisation's time zone: costs
//   are booked when they occurred, also when a request's events span two days or months.
// - A GPU share belongs to the day of its pool-hour's start, and carries the tags, provider and model of
//   the request's first gpu event in that pool-hour (cost source "gpu"); shares without a request
//   (NO_REQUEST) or whose request has no tags stay unattributed (NULL tags). Its row also carries the pool.
// - A request is counted once per month: in the group and on the day of its first event of that month
//   (ties by event id). Summed over any grouping, requests therefore give the distinct requests of the
//   month; a request whose events span a month boundary counts in both months. Events without a
//   request id count no request.
// - Overhead = (direct + GPU) × the percentage for the row's feature (or the global one) / 100, kept
//   exact (NUMERIC without scale): it is linear, so any grouping's overhead is the sum of its rows'.
// - Providers are stored lower-cased and trimmed, the way the price book matches them.
import type pg from "pg";
import { getSetting } from "@/lib/settings/settings";
import { PENDING_EVENTS, type PendingRead } from "@/lib/rollups/pending-read";

/** The columns of daily_costs and customer_daily (and of the delta tables the pending events are summed in), in the order the statements give them. */
const DAILY_COLUMNS = `day, team, feature, endpoint, cohort, provider, model, pool, cost_source, events, requests, unpriced_events, direct_cost,
  contract_discount, gpu_cost, overhead_cost, input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens`;
const CUSTOMER_COLUMNS = "day, customer_id, feature, cohort, events, requests, direct_cost, gpu_cost, overhead_cost";

/**
 * The rows of the given source events and allocations, grouped: a CTE part and the grouping SELECT, which
 * `into` puts into a table (daily_costs, or the delta table the pending events are summed in) and a
 * refresh's second connection runs on its own (pendingDeltaRows). An event row counts `n` events (1; 0 for
 * a row that only moves a request's count off the day of the event that was its first) and `first`
 * requests (1, 0 or -1). $1 tz, $2 per-feature overhead (jsonb), $3 global overhead.
 */
function dailyParts(ev: string, gpu: string): { with: string; select: string } {
  return {
    with: `
WITH ev AS (${ev}),
gp AS (${gpu}),
x AS (
  SELECT day, team, feature, endpoint, cohort, lower(btrim(provider)) AS provider, model, NULL::text AS pool, cost_source,
    n AS events, first AS requests, n * (cost_source = 'unpriced')::int AS unpriced, coalesce(cost_usd, 0) AS direct,
    coalesce(list_cost_usd - cost_usd, 0) AS discount, 0::numeric AS gpu,
    input_tokens, cache_read_tokens, cache_write_tokens + cache_write_1h_tokens AS cache_write_tokens, output_tokens, reasoning_tokens
  FROM ev
  UNION ALL
  SELECT day, team, feature, endpoint, cohort, lower(btrim(provider)), model, pool, 'gpu', 0, 0, 0, 0, 0, coalesce(cost_usd, 0), 0, 0, 0, 0, 0
  FROM gp
)`,
    select: `
SELECT day, team, feature, endpoint, cohort, provider, model, pool, cost_source, sum(events), sum(requests), sum(unpriced),
  sum(direct), sum(discount), sum(gpu), (sum(direct) + sum(gpu)) * coalesce((($2::jsonb) ->> feature)::numeric, $3::numeric, 0) * 0.01,
  sum(input_tokens), sum(cache_read_tokens), sum(cache_write_tokens), sum(output_tokens), sum(reasoning_tokens)
FROM x
GROUP BY day, team, feature, endpoint, cohort, provider, model, pool, cost_source`,
  };
}

/**
 * The same booking per customer (customer_daily): per day × customer × feature × cohort, from the events
 * that name a customer and the GPU shares of their requests. A request counts once per month for its
 * customer, on the day of its first event of the month that names one.
 */
function customerParts(ev: string, gpu: string): { with: string; select: string } {
  return {
    with: `
WITH ev AS (${ev}),
gp AS (${gpu}),
x AS (
  SELECT day, customer_id, feature, cohort, n AS events, first AS requests, coalesce(cost_usd, 0) AS direct, 0::numeric AS gpu FROM ev
  UNION ALL
  SELECT day, customer_id, feature, cohort, 0, 0, 0, coalesce(cost_usd, 0) FROM gp WHERE customer_id IS NOT NULL
)`,
    select: `
SELECT day, customer_id, feature, cohort, sum(events), sum(requests), sum(direct), sum(gpu),
  (sum(direct) + sum(gpu)) * coalesce((($2::jsonb) ->> feature)::numeric, $3::numeric, 0) * 0.01
FROM x
GROUP BY day, customer_id, feature, cohort`,
  };
}

/** A statement's parts as an INSERT of its rows into `target`. */
const into = (q: { with: string; select: string }, target: string, columns: string) => `${q.with}\nINSERT INTO ${target} (${columns})${q.select}`;
const insertSql = (ev: string, gpu: string) => into(dailyParts(ev, gpu), "daily_costs", DAILY_COLUMNS);
const customerInsertSql = (ev: string, gpu: string) => into(customerParts(ev, gpu), "customer_daily", CUSTOMER_COLUMNS);

/** The event columns the rollup reads (a narrow row keeps the rebuild's sort in memory). */
const EV_COLS = `e.team, e.feature, e.endpoint, e.cohort, e.customer_id, e.provider, e.model, e.cost_source, e.cost_usd, e.list_cost_usd, e.input_tokens, e.cache_read_tokens,
  e.cache_write_tokens, e.cache_write_1h_tokens, e.output_tokens, e.reasoning_tokens`;

/** The tags, provider and model of a GPU share (alias a): its request's first gpu event in the pool-hour; also read by the FOCUS dataset. */
export const GPU_TAGS = `LEFT JOIN LATERAL (
    SELECT e.endpoint, e.feature, e.team, e.cohort, e.customer_id, e.provider, e.model FROM cost_events e
    WHERE a.request_id <> '' AND e.request_key = a.request_id AND e.request_id = a.request_id AND e.kind = 'gpu' AND e.pool = a.pool
      AND e.ts >= a.hour AND e.ts < a.hour + interval '1 hour'
    ORDER BY e.ts, e.id LIMIT 1) g ON true`;

/** Every day at once: one pass over the events `where` selects. */
function fullSource(where: string): [string, string] {
  return [
    `SELECT ${EV_COLS}, 1 AS n, (e.ts AT TIME ZONE $1)::date AS day,
       CASE WHEN e.request_id IS NOT NULL AND row_number() OVER (
         PARTITION BY e.request_key COLLATE "C", date_trunc('month', e.ts AT TIME ZONE $1) ORDER BY e.ts, e.id COLLATE "C") = 1 THEN 1 ELSE 0 END AS first
     FROM cost_events e WHERE ${where}`,
    `SELECT (a.hour AT TIME ZONE $1)::date AS day, a.cost_usd, a.pool, g.* FROM gpu_allocations a ${GPU_TAGS}`,
  ];
}

/**
 * The days in $4 (dates in the org time zone), for the events `where` selects. Ties go by event id in
 * byte order, as in the full rebuild. (Recomputed days are those of re-priced requests and recomputed GPU
 * hours: new events come in as deltas, pendingSource.)
 */
function daysSource(where: string): [string, string] {
  return [
    `SELECT ${EV_COLS}, 1 AS n, d.day,
       CASE WHEN e.request_id IS NOT NULL AND NOT EXISTS (
         SELECT 1 FROM cost_events p WHERE p.request_key = e.request_key AND p.request_id = e.request_id AND ${where.replaceAll("e.", "p.")}
           AND p.ts >= (date_trunc('month', d.day::timestamp) AT TIME ZONE $1)
           AND (p.ts < e.ts OR (p.ts = e.ts AND p.id COLLATE "C" < e.id COLLATE "C"))) THEN 1 ELSE 0 END AS first
     FROM unnest($4::date[]) AS d(day)
     JOIN cost_events e ON e.ts >= (d.day::timestamp AT TIME ZONE $1) AND e.ts < ((d.day + 1)::timestamp AT TIME ZONE $1)
     WHERE ${where}`,
    `SELECT d.day, a.cost_usd, a.pool, g.* FROM unnest($4::date[]) AS d(day)
     JOIN gpu_allocations a ON a.hour >= (d.day::timestamp AT TIME ZONE $1) AND a.hour < ((d.day + 1)::timestamp AT TIME ZONE $1)
     ${GPU_TAGS}`,
  ];
}

/**
 * The pending events (rollup_pending_events) `where` selects, as rows for the daily rollups: each event
 * once, with its request counted on it when it is now the request's first event of its month; and, where
 * it took that place from an event already in the rollups (one without a pending row), a row that takes
 * the request off that event's day and group again (no events, -1 request). Decided per request and
 * month over the request's events of that month, in one ordered pass: the first event now, and the
 * earliest one already in the rollups. Every step is keyed by request, so a Citus cluster runs it where the
 * request lives. Ties go by event id in byte order, as in the rebuild. Events without a request count none.
 */
function pendingSource(where: string, read: PendingRead): [string, string] {
  const pick = (col: string, zero: string) => `CASE WHEN r.pending THEN r.${col} ELSE ${zero} END AS ${col}`;
  // The events of the pending requests: every one (scan), or (probe) those of the months their pending
  // events are in, looked up per request (months without a pending event change nothing: see the filter
  // on r), with OFFSET 0 as in PROBE_PENDING.
  const pendingRow = "LEFT JOIN rollup_pending_events w ON w.request_key = e.request_key AND w.id = e.id";
  const events =
    read === "scan"
      ? `cost_events e ${pendingRow}
       WHERE e.request_key IN (SELECT request_key FROM rollup_pending_events) AND e.request_id IS NOT NULL`
      : `(SELECT request_key, min(ts) AS lo, max(ts) AS hi FROM rollup_pending_events GROUP BY request_key) k
       CROSS JOIN LATERAL (SELECT * FROM cost_events e WHERE e.request_id = k.request_key AND e.request_key = k.request_key
         AND e.ts >= (date_trunc('month', k.lo AT TIME ZONE $1) AT TIME ZONE $1)
         AND e.ts < ((date_trunc('month', k.hi AT TIME ZONE $1) + interval '1 month') AT TIME ZONE $1) OFFSET 0) e
       ${pendingRow}
       WHERE true`;
  return [
    `WITH a AS (
       SELECT ${EV_COLS}, e.request_id, e.request_key, e.ts, e.id, (e.ts AT TIME ZONE $1)::date AS day,
         date_trunc('month', e.ts AT TIME ZONE $1) AS month, w.id IS NOT NULL AS pending
       FROM ${events}
         AND ${where}
     ),
     r AS (
       SELECT a.*, row_number() OVER w AS rank, count(*) FILTER (WHERE NOT a.pending) OVER w AS in_before,
         first_value(a.pending) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS moved
       FROM a
       WINDOW w AS (PARTITION BY a.request_key COLLATE "C", a.month ORDER BY a.ts, a.id COLLATE "C")
     )
     SELECT r.team, r.feature, r.endpoint, r.cohort, r.customer_id, r.provider, r.model, r.cost_source,
       ${pick("cost_usd", "NULL")}, ${pick("list_cost_usd", "NULL")}, ${pick("input_tokens", "0")}, ${pick("cache_read_tokens", "0")},
       ${pick("cache_write_tokens", "0")}, ${pick("cache_write_1h_tokens", "0")}, ${pick("output_tokens", "0")}, ${pick("reasoning_tokens", "0")},
       CASE WHEN r.pending THEN 1 ELSE 0 END AS n, r.day, CASE WHEN NOT r.pending THEN -1 WHEN r.rank = 1 THEN 1 ELSE 0 END AS first
     FROM r WHERE r.pending OR (r.in_before = 1 AND r.moved)
     UNION ALL
     SELECT ${EV_COLS}, 1, (e.ts AT TIME ZONE $1)::date, 0
     FROM ${PENDING_EVENTS[read]}
     WHERE w.request_key = w.id AND e.request_id IS NULL AND ${where}`,
    // GPU shares are not events: the days whose pool-hours were recomputed are rebuilt instead.
    `SELECT NULL::date AS day, NULL::numeric AS cost_usd, NULL::text AS pool, NULL::text AS endpoint, NULL::text AS feature, NULL::text AS team,
       NULL::text AS cohort, NULL::text AS customer_id, NULL::text AS provider, NULL::text AS model WHERE false`,
  ];
}

const FULL_SQL = insertSql(...fullSource("true"));
const DAYS_SQL = insertSql(...daysSource("true"));
const CUSTOMER_WHERE = "e.customer_id IS NOT NULL";
const CUSTOMER_FULL_SQL = customerInsertSql(...fullSource(CUSTOMER_WHERE));
const CUSTOMER_DAYS_SQL = customerInsertSql(...daysSource(CUSTOMER_WHERE));

// The pending events' rows are summed into two session tables first (emptied at commit), then merged with
// the rows of the days they touch: those are copied in, deleted, and the sums put back.
const DAILY_KEYS = "day, team, feature, endpoint, cohort, provider, model, pool, cost_source";
const CUSTOMER_KEYS = "day, customer_id, feature, cohort";
const DELTA_TABLES = [
  `CREATE TEMP TABLE IF NOT EXISTS cr_daily_delta (day date, team text, feature text, endpoint text, cohort text, provider text, model text,
     pool text, cost_source text, events integer, requests integer, unpriced_events integer, direct_cost numeric, contract_discount numeric,
     gpu_cost numeric, overhead_cost numeric, input_tokens bigint, cache_read_tokens bigint, cache_write_tokens bigint, output_tokens bigint,
     reasoning_tokens bigint) ON COMMIT DELETE ROWS`,
  `CREATE TEMP TABLE IF NOT EXISTS cr_customer_delta (day date, customer_id text, feature text, cohort text, events integer, requests integer,
     direct_cost numeric, gpu_cost numeric, overhead_cost numeric) ON COMMIT DELETE ROWS`,
];
const PENDING_SQL = Object.fromEntries(
  (["scan", "probe"] as const).map((read) => {
    const daily = dailyParts(...pendingSource("true", read));
    const customer = customerParts(...pendingSource(CUSTOMER_WHERE, read));
    return [
      read,
      {
        daily: into(daily, "cr_daily_delta", DAILY_COLUMNS),
        customer: into(customer, "cr_customer_delta", CUSTOMER_COLUMNS),
        dailyRows: daily.with + daily.select,
        customerRows: customer.with + customer.select,
      },
    ];
  }),
) as Record<PendingRead, { daily: string; customer: string; dailyRows: string; customerRows: string }>;
/** Puts the delta table's rows (the deltas and the touched days' former rows) into `target`, summed per key. */
const mergeSql = (target: string, delta: string, columns: string, keys: string) => {
  const sums = columns
    .split(",")
    .map((c) => c.trim())
    .map((c) => (keys.split(", ").includes(c) ? c : `sum(${c})`))
    .join(", ");
  return `INSERT INTO ${target} (${columns}) SELECT ${sums} FROM ${delta} GROUP BY ${keys}`;
};

/** The two monthly sums of customer_daily: per month × customer × feature ('' = none), and per month × customer. */
const MONTH_TABLES = [
  { table: "customer_monthly", keys: "month, customer_id, feature", select: "date_trunc('month', day)::date, customer_id, coalesce(feature, '')" },
  { table: "customer_month_totals", keys: "month, customer_id", select: "date_trunc('month', day)::date, customer_id" },
] as const;

/**
 * One monthly table in step with customer_daily: the rows of `source` (customer_daily rows, or those a
 * DELETE returned) summed per the table's keys and added to its rows with the sign given (-1 takes them off).
 */
function upsertMonths(t: (typeof MONTH_TABLES)[number], source: string, sign: 1 | -1): string {
  const s = sign === 1 ? "" : "-";
  const n = t.keys.split(",").length;
  return `
INSERT INTO ${t.table} AS m (${t.keys}, parts, events, requests, direct_cost, gpu_cost, overhead_cost)
SELECT ${t.select}, ${s}count(*), ${s}sum(events), ${s}sum(requests), ${s}sum(direct_cost), ${s}sum(gpu_cost), ${s}sum(overhead_cost)
FROM ${source} r
GROUP BY ${Array.from({ length: n }, (_, i) => i + 1).join(", ")}
ON CONFLICT (${t.keys}) DO UPDATE SET
  parts = m.parts + excluded.parts, events = m.events + excluded.events, requests = m.requests + excluded.requests,
  direct_cost = m.direct_cost + excluded.direct_cost, gpu_cost = m.gpu_cost + excluded.gpu_cost, overhead_cost = m.overhead_cost + excluded.overhead_cost`;
}
/** Adds the customer_daily rows `where` selects to both monthly tables. */
const addToMonths = (where: string) => `WITH r AS (SELECT * FROM customer_daily WHERE ${where}), ${MONTH_TABLES.map((t, i) => `m${i} AS (${upsertMonths(t, "r", 1)})`).join(", ")} SELECT 1`;
/** Deletes the listed days ($1) from customer_daily and takes their rows off both monthly tables. */
const TAKE_DAYS_OFF_MONTHS = `WITH gone AS (DELETE FROM customer_daily WHERE day = ANY($1::date[]) RETURNING *), ${MONTH_TABLES.map((t, i) => `m${i} AS (${upsertMonths(t, "gone", -1)})`).join(", ")} SELECT 1`;

async function overheadParams(client: pg.PoolClient): Promise<[string, string | null]> {
  const oh = await getSetting(client, "overhead");
  return [JSON.stringify(oh.perFeature), oh.globalPercent];
}

/** Rebuild the whole daily rollup (inside the caller's transaction). */
export async function rebuildDailyCosts(client: pg.PoolClient, tz: string): Promise<void> {
  await client.query("DELETE FROM daily_costs");
  await client.query("DELETE FROM customer_daily");
  // One sort of every event by request and month: give it memory rather than disk.
  await client.query("SET LOCAL work_mem = '64MB'");
  const params = [tz, ...(await overheadParams(client))];
  await client.query(FULL_SQL, params);
  await client.query(CUSTOMER_FULL_SQL, params);
  for (const t of MONTH_TABLES) await client.query(`DELETE FROM ${t.table}`);
  await client.query(addToMonths("true"));
}

/** Recompute the listed days (inside the caller's transaction). */
export async function refreshDays(client: pg.PoolClient, tz: string, days: readonly string[]): Promise<void> {
  if (days.length === 0) return;
  await client.query("DELETE FROM daily_costs WHERE day = ANY($1::date[])", [days]);
  await client.query(TAKE_DAYS_OFF_MONTHS, [days]);
  const params = [tz, ...(await overheadParams(client)), days];
  await client.query(DAYS_SQL, params);
  await client.query(CUSTOMER_DAYS_SQL, params);
  await client.query(addToMonths("day = ANY($1::date[])"), [days]);
  for (const t of MONTH_TABLES) await client.query(`DELETE FROM ${t.table} WHERE parts = 0`);
}

/** The pending events' rows for the two delta tables, every value as PostgreSQL's text (exact), in column order. */
export type PendingDeltaRows = { daily: (string | null)[][]; customer: (string | null)[][] };

// Read by scanning, the pending requests' events are a join the planner cannot estimate right after a
// burst (the pending list has no statistics yet): it took the 364,411 requests of a 1M-event burst for 200
// and looked each one's events up in a nested loop. The two statements took 13.7 s and 5.4 s of the
// catch-up, 7.2 s and 0.6 s with hash joins. A probe's lateral lookups are nested loops by design.
const allowNestedLoops = (client: pg.PoolClient, read: PendingRead, allow: boolean) =>
  read === "scan" ? client.query(`SET LOCAL enable_nestloop = ${allow ? "on" : "off"}`) : Promise.resolve();
const asText = { getTypeParser: () => (value: string) => value };

/**
 * The pending events' rows for the daily rollups, computed on a connection of their own (`aside`, in a
 * read-only transaction on the refresh's exported snapshot, so it reads exactly what the refresh reads)
 * while the refresh computes the requests' facts: the two take about the same time after a burst. The
 * refresh then adds them with applyPendingEvents. Values come back as text, so no amount passes through
 * a float.
 */
export async function pendingDeltaRows(aside: pg.PoolClient, tz: string, read: PendingRead): Promise<PendingDeltaRows> {
  const params = [tz, ...(await overheadParams(aside))];
  await aside.query("SET LOCAL work_mem = '64MB'");
  await aside.query("SET LOCAL jit = off");
  await allowNestedLoops(aside, read, false);
  const run = (text: string) => aside.query<(string | null)[]>({ text, values: params, rowMode: "array", types: asText });
  return { daily: (await run(PENDING_SQL[read].dailyRows)).rows, customer: (await run(PENDING_SQL[read].customerRows)).rows };
}

/** Puts rows computed aside into a delta table (exact: text in, the column's type out). */
async function putRows(client: pg.PoolClient, table: string, columns: string, rows: (string | null)[][]): Promise<void> {
  const names = columns.split(",").map((c) => c.trim());
  for (let i = 0; i < rows.length; i += 10_000) {
    const json = JSON.stringify(rows.slice(i, i + 10_000).map((r) => Object.fromEntries(names.map((n, j) => [n, r[j]]))));
    await client.query(`INSERT INTO ${table} (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::${table}, $1::json)`, [json]);
  }
}

/**
 * Adds the pending events to the daily rollups (inside the caller's repeatable-read transaction, before it
 * deletes the pending rows it saw): daily_costs, customer_daily and its monthly sums. `computed`: their
 * rows, already computed aside on the same snapshot (pendingDeltaRows); otherwise computed here.
 */
export async function applyPendingEvents(client: pg.PoolClient, tz: string, read: PendingRead, computed?: PendingDeltaRows): Promise<void> {
  for (const sql of DELTA_TABLES) await client.query(sql);
  if (computed) {
    await putRows(client, "cr_daily_delta", DAILY_COLUMNS, computed.daily);
    await putRows(client, "cr_customer_delta", CUSTOMER_COLUMNS, computed.customer);
  } else {
    const params = [tz, ...(await overheadParams(client))];
    await allowNestedLoops(client, read, false);
    await client.query(PENDING_SQL[read].daily, params);
    await client.query(PENDING_SQL[read].customer, params);
    await allowNestedLoops(client, read, true);
  }
  const daily = (await client.query<{ d: string }>("SELECT DISTINCT day::text AS d FROM cr_daily_delta")).rows.map((r) => r.d);
  if (daily.length > 0) {
    await client.query(`INSERT INTO cr_daily_delta (${DAILY_COLUMNS}) SELECT ${DAILY_COLUMNS} FROM daily_costs WHERE day = ANY($1::date[])`, [daily]);
    await client.query("DELETE FROM daily_costs WHERE day = ANY($1::date[])", [daily]);
    await client.query(mergeSql("daily_costs", "cr_daily_delta", DAILY_COLUMNS, DAILY_KEYS));
  }
  const customer = (await client.query<{ d: string }>("SELECT DISTINCT day::text AS d FROM cr_customer_delta")).rows.map((r) => r.d);
  if (customer.length > 0) {
    await client.query(`INSERT INTO cr_customer_delta (${CUSTOMER_COLUMNS}) SELECT ${CUSTOMER_COLUMNS} FROM customer_daily WHERE day = ANY($1::date[])`, [
      customer,
    ]);
    await client.query(TAKE_DAYS_OFF_MONTHS, [customer]);
    await client.query(mergeSql("customer_daily", "cr_customer_delta", CUSTOMER_COLUMNS, CUSTOMER_KEYS));
    await client.query(addToMonths("day = ANY($1::date[])"), [customer]);
  }
  // Emptied now rather than at commit: a recomputation of some of these days may follow in this transaction.
  await client.query("DELETE FROM cr_daily_delta");
  await client.query("DELETE FROM cr_customer_delta");
}

/**
 * The days an incremental refresh must recompute, beyond the new events it adds (applyPendingEvents): those
 * of every event and GPU share of the requests whose costs changed (re-priced, or their GPU shares
 * recomputed), and of pool-hours recomputed since the watermark. Also the days that already carry a
 * request's first event of the month move with it, which the requests' own days cover.
 */
export async function affectedDays(client: pg.PoolClient, tz: string, requestIds: readonly string[], since: string): Promise<string[]> {
  const { rows } = await client.query<{ d: string }>(
    `SELECT DISTINCT (ts AT TIME ZONE $1)::date::text AS d FROM cost_events WHERE request_id = ANY($2::text[])
     UNION SELECT DISTINCT (hour AT TIME ZONE $1)::date::text FROM gpu_allocations WHERE request_id = ANY($2::text[])
     UNION SELECT DISTINCT (hour AT TIME ZONE $1)::date::text FROM gpu_pool_hours WHERE computed_at >= $3::timestamptz`,
    [tz, requestIds, since],
  );
  return rows.map((r) => r.d).sort();
}
