// Finance latency at growing scale (BENCH_FINANCE_SCALES, default 100k, 1M and 10M events): the review
// section's generator fills 12 weeks of events in the database, the rollups (daily_costs included) are
// rebuilt, then GET /api/v1/finance/monthly for the last complete month is timed (the page's default
// grouping by team, and the widest grouping), with chargeback and the streamed FOCUS downloads (CSV, Parquet), against
// the same month's figures computed straight from cost_events (the baseline a rollup avoids).
import { refreshRollups } from "@/lib/rollups/refresh-rollups";
import { lastCompleteMonth } from "@/lib/finance/months";
import { createBenchKey } from "../lib/database";
import { summarise } from "../lib/stats";
import type { Metric, Ratio, Section } from "../lib/section";
import { generateEvents, generateRecentEvents, timeGets, twelveWeeks } from "./review";

const RUNS = 30;
const RAW_RUNS = 3;

function scales(): number[] {
  const raw = process.env.BENCH_FINANCE_SCALES ?? "100000,1000000,10000000";
  return raw.split(",").map((s) => Number(s.trim().replace(/_/g, ""))).filter((n) => Number.isSafeInteger(n) && n > 0);
}

const RAW_SQL = `SELECT team, feature, cohort, provider, model, count(DISTINCT request_id) AS requests, sum(cost_usd) AS direct
  FROM cost_events WHERE ts >= $1::date::timestamp AT TIME ZONE 'UTC' AND ts < ($1::date + interval '1 month')::timestamp AT TIME ZONE 'UTC'
  GROUP BY team, feature, cohort, provider, model`;

export const financeSection: Section = {
  id: "finance",
  title: "Finance monthly API latency at 100k, 1M and 10M events",
  async run(ctx) {
    const metrics: Metric[] = [];
    const ratios: Ratio[] = [];
    const data: Record<string, unknown> = {};
    const key = await createBenchKey(ctx.databaseUrl, "bench finance", "admin");
    const { first, spanSeconds } = await twelveWeeks(ctx.db);
    const month = lastCompleteMonth(new Date(), "UTC");

    const time = (path: string, runs: number) => timeGets(ctx.app.url, key, path, runs);

    let largest: { scale: number; p95: number; raw: number } | null = null;
    for (const scale of scales()) {
      ctx.log(`finance: ${scale.toLocaleString("en")} events`);
      await ctx.db.query("TRUNCATE cost_events, request_facts, weekly_stats, daily_costs, rollup_dirty_requests, rollup_pending_events, gpu_allocations, gpu_pool_hours");
      const loadS = await generateEvents(ctx.db, first, spanSeconds, scale);
      const t1 = performance.now();
      await refreshRollups(ctx.db, { full: true });
      const rebuildS = (performance.now() - t1) / 1000;
      await ctx.db.query("ANALYZE daily_costs");
      const { rows: dc } = await ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM daily_costs");

      // 10,000 new events in the last two days, then one incremental refresh (their deltas).
      await generateRecentEvents(ctx.db, scale);
      const t2 = performance.now();
      await refreshRollups(ctx.db);
      const incrementalS = (performance.now() - t2) / 1000;

      // Warm up: the first requests compile the route and fill the connection pool.
      await time(`/api/v1/finance/monthly?month=${month}&groupBy=team`, 3);
      const byTeam = summarise(await time(`/api/v1/finance/monthly?month=${month}&groupBy=team`, RUNS));
      const wide = summarise(await time(`/api/v1/finance/monthly?month=${month}&groupBy=team,feature,cohort,provider,model`, RUNS));
      const cb = summarise(await time(`/api/v1/finance/chargeback?month=${month}&by=team`, RUNS));
      const focus = summarise(await time(`/api/v1/finance/monthly?month=${month}&format=focus`, 5));
      const focusParquet = summarise(await time(`/api/v1/finance/monthly?month=${month}&format=focus-parquet`, 5));
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
        { label: `${label}: rebuild rollups (with daily_costs)`, value: rebuildS, unit: "s", detail: `${dc[0]!.n.toLocaleString("en")} daily rows` },
        { label: `${label}: refresh after 10k new events`, value: incrementalS, unit: "s" },
        { label: `${label}: GET monthly groupBy=team p95`, value: byTeam.p95Ms, unit: "ms", detail: `p50 ${byTeam.p50Ms.toFixed(1)} ms` },
        { label: `${label}: GET monthly, 5 dimensions p95`, value: wide.p95Ms, unit: "ms", detail: `p50 ${wide.p50Ms.toFixed(1)} ms` },
        { label: `${label}: GET chargeback p95`, value: cb.p95Ms, unit: "ms", detail: `p50 ${cb.p50Ms.toFixed(1)} ms` },
        { label: `${label}: FOCUS download p95`, value: focus.p95Ms, unit: "ms", detail: `p50 ${focus.p50Ms.toFixed(1)} ms` },
        { label: `${label}: FOCUS Parquet download p95`, value: focusParquet.p95Ms, unit: "ms", detail: `p50 ${focusParquet.p50Ms.toFixed(1)} ms` },
        { label: `${label}: same month from raw events (SQL)`, value: rawS.p50Ms, unit: "ms", detail: `${RAW_RUNS} runs, p50` },
      );
      data[label] = { loadS, rebuildS, incrementalS, dailyRows: dc[0]!.n, byTeam, wide, chargeback: cb, focus, focusParquet, raw: rawS };
      largest = { scale, p95: Math.max(byTeam.p95Ms, wide.p95Ms), raw: rawS.p50Ms };
    }
    if (largest) {
      ratios.push(
        { label: "monthly API p95 at the largest size ÷ 300 ms", measured: `${largest.p95.toFixed(1)} ms`, baseline: "300 ms", value: largest.p95 / 300, target: { max: 1 } },
        { label: "monthly API p95 ÷ raw-event query", measured: `${largest.p95.toFixed(1)} ms`, baseline: `${largest.raw.toFixed(1)} ms`, value: largest.p95 / largest.raw, target: { max: 0.1 } },
      );
    }
    return {
      id: "finance",
      title: this.title,
      metrics,
      ratios,
      notes: [
        `The month is ${month} (the last complete month, UTC), about a third of the generated events.`,
        "API times include HTTP, authentication and JSON or CSV; the raw baseline runs in the database only.",
      ],
      data,
    };
  },
};
