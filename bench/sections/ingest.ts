// Ingest throughput: the generated events are POSTed to /api/v1/events over HTTP in batches by parallel
// clients (validation, pricing, the idempotency ledger and the partitioned insert, all through the app; the
// request bodies are serialised before the clock starts, as the COPY file is written before COPY is timed),
// then the very rows that ingest stored are bulk-loaded again with COPY … FROM STDIN into the same table,
// the fastest way PostgreSQL can take them. The ratio HTTP ÷ COPY says how much of the database's raw
// loading speed the API keeps.
//
// COPY baseline, step by step: the stored rows are read out (keyset pages, every column as text) and
// written in COPY's text format to a temporary file (not timed); cost_events is truncated and checkpointed;
// then the file is streamed into `COPY cost_events (…) FROM STDIN` through the pg client (timed). The
// reloaded table is checked against the ingested one (row count, cost and token sums). COPY is also timed
// for the event_ids ledger, so that a like-for-like figure (both tables) is printed as well.
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { once } from "node:events";
import os from "node:os";
import path from "node:path";
import { copyFrom, copyLine } from "@/lib/db/copy";
import { env } from "@/lib/env";
import { summarise } from "../lib/stats";
import type { BenchContext, Section, SectionResult } from "../lib/section";
import { batchEvents } from "../workload/events";

const COST_EVENT_COLUMNS = [
  "id", "ts", "request_id", "request_key", "endpoint", "feature", "team", "cohort", "kind", "provider", "model",
  "input_tokens", "cache_read_tokens", "cache_write_tokens", "cache_write_1h_tokens", "output_tokens", "reasoning_tokens", "tool_output_tokens",
  "cost_usd", "cost_source", "price_entry_id", "unpriced_reason", "status", "attempt", "latency_ms", "pool", "gpu_seconds", "metadata", "received_at",
];
const EVENT_ID_COLUMNS = ["id", "ts", "fingerprint"];

type Fingerprint = { rows: number; cost: string; tokens: string; sources: string };

async function tableFingerprint(ctx: BenchContext): Promise<Fingerprint> {
  const { rows } = await ctx.db.query<Fingerprint>(
    `SELECT count(*)::int AS rows, coalesce(sum(cost_usd), 0)::text AS cost,
            (sum(input_tokens) + sum(cache_read_tokens) + sum(cache_write_tokens) + sum(output_tokens) + sum(reasoning_tokens))::text AS tokens,
            (SELECT string_agg(cost_source || '=' || n, ',' ORDER BY cost_source) FROM (SELECT cost_source, count(*) AS n FROM cost_events GROUP BY 1) s) AS sources
       FROM cost_events`,
  );
  return rows[0]!;
}

type Posted = { accepted: number; duplicates: number; unpriced: number; retries: number };

/**
 * One batch, as a client would send it: a request that fails at the network level (a kept-alive
 * connection the server closed just then) is sent again, at most three times; ingest is idempotent, so a
 * batch whose first answer was lost comes back as duplicates. Every event must end up stored.
 */
async function post(ctx: BenchContext, events: number, body: string): Promise<Posted> {
  for (let retries = 0; ; retries++) {
    let res: Response;
    try {
      res = await fetch(`${ctx.app.url}/api/v1/events`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${ctx.app.ingestKey}` },
        body,
      });
    } catch (err) {
      if (retries < 3) continue;
      throw err;
    }
    const text = await res.text();
    if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${text.slice(0, 500)}`);
    const result = JSON.parse(text) as Omit<Posted, "retries">;
    if (result.accepted + result.duplicates !== events) throw new Error(`${result.accepted} of ${events} events accepted: ${text.slice(0, 500)}`);
    return { ...result, retries };
  }
}

/**
 * Warms the app up (route code loaded and compiled, connections open, partitions created, caches filled)
 * with one batch per client under other ids, then deletes those rows, so the timed run is steady state.
 */
async function warmUp(ctx: BenchContext): Promise<void> {
  const { events: total, batchSize, concurrency } = ctx.config;
  const batches = Math.ceil(total / batchSize);
  await Promise.all(
    Array.from({ length: Math.min(concurrency, batches) }, (_, b) => {
      const events = batchEvents(b, batchSize, total).map((e) => ({ ...e, id: `warmup_${String(e.id)}` }));
      return post(ctx, events.length, JSON.stringify({ events }));
    }),
  );
  await ctx.db.query("DELETE FROM cost_events WHERE id LIKE 'warmup\\_%'");
  await ctx.db.query("DELETE FROM event_ids WHERE id LIKE 'warmup\\_%'");
  await ctx.db.query("VACUUM ANALYZE cost_events, event_ids");
}

/**
 * The request bodies, generated and serialised before the clock starts, as a load generator prepares its
 * requests: the clients share the machine with the app and PostgreSQL, and making events is not ingest.
 */
export function generateBodies(ctx: BenchContext): { bodies: string[]; seconds: number; bytes: number } {
  const { events: total, batchSize } = ctx.config;
  const started = performance.now();
  const bodies: string[] = [];
  let bytes = 0;
  for (let b = 0; b < Math.ceil(total / batchSize); b++) {
    const body = JSON.stringify({ events: batchEvents(b, batchSize, total) });
    bytes += Buffer.byteLength(body);
    bodies.push(body);
  }
  return { bodies, seconds: (performance.now() - started) / 1000, bytes };
}

export async function ingestOverHttp(ctx: BenchContext, bodies: string[]) {
  const { events: total, batchSize } = ctx.config;
  const latencies: number[] = [];
  let next = 0;
  let accepted = 0;
  let unpriced = 0;
  let retried = 0;
  let lastReport = Date.now();
  const started = performance.now();
  const client = async () => {
    for (let b = next++; b < bodies.length; b = next++) {
      const t0 = performance.now();
      const events = Math.min(batchSize, total - b * batchSize);
      const result = await post(ctx, events, bodies[b]!).catch((e: Error) => {
        throw new Error(`batch ${b}: ${e.message}`);
      });
      latencies.push(performance.now() - t0);
      accepted += result.accepted + result.duplicates;
      unpriced += result.unpriced;
      if (result.retries) retried++;
      if (Date.now() - lastReport > 10_000) {
        lastReport = Date.now();
        const s = (performance.now() - started) / 1000;
        ctx.log(`  HTTP ingest: ${accepted.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} events, ${Math.round(accepted / s).toLocaleString("en-US")} events/s so far`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(ctx.config.concurrency, bodies.length) }, client));
  const seconds = (performance.now() - started) / 1000;
  return { seconds, accepted, unpriced, retried, batches: bodies.length, latency: summarise(latencies) };
}

/**
 * Waits until the app's rollup refresh has taken in every event acknowledged so far (its watermark passes
 * the database time after the last batch): how long the review's figures lag a burst of ingest. Null when
 * the app does not refresh rollups (ROLLUP_INTERVAL_SECONDS=0).
 */
export async function waitForRollups(ctx: BenchContext): Promise<number | null> {
  if (env().ROLLUP_INTERVAL_SECONDS === 0) return null;
  const started = performance.now();
  const after = (await ctx.db.query<{ now: Date }>("SELECT now() AS now")).rows[0]!.now;
  for (;;) {
    const { rows } = await ctx.db.query<{ mark: string | null }>("SELECT value ->> 'startedAt' AS mark FROM settings WHERE key = 'rollups.watermark'");
    const mark = rows[0]?.mark;
    if (mark && new Date(mark).getTime() > after.getTime()) return (performance.now() - started) / 1000;
    if (performance.now() - started > 30 * 60_000) throw new Error("the rollups did not catch up within 30 minutes of the last batch");
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Writes every row of `table` in COPY text format to `file`, reading keyset pages of text values. */
async function exportTable(ctx: BenchContext, table: string, columns: string[], file: string): Promise<number> {
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  const select = columns.map((c) => `"${c}"::text`).join(", ");
  let last: string | null = null;
  let rows = 0;
  for (;;) {
    const page: { rows: (string | null)[][] } = await ctx.db.query({
      text: `SELECT ${select} FROM "${table}" ${last === null ? "" : `WHERE id > $1`} ORDER BY id LIMIT 20000`,
      values: last === null ? [] : [last],
      rowMode: "array",
    });
    if (page.rows.length === 0) break;
    let chunk = "";
    for (const r of page.rows) chunk += copyLine(r);
    if (!out.write(chunk)) await once(out, "drain");
    rows += page.rows.length;
    last = page.rows[page.rows.length - 1]![0]!;
  }
  out.end();
  await once(out, "finish");
  return rows;
}

async function copyFile(ctx: BenchContext, table: string, columns: string[], file: string): Promise<{ rows: number; seconds: number }> {
  const client = await ctx.db.connect();
  try {
    const started = performance.now();
    const rows = await copyFrom(
      client,
      `COPY "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) FROM STDIN`,
      createReadStream(file, { highWaterMark: 1 << 20 }),
    );
    return { rows, seconds: (performance.now() - started) / 1000 };
  } finally {
    client.release();
  }
}

async function run(ctx: BenchContext): Promise<SectionResult> {
  const { events: total, batchSize, concurrency } = ctx.config;
  // Generated first, so the timed batches follow the warm-up at once, on connections still open.
  ctx.log(`ingest: generating ${total.toLocaleString("en-US")} events…`);
  const generated = generateBodies(ctx);
  ctx.log("ingest: warming the app up…");
  await warmUp(ctx);
  ctx.log(`ingest: POSTing ${total.toLocaleString("en-US")} events in batches of ${batchSize} with ${concurrency} clients…`);
  const http = await ingestOverHttp(ctx, generated.bodies);
  generated.bodies.length = 0;
  ctx.log("ingest: waiting for the review's rollups to take the events in…");
  const rollupLag = await waitForRollups(ctx);
  const ingested = await tableFingerprint(ctx);
  const ledger = (await ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM event_ids")).rows[0]!.n;
  if (ingested.rows !== total || ledger !== total) {
    throw new Error(`after HTTP ingest: ${ingested.rows} rows in cost_events and ${ledger} in event_ids; expected ${total} in each`);
  }
  const partitions = (await ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'cost_events'::regclass")).rows[0]!.n;

  ctx.log("ingest: exporting the stored rows for the COPY baseline…");
  const dir = await mkdtemp(path.join(os.tmpdir(), "cost-review-bench-"));
  try {
    const eventsFile = path.join(dir, "cost_events.copy");
    const ledgerFile = path.join(dir, "event_ids.copy");
    const exportStarted = performance.now();
    await exportTable(ctx, "cost_events", COST_EVENT_COLUMNS, eventsFile);
    await exportTable(ctx, "event_ids", EVENT_ID_COLUMNS, ledgerFile);
    const exportSeconds = (performance.now() - exportStarted) / 1000;
    const fileBytes = (await stat(eventsFile)).size;

    await ctx.db.query("TRUNCATE cost_events, event_ids");
    await ctx.db.query("CHECKPOINT").catch(() => ctx.log("  (CHECKPOINT not allowed for this role; continuing)"));
    ctx.log("ingest: COPY cost_events FROM STDIN…");
    const copyEvents = await copyFile(ctx, "cost_events", COST_EVENT_COLUMNS, eventsFile);
    ctx.log("ingest: COPY event_ids FROM STDIN…");
    const copyLedger = await copyFile(ctx, "event_ids", EVENT_ID_COLUMNS, ledgerFile);
    const reloaded = await tableFingerprint(ctx);
    if (JSON.stringify(reloaded) !== JSON.stringify(ingested) || copyEvents.rows !== total || copyLedger.rows !== total) {
      throw new Error(`COPY did not reload the same rows: ingested ${JSON.stringify(ingested)}, reloaded ${JSON.stringify(reloaded)} (${copyEvents.rows} + ${copyLedger.rows} rows copied)`);
    }
    ctx.dataset.costEvents = reloaded.rows;

    const httpRate = total / http.seconds;
    const copyRate = total / copyEvents.seconds;
    const bothRate = total / (copyEvents.seconds + copyLedger.seconds);
    const l = http.latency;
    return {
      id: "ingest",
      title: `Ingest: POST /api/v1/events over HTTP vs COPY FROM STDIN (${total.toLocaleString("en-US")} events)`,
      metrics: [
        { label: "HTTP ingest", value: httpRate, unit: "events/s", detail: `${total.toLocaleString("en-US")} events in ${http.seconds.toFixed(1)} s; ${http.batches} batches of ${batchSize}, ${concurrency} parallel clients${http.retried ? `; ${http.retried} batches sent again after a network error` : ""}` },
        { label: "  batch latency p50", value: l.p50Ms, unit: "ms" },
        { label: "  batch latency p95", value: l.p95Ms, unit: "ms" },
        { label: "  batch latency max", value: l.maxMs, unit: "ms", detail: `mean ${l.meanMs.toFixed(0)} ms, p99 ${l.p99Ms.toFixed(0)} ms` },
        { label: "  request bodies", value: generated.bytes / 1e6, unit: "MB", detail: `of JSON, generated in ${generated.seconds.toFixed(1)} s before timing` },
        rollupLag === null
          ? { label: "  rollups caught up", value: 0, unit: "s", detail: "not measured: the app ran with ROLLUP_INTERVAL_SECONDS=0" }
          : { label: "  rollups caught up", value: rollupLag, unit: "s", detail: "after the last batch: the review's figures then include every event" },
        { label: "COPY cost_events", value: copyRate, unit: "rows/s", detail: `${copyEvents.seconds.toFixed(1)} s; ${(fileBytes / 1e6).toFixed(0)} MB of COPY text, all ${COST_EVENT_COLUMNS.length} columns` },
        { label: "COPY cost_events + event_ids", value: bothRate, unit: "rows/s", detail: `${(copyEvents.seconds + copyLedger.seconds).toFixed(1)} s: both tables ingest writes` },
        { label: "stored rows", value: total, unit: "rows", detail: `${partitions} monthly partitions; ${http.unpriced.toLocaleString("en-US")} unpriced; ${ingested.sources}` },
      ],
      ratios: [
        { label: "HTTP ingest ÷ COPY", measured: "HTTP events/s", baseline: "COPY cost_events rows/s", value: httpRate / copyRate, target: { min: 0.35 } },
        { label: "HTTP ingest ÷ COPY (both tables)", measured: "HTTP events/s", baseline: "COPY cost_events + event_ids rows/s", value: httpRate / bothRate },
      ],
      notes: [
        "HTTP figures are after a warm-up (one batch per client under other ids, deleted before timing): steady state, monthly partitions already created.",
        `The app's rollup settings: ROLLUP_INTERVAL_SECONDS=${env().ROLLUP_INTERVAL_SECONDS}, ROLLUP_FOLLOW_ABOVE_EVENTS_PER_SECOND=${env().ROLLUP_FOLLOW_ABOVE_EVENTS_PER_SECOND} (during a burst the next refresh comes once the last one has rested twice as long as it took), ROLLUP_DEFER_ABOVE_EVENTS_PER_SECOND=${env().ROLLUP_DEFER_ABOVE_EVENTS_PER_SECOND} (0: refreshes are never held back); the catch-up is timed separately above, and COPY ran after it, on a quiet machine.`,
        `COPY baseline: the ingested rows were exported (${exportSeconds.toFixed(1)} s, not timed), the tables truncated and checkpointed, then the COPY text streamed through the pg client (a COPY FROM STDIN Submittable); the reloaded table matched the ingested one (count, cost sum ${ingested.cost}, token sum).`,
        "The request bodies were generated before the clock started (as the COPY file was); the clients, the app server and PostgreSQL share this machine's cores while they are sent.",
      ],
      data: { http: { ...http, eventsPerSecond: httpRate, bodyBytes: generated.bytes, generateSeconds: generated.seconds, rollupLagSeconds: rollupLag }, copy: { costEvents: copyEvents, eventIds: copyLedger, rowsPerSecond: copyRate, bothTablesRowsPerSecond: bothRate, fileBytes, exportSeconds }, fingerprint: ingested, partitions },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const ingestSection: Section = { id: "ingest", title: "Ingest over HTTP vs COPY", run };
