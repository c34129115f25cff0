// Cost per customer and margin, per month.
//
// Definitions (the README's "Customers and margin" says the same):
// - A customer's cost for a month is booked like finance's month: each event of theirs on its own day in
//   the organisation's time zone, GPU shares on the day of their hour, overhead on both (customer_daily,
//   lib/finance/daily-costs.ts, read here through its monthly sums: customer_month_totals per customer,
//   customer_monthly per customer and feature). Fully loaded: direct + GPU share + overhead. A request
//   counts once per month for its customer.
// - Revenue is what was uploaded for the customer and month: the row without a feature when there is
//   one, otherwise the sum of its per-feature rows. Without uploaded revenue, a customer whose plan has
//   an assumed revenue per request (plan_revenue_rates) gets requests × that rate, labelled as assumed
//   wherever it shows (revenueSource, assumedRevenue). A customer with neither has no margin (shown as
//   "no revenue", never as 100 %).
// - Margin = revenue − cost; margin % = margin ÷ revenue × 100; AI cost share = cost ÷ revenue × 100.
//   A customer is under water when it has revenue and its cost is above it.
// - The organisation's month (the board number): all AI spend of the month (finance's fully-loaded total,
//   attributed or not) against all revenue uploaded for it.
import Decimal from "decimal.js";
import type { Db } from "@/lib/db/client";
import { addMonths, parseMonth, type Month } from "@/lib/finance/months";
import type { CustomerListQuery } from "@/lib/customers/schemas";

export type MarginFigures = {
  revenue: string | null;
  /** The part of `revenue` that is assumed (requests × the plan's revenue per request), null when none is. */
  assumedRevenue: string | null;
  margin: string | null;
  /** Margin ÷ revenue × 100, 2 places; null without revenue (or revenue 0). */
  marginPct: string | null;
  /** Cost ÷ revenue × 100, 2 places; null without revenue (or revenue 0). */
  costSharePct: string | null;
};

export type CustomerLine = MarginFigures & {
  customerId: string;
  name: string | null;
  plan: string | null;
  requests: number;
  events: number;
  cost: string;
  /** cost ÷ requests, 12 places; null without requests. */
  costPerRequest: string | null;
  /** Where the revenue comes from: uploaded rows, or requests × the plan's assumed rate; null: none. */
  revenueSource: RevenueSource | null;
  /** The plan's assumed revenue per request, when the revenue is assumed. */
  assumedRevenuePerRequest: string | null;
  underWater: boolean;
  /** The id names no customer seen in events (revenue uploaded for an unknown id). */
  unknown: boolean;
};

export type RevenueSource = "uploaded" | "assumed";

const pct = (part: Decimal, whole: Decimal) => (whole.isZero() ? null : part.div(whole).times(100).toDecimalPlaces(2).toFixed(2));

/** Margin figures of a cost against a revenue (of which `assumed` is assumed); exact decimals, percents to 2 places. */
export function marginOf(cost: string, revenue: string | null, assumed: string | null = null): MarginFigures {
  if (revenue === null) return { revenue: null, assumedRevenue: null, margin: null, marginPct: null, costSharePct: null };
  const r = new Decimal(revenue);
  const c = new Decimal(cost);
  const m = r.minus(c);
  return { revenue: r.toFixed(), assumedRevenue: assumed === null ? null : new Decimal(assumed).toFixed(), margin: m.toFixed(), marginPct: pct(m, r), costSharePct: pct(c, r) };
}

const dec = (v: string | null) => (v === null ? null : new Decimal(v).toFixed());

const perRequest = (cost: string, requests: number) => (requests > 0 ? new Decimal(cost).div(requests).toDecimalPlaces(12).toFixed() : null);

/**
 * The month's customers: cost from customer_month_totals, revenue from customer_revenue, joined both ways;
 * without uploaded revenue, requests × the plan's assumed rate (plan_revenue_rates).
 * $1–$2 is one month, so customer_month_totals has one row per customer in it.
 * `only`: just the customer whose id is $3 (its rows alone are read, not the whole month's).
 */
const monthCte = (only = false) => `
c AS (
  SELECT customer_id, requests, events, direct_cost + gpu_cost + overhead_cost AS cost
  FROM customer_month_totals WHERE month >= $1::date AND month < $2::date${only ? " AND customer_id = $3" : ""}
),
r AS (
  SELECT customer_id, CASE WHEN bool_or(feature = '') THEN sum(amount_usd) FILTER (WHERE feature = '') ELSE sum(amount_usd) END AS revenue
  FROM customer_revenue WHERE month = $1::date${only ? " AND customer_id = $3" : ""} GROUP BY customer_id
),
m AS (
  SELECT coalesce(c.customer_id, r.customer_id) AS customer_id, coalesce(c.requests, 0) AS requests, coalesce(c.events, 0) AS events,
    coalesce(c.cost, 0) AS cost, coalesce(r.revenue, coalesce(c.requests, 0) * pr.revenue_per_request) AS revenue,
    CASE WHEN r.revenue IS NOT NULL THEN 'uploaded' WHEN pr.plan IS NOT NULL THEN 'assumed' END AS revenue_source,
    pr.revenue_per_request AS assumed_rate, cu.name, coalesce(cu.plan, cu.last_cohort) AS plan, cu.id IS NULL AS unknown
  FROM c FULL JOIN r USING (customer_id) LEFT JOIN customers cu ON cu.id = coalesce(c.customer_id, r.customer_id)
    LEFT JOIN plan_revenue_rates pr ON r.revenue IS NULL AND pr.plan = coalesce(cu.plan, cu.last_cohort)
)`;
const MONTH_CTE = monthCte();

type LineRow = {
  customer_id: string;
  requests: number;
  events: number;
  cost: string;
  revenue: string | null;
  revenue_source: RevenueSource | null;
  assumed_rate: string | null;
  name: string | null;
  plan: string | null;
  unknown: boolean;
};
const LINE_COLUMNS = "customer_id, requests, events, cost::text, revenue::text, revenue_source, assumed_rate::text, name, plan, unknown";

function line(r: LineRow): CustomerLine {
  const cost = new Decimal(r.cost).toFixed();
  const revenue = dec(r.revenue);
  const assumed = r.revenue_source === "assumed";
  return {
    customerId: r.customer_id,
    name: r.name,
    plan: r.plan,
    requests: r.requests,
    events: r.events,
    cost,
    costPerRequest: perRequest(cost, r.requests),
    revenueSource: r.revenue_source,
    assumedRevenuePerRequest: assumed ? dec(r.assumed_rate) : null,
    ...marginOf(cost, revenue, assumed ? revenue : null),
    underWater: revenue !== null && new Decimal(cost).gt(revenue),
    unknown: r.unknown,
  };
}

const ORDER: Record<CustomerListQuery["sort"], string> = {
  cost: "cost DESC",
  margin: "(revenue - cost) ASC NULLS LAST",
  requests: "requests DESC",
  costPerRequest: "(CASE WHEN requests > 0 THEN cost / requests END) DESC NULLS LAST",
};

export type CustomerList = { month: string; total: number; page: number; pageSize: number; underWater: number; lines: CustomerLine[] };

/** One page of the month's customers: under water first, then by the chosen order; searched by id or name. */
export async function customerList(db: Db, q: CustomerListQuery): Promise<CustomerList> {
  const params: unknown[] = [q.month.start, q.month.end];
  const where: string[] = [];
  if (q.q) {
    params.push(`%${q.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
    where.push(`(customer_id ILIKE $${params.length} OR name ILIKE $${params.length})`);
  }
  if (q.underWater) where.push("revenue IS NOT NULL AND cost > revenue");
  params.push(q.pageSize, (q.page - 1) * q.pageSize);
  const { rows } = await db.query<LineRow & { total: number; under: number }>(
    `WITH ${MONTH_CTE}
     SELECT ${LINE_COLUMNS},
       count(*) OVER ()::int AS total, (count(*) FILTER (WHERE revenue IS NOT NULL AND cost > revenue) OVER ())::int AS under
     FROM m ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
     ORDER BY (revenue IS NOT NULL AND cost > revenue) DESC, ${ORDER[q.sort]}, customer_id COLLATE "C"
     LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  return { month: q.month.label, total: rows[0]?.total ?? 0, page: q.page, pageSize: q.pageSize, underWater: rows[0]?.under ?? 0, lines: rows.map(line) };
}

export type CustomerDetail = {
  customerId: string;
  name: string | null;
  plan: string | null;
  planSetByHand: boolean;
  lastCohort: string | null;
  attributes: Record<string, unknown>;
  firstSeen: string | null;
  lastSeen: string | null;
  month: string;
  figures: CustomerLine | null;
  byFeature: (MarginFigures & { feature: string | null; requests: number; cost: string; costPerRequest: string | null })[];
  /** The twelve months ending with this one, oldest first. */
  history: (MarginFigures & { month: string; requests: number; cost: string })[];
  /** The plan's cost per request this month (all its customers), for comparison. */
  planCostPerRequest: string | null;
  /** The plan's assumed revenue per request (used for months without uploaded revenue), or null. */
  assumedRevenuePerRequest: string | null;
};

/** One customer: the month's figures, per feature, and twelve months of history; null when never seen nor given revenue. */
export async function customerDetail(db: Db, id: string, month: Month): Promise<CustomerDetail | null> {
  const first = parseMonth(addMonths(month.label, -11))!;
  const [info, lines, features, history] = await Promise.all([
    db.query<{ name: string | null; plan: string | null; last_cohort: string | null; attributes: Record<string, unknown>; first_seen: Date; last_seen: Date; rate: string | null }>(
      `SELECT cu.name, cu.plan, cu.last_cohort, cu.attributes, cu.first_seen, cu.last_seen, pr.revenue_per_request::text AS rate
       FROM customers cu LEFT JOIN plan_revenue_rates pr ON pr.plan = coalesce(cu.plan, cu.last_cohort) WHERE cu.id = $1`,
      [id],
    ),
    db.query<LineRow>(`WITH ${monthCte(true)} SELECT ${LINE_COLUMNS} FROM m`, [month.start, month.end, id]),
    db.query<{ feature: string | null; requests: number; cost: string; revenue: string | null }>(
      `WITH f AS (
         SELECT nullif(feature, '') AS feature, sum(requests)::int AS requests, sum(direct_cost) + sum(gpu_cost) + sum(overhead_cost) AS cost
         FROM customer_monthly WHERE customer_id = $3 AND month >= $1::date AND month < $2::date GROUP BY feature
       ), r AS (SELECT feature, amount_usd AS revenue FROM customer_revenue WHERE customer_id = $3 AND month = $1::date AND feature <> '')
       SELECT coalesce(f.feature, r.feature) AS feature, coalesce(f.requests, 0) AS requests, coalesce(f.cost, 0)::text AS cost, r.revenue::text AS revenue
       FROM f FULL JOIN r ON r.feature = f.feature ORDER BY coalesce(f.cost, 0) DESC, 1`,
      [month.start, month.end, id],
    ),
    db.query<{ month: string; requests: number; cost: string; revenue: string | null }>(
      `WITH c AS (
         SELECT month, requests, direct_cost + gpu_cost + overhead_cost AS cost
         FROM customer_month_totals WHERE customer_id = $3 AND month >= $1::date AND month < $2::date
       ), r AS (
         SELECT month, CASE WHEN bool_or(feature = '') THEN sum(amount_usd) FILTER (WHERE feature = '') ELSE sum(amount_usd) END AS revenue
         FROM customer_revenue WHERE customer_id = $3 AND month >= $1::date AND month < $2::date GROUP BY month
       )
       SELECT to_char(coalesce(c.month, r.month), 'YYYY-MM') AS month, coalesce(c.requests, 0) AS requests, coalesce(c.cost, 0)::text AS cost, r.revenue::text AS revenue
       FROM c FULL JOIN r USING (month)`,
      [first.start, month.end, id],
    ),
  ]);
  const c = info.rows[0];
  if (!c && lines.rows.length === 0 && history.rows.length === 0) return null;
  const plan = c ? (c.plan ?? c.last_cohort) : null;
  const planCpr = plan === null ? null : await planCostPerRequest(db, month, plan);
  const byMonth = new Map(history.rows.map((h) => [h.month, h]));
  const figures = lines.rows[0] ? line(lines.rows[0]) : null;
  // Without uploaded revenue, the plan's assumed rate (today's) times the requests, labelled as assumed.
  const rate = dec(c?.rate ?? null);
  const withAssumption = (cost: string, requests: number, uploaded: string | null) => {
    if (uploaded !== null) return marginOf(cost, dec(uploaded));
    if (rate === null) return marginOf(cost, null);
    const assumed = new Decimal(rate).times(requests).toFixed();
    return marginOf(cost, assumed, assumed);
  };
  const customerAssumed = figures?.revenueSource === "assumed";
  return {
    customerId: id,
    name: c?.name ?? null,
    plan,
    planSetByHand: c?.plan != null,
    lastCohort: c?.last_cohort ?? null,
    attributes: c?.attributes ?? {},
    firstSeen: c?.first_seen.toISOString() ?? null,
    lastSeen: c?.last_seen.toISOString() ?? null,
    month: month.label,
    figures,
    byFeature: features.rows.map((f) => {
      const cost = new Decimal(f.cost).toFixed();
      const figures = customerAssumed ? withAssumption(cost, f.requests, null) : marginOf(cost, dec(f.revenue));
      return { feature: f.feature, requests: f.requests, cost, costPerRequest: perRequest(cost, f.requests), ...figures };
    }),
    history: Array.from({ length: 12 }, (_, i) => {
      const label = addMonths(first.label, i);
      const h = byMonth.get(label);
      const cost = new Decimal(h?.cost ?? 0).toFixed();
      const requests = h?.requests ?? 0;
      // A month with neither cost nor revenue stays empty (no assumed $0).
      return { month: label, requests, cost, ...(h ? withAssumption(cost, requests, h.revenue) : marginOf(cost, null)) };
    }),
    assumedRevenuePerRequest: rate,
    planCostPerRequest: planCpr,
  };
}

async function planCostPerRequest(db: Db, month: Month, plan: string): Promise<string | null> {
  const { rows } = await db.query<{ requests: number | null; cost: string | null }>(
    `WITH ${MONTH_CTE} SELECT sum(requests)::int AS requests, sum(cost)::text AS cost FROM m WHERE plan = $3`,
    [month.start, month.end, plan],
  );
  const r = rows[0];
  return r?.cost && r.requests ? perRequest(r.cost, r.requests) : null;
}

export type GroupMargin = MarginFigures & {
  key: string | null;
  customers: number;
  customersWithRevenue: number;
  requests: number;
  cost: string;
  /** The cost of the customers (or customer × feature pairs) that have revenue: what the margin is taken on. */
  costWithRevenue: string;
  costPerRequest: string | null;
};

export type MarginOverview = {
  month: string;
  previousMonth: string;
  organisation: MarginFigures & {
    /** All AI spend of the month (finance's fully-loaded total), attributed to a customer or not. */
    cost: string;
    customerCost: string;
    previous: MarginFigures & { cost: string };
    /** Change of the margin % against the previous month, in percentage points (2 places). */
    marginPctChange: string | null;
  };
  byPlan: GroupMargin[];
  byFeature: GroupMargin[];
  heaviest: {
    customers: number;
    /** Share of the customer-attributed cost (percent, 2 places) carried by the top 1 % and top 10 % of customers by cost. */
    top1PctShare: string | null;
    top10PctShare: string | null;
    /** Cumulative share of cost by the top k × 5 % of customers, k = 1…20 (a concentration curve). */
    curve: { customersPct: number; costSharePct: string }[];
    /** Customers whose cost per request is furthest above their plan's (at least 10 requests), highest first. */
    aboveTheirPlan: { customerId: string; name: string | null; plan: string | null; requests: number; costPerRequest: string; planCostPerRequest: string; ratio: string }[];
  };
};

type GroupRow = { key: string | null; customers: number; with_revenue: number; requests: number; cost: string; cost_with_revenue: string; revenue: string | null; assumed: string | null };

function group(r: GroupRow): GroupMargin {
  const cost = new Decimal(r.cost).toFixed();
  const withRevenue = new Decimal(r.cost_with_revenue).toFixed();
  return {
    key: r.key,
    customers: r.customers,
    customersWithRevenue: r.with_revenue,
    requests: r.requests,
    cost,
    costWithRevenue: withRevenue,
    costPerRequest: perRequest(cost, r.requests),
    ...marginOf(withRevenue, dec(r.revenue), r.assumed),
  };
}

/** The organisation's month alone (the previous month beside the shown one). */
async function organisation(db: Db, m: Month): Promise<MarginFigures & { cost: string; customerCost: string }> {
  const { rows } = await db.query<OrgRow>(
    `WITH ${MONTH_CTE}, t AS (SELECT sum(cost) AS cost, sum(revenue) AS revenue, sum(revenue) FILTER (WHERE revenue_source = 'assumed') AS assumed FROM m)
     SELECT (SELECT sum(direct_cost) + sum(gpu_cost) + sum(overhead_cost) FROM daily_costs WHERE day >= $1::date AND day < $2::date)::text AS cost,
       t.cost::text AS customer_cost, t.revenue::text AS revenue, t.assumed::text AS assumed FROM t`,
    [m.start, m.end],
  );
  return orgFigures(rows[0]!);
}

type DistRow = { k: number; customers: number; share: string | null };
type AboveRow = { customer_id: string; name: string | null; plan: string; requests: number; cpr: string; plan_cpr: string; ratio: string };

/**
 * The month's organisation totals, plans, cost distribution and customers above their plan in one
 * statement, so the month's customers (MONTH_CTE, tens of thousands of rows) are computed once and read
 * four times. Money leaves as text, so no digit is lost on the way through JSON.
 */
const MONTH_PARTS_SQL = `WITH ${MONTH_CTE},
org AS (
  SELECT (SELECT sum(direct_cost) + sum(gpu_cost) + sum(overhead_cost) FROM daily_costs WHERE day >= $1::date AND day < $2::date)::text AS cost,
    sum(cost)::text AS customer_cost, sum(revenue)::text AS revenue, (sum(revenue) FILTER (WHERE revenue_source = 'assumed'))::text AS assumed FROM m
),
plans AS (
  SELECT plan AS key, count(*)::int AS customers, (count(*) FILTER (WHERE revenue IS NOT NULL))::int AS with_revenue, sum(requests)::int AS requests,
    sum(cost)::text AS cost, coalesce(sum(cost) FILTER (WHERE revenue IS NOT NULL), 0)::text AS cost_with_revenue, sum(revenue)::text AS revenue,
    (sum(revenue) FILTER (WHERE revenue_source = 'assumed'))::text AS assumed, sum(cost) AS sort_cost
  FROM m GROUP BY plan
),
ranked AS (
  SELECT row_number() OVER (ORDER BY cost DESC, customer_id COLLATE "C") AS rank, count(*) OVER () AS n,
    sum(cost) OVER () AS total, sum(cost) OVER (ORDER BY cost DESC, customer_id COLLATE "C" ROWS UNBOUNDED PRECEDING) AS cum
  FROM m WHERE cost > 0
),
-- The ranks asked for (top 1 %, top 10 %, every 5 %), each found by equality rather than tested on every row.
targets AS (
  SELECT k, (CASE WHEN k < 0 THEN ceil(n * (-k) / 100.0) ELSE ceil(n * k * 5 / 100.0) END)::bigint AS rank
  FROM (SELECT count(*) AS n FROM m WHERE cost > 0) c, unnest(ARRAY[-1, -10, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]) AS k
),
dist AS (
  SELECT t.k, r.n::int AS customers, CASE WHEN r.total > 0 THEN round(r.cum / r.total * 100, 2)::text END AS share
  FROM targets t JOIN ranked r ON r.rank = t.rank
),
plan_cpr AS (SELECT plan, sum(cost) / nullif(sum(requests), 0) AS cpr FROM m WHERE plan IS NOT NULL GROUP BY plan),
above AS (
  SELECT m.customer_id, m.name, m.plan, m.requests, round(m.cost / m.requests, 12)::text AS cpr, round(p.cpr, 12)::text AS plan_cpr,
    round((m.cost / m.requests) / p.cpr, 2)::text AS ratio, (m.cost / m.requests) / p.cpr AS sort_ratio
  FROM m JOIN plan_cpr p ON p.plan = m.plan
  WHERE m.requests >= 10 AND p.cpr > 0
  ORDER BY (m.cost / m.requests) / p.cpr DESC, m.customer_id COLLATE "C" LIMIT 20
)
SELECT (SELECT row_to_json(org) FROM org) AS org,
  (SELECT coalesce(json_agg(plans ORDER BY sort_cost DESC, key NULLS LAST), '[]') FROM plans) AS plans,
  (SELECT coalesce(json_agg(dist), '[]') FROM dist) AS dist,
  (SELECT coalesce(json_agg(above ORDER BY sort_ratio DESC, customer_id COLLATE "C"), '[]') FROM above) AS above`;

type OrgRow = { cost: string | null; customer_cost: string | null; revenue: string | null; assumed: string | null };

function orgFigures(r: OrgRow): MarginFigures & { cost: string; customerCost: string } {
  const cost = new Decimal(r.cost ?? 0).toFixed();
  return { cost, customerCost: new Decimal(r.customer_cost ?? 0).toFixed(), ...marginOf(cost, dec(r.revenue), r.assumed) };
}

/** The month's margin: the organisation's (with the previous month), per plan, per feature, and how concentrated cost is. */
export async function marginOverview(db: Db, month: Month): Promise<MarginOverview> {
  const prev = parseMonth(addMonths(month.label, -1))!;
  const p = [month.start, month.end];
  const [parts, before, features] = await Promise.all([
    db.query<{ org: OrgRow; plans: GroupRow[]; dist: DistRow[]; above: AboveRow[] }>(MONTH_PARTS_SQL, p),
    organisation(db, prev),
    db.query<GroupRow>(
      `WITH f AS (
         SELECT customer_id, nullif(feature, '') AS feature, requests, direct_cost + gpu_cost + overhead_cost AS cost
         FROM customer_monthly WHERE month >= $1::date AND month < $2::date
       ), r AS (SELECT customer_id, feature, amount_usd AS revenue FROM customer_revenue WHERE month = $1::date AND feature <> ''),
       uploaded AS (SELECT DISTINCT customer_id FROM customer_revenue WHERE month = $1::date),
       j AS (
         SELECT coalesce(f.customer_id, r.customer_id) AS customer_id, coalesce(f.feature, r.feature) AS feature,
           coalesce(f.requests, 0) AS requests, coalesce(f.cost, 0) AS cost,
           coalesce(r.revenue, f.requests * pr.revenue_per_request) AS revenue, r.revenue IS NULL AND pr.plan IS NOT NULL AS assumed
         FROM f FULL JOIN r ON r.customer_id = f.customer_id AND r.feature = f.feature
           LEFT JOIN customers cu ON r.customer_id IS NULL AND cu.id = f.customer_id
           LEFT JOIN plan_revenue_rates pr ON pr.plan = coalesce(cu.plan, cu.last_cohort)
             AND NOT EXISTS (SELECT 1 FROM uploaded u WHERE u.customer_id = f.customer_id)
       )
       -- j has one row per customer and feature (both sides are unique by them), so count(*) counts customers.
       SELECT feature AS key, count(*)::int AS customers, (count(*) FILTER (WHERE revenue IS NOT NULL))::int AS with_revenue,
         sum(requests)::int AS requests, sum(cost)::text AS cost, coalesce(sum(cost) FILTER (WHERE revenue IS NOT NULL), 0)::text AS cost_with_revenue,
         sum(revenue)::text AS revenue, (sum(revenue) FILTER (WHERE assumed))::text AS assumed
       FROM j GROUP BY feature ORDER BY sum(cost) DESC, feature NULLS LAST`,
      p,
    ),
  ]);
  const { plans, dist, above } = parts.rows[0]!;
  const org = orgFigures(parts.rows[0]!.org);
  const at = (k: number) => dist.find((r) => r.k === k)?.share ?? null;
  return {
    month: month.label,
    previousMonth: prev.label,
    organisation: {
      ...org,
      previous: { cost: before.cost, revenue: before.revenue, assumedRevenue: before.assumedRevenue, margin: before.margin, marginPct: before.marginPct, costSharePct: before.costSharePct },
      marginPctChange: org.marginPct !== null && before.marginPct !== null ? new Decimal(org.marginPct).minus(before.marginPct).toFixed(2) : null,
    },
    byPlan: plans.map(group),
    byFeature: features.rows.map(group),
    heaviest: {
      customers: dist[0]?.customers ?? 0,
      top1PctShare: at(-1),
      top10PctShare: at(-10),
      curve: Array.from({ length: 20 }, (_, i) => ({ customersPct: (i + 1) * 5, costSharePct: at(i + 1) ?? "0.00" })).filter(() => dist.length > 0),
      aboveTheirPlan: above.map((a) => ({ customerId: a.customer_id, name: a.name, plan: a.plan, requests: a.requests, costPerRequest: new Decimal(a.cpr).toFixed(), planCostPerRequest: new Decimal(a.plan_cpr).toFixed(), ratio: a.ratio })),
    },
  };
}
