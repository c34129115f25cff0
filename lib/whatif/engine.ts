// What if: replays an endpoint's real requests of a past window under candidate models, service tiers,
// token shifts or a self-hosted GPU pool, and compares each with what the window actually cost.
//
// Decisions:
// - The actual is what the rollups hold: request_facts of the endpoint (and cohort or customer) whose
//   first event falls in the window, in the organisation's time zone (the review's weeks).
// - A candidate re-prices every llm event of those requests from its stored token buckets through
//   costEvent and applyContract (the ingest path: price book with its long-context and service tiers,
//   tool fees, modality rates, then the active contracts), at the event's own timestamp, and rounds it
//   to cost_usd's 12 places (asStored). Every other event (embedding, tool, retrieval, other, gpu) and
//   the request's GPU pool-hour shares carry over as stored. Overhead is recomputed per request as the
//   rollup does: round((direct + GPU) × the feature's percentage / 100, 12). So the candidate that
//   changes nothing reproduces the actual to the last digit; the integration test proves it.
// - The identity candidate keeps a billed event's billed cost (the vendor's number). A candidate that
//   changes anything re-prices a billed llm event from its tokens, at list less contract, and says how
//   many it did (billedRepriced): the vendor's own figure for a model it did not serve does not exist.
// - An event the candidate cannot price is counted and its reason listed, never guessed: like the
//   rollup, its cost is left out of the request (not $0), and the outcome says so.
// - Token shifts act on the stored buckets, in this order: prompt growth (every input-side bucket, text
//   part only: audio and image input stay), cache-hit rate (uncached text input + cache reads are split
//   again at the rate; cache writes stay), output scale, output cap (audio output follows the text so it
//   never exceeds it). Counts are rounded half up to whole tokens.
// - Self-hosting replaces every llm event's hosted cost with a share of a GPU fleet. Busy GPU-seconds:
//   a request's llm tokens (all buckets, after the shifts) ÷ tokens per second per GPU, or 1 ÷ requests
//   per second per request with llm events. The fleet is whole GPUs running the whole window, sized so
//   that busy time is at most the target utilisation: max(1, ceil(busy hours ÷ (window hours × target))).
//   Its cost, idle hours included, is spread over the requests in proportion to their busy seconds with
//   distributeExactly (allocate-gpu.ts, the pool-hour rule), so the shares add up to the fleet exactly.
// - Weekly = window × 7 / days; monthly = weekly × (365 / 12) / 7, i.e. a month of 365/12 days at the
//   window's weekly rate; both rounded to 12 places where they do not divide exactly. At a growth
//   multiple a hosted cost scales linearly; a self-hosted fleet is sized again for the grown busy time.
// - Break-even (self-hosting): the smallest weekly request volume at which the candidate costs no more
//   per week than the actual would at the same volume, both growing with traffic in the window's mix;
//   null when no volume does (the fleet costs more per request than hosting even when fully used).
// - Requests are replayed REQUEST_CHUNK at a time (their events read together, then dropped): what stays
//   in memory is a few figures per request and candidate, which the percentiles and the fleet need.
// - Mean, median and p95 are the rollup's: round(total / n, 12) and the linear-interpolation percentile
//   of cr_percentile, rounded to 12 places.
import Decimal from "decimal.js";
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { getSetting } from "@/lib/settings/settings";
import { overheadPercentFor } from "@/lib/pricing/overhead";
import type { OverheadConfig } from "@/lib/pricing/schemas";
import { Dec, type PriceEntry } from "@/lib/pricing/price-entry";
import { costEvent, EVENT_KINDS, totalTokens, type EventKind, type TokenUsage, type UsageExtras } from "@/lib/pricing/price-event";
import { applyContract, loadActiveContracts, type Contract } from "@/lib/pricing/contracts";
import { loadActivePrices } from "@/lib/pricing/load-prices";
import { asStored, groupByProvider, storedUsage } from "@/lib/pricing/reprice";
import { distributeExactly } from "@/lib/pricing/allocate-gpu";
import { breachOf, listTargets, marginOf, targetFor, type Breach, type TargetRow } from "@/lib/targets/targets";
import { addDays, lastCompleteMonday } from "@/lib/rollups/weeks";
import { summariseQuality } from "@/lib/quality/read-quality";
import type { Candidate, Scenario } from "@/lib/whatif/schemas";

const PLACES = 12;
const round12 = (d: Decimal) => d.toDecimalPlaces(PLACES, Dec.ROUND_HALF_UP);
const money = (d: Decimal) => round12(d).toFixed();
const HOURS_PER_WEEK = 168;
/** A month of 365/12 days as a multiple of a week: (365 / 12) / 7. */
export const MONTH_PER_WEEK = new Dec(365).div(84);

// ---------------------------------------------------------------------------------------------------
// Pure parts.

/** The exact p-quantile of an ascending list, linear interpolation (cr_percentile in the rollup's SQL). */
export function percentile(sorted: readonly Decimal[], p: string): Decimal | null {
  const n = sorted.length;
  if (n === 0) return null;
  const pos = new Dec(p).times(n - 1);
  const lo = pos.floor().toNumber();
  const hi = pos.ceil().toNumber();
  return sorted[lo]!.plus(sorted[hi]!.minus(sorted[lo]!).times(pos.minus(lo)));
}

const roundTokens = (d: Decimal) => d.toDecimalPlaces(0, Dec.ROUND_HALF_UP).toNumber();
const scaleTokens = (n: number, pct: string) => roundTokens(new Dec(n).times(pct).div(100));

export type TokenShifts = Pick<Candidate, "outputScalePct" | "outputCap" | "promptGrowthPct" | "cacheHitRatePct">;

/** The usage and extras after a candidate's token shifts (see the header for the order and rounding). */
export function shiftUsage(usage: Required<TokenUsage>, extras: UsageExtras, s: TokenShifts): { usage: Required<TokenUsage>; extras: UsageExtras } {
  const u = { ...usage };
  const x = { ...extras };
  const modalityIn = (x.audioInputTokens ?? 0) + (x.imageInputTokens ?? 0);
  if (s.promptGrowthPct !== undefined) {
    const factor = new Dec(100).plus(s.promptGrowthPct).toFixed();
    u.inputTokens = modalityIn + scaleTokens(u.inputTokens - modalityIn, factor);
    u.cacheReadTokens = scaleTokens(u.cacheReadTokens, factor);
    u.cacheWriteTokens = scaleTokens(u.cacheWriteTokens, factor);
    u.cacheWrite1hTokens = scaleTokens(u.cacheWrite1hTokens, factor);
  }
  if (s.cacheHitRatePct !== undefined) {
    const pool = u.inputTokens - modalityIn + u.cacheReadTokens;
    u.cacheReadTokens = scaleTokens(pool, s.cacheHitRatePct);
    u.inputTokens = modalityIn + pool - u.cacheReadTokens;
  }
  if (s.outputScalePct !== undefined) {
    u.outputTokens = scaleTokens(u.outputTokens, s.outputScalePct);
    if (x.audioOutputTokens) x.audioOutputTokens = scaleTokens(x.audioOutputTokens, s.outputScalePct);
  }
  if (s.outputCap !== undefined) u.outputTokens = Math.min(u.outputTokens, s.outputCap);
  if (x.audioOutputTokens && x.audioOutputTokens > u.outputTokens) x.audioOutputTokens = u.outputTokens;
  return { usage: u, extras: x };
}

export type Stats = { requests: number; totalUsd: string; costPerRequest: { mean: string | null; p50: string | null; p95: string | null } };

/** Count, total and the rollup's mean, median and p95 of per-request totals. */
export function statsOf(totals: readonly Decimal[]): Stats {
  const sorted = [...totals].sort((a, b) => a.comparedTo(b));
  const total = totals.reduce((s, t) => s.plus(t), new Dec(0));
  const n = totals.length;
  const q = (p: string) => {
    const v = percentile(sorted, p);
    return v === null ? null : money(v);
  };
  return { requests: n, totalUsd: total.toFixed(), costPerRequest: { mean: n ? money(total.div(n)) : null, p50: q("0.5"), p95: q("0.95") } };
}

export type SelfHostedInput = NonNullable<Candidate["selfHosted"]>;

/** Whole GPUs, running all `hours`, that keep `busyHours` within the target utilisation (at least one). */
export function fleetSize(busyHours: Decimal, hours: number, targetUtilisationPct: string): number {
  const capacity = new Dec(hours).times(targetUtilisationPct).div(100);
  return Math.max(1, busyHours.div(capacity).ceil().toNumber());
}

/**
 * The smallest weekly request volume at which a self-hosted candidate costs no more than the hosted actual.
 * a: actual weekly cost per request; x: the candidate's weekly cost per request without its fleet;
 * fleetWeekUsd: one GPU for a week, loaded with overhead; busyHoursPerRequest; target utilisation.
 * Null when no volume breaks even (the fleet's cost per request at full target use is above the saving).
 */
export function breakEvenRequests(a: Decimal, x: Decimal, fleetWeekUsd: Decimal, busyHoursPerRequest: Decimal, targetUtilisationPct: string): number | null {
  const saving = a.minus(x);
  if (saving.lte(0)) return null;
  const perGpu = busyHoursPerRequest.isZero() ? null : new Dec(HOURS_PER_WEEK).times(targetUtilisationPct).div(100).div(busyHoursPerRequest);
  for (let g = 1; g <= 1000; g++) {
    const lower = perGpu === null ? new Dec(1) : perGpu.times(g - 1).floor().plus(1);
    const needed = Decimal.max(lower, fleetWeekUsd.times(g).div(saving).ceil(), new Dec(1));
    if (perGpu === null || needed.lte(perGpu.times(g))) return needed.toNumber();
    if (perGpu.times(saving).lt(fleetWeekUsd)) return null;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------
// The window's requests and events.

export type WindowRequest = {
  requestId: string;
  feature: string | null;
  gpuCost: string;
  totalCost: string;
  unpricedEvents: number;
  incompleteEvents: number;
};

export type WindowEvent = {
  requestId: string;
  id: string;
  ts: Date;
  kind: string;
  provider: string | null;
  model: string | null;
  usage: Required<TokenUsage>;
  extras: UsageExtras;
  costUsd: string | null;
  costSource: string;
  unpricedReason: string | null;
};

export type Window = { from: string; to: string; days: number; timezone: string };

/** Requests are replayed this many at a time: their events are read together, then let go. */
const REQUEST_CHUNK = 2_000;

/** The window's requests (request_facts), in request id order. */
async function loadRequests(db: Db, s: Scenario, w: Window): Promise<WindowRequest[]> {
  const { rows } = await db.query<{ request_id: string; feature: string | null; gpu_cost: string; total_cost: string; unpriced_events: number; incomplete_events: number }>(
    `SELECT request_id, feature, gpu_cost::text, total_cost::text, unpriced_events, incomplete_events FROM request_facts
     WHERE endpoint = $1 AND first_ts >= ($2::date)::timestamp AT TIME ZONE $4 AND first_ts < ($3::date + 1)::timestamp AT TIME ZONE $4
       AND ($5::text IS NULL OR cohort = $5) AND ($6::text IS NULL OR customer_id = $6)
     ORDER BY request_id`,
    [s.endpoint, w.from, w.to, w.timezone, s.cohort ?? null, s.customerId ?? null],
  );
  return rows.map((r) => ({
    requestId: r.request_id,
    feature: r.feature,
    gpuCost: r.gpu_cost,
    totalCost: r.total_cost,
    unpricedEvents: r.unpriced_events,
    incompleteEvents: r.incomplete_events,
  }));
}

/**
 * The events of these requests, per request in (ts, id) order. Every event of a request is at or after its
 * first event, which is in the window, so the window's start bounds the scan (and the monthly partitions).
 */
async function loadEvents(db: Db, requestIds: readonly string[], w: Window): Promise<Map<string, WindowEvent[]>> {
  const { rows } = await db.query<{
    request_id: string; id: string; ts: Date; kind: string; provider: string | null; model: string | null;
    input_tokens: string; cache_read_tokens: string; cache_write_tokens: string; cache_write_1h_tokens: string; output_tokens: string;
    reasoning_tokens: string; tool_output_tokens: string; service_tier: string | null; tool_calls: Record<string, number> | null;
    audio_input_tokens: string; audio_output_tokens: string; image_input_tokens: string; unknown_usage: Record<string, number> | null;
    cost_usd: string | null; cost_source: string; unpriced_reason: string | null;
  }>(
    `SELECT e.request_id, e.id, e.ts, e.kind, e.provider, e.model, e.input_tokens::text, e.cache_read_tokens::text, e.cache_write_tokens::text,
       e.cache_write_1h_tokens::text, e.output_tokens::text, e.reasoning_tokens::text, e.tool_output_tokens::text, e.service_tier, e.tool_calls,
       e.audio_input_tokens::text, e.audio_output_tokens::text, e.image_input_tokens::text, e.unknown_usage,
       e.cost_usd::text, e.cost_source, e.unpriced_reason
     FROM cost_events e
     WHERE e.request_id = ANY($1::text[]) AND e.ts >= ($2::date)::timestamp AT TIME ZONE $3
     ORDER BY e.request_id, e.ts, e.id`,
    [requestIds, w.from, w.timezone],
  );
  const out = new Map<string, WindowEvent[]>();
  for (const r of rows) {
    const list = out.get(r.request_id) ?? [];
    list.push({
      requestId: r.request_id,
      id: r.id,
      ts: r.ts,
      kind: r.kind,
      provider: r.provider,
      model: r.model,
      ...storedUsage(r),
      costUsd: r.cost_usd,
      costSource: r.cost_source,
      unpricedReason: r.unpriced_reason,
    });
    out.set(r.request_id, list);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// One candidate.

export type Pricing = { book: Map<string, PriceEntry[]>; contracts: readonly Contract[]; overhead: OverheadConfig };

const changesNothing = (c: Candidate) =>
  c.provider === undefined && c.serviceTier === undefined && c.outputScalePct === undefined && c.outputCap === undefined &&
  c.promptGrowthPct === undefined && c.cacheHitRatePct === undefined && c.selfHosted === undefined;

type EventOutcome = { cost: string | null; source: string; reason: string | null; busySeconds: Decimal };

/** What one stored llm event costs under the candidate (hosted), as stored: rounded to 12 places. */
export function repriceLlmEvent(e: WindowEvent, c: Candidate, p: Pricing): EventOutcome {
  const identity = changesNothing(c);
  const shifted = shiftUsage(e.usage, e.extras, c);
  const extras = c.serviceTier === undefined ? shifted.extras : { ...shifted.extras, serviceTier: c.serviceTier };
  const provider = c.provider ?? e.provider;
  const model = c.model ?? e.model;
  const busySeconds = c.selfHosted?.tokensPerSecondPerGpu ? new Dec(totalTokens(shifted.usage)).div(c.selfHosted.tokensPerSecondPerGpu) : new Dec(0);
  if (c.selfHosted) return { cost: "0", source: "self-hosted", reason: null, busySeconds };
  // Unchanged, a vendor's figure (or a vendor figure that could not be read) stays what it is.
  if (identity && (e.costSource === "billed" || (e.costSource === "unpriced" && e.unpricedReason?.startsWith("costUsd")))) {
    return { cost: e.costUsd, source: e.costSource, reason: e.unpricedReason, busySeconds };
  }
  const timestamp = e.ts;
  const listed = costEvent(
    { usage: shifted.usage, provider, model, timestamp, kind: "llm", extras },
    p.book.get((provider ?? "").trim().toLowerCase()) ?? [],
  );
  const { cost } = applyContract(listed, p.contracts, { provider, model, timestamp });
  switch (cost.source) {
    case "estimated":
      return { cost: asStored(cost.cost), source: cost.source, reason: null, busySeconds };
    case "incomplete":
      return { cost: asStored(cost.cost), source: cost.source, reason: cost.reason, busySeconds };
    case "unpriced":
      return { cost: null, source: cost.source, reason: cost.reason, busySeconds };
    default:
      return { cost: cost.cost === null ? null : asStored(cost.cost), source: cost.source, reason: null, busySeconds };
  }
}

export type Verdict = { breach: Breach; gatePasses: boolean | null; targetCost: string | null; ceilingCost: string | null };

export type Outcome = Stats & {
  weeklyUsd: string;
  monthlyUsd: string;
  atGrowth: { growth: string; requestsPerWeek: string; weeklyUsd: string; monthlyUsd: string };
  verdict: Verdict;
  /** Revenue per request − mean cost per request, when the target sets a revenue. */
  marginPerRequest: string | null;
  unpricedEvents: number;
  incompleteEvents: number;
};

export type SelfHostedOutcome = {
  busyGpuHours: string;
  /** Busy hours ÷ target utilisation: the GPU-hours the window needs at the target. */
  gpuHoursAtTarget: string;
  gpus: number;
  paidGpuHours: number;
  fleetCostUsd: string;
  /** Busy hours ÷ paid GPU-hours, percent, 4 places. */
  impliedUtilisationPct: string;
  atGrowth: { gpus: number; impliedUtilisationPct: string };
  breakEvenRequestsPerWeek: number | null;
  breakEvenNote: string;
};

export type CandidateResult = Outcome & {
  name: string;
  changes: Omit<Candidate, "name">;
  /** llm events re-priced (or moved to the fleet). */
  repricedEvents: number;
  /** Billed llm events re-priced from their tokens because the candidate changes them. */
  billedRepriced: number;
  /** Up to five distinct reasons an event could not be priced, or was priced in part. */
  unpricedReasons: string[];
  selfHosted: SelfHostedOutcome | null;
  /** Candidate − actual. */
  delta: { meanUsd: string | null; weeklyUsd: string; weeklyPct: string | null };
};

export type WhatIfResult = {
  endpoint: string;
  cohort: string | null;
  customerId: string | null;
  window: Window & { weekly: string; monthly: string };
  growth: string;
  target: TargetRow | null;
  /** The caveat: the window's primary quality metric as reported (not simulated for the candidates). */
  quality: { metric: string | null; value: string | null; samples: number; note: string };
  actual: Outcome;
  candidates: CandidateResult[];
  notes: string[];
};

type Scale = { days: number; growth: Decimal; target: TargetRow | null };

const weeklyOf = (total: Decimal, days: number) => total.times(7).div(days);

function outcome(totals: readonly Decimal[], weeklyAtGrowth: Decimal, sc: Scale, counts: { unpriced: number; incomplete: number }): Outcome {
  const stats = statsOf(totals);
  const weekly = weeklyOf(new Dec(stats.totalUsd), sc.days);
  const t = sc.target;
  const mean = stats.costPerRequest.mean;
  return {
    ...stats,
    weeklyUsd: money(weekly),
    monthlyUsd: money(weekly.times(MONTH_PER_WEEK)),
    atGrowth: {
      growth: sc.growth.toFixed(),
      requestsPerWeek: money(weeklyOf(new Dec(stats.requests), sc.days).times(sc.growth)),
      weeklyUsd: money(weeklyAtGrowth),
      monthlyUsd: money(weeklyAtGrowth.times(MONTH_PER_WEEK)),
    },
    verdict: {
      breach: breachOf(mean, t),
      gatePasses: t?.ceilingCost && mean !== null ? !new Dec(mean).gt(t.ceilingCost) : null,
      targetCost: t?.targetCost ?? null,
      ceilingCost: t?.ceilingCost ?? null,
    },
    marginPerRequest: marginOf(mean, t),
    unpricedEvents: counts.unpriced,
    incompleteEvents: counts.incomplete,
  };
}

const pct4 = (d: Decimal) => d.times(100).toDecimalPlaces(4, Dec.ROUND_HALF_UP).toFixed();

/** A candidate's running figures per request, filled chunk by chunk (see evaluateScenario). */
type CandidateState = {
  c: Candidate;
  identity: boolean;
  /** Per request, in the window's order: direct + carried GPU (the base before any fleet), busy GPU-seconds. */
  bases: Decimal[];
  busy: Decimal[];
  unpriced: number;
  incomplete: number;
  repriced: number;
  billedRepriced: number;
  reasons: Set<string>;
};

const newState = (c: Candidate): CandidateState => ({
  c,
  identity: changesNothing(c),
  bases: [],
  busy: [],
  unpriced: 0,
  incomplete: 0,
  repriced: 0,
  billedRepriced: 0,
  reasons: new Set(),
});

/** One request of the window under the candidate: its events re-priced (llm) or carried over (the rest). */
function accumulate(st: CandidateState, r: WindowRequest, events: readonly WindowEvent[], p: Pricing): void {
  const c = st.c;
  let direct = new Dec(0);
  let seconds = new Dec(0);
  let llm = 0;
  for (const e of events) {
    const kind: EventKind = (EVENT_KINDS as readonly string[]).includes(e.kind) ? (e.kind as EventKind) : "other";
    if (kind !== "llm") {
      if (e.costUsd !== null) direct = direct.plus(e.costUsd);
      if (e.costSource === "unpriced") st.unpriced++;
      if (e.costSource === "incomplete") st.incomplete++;
      continue;
    }
    llm++;
    st.repriced++;
    if (!st.identity && e.costSource === "billed" && !c.selfHosted) st.billedRepriced++;
    const o = repriceLlmEvent(e, c, p);
    seconds = seconds.plus(o.busySeconds);
    if (o.cost !== null) direct = direct.plus(o.cost);
    if (o.source === "unpriced") st.unpriced++;
    if (o.source === "incomplete") st.incomplete++;
    if (o.reason && st.reasons.size < 5 && (o.source === "unpriced" || o.source === "incomplete")) st.reasons.add(o.reason);
  }
  if (c.selfHosted?.requestsPerSecond && llm > 0) seconds = new Dec(1).div(c.selfHosted.requestsPerSecond);
  st.bases.push(direct.plus(r.gpuCost));
  st.busy.push(seconds);
}

/** The candidate's outcome once every request is in: the fleet (if any), overhead, figures, verdicts. */
function finish(st: CandidateState, index: number, requests: readonly WindowRequest[], fractions: readonly Decimal[], sc: Scale, actual: Outcome): CandidateResult {
  const { c, bases, busy, unpriced, incomplete, repriced, billedRepriced, reasons } = st;
  const { name, ...changes } = c;
  const hours = sc.days * 24;
  let fleet: { cost: Decimal; shares: string[]; gpus: number; busyHours: Decimal } | null = null;
  if (c.selfHosted) {
    const busyHours = busy.reduce((s, b) => s.plus(b), new Dec(0)).div(3600);
    const gpus = fleetSize(busyHours, hours, c.selfHosted.targetUtilisationPct);
    const cost = new Dec(gpus).times(hours).times(c.selfHosted.hourlyUsd);
    fleet = { cost, gpus, busyHours, shares: requests.length ? distributeExactly(cost, busy) : [] };
  }
  const totals = bases.map((base, i) => {
    const loaded = fleet ? base.plus(fleet.shares[i]!) : base;
    return loaded.plus(round12(loaded.times(fractions[i]!)));
  });

  const total = totals.reduce((s, t) => s.plus(t), new Dec(0));
  let weeklyAtGrowth = weeklyOf(total, sc.days).times(sc.growth);
  let selfHosted: SelfHostedOutcome | null = null;
  if (c.selfHosted && fleet) {
    const sh = c.selfHosted;
    // The fleet loaded with each request's overhead: Σ share × (1 + overhead), per GPU-week.
    const weights = busy.map((b) => (fleet.busyHours.isZero() ? new Dec(1).div(requests.length) : b.div(3600).div(fleet.busyHours)));
    const loadFactor = weights.reduce((s, w, i) => s.plus(w.times(new Dec(1).plus(fractions[i]!))), new Dec(0));
    const fleetWeekly = weeklyOf(fleet.cost, sc.days);
    const withoutFleetWeekly = weeklyOf(total, sc.days).minus(fleetWeekly.times(loadFactor));
    const grownGpus = fleetSize(fleet.busyHours.times(sc.growth), hours, sh.targetUtilisationPct);
    const grownFleetWeekly = new Dec(grownGpus).times(HOURS_PER_WEEK).times(sh.hourlyUsd);
    weeklyAtGrowth = withoutFleetWeekly.times(sc.growth).plus(grownFleetWeekly.times(loadFactor));
    const weeklyRequests = weeklyOf(new Dec(requests.length), sc.days);
    const actualWeekly = new Dec(actual.weeklyUsd);
    const breakEven = requests.length
      ? breakEvenRequests(
          actualWeekly.div(weeklyRequests),
          withoutFleetWeekly.div(weeklyRequests),
          new Dec(HOURS_PER_WEEK).times(sh.hourlyUsd).times(loadFactor),
          fleet.busyHours.div(requests.length),
          sh.targetUtilisationPct,
        )
      : null;
    selfHosted = {
      busyGpuHours: money(fleet.busyHours),
      gpuHoursAtTarget: money(fleet.busyHours.times(100).div(sh.targetUtilisationPct)),
      gpus: fleet.gpus,
      paidGpuHours: fleet.gpus * hours,
      fleetCostUsd: fleet.cost.toFixed(),
      impliedUtilisationPct: pct4(fleet.busyHours.div(fleet.gpus * hours)),
      atGrowth: { gpus: grownGpus, impliedUtilisationPct: pct4(fleet.busyHours.times(sc.growth).div(grownGpus * hours)) },
      breakEvenRequestsPerWeek: breakEven,
      breakEvenNote:
        breakEven === null
          ? "No weekly volume breaks even: at the target utilisation the fleet costs more per request than the hosted actual."
          : `From ${breakEven} requests a week the self-hosted fleet (whole GPUs, idle hours paid) costs no more than the hosted actual at the same volume.`,
    };
  }
  const out = outcome(totals, weeklyAtGrowth, sc, { unpriced, incomplete });
  const weeklyDelta = new Dec(out.weeklyUsd).minus(actual.weeklyUsd);
  return {
    name: name ?? `Candidate ${index + 1}`,
    changes,
    ...out,
    repricedEvents: repriced,
    billedRepriced,
    unpricedReasons: [...reasons],
    selfHosted,
    delta: {
      meanUsd: out.costPerRequest.mean !== null && actual.costPerRequest.mean !== null ? new Dec(out.costPerRequest.mean).minus(actual.costPerRequest.mean).toFixed() : null,
      weeklyUsd: weeklyDelta.toFixed(),
      weeklyPct: new Dec(actual.weeklyUsd).isZero() ? null : weeklyDelta.div(actual.weeklyUsd).times(100).toDecimalPlaces(2, Dec.ROUND_HALF_UP).toFixed(),
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// The scenario.

/** The window a scenario replays: its from/to, or the last complete week in the organisation's time zone. */
export function scenarioWindow(s: Pick<Scenario, "from" | "to">, timezone: string, now: Date): Window {
  const from = s.from ?? lastCompleteMonday(now, timezone);
  const to = s.to ?? addDays(from, 6);
  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
  return { from, to, days, timezone };
}

export async function evaluateScenario(db: Db, s: Scenario, now: Date = new Date()): Promise<WhatIfResult> {
  const known = await db.query("SELECT 1 FROM endpoints WHERE slug = $1", [s.endpoint]);
  if (!known.rowCount) throw notFound(`Endpoint '${s.endpoint}'`);
  const timezone = await getSetting(db, "timezone");
  const w = scenarioWindow(s, timezone, now);
  const [requests, book, contracts, overhead, targets, qualities] = await Promise.all([
    loadRequests(db, s, w),
    loadActivePrices(db),
    loadActiveContracts(db),
    getSetting(db, "overhead"),
    listTargets(db, s.endpoint),
    summariseQuality(db, w.from, addDays(w.to, 1), [s.endpoint]),
  ]);
  const target = targetFor(targets.flatMap((t) => t.targets), s.endpoint, s.cohort ?? null);
  const metric = targets[0]?.primaryMetric ?? null;
  const q = qualities.find((x) => x.cohort === (s.cohort ?? null)) ?? null;
  const quality = {
    metric,
    value: q?.value ?? null,
    samples: q?.samples ?? 0,
    note:
      metric === null
        ? "Quality is not simulated, and the endpoint has no primary quality metric to show beside it."
        : q === null
          ? `Quality is not simulated; no ${metric} was reported for the window.`
          : `Quality is not simulated: in the window ${metric} was ${q.value} over ${q.samples} samples, as served today; a candidate may change it.`,
  };
  const growth = new Dec(s.growth);
  const sc: Scale = { days: w.days, growth, target };
  const actualTotals = requests.map((r) => new Dec(r.totalCost));
  const actualWeekly = weeklyOf(actualTotals.reduce((a, b) => a.plus(b), new Dec(0)), w.days);
  const actual = outcome(actualTotals, actualWeekly.times(growth), sc, {
    unpriced: requests.reduce((n, r) => n + r.unpricedEvents, 0),
    incomplete: requests.reduce((n, r) => n + r.incompleteEvents, 0),
  });
  const pricing: Pricing = { book: groupByProvider(book), contracts, overhead };
  const fractions = requests.map((r) => new Dec(overheadPercentFor(r.feature, overhead) ?? "0").div(100));
  // Events are read a chunk of requests at a time, so only the per-request figures stay in memory.
  const states = s.candidates.map(newState);
  for (let i = 0; i < requests.length; i += REQUEST_CHUNK) {
    const chunk = requests.slice(i, i + REQUEST_CHUNK);
    const byRequest = await loadEvents(db, chunk.map((r) => r.requestId), w);
    for (const r of chunk) for (const st of states) accumulate(st, r, byRequest.get(r.requestId) ?? [], pricing);
  }
  const candidates = states.map((st, i) => finish(st, i, requests, fractions, sc, actual));
  const notes = [
    "Each llm event is re-priced from its stored tokens with the price book and contracts in force at its own time; other events, GPU shares and the overhead rule carry over.",
    "Quality and latency are not simulated.",
  ];
  if (requests.length === 0) notes.push(`No requests of ${s.endpoint} in ${w.from} to ${w.to} (${w.timezone}); nothing to replay.`);
  return {
    endpoint: s.endpoint,
    cohort: s.cohort ?? null,
    customerId: s.customerId ?? null,
    window: { ...w, weekly: `window × 7 / ${w.days}`, monthly: "weekly × (365 / 12) / 7" },
    growth: growth.toFixed(),
    target,
    quality,
    actual,
    candidates,
    notes,
  };
}
