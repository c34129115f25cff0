// Customer pages and APIs at growing scale (BENCH_CUSTOMER_SCALES, default 1M and 10M events) with 50,000
// customers: the review section's generator fills 12 weeks of events, each request is given one of 50,000
// customers with a heavy-tailed spread (a few large, many small), 80 % of them get revenue for the last
// complete month, the rollups are rebuilt (customer_daily and customer_monthly with them), and then the
// customer list (first page by cost, the margin order, a search, a deep page), the margin overview and one
// customer are timed against the month's per-customer totals computed straight from cost_events (the
// baseline the rollups avoid).
import { refreshRollups } from "@/lib/rollups/refresh-rollups";
import { lastCompleteMonth } from "@/lib/finance/months";
import { createBenchKey } from "../lib/database";
import { summarise } from "../lib/stats";
import type { Metric, Ratio, Section } from "../lib/section";
import { generateEvents, timeGets, twelveWeeks } from "./review";

const RUNS = 20;
const RAW_RUNS = 3;
const CUSTOMERS = 50_000;

function scales(): number[] {
  const raw = process.env.BENCH_CUSTOMER_SCALES ?? "1000000,10000000";
  return raw.split(",").map((s) => Number(s.trim().replace(/_/g, ""))).filter((n) => Number.isSafeInteger(n) && n > 0);
}

// u³ of a uniform hash: customer 0 gets the most requests, the last ones very few.
const ASSIGN_SQL = `UPDATE cost_events SET customer_id = 'cust-' || lpad(least(${CUSTOMERS - 1},
  floor(power((hashtext(request_id) & 2147483647)::float8 / 2147483648, 3) * ${CUSTOMERS}))::int::text, 5, '0')`;

const REVENUE_SQL = `INSERT INTO customer_revenue (month, customer_id, amount_usd, entered_by)
  SELECT $1::date, 'cust-' || lpad(n::text, 5, '0'), round((5 + (n % 97) * 0.5)::numeric, 2), 'bench'
  FROM generate_series(0, ${CUSTOMERS - 1}) n WHERE n % 5 <> 0`;

const RAW_SQL = `SELECT customer_id, count(DISTINCT request_id) AS requests, sum(cost_usd) AS cost
  FROM cost_events WHERE customer_id IS NOT NULL
    AND ts >= $1::date::timestamp AT TIME ZONE 'UTC' AND ts < ($1::date + interval '1 month')::timestamp AT TIME ZONE 'UTC'
  GROUP BY customer_id ORDER BY cost DESC LIMIT 50`;

export const customersSection: Section = {
  id: "customers",
  title: "Customer pages and APIs at 1M and 10M events with 50,000 customers",
  async run(ctx) {
    const metrics: Metric[] = [];
    const ratios: Ratio[] = [];
    const data: Record<string, unknown> = {};
    const key = await createBenchKey(ctx.databaseUrl, "bench customers", "admin");
    const { first, spanSeconds } = await twelveWeeks(ctx.db);
    const month = lastCompleteMonth(new Date(), "UTC");

    const time = (path: string, runs: number) => timeGets(ctx.app.url, key, path, runs);

    let largest: { p95: number; raw: number } | null = null;
    for (const scale of scales()) {
      ctx.log(`customers: ${scale.toLocaleString("en")} events, ${CUSTOMERS.toLocaleString("en")} customers`);
      await ctx.db.query(
        "TRUNCATE cost_events, request_facts, weekly_stats, weekly_model_stats, daily_costs, customer_daily, customer_monthly, customer_month_totals, customers, customer_revenue, rollup_dirty_requests, gpu_allocations, gpu_pool_hours",
      );
      const loadS = await generateEvents(ctx.db, first, spanSeconds, scale);
      const t0 = performance.now();
      await ctx.db.query(ASSIGN_SQL);
      await ctx.db.query("ANALYZE cost_events");
      const assignS = (performance.now() - t0) / 1000;
      await ctx.db.query(REVENUE_SQL, [`${month}-01`]);
      const t1 = performance.now();
      await refreshRollups(ctx.db, { full: true });
      const rebuildS = (performance.now() - t1) / 1000;
      await ctx.db.query("ANALYZE customer_daily");
      await ctx.db.query("ANALYZE customer_monthly");
      await ctx.db.query("ANALYZE customer_month_totals");
      await ctx.db.query("ANALYZE customers");
      await ctx.db.query("ANALYZE customer_revenue");
      const { rows: counts } = await ctx.db.query<{ daily: number; monthly: number; customers: number }>(
        "SELECT (SELECT count(*) FROM customer_daily)::int AS daily, (SELECT count(*) FROM customer_monthly)::int AS monthly, (SELECT count(*) FROM customers)::int AS customers",
      );

      const list = `/api/v1/customers?month=${month}`;
      await time(list, 3); // warm up: compiles the route and fills the pool
      const byCost = summarise(await time(list, RUNS));
      const byMargin = summarise(await time(`${list}&sort=margin`, RUNS));
      const search = summarise(await time(`${list}&q=cust-0012`, RUNS));
      const deep = summarise(await time(`${list}&page=500`, RUNS));
      const margin = summarise(await time(`/api/v1/margin?month=${month}`, RUNS));
      const one = summarise(await time(`/api/v1/customers/cust-00007?month=${month}`, RUNS));
      const raw: number[] = [];
      for (let i = 0; i < RAW_RUNS; i++) {
        const s = performance.now();
        await ctx.db.query(RAW_SQL, [`${month}-01`]);
        raw.push(performance.now() - s);
      }
      const rawS = summarise(raw);
      const label = scale >= 1_000_000 ? `${scale / 1_000_000}M` : `${scale / 1000}k`;
      metrics.push(
        { label: `${label}: load events (SQL)`, value: loadS, unit: "s" },
        { label: `${label}: give each request a customer (SQL)`, value: assignS, unit: "s" },
        { label: `${label}: rebuild rollups (with the customer rollups)`, value: rebuildS, unit: "s", detail: `${counts[0]!.daily.toLocaleString("en")} customer-day rows, ${counts[0]!.monthly.toLocaleString("en")} customer-month rows, ${counts[0]!.customers.toLocaleString("en")} customers` },
        { label: `${label}: GET customers (by cost) p95`, value: byCost.p95Ms, unit: "ms", detail: `p50 ${byCost.p50Ms.toFixed(1)} ms` },
        { label: `${label}: GET customers (margin order) p95`, value: byMargin.p95Ms, unit: "ms", detail: `p50 ${byMargin.p50Ms.toFixed(1)} ms` },
        { label: `${label}: GET customers (search) p95`, value: search.p95Ms, unit: "ms", detail: `p50 ${search.p50Ms.toFixed(1)} ms` },
        { label: `${label}: GET customers (page 500) p95`, value: deep.p95Ms, unit: "ms", detail: `p50 ${deep.p50Ms.toFixed(1)} ms` },
        { label: `${label}: GET margin overview p95`, value: margin.p95Ms, unit: "ms", detail: `p50 ${margin.p50Ms.toFixed(1)} ms` },
        { label: `${label}: GET one customer p95`, value: one.p95Ms, unit: "ms", detail: `p50 ${one.p50Ms.toFixed(1)} ms` },
        { label: `${label}: the month's top customers from raw events (SQL)`, value: rawS.p50Ms, unit: "ms", detail: `${RAW_RUNS} runs, p50` },
      );
      data[label] = { loadS, assignS, rebuildS, counts: counts[0], byCost, byMargin, search, deep, margin, one, raw: rawS };
      largest = { p95: Math.max(byCost.p95Ms, byMargin.p95Ms, search.p95Ms, deep.p95Ms, margin.p95Ms, one.p95Ms), raw: rawS.p50Ms };
    }
    if (largest) {
      ratios.push(
        { label: "slowest customer API p95 at the largest size ÷ raw-event query", measured: `${largest.p95.toFixed(1)} ms`, baseline: `${largest.raw.toFixed(1)} ms`, value: largest.p95 / largest.raw, target: { max: 0.5 } },
      );
    }
    return {
      id: "customers",
      title: this.title,
      metrics,
      ratios,
      notes: [
        `The month is ${month} (the last complete month, UTC), about a third of the generated events.`,
        "API times include HTTP, authentication and JSON; the raw baseline runs in the database only and answers less (no revenue, no margin, no plans).",
      ],
      data,
    };
  },
};
