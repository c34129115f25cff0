// The active price book, read from the database and kept briefly in memory for the ingest path.
import type pg from "pg";
import { pool, type Db } from "@/lib/db/client";
import { parsePriceEntry, type PriceEntry } from "@/lib/pricing/price-entry";
import { builtInCatalogue } from "@/lib/pricing/catalogue";

const TTL_MS = 5_000;
// On globalThis: the server may load this module once per route bundle, and a price-book change made
// through one route must reach the ingest route's copy too.
// The generation counts invalidations, so a load that started before a change does not cache the old book.
const g = globalThis as unknown as { __costReviewPrices?: { at: number; entries: PriceEntry[] } | null; __costReviewPricesGen?: number };

/** A price_entries row as pg returns it (numeric columns as strings). */
export type PriceRow = {
  id: string;
  provider: string;
  model: string | null;
  model_pattern: string | null;
  effective_from: Date;
  effective_to: Date | null;
  input_per_mtok: string;
  cache_read_per_mtok: string | null;
  cache_write_per_mtok: string | null;
  cache_write_1h_per_mtok: string | null;
  output_per_mtok: string;
  reasoning_per_mtok: string | null;
  tool_output_per_mtok: string | null;
  per_call_usd: string | null;
  tiers: unknown;
  service_tiers: unknown;
  tool_fees: unknown;
  modality_rates: unknown;
  currency: string;
  source: string;
  version: number;
};

export function rowToEntry(r: PriceRow): PriceEntry {
  return parsePriceEntry({
    id: r.id,
    provider: r.provider,
    model: r.model,
    modelPattern: r.model_pattern,
    effectiveFrom: r.effective_from,
    effectiveTo: r.effective_to,
    inputPerMTok: r.input_per_mtok,
    cacheReadPerMTok: r.cache_read_per_mtok,
    cacheWritePerMTok: r.cache_write_per_mtok,
    cacheWrite1hPerMTok: r.cache_write_1h_per_mtok,
    outputPerMTok: r.output_per_mtok,
    reasoningPerMTok: r.reasoning_per_mtok,
    toolOutputPerMTok: r.tool_output_per_mtok,
    perCallUsd: r.per_call_usd,
    tiers: r.tiers ?? null,
    serviceTiers: r.service_tiers ?? null,
    toolFees: r.tool_fees ?? null,
    modalityRates: r.modality_rates ?? null,
    currency: r.currency,
    source: r.source,
    version: r.version,
  });
}

export async function loadActivePrices(db: Db): Promise<PriceEntry[]> {
  // A stable order: matchPrice breaks its last ties by position, so ingest and re-pricing must agree on it.
  const { rows } = await db.query<PriceRow>(`SELECT * FROM price_entries WHERE retired_at IS NULL ORDER BY created_at, id`);
  return rows.map(rowToEntry);
}

/** The active entries, at most a few seconds old. */
export async function activePrices(): Promise<PriceEntry[]> {
  const cached = g.__costReviewPrices;
  if (cached && Date.now() - cached.at <= TTL_MS) return cached.entries;
  const generation = g.__costReviewPricesGen ?? 0;
  const fresh = { at: Date.now(), entries: await loadActivePrices(pool()) };
  if ((g.__costReviewPricesGen ?? 0) === generation) g.__costReviewPrices = fresh;
  return fresh.entries;
}

/** Call after changing the price book so this process prices new events with it at once. */
export function invalidatePrices(): void {
  g.__costReviewPricesGen = (g.__costReviewPricesGen ?? 0) + 1;
  g.__costReviewPrices = null;
}

const COLUMNS =
  "provider, model, model_pattern, effective_from, effective_to, input_per_mtok, cache_read_per_mtok, cache_write_per_mtok, " +
  "cache_write_1h_per_mtok, output_per_mtok, reasoning_per_mtok, tool_output_per_mtok, per_call_usd, tiers, service_tiers, tool_fees, " +
  "modality_rates, currency, source, version, created_by";

export function entryValues(e: PriceEntry, createdBy: string): unknown[] {
  return [
    e.provider,
    e.model,
    e.modelPattern,
    e.effectiveFrom,
    e.effectiveTo,
    e.inputPerMTok,
    e.cacheReadPerMTok,
    e.cacheWritePerMTok,
    e.cacheWrite1hPerMTok,
    e.outputPerMTok,
    e.reasoningPerMTok,
    e.toolOutputPerMTok,
    e.perCallUsd,
    e.tiers === null ? null : JSON.stringify(e.tiers),
    e.serviceTiers === null ? null : JSON.stringify(e.serviceTiers),
    e.toolFees === null ? null : JSON.stringify(e.toolFees),
    e.modalityRates === null ? null : JSON.stringify(e.modalityRates),
    e.currency,
    e.source,
    e.version,
    createdBy,
  ];
}

export async function insertPriceEntry(db: pg.Pool | pg.PoolClient, e: PriceEntry, createdBy: string): Promise<string> {
  const params = entryValues(e, createdBy);
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO price_entries (${COLUMNS}) VALUES (${params.map((_, i) => `$${i + 1}`).join(", ")}) RETURNING id`,
    params,
  );
  return rows[0]!.id;
}

/** On a database with an empty price book, load the built-in catalogue of list prices. */
export async function ensureBuiltInPrices(db: pg.Pool): Promise<number> {
  const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM price_entries");
  if ((rows[0]?.n ?? 0) > 0) return 0;
  const entries = builtInCatalogue();
  for (const e of entries) await insertPriceEntry(db, e, "built-in catalogue");
  invalidatePrices();
  return entries.length;
}
