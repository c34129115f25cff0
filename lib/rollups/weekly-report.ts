// The weekly review's figures, read from the weekly rollup: per endpoint and/or cohort, this week
// against the previous one, with eight weeks of history for sparklines. Money as decimal strings.
import Decimal from "decimal.js";
import { addWeeks, isoLabel } from "@/lib/rollups/weeks";
import type { Db } from "@/lib/db/client";

export type WeeklyGroupBy = "endpoint" | "cohort";

export type WeekFigures = {
  requests: number;
  totalCost: string;
  meanCost: string;
  p50Cost: string;
  p95Cost: string;
  directCost: string;
  /** The direct cost at list price: directCost + what contracts took off (equal to directCost without contracts). */
  listDirectCost: string;
  gpuCost: string;
  overheadCost: string;
  tokens: { input: string; cacheRead: string; cacheWrite: string; output: string; reasoning: string; toolOutput: string };
  unpricedRequests: number;
  unpricedEvents: number;
  /** Events priced in part (cost_source "incomplete"): in the totals with what could be priced. */
  incompleteEvents: number;
  latencyP95Ms: number | null;
  errorRate: number;
};

export type WeeklyRow = {
  endpoint: string | null;
  cohort: string | null;
  current: WeekFigures | null;
  previous: WeekFigures | null;
  /** Percent change from the previous week (decimal strings, 2 places); null without a previous value. */
  change: { requests: string | null; totalCost: string | null; meanCost: string | null; p50Cost: string | null; p95Cost: string | null };
  /** Mean cost per request, oldest first, for the eight weeks ending with this one (null where no requests). */
  history: { week: string; meanCost: string | null; requests: number }[];
};

type StatRow = {
  week: string;
  endpoint: string | null;
  cohort: string | null;
  requests: number;
  total_cost: string;
  mean_cost: string;
  p50_cost: string;
  p95_cost: string;
  direct_cost: string;
  contract_discount: string;
  gpu_cost: string;
  overhead_cost: string;
  input_tokens: string;
  cache_read_tokens: string;
  cache_write_tokens: string;
  output_tokens: string;
  reasoning_tokens: string;
  tool_output_tokens: string;
  unpriced_requests: number;
  unpriced_events: number;
  incomplete_events: number;
  latency_p95_ms: number | null;
  error_requests: number;
};

const money = (v: string) => new Decimal(v).toFixed();

function figures(r: StatRow): WeekFigures {
  return {
    requests: r.requests,
    totalCost: money(r.total_cost),
    meanCost: money(r.mean_cost),
    p50Cost: money(r.p50_cost),
    p95Cost: money(r.p95_cost),
    directCost: money(r.direct_cost),
    listDirectCost: new Decimal(r.direct_cost).plus(r.contract_discount).toFixed(),
    gpuCost: money(r.gpu_cost),
    overheadCost: money(r.overhead_cost),
    tokens: {
      input: r.input_tokens,
      cacheRead: r.cache_read_tokens,
      cacheWrite: r.cache_write_tokens,
      output: r.output_tokens,
      reasoning: r.reasoning_tokens,
      toolOutput: r.tool_output_tokens,
    },
    unpricedRequests: r.unpriced_requests,
    unpricedEvents: r.unpriced_events,
    incompleteEvents: r.incomplete_events,
    latencyP95Ms: r.latency_p95_ms,
    errorRate: r.requests ? r.error_requests / r.requests : 0,
  };
}

export function percentChange(current: string | number | null | undefined, previous: string | number | null | undefined): string | null {
  if (current === null || current === undefined || previous === null || previous === undefined) return null;
  const prev = new Decimal(previous);
  if (prev.isZero()) return null;
  return new Decimal(current).minus(prev).div(prev).times(100).toDecimalPlaces(2).toFixed(2);
}

export async function weeklyReport(db: Db, monday: string, groupBy: WeeklyGroupBy[]): Promise<{ rows: WeeklyRow[]; totals: WeeklyRow }> {
  const byEndpoint = groupBy.includes("endpoint");
  const byCohort = groupBy.includes("cohort");
  const first = addWeeks(monday, -7);
  const { rows } = await db.query<StatRow>(
    `SELECT week::text AS week, endpoint, cohort, requests, total_cost::text, mean_cost::text, p50_cost::text, p95_cost::text,
       direct_cost::text, contract_discount::text, gpu_cost::text, overhead_cost::text, input_tokens::text, cache_read_tokens::text, cache_write_tokens::text,
       output_tokens::text, reasoning_tokens::text, tool_output_tokens::text, unpriced_requests, unpriced_events, incomplete_events, latency_p95_ms, error_requests,
       endpoint_all, cohort_all
     FROM weekly_stats
     WHERE week BETWEEN $1::date AND $2::date
       AND ((endpoint_all = $3 AND cohort_all = $4) OR (endpoint_all AND cohort_all))`,
    [first, monday, !byEndpoint, !byCohort],
  );
  const key = (r: { endpoint: string | null; cohort: string | null }) => `${r.endpoint ?? "\u0000"}|${r.cohort ?? "\u0000"}`;
  const grouped = new Map<string, Map<string, StatRow>>();
  const totalsByWeek = new Map<string, StatRow>();
  for (const r of rows as (StatRow & { endpoint_all: boolean; cohort_all: boolean })[]) {
    if (r.endpoint_all && r.cohort_all) totalsByWeek.set(r.week, r);
    if (r.endpoint_all === !byEndpoint && r.cohort_all === !byCohort) {
      const k = key(r);
      if (!grouped.has(k)) grouped.set(k, new Map());
      grouped.get(k)!.set(r.week, r);
    }
  }
  const weeks = Array.from({ length: 8 }, (_, i) => addWeeks(first, i));
  const build = (endpoint: string | null, cohort: string | null, byWeek: Map<string, StatRow>): WeeklyRow => {
    const cur = byWeek.get(monday);
    const prev = byWeek.get(addWeeks(monday, -1));
    return {
      endpoint,
      cohort,
      current: cur ? figures(cur) : null,
      previous: prev ? figures(prev) : null,
      change: {
        requests: percentChange(cur?.requests ?? 0, prev?.requests),
        totalCost: percentChange(cur?.total_cost ?? "0", prev?.total_cost),
        meanCost: cur ? percentChange(cur.mean_cost, prev?.mean_cost) : null,
        p50Cost: cur ? percentChange(cur.p50_cost, prev?.p50_cost) : null,
        p95Cost: cur ? percentChange(cur.p95_cost, prev?.p95_cost) : null,
      },
      history: weeks.map((w) => {
        const r = byWeek.get(w);
        return { week: isoLabel(w), meanCost: r ? money(r.mean_cost) : null, requests: r?.requests ?? 0 };
      }),
    };
  };
  const result: WeeklyRow[] = [];
  for (const byWeek of grouped.values()) {
    const any = [...byWeek.values()][0]!;
    // Only groups with traffic this week or last week are part of this week's review.
    if (!byWeek.has(monday) && !byWeek.has(addWeeks(monday, -1))) continue;
    result.push(build(byEndpoint ? any.endpoint : null, byCohort ? any.cohort : null, byWeek));
  }
  result.sort((a, b) => new Decimal(b.current?.totalCost ?? 0).cmp(a.current?.totalCost ?? 0));
  return { rows: result, totals: build(null, null, totalsByWeek) };
}
