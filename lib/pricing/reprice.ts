// Re-pricing: which stored events a price-book change re-prices, by how much, and (when applied) the
// chunked update of those events inside the caller's transaction.
//
// Decisions:
// - The new cost of an event is costEvent over the price book AS IT WILL BE after the change: the same
//   function, the same precedence and the same defaults as at ingest, so a re-priced event carries
//   exactly what it would have carried had it arrived after the change.
// - Candidates are stored events that the changed entries could price: not billed (the provider's own
//   number is never replaced by an estimate), not GPU (priced by pool-hour allocation), with a provider
//   and model that one of the changed entries matches (exact name or glob, after the same name
//   normalisation as matchPrice) at a timestamp inside that entry's effective window. A changed entry is
//   one that is added, retired, or whose window is shortened (only the cut-off part counts).
// - A candidate is in the diff when its cost, its cost source or its price entry differs from what is
//   stored. Costs are compared as stored: cost_usd is NUMERIC(30,12), so the new exact cost is rounded
//   to 12 places the way PostgreSQL rounds (half away from zero) before comparing and summing.
// - An unpriced event whose reason is an unusable costUsd stays as it is: it had a vendor cost that we
//   could not use, and estimating it instead would hide that.
// - A contract (contracts.ts) applies after list price, as at ingest: cost_usd is the contracted cost and
//   list_cost_usd the list cost (NULL when no contract applied). A change of list cost alone is a change.
//   A contract change scans the events its provider (and model) and window cover, like a price entry.
// - Events are read and written in chunks of CHUNK (keyset order ts, id), so a change covering years of
//   events never loads them all at once; only the per model and month summary is kept in memory.
import type pg from "pg";
import { monthKey } from "@/lib/ingest/partitions";
import { globMatches, isInEffect, modelNameVariants } from "@/lib/pricing/match-price";
import { Dec, type PriceEntry } from "@/lib/pricing/price-entry";
import { applyContract, type Contract } from "@/lib/pricing/contracts";
import { costEvent, EVENT_KINDS, type EventKind, type TokenUsage, type UsageExtras } from "@/lib/pricing/price-event";

export const CHUNK = 5_000;

/** An event as stored, with what re-pricing needs. */
export type StoredEvent = {
  id: string;
  ts: Date;
  kind: string;
  provider: string;
  model: string;
  usage: Required<TokenUsage>;
  /** The served service tier, tool calls and modality counts the event was stored with. */
  extras: UsageExtras;
  costUsd: string | null;
  /** The list cost when a contract discounted costUsd; null means costUsd is the list cost. */
  listCostUsd: string | null;
  costSource: string;
  priceEntryId: string | null;
  unpricedReason: string | null;
};

export type EventUpdate = {
  id: string;
  ts: Date;
  costUsd: string | null;
  listCostUsd: string | null;
  costSource: "estimated" | "incomplete" | "unpriced" | "none";
  priceEntryId: string | null;
  unpricedReason: string | null;
};

export type RepriceRow = {
  provider: string;
  model: string;
  /** UTC month, "2026-03". */
  month: string;
  events: number;
  oldTotal: string;
  newTotal: string;
  unpricedToPriced: number;
  pricedToUnpriced: number;
  closed: boolean;
};

export type RepriceDiff = {
  events: number;
  months: string[];
  oldTotal: string;
  newTotal: string;
  unpricedToPriced: number;
  pricedToUnpriced: number;
  rows: RepriceRow[];
  /** Affected months that finance has closed; an apply is refused while this is not empty. */
  closedMonths: string[];
};

/** Costs are stored as NUMERIC(30,12); PostgreSQL rounds half away from zero on the cast. */
export function asStored(cost: string): string {
  return new Dec(cost).toDecimalPlaces(12, Dec.ROUND_HALF_UP).toFixed();
}

// ---------------------------------------------------------------------------------------------------
// Which events a change can touch.

/** What decides which events a change can touch: a price entry, or a contract's scope (contractScope). */
export type ScopeEntry = Pick<PriceEntry, "provider" | "model" | "modelPattern" | "effectiveFrom" | "effectiveTo">;

export type ChangeScope = {
  entries: ScopeEntry[];
  byProvider: Map<string, { exact: Map<string, ScopeEntry[]>; patterns: ScopeEntry[] }>;
};

export function changeScope(entries: readonly ScopeEntry[]): ChangeScope {
  const byProvider: ChangeScope["byProvider"] = new Map();
  for (const e of entries) {
    const p = e.provider.toLowerCase();
    let slot = byProvider.get(p);
    if (!slot) byProvider.set(p, (slot = { exact: new Map(), patterns: [] }));
    if (e.model !== null) {
      const list = slot.exact.get(e.model) ?? [];
      list.push(e);
      slot.exact.set(e.model, list);
    } else if (e.modelPattern !== null) {
      slot.patterns.push(e);
    }
  }
  return { entries: [...entries], byProvider };
}

/** Could one of the changed entries price this provider/model at this moment? */
export function couldMatch(scope: ChangeScope, provider: string, model: string, at: Date): boolean {
  const slot = scope.byProvider.get(provider.trim().toLowerCase());
  if (!slot) return false;
  const names = modelNameVariants(model.trim());
  for (const name of names) {
    for (const e of slot.exact.get(name) ?? []) if (isInEffect(e, at)) return true;
  }
  for (const e of slot.patterns) {
    if (isInEffect(e, at) && names.some((n) => globMatches(e.modelPattern!, n))) return true;
  }
  return false;
}

/**
 * A LIKE pattern that every model name the entry can match satisfies (a superset: matchPrice also tries
 * the name without its provider path and date suffix, and each of those is a substring of the name).
 */
export function likeFilter(entry: ScopeEntry): string {
  const escape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
  const text = entry.model ?? entry.modelPattern ?? "";
  const parts = entry.model !== null ? [text] : text.split("*");
  return `%${parts.filter((p) => p !== "").map(escape).join("%")}%`.replace(/%+/g, "%");
}

// ---------------------------------------------------------------------------------------------------
// The new cost of one event.

export function groupByProvider(book: readonly PriceEntry[]): Map<string, PriceEntry[]> {
  const out = new Map<string, PriceEntry[]>();
  // Order within a provider is kept: matchPrice's last tie-break is the position in the list.
  for (const e of book) {
    const p = e.provider.toLowerCase();
    const list = out.get(p) ?? [];
    list.push(e);
    out.set(p, list);
  }
  return out;
}

/** The update this event needs under the new book, or null when it stays as it is. */
export function repriceEvent(event: StoredEvent, bookByProvider: Map<string, PriceEntry[]>, contracts: readonly Contract[] = []): EventUpdate | null {
  if (event.costSource === "billed" || event.costSource === "gpu" || event.kind === "gpu") return null;
  if (event.costSource === "unpriced" && event.unpricedReason?.startsWith("costUsd")) return null;
  const kind: EventKind = (EVENT_KINDS as readonly string[]).includes(event.kind) ? (event.kind as EventKind) : "other";
  const listed = costEvent(
    { usage: event.usage, provider: event.provider, model: event.model, timestamp: event.ts, kind, extras: event.extras },
    bookByProvider.get(event.provider.trim().toLowerCase()) ?? [],
  );
  const { cost, listCost } = applyContract(listed, contracts, { provider: event.provider, model: event.model, timestamp: event.ts });
  const listCostUsd = listCost === null ? null : asStored(listCost);
  let next: EventUpdate;
  switch (cost.source) {
    case "estimated":
      next = { id: event.id, ts: event.ts, costUsd: asStored(cost.cost), listCostUsd, costSource: "estimated", priceEntryId: cost.priceEntryId, unpricedReason: null };
      break;
    case "incomplete":
      next = { id: event.id, ts: event.ts, costUsd: asStored(cost.cost), listCostUsd, costSource: "incomplete", priceEntryId: cost.priceEntryId, unpricedReason: cost.reason };
      break;
    case "unpriced":
      next = { id: event.id, ts: event.ts, costUsd: null, listCostUsd: null, costSource: "unpriced", priceEntryId: null, unpricedReason: cost.reason };
      break;
    case "none":
      next = { id: event.id, ts: event.ts, costUsd: "0", listCostUsd: null, costSource: "none", priceEntryId: null, unpricedReason: null };
      break;
    default:
      return null; // billed and gpu cannot come out of an event without costUsd that is not kind gpu
  }
  const sameMoney = (a: string | null, b: string | null) => (a === null) === (b === null) && (a === null || new Dec(a).eq(b!));
  const sameCost = sameMoney(event.costUsd, next.costUsd) && sameMoney(event.listCostUsd, next.listCostUsd);
  // An incomplete event's reason says what is missing: a change in it (a fee added, another one still missing) is a change.
  const sameReason = next.costSource !== "incomplete" || event.unpricedReason === next.unpricedReason;
  if (sameCost && sameReason && event.costSource === next.costSource && (event.priceEntryId ?? null) === next.priceEntryId) return null;
  return next;
}

// ---------------------------------------------------------------------------------------------------
// The summary.

type Acc = { provider: string; model: string; month: string; events: number; old: Dec; new: Dec; up: number; down: number };

export class DiffSummary {
  private readonly rows = new Map<string, Acc>();

  add(event: StoredEvent, update: EventUpdate): void {
    const month = monthKey(event.ts);
    const key = `${event.provider}\u0000${event.model}\u0000${month}`;
    let acc = this.rows.get(key);
    if (!acc) this.rows.set(key, (acc = { provider: event.provider, model: event.model, month, events: 0, old: new Dec(0), new: new Dec(0), up: 0, down: 0 }));
    acc.events++;
    if (event.costUsd !== null) acc.old = acc.old.plus(event.costUsd);
    if (update.costUsd !== null) acc.new = acc.new.plus(update.costUsd);
    if (event.costSource === "unpriced" && update.costSource !== "unpriced") acc.up++;
    if (event.costSource !== "unpriced" && update.costSource === "unpriced") acc.down++;
  }

  months(): string[] {
    return [...new Set([...this.rows.values()].map((r) => r.month))].sort();
  }

  result(closedMonths: readonly string[]): RepriceDiff {
    const closed = new Set(closedMonths);
    const rows = [...this.rows.values()]
      .sort((a, b) => a.provider.localeCompare(b.provider) || a.model.localeCompare(b.model) || a.month.localeCompare(b.month))
      .map<RepriceRow>((r) => ({
        provider: r.provider,
        model: r.model,
        month: r.month,
        events: r.events,
        oldTotal: r.old.toFixed(),
        newTotal: r.new.toFixed(),
        unpricedToPriced: r.up,
        pricedToUnpriced: r.down,
        closed: closed.has(r.month),
      }));
    const sum = (f: (r: Acc) => Dec) => [...this.rows.values()].reduce((s, r) => s.plus(f(r)), new Dec(0)).toFixed();
    const count = (f: (r: Acc) => number) => [...this.rows.values()].reduce((s, r) => s + f(r), 0);
    return {
      events: count((r) => r.events),
      months: this.months(),
      oldTotal: sum((r) => r.old),
      newTotal: sum((r) => r.new),
      unpricedToPriced: count((r) => r.up),
      pricedToUnpriced: count((r) => r.down),
      rows,
      closedMonths: this.months().filter((m) => closed.has(m)),
    };
  }
}

// ---------------------------------------------------------------------------------------------------
// Reading and writing events.

type EventRow = {
  id: string;
  ts: Date;
  kind: string;
  provider: string;
  model: string;
  input_tokens: string;
  cache_read_tokens: string;
  cache_write_tokens: string;
  cache_write_1h_tokens: string;
  output_tokens: string;
  reasoning_tokens: string;
  tool_output_tokens: string;
  service_tier: string | null;
  tool_calls: Record<string, number> | null;
  audio_input_tokens: string;
  audio_output_tokens: string;
  image_input_tokens: string;
  unknown_usage: Record<string, number> | null;
  cost_usd: string | null;
  list_cost_usd: string | null;
  cost_source: string;
  price_entry_id: string | null;
  unpriced_reason: string | null;
};

/** The usage columns of a stored event (token buckets as text, the bill's extras), as the pricing code reads them. */
export type StoredUsageRow = TokenColumns & Pick<EventRow, "service_tier" | "tool_calls" | "audio_input_tokens" | "audio_output_tokens" | "image_input_tokens" | "unknown_usage">;

type TokenColumns = Pick<EventRow, "input_tokens" | "cache_read_tokens" | "cache_write_tokens" | "cache_write_1h_tokens" | "output_tokens" | "reasoning_tokens" | "tool_output_tokens">;

/** A stored event's token buckets (text columns) as numbers: the one reading of those columns. */
export function storedTokens(r: TokenColumns): Required<TokenUsage> {
  return {
    inputTokens: Number(r.input_tokens),
    cacheReadTokens: Number(r.cache_read_tokens),
    cacheWriteTokens: Number(r.cache_write_tokens),
    cacheWrite1hTokens: Number(r.cache_write_1h_tokens),
    outputTokens: Number(r.output_tokens),
    reasoningTokens: Number(r.reasoning_tokens),
    toolOutputTokens: Number(r.tool_output_tokens),
  };
}

/** A stored event's token buckets and extras, read back for pricing. */
export function storedUsage(r: StoredUsageRow): { usage: Required<TokenUsage>; extras: UsageExtras } {
  return {
    usage: storedTokens(r),
    extras: {
      serviceTier: r.service_tier,
      toolCalls: r.tool_calls,
      audioInputTokens: Number(r.audio_input_tokens),
      audioOutputTokens: Number(r.audio_output_tokens),
      imageInputTokens: Number(r.image_input_tokens),
      unknownUsage: r.unknown_usage,
    },
  };
}

function toStored(r: EventRow): StoredEvent {
  return {
    id: r.id,
    ts: r.ts,
    kind: r.kind,
    provider: r.provider,
    model: r.model,
    ...storedUsage(r),
    costUsd: r.cost_usd,
    listCostUsd: r.list_cost_usd,
    costSource: r.cost_source,
    priceEntryId: r.price_entry_id,
    unpricedReason: r.unpriced_reason,
  };
}

// Up to this many changed entries, the database also filters on each entry's model (LIKE); beyond it
// (a whole LiteLLM file) the per-entry test costs more than it saves, and only provider and time filter.
const MAX_SQL_MODEL_FILTERS = 50;

/** Calls onChunk with each chunk of candidate events (at most CHUNK), in (ts, id) order. */
export async function scanCandidates(
  client: pg.PoolClient,
  changed: readonly ScopeEntry[],
  onChunk: (events: StoredEvent[]) => Promise<void>,
): Promise<void> {
  if (changed.length === 0) return;
  const providers = [...new Set(changed.map((e) => e.provider.toLowerCase()))];
  const from = new Date(Math.min(...changed.map((e) => e.effectiveFrom.getTime())));
  const to = changed.some((e) => e.effectiveTo === null) ? null : new Date(Math.max(...changed.map((e) => e.effectiveTo!.getTime())));
  const params: unknown[] = [providers, from];
  const where = [
    "cost_source <> 'billed'",
    "kind <> 'gpu'",
    "provider IS NOT NULL",
    "model IS NOT NULL",
    "lower(btrim(provider)) = ANY($1::text[])",
    "ts >= $2",
  ];
  if (to) {
    params.push(to);
    where.push(`ts < $${params.length}`);
  }
  if (changed.length <= MAX_SQL_MODEL_FILTERS) {
    params.push(changed.map((e) => e.provider.toLowerCase()), changed.map(likeFilter));
    where.push(
      `EXISTS (SELECT 1 FROM unnest($${params.length - 1}::text[], $${params.length}::text[]) AS c(p, pat) WHERE lower(btrim(provider)) = c.p AND model LIKE c.pat)`,
    );
  }
  const base = `SELECT id, ts, kind, provider, model, input_tokens::text, cache_read_tokens::text, cache_write_tokens::text,
      cache_write_1h_tokens::text, output_tokens::text, reasoning_tokens::text, tool_output_tokens::text,
      service_tier, tool_calls, audio_input_tokens::text, audio_output_tokens::text, image_input_tokens::text, unknown_usage,
      cost_usd::text, list_cost_usd::text, cost_source, price_entry_id::text, unpriced_reason
    FROM cost_events WHERE ${where.join(" AND ")}`;
  let last: { ts: Date; id: string } | null = null;
  for (;;) {
    const page: unknown[] = [...params];
    let sql = base;
    if (last) {
      page.push(last.ts, last.id);
      sql += ` AND (ts, id) > ($${page.length - 1}, $${page.length})`;
    }
    page.push(CHUNK);
    sql += ` ORDER BY ts, id LIMIT $${page.length}`;
    const { rows } = await client.query<EventRow>(sql, page);
    if (rows.length === 0) return;
    await onChunk(rows.map(toStored));
    const tail = rows[rows.length - 1]!;
    last = { ts: tail.ts, id: tail.id };
    if (rows.length < CHUNK) return;
  }
}

export async function writeUpdates(client: pg.PoolClient, updates: readonly EventUpdate[]): Promise<number> {
  if (updates.length === 0) return 0;
  const res = await client.query(
    // The re-priced requests go on the rollups' dirty list in the same statement, so the review follows.
    `WITH upd AS (
       UPDATE cost_events e SET cost_usd = u.cost_usd, cost_source = u.cost_source, price_entry_id = u.price_entry_id, unpriced_reason = u.unpriced_reason,
         list_cost_usd = u.list_cost_usd
       FROM unnest($1::text[], $2::timestamptz[], $3::numeric[], $4::text[], $5::uuid[], $6::text[], $7::numeric[])
         AS u(id, ts, cost_usd, cost_source, price_entry_id, unpriced_reason, list_cost_usd)
       WHERE e.id = u.id AND e.ts = u.ts AND e.cost_source <> 'billed'
       RETURNING e.request_id),
     dirty AS (
       INSERT INTO rollup_dirty_requests (request_id) SELECT DISTINCT request_id FROM upd WHERE request_id IS NOT NULL
       ON CONFLICT DO NOTHING)
     SELECT count(*)::int AS n FROM upd`,
    [
      updates.map((u) => u.id),
      updates.map((u) => u.ts),
      updates.map((u) => u.costUsd),
      updates.map((u) => u.costSource),
      updates.map((u) => u.priceEntryId),
      updates.map((u) => u.unpricedReason),
      updates.map((u) => u.listCostUsd),
    ],
  );
  return (res.rows[0] as { n: number } | undefined)?.n ?? 0;
}

export async function closedMonthsAmong(client: pg.PoolClient, months: readonly string[]): Promise<string[]> {
  if (months.length === 0) return [];
  const { rows } = await client.query<{ m: string }>(
    "SELECT to_char(month, 'YYYY-MM') AS m FROM closed_months WHERE to_char(month, 'YYYY-MM') = ANY($1::text[]) ORDER BY 1",
    [months],
  );
  return rows.map((r) => r.m);
}

/**
 * The re-pricing a change causes. `changed` are the entries (or contract scopes) whose presence or window
 * changes; `bookAfter` is the whole active price book after the change (with the ids the events will point
 * to) and `contracts` the active contracts after it.
 * With apply, the affected events are updated in chunks on `client`, inside the caller's transaction:
 * the caller must roll back when the result has closedMonths.
 */
export async function repriceEvents(
  client: pg.PoolClient,
  changed: readonly ScopeEntry[],
  bookAfter: readonly PriceEntry[],
  { apply, contracts }: { apply: boolean; contracts: readonly Contract[] },
): Promise<RepriceDiff & { updated: number }> {
  const scope = changeScope(changed);
  const book = groupByProvider(bookAfter);
  const summary = new DiffSummary();
  let pending: EventUpdate[] = [];
  let updated = 0;
  await scanCandidates(client, changed, async (events) => {
    for (const event of events) {
      if (!couldMatch(scope, event.provider, event.model, event.ts)) continue;
      const update = repriceEvent(event, book, contracts);
      if (!update) continue;
      summary.add(event, update);
      if (apply) pending.push(update);
    }
    while (pending.length >= CHUNK) {
      updated += await writeUpdates(client, pending.slice(0, CHUNK));
      pending = pending.slice(CHUNK);
    }
  });
  if (pending.length) updated += await writeUpdates(client, pending);
  const closed = await closedMonthsAmong(client, summary.months());
  return { ...summary.result(closed), updated };
}
