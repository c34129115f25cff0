// Ingest: validate each event, fill tags from the endpoint registry, price it with the price in effect
// at its timestamp, and store the batch idempotently: an event id is stored once, however often and
// however concurrently it is sent; the same id with other content is a per-row conflict.
//
// Two ways into the tables. A batch of new events (the usual case) is loaded with COPY, PostgreSQL's bulk
// path, into the event_ids ledger, cost_events and the daily rollups' pending list (rollup_pending_events) in
// one transaction; the ledger's unique key refuses the whole COPY if any id is already stored (or being
// stored by another request), and the batch then takes the general path: one INSERT … ON CONFLICT DO
// NOTHING into the ledger that stores the new ids and reports the rest as duplicates or conflicts. The
// embedded server does not take COPY, so it always uses the general path.
import type pg from "pg";
import { pool as defaultPool } from "@/lib/db/client";
import { CopyBuffer, copyFrom, copyText, supportsCopyFrom } from "@/lib/db/copy";
import type { FieldError } from "@/lib/errors";
import { canonicalJson, contentFingerprint, parseEvent, sha256Hex, type CanonicalEvent } from "@/lib/ingest/event-schema";
import { noteIngested } from "@/lib/ingest/activity";
import { ensurePartitions } from "@/lib/ingest/partitions";
import { costEvent, type EventCost } from "@/lib/pricing/price-event";
import { activePrices } from "@/lib/pricing/load-prices";
import { applyContract, loadActiveContracts, type Contract } from "@/lib/pricing/contracts";
import { recomputeGpuHours } from "@/lib/pricing/recompute-gpu";
import type { PriceEntry } from "@/lib/pricing/price-entry";
import { withTransaction } from "@/lib/db/transaction";

export type RejectedRow = { index: number; id: string | null; errors: FieldError[] };
export type IngestResult = { accepted: number; duplicates: number; unpriced: number; rejected: RejectedRow[] };

/** Events older than this, or further in the future than MAX_FUTURE_MS, are refused as clock or unit mistakes. */
export const EARLIEST_TIMESTAMP = new Date("2015-01-01T00:00:00Z");
export const MAX_FUTURE_MS = 24 * 3_600_000;

type EndpointTags = Map<string, { feature: string; team: string }>;
let endpointCache: { at: number; map: EndpointTags } | null = null;

async function endpointTags(db: pg.Pool): Promise<EndpointTags> {
  if (!endpointCache || Date.now() - endpointCache.at > 5_000) {
    const { rows } = await db.query<{ slug: string; feature: string; team: string }>(
      `SELECT e.slug, f.slug AS feature, t.slug AS team FROM endpoints e JOIN features f ON f.id = e.feature_id JOIN teams t ON t.id = f.team_id`,
    );
    endpointCache = { at: Date.now(), map: new Map(rows.map((r) => [r.slug, { feature: r.feature, team: r.team }])) };
  }
  return endpointCache.map;
}

/**
 * `iso` is the timestamp as ISO text, made once. `content` is the event as sent (after the registry filled
 * its tags) in COPY text: the stored row's leading columns, and what the fingerprint hashes.
 */
type Prepared = { index: number; event: CanonicalEvent; iso: string; metadata: string | null; content: string; extras: string; fingerprint: string; cost: EventCost; listCost: string | null };

function idOf(raw: unknown): string | null {
  if (raw && typeof raw === "object" && "id" in raw) {
    const id = (raw as { id: unknown }).id;
    if (typeof id === "string") return id.slice(0, 255);
  }
  return null;
}

export function prepareBatch(
  raws: readonly unknown[],
  prices: readonly PriceEntry[],
  tags: EndpointTags,
  now = new Date(),
  rejected: RejectedRow[] = [],
  contracts: readonly Contract[] = [],
): { rows: Prepared[]; duplicates: number; rejected: RejectedRow[] } {
  const byId = new Map<string, Prepared>();
  const alreadyRejected = new Set(rejected.map((r) => r.index));
  let duplicates = 0;
  raws.forEach((raw, index) => {
    if (alreadyRejected.has(index)) return;
    const parsed = parseEvent(raw, index);
    if (!parsed.ok) {
      rejected.push({ index, id: idOf(raw), errors: parsed.errors });
      return;
    }
    const event = parsed.event;
    const ts = event.timestamp.getTime();
    if (ts < EARLIEST_TIMESTAMP.getTime() || ts > now.getTime() + MAX_FUTURE_MS) {
      rejected.push({
        index,
        id: event.id,
        errors: [{ path: `events.${index}.timestamp`, message: `timestamp must be between 2015-01-01 and 24 hours from now (got ${event.timestamp.toISOString()})` }],
      });
      return;
    }
    if (event.endpoint) {
      const registered = tags.get(event.endpoint);
      if (registered) {
        event.feature ??= registered.feature;
        event.team ??= registered.team;
      }
    }
    const iso = event.timestamp.toISOString();
    const metadata = event.metadata ? canonicalJson(event.metadata) : null;
    const content = contentLine(event, iso, metadata);
    const extras = extrasLine(event);
    // An event without extras keeps the fingerprint it had before extras existed, so its retries stay duplicates.
    const withExtras = hasExtras(event) ? `${content}\t${extras}` : content;
    const fingerprint = ledgerFingerprint(event.customerId === null ? withExtras : `${withExtras}\tcustomer\t${copyText(event.customerId)}`, event.costUsd);
    const earlier = byId.get(event.id);
    if (earlier) {
      if (earlier.fingerprint === fingerprint) duplicates++;
      else rejected.push({ index, id: event.id, errors: [{ path: `events.${index}.id`, message: `id "${event.id}" appears earlier in this batch (index ${earlier.index}) with different content` }] });
      return;
    }
    const listed = costEvent(
      {
        usage: event.usage,
        costUsd: event.costUsd,
        provider: event.provider ?? undefined,
        model: event.model ?? undefined,
        timestamp: event.timestamp,
        kind: event.kind,
        extras: event.extras,
      },
      prices,
    );
    // A contract discounts an estimated or incomplete cost after list price; the list cost is kept beside it.
    const { cost, listCost } = applyContract(listed, contracts, { provider: event.provider, model: event.model, timestamp: event.timestamp });
    byId.set(event.id, { index, event, iso, metadata, content, extras, fingerprint, cost, listCost });
  });
  return { rows: [...byId.values()], duplicates, rejected };
}

/** One stored column of cost_events: its name, its array type for the general path and its value for a row. */
type Field<R> = { column: string; type: string; value: (r: R) => string | number | null };
/** What the content columns are made from. */
type Content = Pick<Prepared, "event" | "iso" | "metadata">;

const CONTENT_FIELDS: readonly Field<Content>[] = [
  { column: "id", type: "text", value: (p) => p.event.id },
  { column: "ts", type: "timestamptz", value: (p) => p.iso },
  { column: "request_id", type: "text", value: (p) => p.event.requestId },
  { column: "endpoint", type: "text", value: (p) => p.event.endpoint },
  { column: "feature", type: "text", value: (p) => p.event.feature },
  { column: "team", type: "text", value: (p) => p.event.team },
  { column: "cohort", type: "text", value: (p) => p.event.cohort },
  { column: "kind", type: "text", value: (p) => p.event.kind },
  { column: "provider", type: "text", value: (p) => p.event.provider },
  { column: "model", type: "text", value: (p) => p.event.model },
  { column: "input_tokens", type: "bigint", value: (p) => p.event.usage.inputTokens },
  { column: "cache_read_tokens", type: "bigint", value: (p) => p.event.usage.cacheReadTokens },
  { column: "cache_write_tokens", type: "bigint", value: (p) => p.event.usage.cacheWriteTokens },
  { column: "cache_write_1h_tokens", type: "bigint", value: (p) => p.event.usage.cacheWrite1hTokens },
  { column: "output_tokens", type: "bigint", value: (p) => p.event.usage.outputTokens },
  { column: "reasoning_tokens", type: "bigint", value: (p) => p.event.usage.reasoningTokens },
  { column: "tool_output_tokens", type: "bigint", value: (p) => p.event.usage.toolOutputTokens },
  { column: "status", type: "text", value: (p) => p.event.status },
  { column: "attempt", type: "int", value: (p) => p.event.attempt },
  { column: "latency_ms", type: "float8", value: (p) => p.event.latencyMs },
  { column: "pool", type: "text", value: (p) => p.event.pool },
  { column: "gpu_seconds", type: "float8", value: (p) => p.event.gpuSeconds },
  { column: "metadata", type: "jsonb", value: (p) => p.metadata },
];
/** The event's extras (served tier, tool calls, modality counts): content too, fingerprinted only when present. */
const EXTRA_FIELDS: readonly Field<Pick<Prepared, "event">>[] = [
  { column: "service_tier", type: "text", value: (p) => p.event.extras.serviceTier },
  { column: "tool_calls", type: "jsonb", value: (p) => (p.event.extras.toolCalls ? canonicalJson(p.event.extras.toolCalls) : null) },
  { column: "audio_input_tokens", type: "bigint", value: (p) => p.event.extras.audioInputTokens },
  { column: "audio_output_tokens", type: "bigint", value: (p) => p.event.extras.audioOutputTokens },
  { column: "image_input_tokens", type: "bigint", value: (p) => p.event.extras.imageInputTokens },
  { column: "unknown_usage", type: "jsonb", value: (p) => (p.event.extras.unknownUsage ? canonicalJson(p.event.extras.unknownUsage) : null) },
];
/** What pricing made of the event: not part of its content, and changed by re-pricing. */
const COST_FIELDS: readonly Field<Prepared>[] = [
  { column: "cost_usd", type: "numeric", value: (p) => p.cost.cost },
  { column: "list_cost_usd", type: "numeric", value: (p) => p.listCost },
  { column: "cost_source", type: "text", value: (p) => p.cost.source },
  {
    column: "price_entry_id",
    type: "uuid",
    value: (p) => ((p.cost.source === "estimated" || p.cost.source === "incomplete") && UUID.test(p.cost.priceEntryId) ? p.cost.priceEntryId : null),
  },
  { column: "unpriced_reason", type: "text", value: (p) => (p.cost.source === "unpriced" || p.cost.source === "incomplete" ? p.cost.reason : null) },
];
/** The customer: content too, fingerprinted only when set (events without one keep their fingerprints). */
const CUSTOMER_FIELD: Field<Pick<Prepared, "event">> = { column: "customer_id", type: "text", value: (p) => p.event.customerId };
/**
 * The request the event is stored with (its request id, or its own id when it names none): where the event
 * lives on a Citus cluster (migration 0024). Derived from the content, so not fingerprinted itself.
 */
const KEY_FIELD: Field<Pick<Prepared, "event">> = { column: "request_key", type: "text", value: (p) => p.event.requestId ?? p.event.id };
const FIELDS: readonly Field<Prepared>[] = [...CONTENT_FIELDS, ...EXTRA_FIELDS, CUSTOMER_FIELD, ...COST_FIELDS, KEY_FIELD];

function hasExtras(event: CanonicalEvent): boolean {
  const x = event.extras;
  return x.serviceTier !== null || x.toolCalls !== null || x.audioInputTokens > 0 || x.audioOutputTokens > 0 || x.imageInputTokens > 0 || x.unknownUsage !== null;
}

/** The extras columns in COPY text. */
function extrasLine(event: CanonicalEvent): string {
  return EXTRA_FIELDS.map((f) => copyValue(f.value({ event }))).join("\t");
}
// Built-in catalogue entries have ids that are not UUIDs: the cost row then names no price_entries row.
const UUID = /^[0-9a-f-]{36}$/;

const COLUMN_LIST = FIELDS.map((f) => f.column).join(", ");

// The general path: every row offered to the ledger, new ids stored, known ones reported by the caller.
const INSERT_SQL = `
WITH input AS (
  SELECT * FROM unnest(${FIELDS.map((f, i) => `$${i + 1}::${f.type === "jsonb" ? "text" : f.type}[]`).join(", ")}, $${FIELDS.length + 1}::text[])
    AS t(${COLUMN_LIST}, fingerprint)
), fresh AS (
  -- In id order: two batches sharing ids then wait on each other in one order and never deadlock.
  INSERT INTO event_ids (id, ts, fingerprint) SELECT id, ts, fingerprint FROM input ORDER BY id COLLATE "C" ON CONFLICT (id) DO NOTHING RETURNING id
), stored AS (
  INSERT INTO cost_events (${COLUMN_LIST})
  SELECT ${FIELDS.map((f) => (f.type === "jsonb" ? `i.${f.column}::jsonb` : `i.${f.column}`)).join(", ")}
  FROM input i JOIN fresh f ON f.id = i.id
  RETURNING id, request_key, ts
), pending AS (
  INSERT INTO rollup_pending_events (request_key, id, ts) SELECT request_key, id, ts FROM stored
)
SELECT id FROM stored`;

function columns(rows: Prepared[]): unknown[] {
  return [...FIELDS.map((f) => rows.map(f.value)), rows.map((p) => p.fingerprint)];
}

const copyValue = (v: string | number | null): string => (typeof v === "number" ? String(v) : copyText(v));

/** The ledger rows in COPY text, in id order (the order the general path takes its row locks in). */
function ledgerCopy(rows: Prepared[]): Buffer {
  const sorted = rows.slice().sort((a, b) => (a.event.id < b.event.id ? -1 : a.event.id > b.event.id ? 1 : 0));
  const out = new CopyBuffer(rows.length * 128);
  for (const p of sorted) out.line(`${copyText(p.event.id)}\t${p.iso}\t${p.fingerprint}`);
  return out.bytes();
}

/** The daily rollups' pending rows (rollup_pending_events) in COPY text: one per event stored. */
function pendingCopy(rows: Prepared[]): Buffer {
  const out = new CopyBuffer(rows.length * 96);
  for (const p of rows) out.line(`${copyValue(KEY_FIELD.value(p))}\t${copyText(p.event.id)}\t${p.iso}`);
  return out.bytes();
}

function eventsCopy(rows: Prepared[]): Buffer {
  const out = new CopyBuffer(rows.length * 384);
  for (const p of rows) {
    let line = `${p.content}\t${p.extras}\t${copyText(p.event.customerId)}`;
    for (const f of COST_FIELDS) line += "\t" + copyValue(f.value(p));
    out.line(line + "\t" + copyValue(KEY_FIELD.value(p)));
  }
  return out.bytes();
}

/** The event's content columns in COPY text, tab-separated: unambiguous, since COPY escapes tabs and marks NULL. */
export function contentLine(event: CanonicalEvent, iso: string, metadata: string | null): string {
  const p: Content = { event, iso, metadata };
  // Joined, not concatenated: the line lives until the batch is stored, and a flat string is one object
  // where a chain of concatenations is dozens for the garbage collector to trace.
  const parts = new Array<string>(CONTENT_FIELDS.length);
  for (let i = 0; i < CONTENT_FIELDS.length; i++) parts[i] = copyValue(CONTENT_FIELDS[i]!.value(p));
  return parts.join("\t");
}

/**
 * The ledger's fingerprint of an event: sha256 of its content line and the billed cost it was sent with
 * ("v2:" + hex). Equal for a retry of the same event (key order, number spelling and cost notation do not
 * matter: the parser normalised them), different for a changed re-send. Ledger rows from before this
 * form hold contentFingerprint (64 hex digits); sameContent() compares either kind.
 */
export function ledgerFingerprint(content: string, costUsd: string | null): string {
  return `v2:${sha256Hex(`${content}\t${copyText(costUsd)}`)}`;
}

function sameContent(stored: string | undefined, row: Prepared): boolean {
  if (stored === undefined) return false;
  return stored.startsWith("v2:") ? stored === row.fingerprint : stored === contentFingerprint(row.event, row.iso);
}

/** unique_violation: an id of the batch is already in the ledger. deadlock_detected: two such batches crossed. */
const FALL_BACK_CODES = new Set(["23505", "40P01"]);
/** What a worker answered a Citus coordinator's COPY with, which the coordinator passes on as XX000. */
const FALL_BACK_MESSAGES = /^(duplicate key value violates unique constraint|deadlock detected)/;

function fallsBack(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return FALL_BACK_CODES.has(e.code ?? "") || (e.code === "XX000" && FALL_BACK_MESSAGES.test(e.message ?? ""));
}

/**
 * The fast path for a batch of new events (the usual case): both tables are loaded with COPY, PostgreSQL's
 * bulk-load path, in one transaction. When any id is already stored, or another transaction is storing it,
 * the unique key refuses the COPY, the transaction rolls back and false is returned: the caller then takes
 * the general path, which sorts out duplicates and conflicts row by row. Nothing is stored twice either way.
 */
async function copyNewEvents(client: pg.PoolClient, rows: Prepared[]): Promise<boolean> {
  try {
    await withTransaction(async () => {
      await copyFrom(client, "COPY event_ids (id, ts, fingerprint) FROM STDIN", [ledgerCopy(rows)]);
      await copyFrom(client, `COPY cost_events (${COLUMN_LIST}) FROM STDIN`, [eventsCopy(rows)]);
      await copyFrom(client, "COPY rollup_pending_events (request_key, id, ts) FROM STDIN", [pendingCopy(rows)]);
    }, { db: client });
    return true;
  } catch (err) {
    if (fallsBack(err)) return false;
    throw err;
  }
}

/** The general path: returns the ids it stored; the rest of the batch was already in the ledger. */
async function insertNewEvents(client: pg.PoolClient, rows: Prepared[]): Promise<{ stored: Set<string>; known: Map<string, string> }> {
  return withTransaction(async () => {
    const stored = new Set((await client.query<{ id: string }>(INSERT_SQL, columns(rows))).rows.map((r) => r.id));
    const notStored = rows.filter((r) => !stored.has(r.event.id)).map((r) => r.event.id);
    let known = new Map<string, string>();
    if (notStored.length) {
      const { rows: found } = await client.query<{ id: string; fingerprint: string }>("SELECT id, fingerprint FROM event_ids WHERE id = ANY($1::text[])", [notStored]);
      known = new Map(found.map((r) => [r.id, r.fingerprint]));
    }
    return { stored, known };
  }, { db: client });
}

export async function ingestEvents(
  raws: readonly unknown[],
  opts: {
    db?: pg.Pool;
    rejected?: RejectedRow[];
    /** bulk loads recompute GPU pools once at the end instead */
    skipGpuRecompute?: boolean;
    /** false: take the general path even where the server takes COPY (tests compare the two) */
    copy?: boolean;
  } = {},
): Promise<IngestResult> {
  const db = opts.db ?? defaultPool();
  const [prices, tags, contracts] = await Promise.all([activePrices(), endpointTags(db), loadActiveContracts(db)]);
  const batch = prepareBatch(raws, prices, tags, new Date(), opts.rejected ?? [], contracts);
  let accepted = 0;
  let duplicates = batch.duplicates;
  let unpriced = 0;
  if (batch.rows.length) {
    await ensurePartitions(db, batch.rows.map((r) => r.iso));
    const useCopy = opts.copy !== false && (await supportsCopyFrom(db));
    const client = await db.connect();
    let stored: Set<string>;
    let failure: Error | undefined;
    try {
      if (useCopy && (await copyNewEvents(client, batch.rows))) {
        stored = new Set(batch.rows.map((r) => r.event.id));
      } else {
        const general = await insertNewEvents(client, batch.rows);
        stored = general.stored;
        for (const r of batch.rows) {
          if (stored.has(r.event.id)) continue;
          if (sameContent(general.known.get(r.event.id), r)) duplicates++;
          else
            batch.rejected.push({
              index: r.index,
              id: r.event.id,
              errors: [{ path: `events.${r.index}.id`, message: `an event with id "${r.event.id}" was already stored with different content; send a new id for a new event` }],
            });
        }
      }
    } catch (err) {
      failure = err as Error;
      throw err;
    } finally {
      // A connection that failed mid-COPY may be out of step with the server: close it rather than reuse it.
      client.release(failure);
    }
    accepted = stored.size;
    noteIngested(accepted);
    unpriced = batch.rows.filter((r) => stored.has(r.event.id) && r.cost.source === "unpriced").length;
    // Duplicates too: a retry after a crash between commit and recompute heals the allocation.
    const conflicting = new Set(batch.rejected.map((r) => r.index));
    const gpu = batch.rows.filter((r) => r.event.kind === "gpu" && r.event.pool && !conflicting.has(r.index));
    if (gpu.length && !opts.skipGpuRecompute) await recomputeGpuHours(db, gpu.map((r) => ({ pool: r.event.pool!, hour: r.event.timestamp })));
  }
  batch.rejected.sort((a, b) => a.index - b.index);
  return { accepted, duplicates, unpriced, rejected: batch.rejected };
}
