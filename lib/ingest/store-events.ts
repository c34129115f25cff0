// Ingest: validate each event, fill tags from the endpoint registry, price it with the price in effect
// at its timestamp, and store the batch idempotently: an event id is stored once, however often and
// however concurrently it is sent; the same id with other content is a per-row conflict.
import type pg from "pg";
import { pool as defaultPool } from "@/lib/db/client";
import type { FieldError } from "@/lib/errors";
import { contentFingerprint, parseEvent, type CanonicalEvent } from "@/lib/ingest/event-schema";
import { ensurePartitions } from "@/lib/ingest/partitions";
import { costEvent, type EventCost } from "@/lib/pricing/price-event";
import { activePrices } from "@/lib/pricing/load-prices";
import { recomputeGpuHours } from "@/lib/pricing/recompute-gpu";
import type { PriceEntry } from "@/lib/pricing/price-entry";

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

type Prepared = { index: number; event: CanonicalEvent; fingerprint: string; cost: EventCost };

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
    const fingerprint = contentFingerprint(event);
    const earlier = byId.get(event.id);
    if (earlier) {
      if (earlier.fingerprint === fingerprint) duplicates++;
      else rejected.push({ index, id: event.id, errors: [{ path: `events.${index}.id`, message: `id "${event.id}" appears earlier in this batch (index ${earlier.index}) with different content` }] });
      return;
    }
    const cost = costEvent(
      { usage: event.usage, costUsd: event.costUsd, provider: event.provider ?? undefined, model: event.model ?? undefined, timestamp: event.timestamp, kind: event.kind },
      prices,
    );
    byId.set(event.id, { index, event, fingerprint, cost });
  });
  return { rows: [...byId.values()], duplicates, rejected };
}

const INSERT_SQL = `
WITH input AS (
  SELECT * FROM unnest(
    $1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
    $11::bigint[], $12::bigint[], $13::bigint[], $14::bigint[], $15::bigint[], $16::bigint[], $17::bigint[],
    $18::numeric[], $19::text[], $20::uuid[], $21::text[], $22::text[], $23::int[], $24::float8[], $25::text[], $26::float8[], $27::text[], $28::text[]
  ) AS t(id, ts, request_id, endpoint, feature, team, cohort, kind, provider, model,
         input_tokens, cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, output_tokens, reasoning_tokens, tool_output_tokens,
         cost_usd, cost_source, price_entry_id, unpriced_reason, status, attempt, latency_ms, pool, gpu_seconds, metadata, fingerprint)
), fresh AS (
  -- In id order: two batches sharing ids then wait on each other in one order and never deadlock.
  INSERT INTO event_ids (id, ts, fingerprint) SELECT id, ts, fingerprint FROM input ORDER BY id COLLATE "C" ON CONFLICT (id) DO NOTHING RETURNING id
), stored AS (
  INSERT INTO cost_events (id, ts, request_id, endpoint, feature, team, cohort, kind, provider, model,
    input_tokens, cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, output_tokens, reasoning_tokens, tool_output_tokens,
    cost_usd, cost_source, price_entry_id, unpriced_reason, status, attempt, latency_ms, pool, gpu_seconds, metadata)
  SELECT i.id, i.ts, i.request_id, i.endpoint, i.feature, i.team, i.cohort, i.kind, i.provider, i.model,
    i.input_tokens, i.cache_read_tokens, i.cache_write_tokens, i.cache_write_1h_tokens, i.output_tokens, i.reasoning_tokens, i.tool_output_tokens,
    i.cost_usd, i.cost_source, i.price_entry_id, i.unpriced_reason, i.status, i.attempt, i.latency_ms, i.pool, i.gpu_seconds, i.metadata::jsonb
  FROM input i JOIN fresh f ON f.id = i.id
  RETURNING id
)
SELECT id FROM stored`;

function columns(rows: Prepared[]): unknown[] {
  const col = <T>(f: (p: Prepared) => T) => rows.map(f);
  const e = (p: Prepared) => p.event;
  return [
    col((p) => e(p).id),
    col((p) => e(p).timestamp.toISOString()),
    col((p) => e(p).requestId),
    col((p) => e(p).endpoint),
    col((p) => e(p).feature),
    col((p) => e(p).team),
    col((p) => e(p).cohort),
    col((p) => e(p).kind),
    col((p) => e(p).provider),
    col((p) => e(p).model),
    col((p) => e(p).usage.inputTokens),
    col((p) => e(p).usage.cacheReadTokens),
    col((p) => e(p).usage.cacheWriteTokens),
    col((p) => e(p).usage.cacheWrite1hTokens),
    col((p) => e(p).usage.outputTokens),
    col((p) => e(p).usage.reasoningTokens),
    col((p) => e(p).usage.toolOutputTokens),
    col((p) => p.cost.cost),
    col((p) => p.cost.source),
    col((p) => (p.cost.source === "estimated" && /^[0-9a-f-]{36}$/.test(p.cost.priceEntryId) ? p.cost.priceEntryId : null)),
    col((p) => (p.cost.source === "unpriced" ? p.cost.reason : null)),
    col((p) => e(p).status),
    col((p) => e(p).attempt),
    col((p) => e(p).latencyMs),
    col((p) => e(p).pool),
    col((p) => e(p).gpuSeconds),
    col((p) => (e(p).metadata ? JSON.stringify(e(p).metadata) : null)),
    col((p) => p.fingerprint),
  ];
}

export async function ingestEvents(
  raws: readonly unknown[],
  opts: { db?: pg.Pool; rejected?: RejectedRow[]; /** bulk loads recompute GPU pools once at the end instead */ skipGpuRecompute?: boolean } = {},
): Promise<IngestResult> {
  const db = opts.db ?? defaultPool();
  const [prices, tags] = await Promise.all([activePrices(), endpointTags(db)]);
  const batch = prepareBatch(raws, prices, tags, new Date(), opts.rejected ?? []);
  let accepted = 0;
  let duplicates = batch.duplicates;
  let unpriced = 0;
  if (batch.rows.length) {
    await ensurePartitions(db, batch.rows.map((r) => r.event.timestamp));
    const client = await db.connect();
    try {
      await client.query("BEGIN");
      const stored = new Set((await client.query<{ id: string }>(INSERT_SQL, columns(batch.rows))).rows.map((r) => r.id));
      const notStored = batch.rows.filter((r) => !stored.has(r.event.id));
      if (notStored.length) {
        const { rows } = await client.query<{ id: string; fingerprint: string }>(
          "SELECT id, fingerprint FROM event_ids WHERE id = ANY($1::text[])",
          [notStored.map((r) => r.event.id)],
        );
        const known = new Map(rows.map((r) => [r.id, r.fingerprint]));
        for (const r of notStored) {
          if (known.get(r.event.id) === r.fingerprint) duplicates++;
          else
            batch.rejected.push({
              index: r.index,
              id: r.event.id,
              errors: [{ path: `events.${r.index}.id`, message: `an event with id "${r.event.id}" was already stored with different content; send a new id for a new event` }],
            });
        }
      }
      await client.query("COMMIT");
      accepted = stored.size;
      unpriced = batch.rows.filter((r) => stored.has(r.event.id) && r.cost.source === "unpriced").length;
      // Duplicates too: a retry after a crash between commit and recompute heals the allocation.
      const conflicting = new Set(batch.rejected.map((r) => r.index));
      const gpu = batch.rows.filter((r) => r.event.kind === "gpu" && r.event.pool && !conflicting.has(r.index));
      if (gpu.length && !opts.skipGpuRecompute) await recomputeGpuHours(db, gpu.map((r) => ({ pool: r.event.pool!, hour: r.event.timestamp })));
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
  batch.rejected.sort((a, b) => a.index - b.index);
  return { accepted, duplicates, unpriced, rejected: batch.rejected };
}
