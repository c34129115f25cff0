// The monthly rollup finance books: per chosen grouping, requests, direct cost, GPU share, overhead,
// fully-loaded total, cost per request and the change against the previous month, with a totals row.
// Reads daily_costs only (see lib/finance/daily-costs.ts for the definitions).
import type pg from "pg";
import { Dec } from "@/lib/pricing/price-entry";
import { addMonths, parseMonth, type Month } from "@/lib/finance/months";

export const DIMENSIONS = ["team", "feature", "endpoint", "cohort", "provider", "model", "costSource"] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export const DIMENSION_LABELS: Record<Dimension, string> = {
  team: "Team",
  feature: "Feature",
  endpoint: "Endpoint",
  cohort: "Cohort / tenant",
  provider: "Provider",
  model: "Model",
  costSource: "Cost source",
};
const COLUMN: Record<Dimension, string> = {
  team: "team",
  feature: "feature",
  endpoint: "endpoint",
  cohort: "cohort",
  provider: "provider",
  model: "model",
  costSource: "cost_source",
};
/** A filter value that selects rows without the tag. */
export const NONE = "(none)";
/** How a GPU pool-hour share whose request's GPU event names no provider or model is named in those columns. */
export const GPU_POOL_PREFIX = "gpu: ";
/**
 * The value of a dimension in a daily_costs row: its column, except that a GPU share without a provider or
 * model is named by its pool ("gpu: <pool>"), so a row of GPU cost is never an empty provider/model.
 */
const EXPR: Record<Dimension, string> = {
  ...COLUMN,
  provider: `coalesce(provider, CASE WHEN pool IS NOT NULL THEN '${GPU_POOL_PREFIX}' || pool END)`,
  model: `coalesce(model, CASE WHEN pool IS NOT NULL THEN '${GPU_POOL_PREFIX}' || pool END)`,
};
/** The SQL expression for a dimension's value in daily_costs (for other readers of the rollup, such as the trend). */
export function dimensionExpr(d: Dimension): string {
  return EXPR[d];
}

export type MonthlyQuery = { month: Month; groupBy: Dimension[]; filters: Partial<Record<Dimension, string>> };

export type Figures = {
  events: number;
  requests: number;
  directCost: string;
  /** The direct cost at list price: directCost + what contracts took off (equal to directCost without contracts). */
  listDirectCost: string;
  billedCost: string;
  estimatedCost: string;
  /** The priced part of events priced in part (cost source "incomplete"); billed + estimated + incomplete = direct. */
  incompleteCost: string;
  gpuCost: string;
  overheadCost: string;
  totalCost: string;
  /** total / requests, to 12 places; null without requests. */
  costPerRequest: string | null;
};

export type MonthlyRow = Figures & {
  key: Partial<Record<Dimension, string | null>>;
  previousTotal: string;
  changeUsd: string;
  /** Change against the previous month in percent (2 places); null when the previous month had nothing. */
  changePct: string | null;
};

export type MonthlyRollup = {
  month: string;
  previousMonth: string;
  groupBy: Dimension[];
  filters: Partial<Record<Dimension, string>>;
  rows: MonthlyRow[];
  totals: Figures & { previousTotal: string; changeUsd: string; changePct: string | null };
};

export function whereFor(filters: Partial<Record<Dimension, string>>, params: unknown[]): string {
  const parts: string[] = [];
  for (const d of DIMENSIONS) {
    const v = filters[d];
    if (v === undefined) continue;
    if (v === NONE) parts.push(`${EXPR[d]} IS NULL`);
    else {
      params.push(d === "provider" && !v.startsWith(GPU_POOL_PREFIX) ? v.trim().toLowerCase() : v);
      parts.push(`${EXPR[d]} = $${params.length}`);
    }
  }
  return parts.map((p) => ` AND ${p}`).join("");
}

type SqlRow = Record<string, string | null> & {
  events: string;
  requests: string;
  direct: string;
  discount: string;
  billed: string;
  estimated: string;
  incomplete: string;
  gpu: string;
  overhead: string;
};

async function grouped(db: pg.Pool | pg.PoolClient, month: Month, groupBy: Dimension[], filters: MonthlyQuery["filters"]): Promise<SqlRow[]> {
  const params: unknown[] = [month.start, month.end];
  const cols = groupBy.map((d) => `${EXPR[d]} AS "${d}"`);
  const sql = `SELECT ${[...cols, ""].join(", ")}
      sum(events)::text AS events, sum(requests)::text AS requests, sum(direct_cost)::text AS direct,
      coalesce(sum(direct_cost) FILTER (WHERE cost_source = 'billed'), 0)::text AS billed,
      coalesce(sum(direct_cost) FILTER (WHERE cost_source = 'estimated'), 0)::text AS estimated,
      coalesce(sum(direct_cost) FILTER (WHERE cost_source = 'incomplete'), 0)::text AS incomplete,
      sum(contract_discount)::text AS discount,
      sum(gpu_cost)::text AS gpu, sum(overhead_cost)::text AS overhead
    FROM daily_costs WHERE day >= $1::date AND day < $2::date${whereFor(filters, params)}
    ${groupBy.length ? `GROUP BY ${groupBy.map((_, i) => i + 1).join(", ")}` : ""} HAVING count(*) > 0`;
  const { rows } = await db.query<SqlRow>(sql, params);
  return rows;
}

type Acc = { events: number; requests: number; direct: Dec; discount: Dec; billed: Dec; estimated: Dec; incomplete: Dec; gpu: Dec; overhead: Dec };

function figures(r: Acc): Figures {
  const total = r.direct.plus(r.gpu).plus(r.overhead);
  return {
    events: r.events,
    requests: r.requests,
    directCost: r.direct.toFixed(),
    listDirectCost: r.direct.plus(r.discount).toFixed(),
    billedCost: r.billed.toFixed(),
    estimatedCost: r.estimated.toFixed(),
    incompleteCost: r.incomplete.toFixed(),
    gpuCost: r.gpu.toFixed(),
    overheadCost: r.overhead.toFixed(),
    totalCost: total.toFixed(),
    costPerRequest: r.requests > 0 ? total.dividedBy(r.requests).toDecimalPlaces(12).toFixed() : null,
  };
}

/** Why a row with cost has no requests of its own, so no cost per request ("n/a" on the page). */
export type NoRequestsReason = "gpu" | "elsewhere" | "overhead";
export const NO_REQUESTS_REASON: Record<NoRequestsReason, string> = {
  gpu: "GPU share, not requests of its own: the requests it served are counted in the row of their first event",
  elsewhere: "no requests of its own: its events' requests are counted in the row of their first event of the month (or carry no request id)",
  overhead: "overhead only, not requests of its own",
};

/** The reason a row with cost has no requests (null when it has requests, or no cost at all). */
export function noRequestsReason(f: Pick<Figures, "requests" | "directCost" | "gpuCost" | "overheadCost">): NoRequestsReason | null {
  if (f.requests > 0) return null;
  if (!new Dec(f.directCost).isZero()) return "elsewhere";
  if (!new Dec(f.gpuCost).isZero()) return "gpu";
  if (!new Dec(f.overheadCost).isZero()) return "overhead";
  return null;
}

function change(current: Dec, previous: Dec): { previousTotal: string; changeUsd: string; changePct: string | null } {
  return {
    previousTotal: previous.toFixed(),
    changeUsd: current.minus(previous).toFixed(),
    changePct: previous.isZero() ? null : current.minus(previous).dividedBy(previous).times(100).toDecimalPlaces(2).toFixed(2),
  };
}

const toFig = (r: SqlRow): Acc => ({
  events: Number(r.events),
  requests: Number(r.requests),
  direct: new Dec(r.direct),
  discount: new Dec(r.discount),
  billed: new Dec(r.billed),
  estimated: new Dec(r.estimated),
  incomplete: new Dec(r.incomplete),
  gpu: new Dec(r.gpu),
  overhead: new Dec(r.overhead),
});

export async function monthlyRollup(db: pg.Pool | pg.PoolClient, q: MonthlyQuery): Promise<MonthlyRollup> {
  const previous = parseMonth(addMonths(q.month.label, -1))!;
  const [cur, prev] = await Promise.all([grouped(db, q.month, q.groupBy, q.filters), grouped(db, previous, q.groupBy, q.filters)]);
  const keyOf = (r: SqlRow) => JSON.stringify(q.groupBy.map((d) => r[d] ?? null));
  const prevByKey = new Map(prev.map((r) => [keyOf(r), r]));
  const acc: Acc = { events: 0, requests: 0, direct: new Dec(0), discount: new Dec(0), billed: new Dec(0), estimated: new Dec(0), incomplete: new Dec(0), gpu: new Dec(0), overhead: new Dec(0) };
  let prevTotal = new Dec(0);
  for (const r of prev) prevTotal = prevTotal.plus(r.direct).plus(r.gpu).plus(r.overhead);
  const rows: MonthlyRow[] = cur.map((r) => {
    const f = toFig(r);
    acc.events += f.events;
    acc.requests += f.requests;
    acc.direct = acc.direct.plus(f.direct);
    acc.discount = acc.discount.plus(f.discount);
    acc.billed = acc.billed.plus(f.billed);
    acc.estimated = acc.estimated.plus(f.estimated);
    acc.incomplete = acc.incomplete.plus(f.incomplete);
    acc.gpu = acc.gpu.plus(f.gpu);
    acc.overhead = acc.overhead.plus(f.overhead);
    const p = prevByKey.get(keyOf(r));
    const prevRowTotal = p ? new Dec(p.direct).plus(p.gpu).plus(p.overhead) : new Dec(0);
    const fig = figures(f);
    return {
      key: Object.fromEntries(q.groupBy.map((d) => [d, r[d] ?? null])),
      ...fig,
      ...change(new Dec(fig.totalCost), prevRowTotal),
    };
  });
  rows.sort((a, b) => new Dec(b.totalCost).comparedTo(a.totalCost) || JSON.stringify(a.key).localeCompare(JSON.stringify(b.key)));
  const totals = figures(acc);
  return {
    month: q.month.label,
    previousMonth: previous.label,
    groupBy: q.groupBy,
    filters: q.filters,
    rows,
    totals: { ...totals, ...change(new Dec(totals.totalCost), prevTotal) },
  };
}

/** The distinct values of each dimension in a month, for the page's filters. */
export async function dimensionValues(db: pg.Pool | pg.PoolClient, month: Month): Promise<Record<Dimension, (string | null)[]>> {
  const out = {} as Record<Dimension, (string | null)[]>;
  const { rows } = await db.query<{ d: string; v: string | null }>(
    `SELECT DISTINCT d, v FROM daily_costs,
       LATERAL (VALUES ('team', team), ('feature', feature), ('endpoint', endpoint), ('cohort', cohort),
         ('provider', ${EXPR.provider}), ('model', ${EXPR.model}), ('costSource', cost_source)) AS x(d, v)
     WHERE day >= $1::date AND day < $2::date ORDER BY d, v NULLS LAST`,
    [month.start, month.end],
  );
  for (const d of DIMENSIONS) out[d] = [];
  for (const r of rows) out[r.d as Dimension].push(r.v);
  return out;
}

export const MONTHLY_CSV_HEADER = [
  "requests",
  "events",
  "direct_cost_usd",
  "list_direct_cost_usd",
  "billed_cost_usd",
  "estimated_cost_usd",
  "incomplete_cost_usd",
  "gpu_cost_usd",
  "overhead_cost_usd",
  "total_cost_usd",
  "cost_per_request_usd",
  "previous_month_total_usd",
  "change_usd",
  "change_pct",
];

/** The rollup as CSV lines: month, the grouping columns, the figures; the last line is the totals row. */
export function monthlyCsvCells(r: MonthlyRollup): (string | number | null)[][] {
  const figs = (f: Figures & { previousTotal: string; changeUsd: string; changePct: string | null }) => [
    f.requests,
    f.events,
    f.directCost,
    f.listDirectCost,
    f.billedCost,
    f.estimatedCost,
    f.incompleteCost,
    f.gpuCost,
    f.overheadCost,
    f.totalCost,
    f.costPerRequest,
    f.previousTotal,
    f.changeUsd,
    f.changePct,
  ];
  const header = ["month", "row", ...r.groupBy.map((d) => COLUMN[d]), ...MONTHLY_CSV_HEADER];
  return [
    header,
    ...r.rows.map((row) => [r.month, "line", ...r.groupBy.map((d) => row.key[d] ?? NONE), ...figs(row)]),
    [r.month, "total", ...r.groupBy.map(() => ""), ...figs(r.totals)],
  ];
}
