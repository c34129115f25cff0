// The fully-loaded cost of one request, broken down: its events with the price entry behind each
// cost, the direct cost, its GPU pool-hour shares, the overhead loading, and the total.
//
// Decisions:
// - direct = the sum of its events' costs (billed, estimated, or "none" = 0). gpu events carry no cost
//   of their own: the GPU component is the request's shares of the pool-hours it used (gpu_allocations).
// - The overhead percentage is the one for the request's feature, taken from its FIRST event (earliest
//   timestamp; ties by arrival, then id): a feature override wins over the global percentage. It is
//   applied to direct + GPU and kept as its own component; total = direct + GPU + overhead.
// - An unpriced event (or a share of an unpriced pool-hour) has no known cost: it is left out of every
//   sum, never counted as $0, and the breakdown says complete: false with how many were left out.
// - An incomplete event (priced in part: a served tier, tool fee or modality without a rate) counts with
//   the part that could be priced; the breakdown says complete: false and how many such events there are.
// - A contract (contracts.ts) makes an event's cost what is paid; its list cost is shown beside it
//   (listCostUsd, null when the same). direct, total and overhead are what is paid; direct.listCostUsd and
//   total.listCostUsd are the same sums at list (the overhead percentage applied to the list base).
// - All money is exact decimal strings (decimal.js; numeric in the database), without trailing zeros.
import type { Db } from "@/lib/db/client";
import { getSetting } from "@/lib/settings/settings";
import { overheadFor, overheadPercentFor } from "@/lib/pricing/overhead";
import type { OverheadConfig } from "@/lib/pricing/schemas";
import { Dec } from "@/lib/pricing/price-entry";
import { storedTokens } from "@/lib/pricing/reprice";
import type { CanonicalUsage } from "@/lib/ingest/usage";

export type PriceEntryRef = {
  id: string;
  provider: string;
  model: string | null;
  modelPattern: string | null;
  version: number;
  source: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  retired: boolean;
};

export type RequestEvent = {
  id: string;
  timestamp: string;
  kind: string;
  provider: string | null;
  model: string | null;
  tags: { endpoint: string | null; feature: string | null; team: string | null; cohort: string | null };
  tokens: CanonicalUsage;
  /** The served service tier, tool calls per kind, and modality counts (parts of input and output tokens). */
  serviceTier: string | null;
  toolCalls: Record<string, number> | null;
  modalityTokens: { audioInputTokens: number; audioOutputTokens: number; imageInputTokens: number };
  status: string;
  attempt: number;
  latencyMs: number | null;
  pool: string | null;
  gpuSeconds: number | null;
  /** Null when unpriced, and for gpu events (their cost is the request's pool-hour share). */
  costUsd: string | null;
  /** The list cost when a contract discounted costUsd; null when costUsd is the list cost. */
  listCostUsd: string | null;
  costSource: string;
  /** Why the event is unpriced, or what an incomplete event's price leaves out. */
  unpricedReason: string | null;
  /** The price book entry that produced an estimated cost; null otherwise. */
  priceEntry: PriceEntryRef | null;
};

export type GpuShareView = {
  pool: string;
  hour: string;
  gpuSeconds: number | null;
  /** The request's share of the pool-hour; null when the pool-hour is unpriced. */
  costUsd: string | null;
  poolHour: {
    costUsd: string | null;
    status: string;
    split: string;
    requests: number;
    gpuSeconds: number | null;
    utilisation: number | null;
    /** The gpu_pools price that governed the hour. */
    priceId: string | null;
    hourlyUsd: string | null;
  };
};

export type RequestCost = {
  requestId: string;
  firstEventAt: string;
  feature: string | null;
  complete: boolean;
  unpricedEvents: number;
  /** Events priced in part; their known part is in the totals. */
  incompleteEvents: number;
  unpricedGpuShares: number;
  /** events: the request's events other than gpu events (whose cost is the GPU component). */
  /** listCostUsd: the same sum at list price (equal to costUsd when no contract applied). */
  direct: { costUsd: string; listCostUsd: string; events: number; pricedEvents: number };
  gpu: { costUsd: string; shares: GpuShareView[] };
  overhead: {
    percent: string;
    source: "feature" | "global" | "none";
    feature: string | null;
    appliedTo: "direct + gpu";
    baseUsd: string;
    costUsd: string;
    note: string;
  };
  total: { costUsd: string; listCostUsd: string; note: string };
  events: RequestEvent[];
};

const money = (s: string | null) => (s === null ? null : new Dec(s).toFixed());
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Pure: the breakdown from a request's events (in order) and GPU shares, with an overhead configuration. */
export function buildRequestCost(requestId: string, events: RequestEvent[], shares: GpuShareView[], config: OverheadConfig): RequestCost {
  const first = events[0];
  if (!first) throw new RangeError("a request breakdown needs at least one event");
  let direct = new Dec(0);
  let directList = new Dec(0);
  let priced = 0;
  let directEvents = 0;
  let unpricedEvents = 0;
  let incompleteEvents = 0;
  for (const e of events) {
    if (e.costSource === "gpu") continue;
    directEvents++;
    if (e.costSource === "incomplete") incompleteEvents++;
    if (e.costUsd === null) unpricedEvents++;
    else {
      direct = direct.plus(e.costUsd);
      directList = directList.plus(e.listCostUsd ?? e.costUsd);
      priced++;
    }
  }
  let gpu = new Dec(0);
  let unpricedGpuShares = 0;
  for (const s of shares) {
    if (s.costUsd === null) unpricedGpuShares++;
    else gpu = gpu.plus(s.costUsd);
  }
  const feature = first.tags.feature;
  const base = direct.plus(gpu).toFixed();
  const percent = overheadPercentFor(feature, config);
  const source = feature !== null && Object.hasOwn(config.perFeature, feature) ? "feature" : percent !== null ? "global" : "none";
  const overhead = overheadFor(base, feature, config);
  const total = new Dec(base).plus(overhead).toFixed();
  const listBase = directList.plus(gpu).toFixed();
  const listTotal = new Dec(listBase).plus(overheadFor(listBase, feature, config)).toFixed();
  const pct = percent ?? "0";
  const why =
    source === "feature"
      ? `the override for feature "${feature}"`
      : source === "global"
        ? `the global percentage${feature ? ` (feature "${feature}" has no override)` : " (the request has no feature)"}`
        : "no overhead is configured";
  const left: string[] = [];
  if (unpricedEvents) left.push(plural(unpricedEvents, "unpriced event"));
  const partial = incompleteEvents ? ` ${plural(incompleteEvents, "event is", "events are")} priced in part only (see each event's reason).` : "";
  if (unpricedGpuShares) left.push(plural(unpricedGpuShares, "GPU share of an unpriced pool-hour", "GPU shares of unpriced pool-hours"));
  return {
    requestId,
    firstEventAt: first.timestamp,
    feature,
    complete: left.length === 0 && incompleteEvents === 0,
    unpricedEvents,
    incompleteEvents,
    unpricedGpuShares,
    direct: { costUsd: direct.toFixed(), listCostUsd: directList.toFixed(), events: directEvents, pricedEvents: priced },
    gpu: { costUsd: gpu.toFixed(), shares },
    overhead: {
      percent: pct,
      source,
      feature,
      appliedTo: "direct + gpu",
      baseUsd: base,
      costUsd: overhead,
      note: `${pct}% (${why}, taken from the request's first event) applied to direct + GPU = $${base}.`,
    },
    total: {
      costUsd: total,
      listCostUsd: listTotal,
      note:
        "direct + GPU + overhead." +
        (left.length ? ` Incomplete: excludes ${left.join(" and ")}, whose cost is unknown (not $0); overhead excludes them too.` : "") +
        partial +
        (listTotal !== total ? ` A contract discounts it: $${listTotal} at list.` : ""),
    },
    events,
  };
}

type EventRow = {
  id: string;
  ts: Date;
  kind: string;
  provider: string | null;
  model: string | null;
  endpoint: string | null;
  feature: string | null;
  team: string | null;
  cohort: string | null;
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
  status: string;
  attempt: number;
  latency_ms: number | null;
  pool: string | null;
  gpu_seconds: number | null;
  cost_usd: string | null;
  list_cost_usd: string | null;
  cost_source: string;
  unpriced_reason: string | null;
  p_id: string | null;
  p_provider: string | null;
  p_model: string | null;
  p_model_pattern: string | null;
  p_version: number | null;
  p_source: string | null;
  p_from: Date | null;
  p_to: Date | null;
  p_retired: Date | null;
};

type ShareRow = {
  pool: string;
  hour: Date;
  gpu_seconds: number | null;
  cost_usd: string | null;
  hour_cost: string | null;
  status: string | null;
  split: string | null;
  requests: number | null;
  hour_gpu_seconds: number | null;
  utilisation: number | null;
  price_id: string | null;
  hourly_usd: string | null;
};

function toEvent(r: EventRow): RequestEvent {
  return {
    id: r.id,
    timestamp: r.ts.toISOString(),
    kind: r.kind,
    provider: r.provider,
    model: r.model,
    tags: { endpoint: r.endpoint, feature: r.feature, team: r.team, cohort: r.cohort },
    tokens: storedTokens(r),
    serviceTier: r.service_tier,
    toolCalls: r.tool_calls,
    modalityTokens: {
      audioInputTokens: Number(r.audio_input_tokens),
      audioOutputTokens: Number(r.audio_output_tokens),
      imageInputTokens: Number(r.image_input_tokens),
    },
    status: r.status,
    attempt: r.attempt,
    latencyMs: r.latency_ms,
    pool: r.pool,
    gpuSeconds: r.gpu_seconds,
    costUsd: money(r.cost_usd),
    listCostUsd: r.list_cost_usd !== null && r.cost_usd !== null && !new Dec(r.list_cost_usd).eq(r.cost_usd) ? money(r.list_cost_usd) : null,
    costSource: r.cost_source,
    unpricedReason: r.unpriced_reason,
    priceEntry:
      r.p_id === null
        ? null
        : {
            id: r.p_id,
            provider: r.p_provider ?? "",
            model: r.p_model,
            modelPattern: r.p_model_pattern,
            version: r.p_version ?? 1,
            source: r.p_source ?? "",
            effectiveFrom: r.p_from!.toISOString(),
            effectiveTo: r.p_to?.toISOString() ?? null,
            retired: r.p_retired !== null,
          },
  };
}

function toShare(r: ShareRow): GpuShareView {
  return {
    pool: r.pool,
    hour: r.hour.toISOString(),
    gpuSeconds: r.gpu_seconds,
    costUsd: money(r.cost_usd),
    poolHour: {
      costUsd: money(r.hour_cost),
      status: r.status ?? "unpriced",
      split: r.split ?? "equal",
      requests: r.requests ?? 0,
      gpuSeconds: r.hour_gpu_seconds,
      utilisation: r.utilisation,
      priceId: r.price_id,
      hourlyUsd: money(r.hourly_usd),
    },
  };
}

/** The breakdown of one request, or null when no event carries that request id. */
export async function requestCost(db: Db, requestId: string): Promise<RequestCost | null> {
  const events = await db.query<EventRow>(
    `SELECT e.id, e.ts, e.kind, e.provider, e.model, e.endpoint, e.feature, e.team, e.cohort,
            e.input_tokens::text, e.cache_read_tokens::text, e.cache_write_tokens::text, e.cache_write_1h_tokens::text,
            e.output_tokens::text, e.reasoning_tokens::text, e.tool_output_tokens::text,
            e.service_tier, e.tool_calls, e.audio_input_tokens::text, e.audio_output_tokens::text, e.image_input_tokens::text,
            e.status, e.attempt, e.latency_ms, e.pool, e.gpu_seconds, e.cost_usd::text AS cost_usd, e.list_cost_usd::text AS list_cost_usd, e.cost_source, e.unpriced_reason,
            p.id AS p_id, p.provider AS p_provider, p.model AS p_model, p.model_pattern AS p_model_pattern, p.version AS p_version,
            p.source AS p_source, p.effective_from AS p_from, p.effective_to AS p_to, p.retired_at AS p_retired
     FROM cost_events e LEFT JOIN price_entries p ON p.id = e.price_entry_id
     WHERE e.request_id = $1
     ORDER BY e.ts, e.received_at, e.id`,
    [requestId],
  );
  if (!events.rows.length) return null;
  const [shares, overhead] = await Promise.all([
    db.query<ShareRow>(
      `SELECT a.pool, a.hour, a.gpu_seconds, a.cost_usd::text AS cost_usd,
              h.cost_usd::text AS hour_cost, h.status, h.split, h.requests, h.gpu_seconds AS hour_gpu_seconds, h.utilisation,
              g.id AS price_id, g.hourly_usd::text AS hourly_usd
       FROM gpu_allocations a
       LEFT JOIN gpu_pool_hours h ON h.pool = a.pool AND h.hour = a.hour
       LEFT JOIN LATERAL (
         SELECT id, hourly_usd FROM gpu_pools g
         WHERE g.name = a.pool AND g.effective_from <= a.hour AND (g.effective_to IS NULL OR a.hour < g.effective_to)
         ORDER BY g.effective_from DESC LIMIT 1
       ) g ON true
       WHERE a.request_id = $1
       ORDER BY a.hour, a.pool`,
      [requestId],
    ),
    getSetting(db, "overhead"),
  ]);
  return buildRequestCost(requestId, events.rows.map(toEvent), shares.rows.map(toShare), overhead);
}
