// What if at scale (BENCH_WHATIF_SCALES, default 1M and 10M events): the review section's generator fills
// 12 weeks of events over 8 endpoints, the rollups are rebuilt, and then POST /api/v1/whatif replays the
// last complete week of the busiest endpoint (chat.answer) under two candidates, as is and gpt-4o, each llm
// event re-priced from its stored tokens through the pricing code, with percentiles, verdicts and overhead.
// The baseline is the same re-pricing as one raw SQL query (the week's requests, their events' tokens times
// gpt-4o's base rates, mean and p95 per request) in the database alone.
import { refreshRollups } from "@/lib/rollups/refresh-rollups";
import { lastCompleteMonday } from "@/lib/rollups/weeks";
import { createBenchKey } from "../lib/database";
import { summarise } from "../lib/stats";
import type { Metric, Ratio, Section } from "../lib/section";
import { generateEvents, twelveWeeks } from "./review";

const RUNS = 5;
const RAW_RUNS = 3;
const ENDPOINT = "chat.answer";

function scales(): number[] {
  const raw = process.env.BENCH_WHATIF_SCALES ?? "1000000,10000000";
  return raw.split(",").map((s) => Number(s.trim().replace(/_/g, ""))).filter((n) => Number.isSafeInteger(n) && n > 0);
}

/** The same re-pricing in SQL: gpt-4o's base rates times each event's tokens, per request, then mean and p95. */
const RAW_SQL = `
WITH p AS (
  SELECT input_per_mtok, coalesce(cache_read_per_mtok, input_per_mtok) AS cache_read, output_per_mtok FROM price_entries
  WHERE provider = 'openai' AND model = 'gpt-4o' AND retired_at IS NULL AND effective_to IS NULL ORDER BY effective_from DESC LIMIT 1
),
r AS (SELECT request_id FROM request_facts WHERE endpoint = $1 AND week = $2::date),
c AS (
  SELECT e.request_id, sum((e.input_tokens * p.input_per_mtok + e.cache_read_tokens * p.cache_read + e.output_tokens * p.output_per_mtok) / 1000000) AS cost
  FROM r JOIN cost_events e ON e.request_id = r.request_id AND e.ts >= $2::date::timestamp AT TIME ZONE 'UTC' CROSS JOIN p
  WHERE e.kind = 'llm' GROUP BY e.request_id
)
SELECT count(*)::int AS requests, avg(cost)::text AS mean, percentile_disc(0.95) WITHIN GROUP (ORDER BY cost)::text AS p95 FROM c`;

export const whatifSection: Section = {
  id: "whatif",
  title: "What if: one week of a busy endpoint replayed under two candidates, at 1M and 10M events",
  async run(ctx) {
    const metrics: Metric[] = [];
    const ratios: Ratio[] = [];
    const data: Record<string, unknown> = {};
    const key = await createBenchKey(ctx.databaseUrl, "bench whatif", "admin");
    // What if answers for endpoints in the registry: the generator's busiest one is registered here.
    await ctx.db.query(
      `WITH t AS (INSERT INTO teams (slug, name) VALUES ('team-bench', 'Bench') ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name RETURNING id),
       f AS (INSERT INTO features (slug, name, team_id) SELECT 'chat.answer-feature', 'Chat answers', id FROM t ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name RETURNING id)
       INSERT INTO endpoints (slug, name, feature_id) SELECT $1, 'Chat answer', id FROM f ON CONFLICT (slug) DO NOTHING`,
      [ENDPOINT],
    );
    const { first, spanSeconds } = await twelveWeeks(ctx.db);
    const week = lastCompleteMonday(new Date(), "UTC");
    const body = JSON.stringify({ endpoint: ENDPOINT, candidates: [{ name: "as is" }, { name: "gpt-4o", provider: "openai", model: "gpt-4o" }] });
    let largest: { p95: number; raw: number } | null = null;
    for (const scale of scales()) {
      ctx.log(`whatif: ${scale.toLocaleString("en")} events`);
      await ctx.db.query("TRUNCATE cost_events, request_facts, weekly_stats, weekly_model_stats, daily_costs, customer_daily, customer_monthly, customer_month_totals, customers, rollup_dirty_requests, gpu_allocations, gpu_pool_hours");
      const loadS = await generateEvents(ctx.db, first, spanSeconds, scale);
      const t1 = performance.now();
      await refreshRollups(ctx.db, { full: true });
      const rebuildS = (performance.now() - t1) / 1000;
      await ctx.db.query("ANALYZE request_facts");
      const ask = async () => {
        const s = performance.now();
        const res = await fetch(`${ctx.app.url}/api/v1/whatif`, { method: "POST", headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" }, body });
        if (!res.ok) throw new Error(`POST /api/v1/whatif answered ${res.status}: ${await res.text()}`);
        const json = (await res.json()) as { actual: { requests: number }; candidates: { costPerRequest: { mean: string } }[] };
        return { ms: performance.now() - s, json };
      };
      const warm = await ask(); // compiles the route and fills the pool
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) times.push((await ask()).ms);
      const t = summarise(times);
      const raw: number[] = [];
      let rawRow: { requests: number; mean: string; p95: string } | undefined;
      for (let i = 0; i < RAW_RUNS; i++) {
        const s = performance.now();
        rawRow = (await ctx.db.query<{ requests: number; mean: string; p95: string }>(RAW_SQL, [ENDPOINT, week])).rows[0];
        raw.push(performance.now() - s);
      }
      const r = summarise(raw);
      const { rows: ev } = await ctx.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM cost_events e JOIN request_facts f ON f.request_id = e.request_id WHERE f.endpoint = $1 AND f.week = $2::date",
        [ENDPOINT, week],
      );
      const label = scale >= 1_000_000 ? `${scale / 1_000_000}M` : `${scale / 1000}k`;
      metrics.push(
        { label: `${label}: load events (SQL)`, value: loadS, unit: "s" },
        { label: `${label}: rebuild rollups`, value: rebuildS, unit: "s" },
        { label: `${label}: POST /api/v1/whatif, 2 candidates, p95`, value: t.p95Ms, unit: "ms", detail: `p50 ${t.p50Ms.toFixed(0)} ms; ${warm.json.actual.requests.toLocaleString("en")} requests, ${ev[0]!.n.toLocaleString("en")} events in the week` },
        { label: `${label}: the same re-pricing, one candidate, raw SQL`, value: r.p50Ms, unit: "ms", detail: `${RAW_RUNS} runs, p50; ${rawRow?.requests.toLocaleString("en")} requests, mean ${rawRow?.mean.slice(0, 12)}` },
      );
      data[label] = { loadS, rebuildS, whatif: t, raw: r, requests: warm.json.actual.requests, events: ev[0]!.n, rawRow, candidateMean: warm.json.candidates[1]?.costPerRequest.mean };
      largest = { p95: t.p95Ms, raw: r.p50Ms };
    }
    if (largest) {
      ratios.push({ label: "what-if p95 (2 candidates) at the largest size ÷ raw SQL re-pricing (1 candidate)", measured: `${largest.p95.toFixed(0)} ms`, baseline: `${largest.raw.toFixed(0)} ms`, value: largest.p95 / largest.raw, target: { max: 10 } });
    }
    return {
      id: "whatif",
      title: this.title,
      metrics,
      ratios,
      notes: [
        `The window is the last complete week (UTC), Monday ${week}, of ${ENDPOINT}: one of the generator's 8 endpoints.`,
        "The API replays every llm event twice (as is, gpt-4o) through the same pricing code as ingest, with tiers, contracts, overhead, exact percentiles and verdicts; the SQL baseline prices one candidate at base rates and stops at the mean and p95.",
        "Stated target: the API within 10× the raw SQL, and under 10 s at 10M events.",
      ],
      data,
    };
  },
};
