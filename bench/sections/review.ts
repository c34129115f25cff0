// Review-page latency at growing scale: for each size (default 100k, 1M and 10M events) the events are
// generated in the database (12 weeks, 8 endpoints, 6 cohorts, three calls per request), the rollups are
// rebuilt, and then the review page's data (as the page loads it) and the weekly API are timed. The
// ratio of the largest size's p95 to the smallest's shows whether page loads stay independent of volume.
import { ensurePartitions, resetPartitionCache } from "@/lib/ingest/partitions";
import { refreshRollups, type RefreshPhases } from "@/lib/rollups/refresh-rollups";
import { reviewPageData } from "@/lib/review/review-page-data";
import { addWeeks, isoLabel, lastCompleteMonday } from "@/lib/rollups/weeks";
import { createBenchKey } from "../lib/database";
import { summarise } from "../lib/stats";
import type { BenchContext, Metric, Ratio, Section } from "../lib/section";

const RUNS = 30;

function scales(): number[] {
  const raw = process.env.BENCH_REVIEW_SCALES ?? "100000,1000000,10000000";
  return raw.split(",").map((s) => Number(s.trim().replace(/_/g, ""))).filter((n) => Number.isSafeInteger(n) && n > 0);
}

export const GENERATE_SQL = `
INSERT INTO cost_events (id, ts, request_id, request_key, endpoint, feature, team, cohort, kind, provider, model,
  input_tokens, cache_read_tokens, output_tokens, cost_usd, cost_source, status, attempt, latency_ms, received_at)
SELECT 'bench-' || g, ts, 'req-' || r, 'req-' || r, ep, ep || '-feature', 'team-' || (r % 3), co, 'llm', 'openai', 'gpt-4o-mini',
  400 + (r % 900), (r % 7) * 100, 50 + (g % 400),
  round(((0.0004 + (r % 97) * 0.00001) * (1 + (g % 3)) * CASE WHEN co = 'enterprise' THEN 3 ELSE 1 END)::numeric, 12),
  'estimated', CASE WHEN g % 50 = 0 THEN 'error' ELSE 'ok' END, 1 + (g % 3 = 2)::int, 300 + (g % 2000), $4::timestamptz
FROM (
  SELECT g, g / 3 AS r,
    $1::timestamptz + ((g / 3) * $2::double precision) * interval '1 second' + (g % 3) * interval '2 seconds' AS ts,
    (ARRAY['chat.answer','chat.title','docs.summarise','search.query','support.triage','agent.plan','agent.act','voice.reply'])[1 + ((g / 3) % 8)] AS ep,
    (ARRAY['free','pro','enterprise','acme','globex','initech'])[1 + (((g / 3) / 8) % 6)] AS co
  FROM generate_series($3::bigint, $5::bigint) g
) x`;

/**
 * `scale` generated events over `spanSeconds` from `first` (three calls per request), in chunks of 1M rows,
 * then ANALYZE; returns the seconds it took.
 */
export async function generateEvents(db: BenchContext["db"], first: Date, spanSeconds: number, scale: number): Promise<number> {
  const t0 = performance.now();
  const secondsPerRequest = spanSeconds / (scale / 3);
  for (let from = 0; from < scale; from += 1_000_000) {
    await db.query(GENERATE_SQL, [first, secondsPerRequest, from, new Date(Date.now() - 3_600_000), Math.min(scale, from + 1_000_000) - 1]);
  }
  await db.query("ANALYZE cost_events");
  return (performance.now() - t0) / 1000;
}

/** 10,000 new events over the last two days, numbered from `from` (after the generated ones). */
export async function generateRecentEvents(db: BenchContext["db"], from: number): Promise<void> {
  await db.query(GENERATE_SQL.replace("$1::timestamptz + ((g / 3)", "$1::timestamptz + (((g - $3) / 3)"), [
    new Date(Date.now() - 2 * 86_400_000), 0.5, from, new Date(), from + 9_999,
  ]);
  // As ingest stores events: each on the daily rollups' pending list, for the incremental refresh to add.
  await db.query("INSERT INTO rollup_pending_events (request_key, id, ts) SELECT request_key, id, ts FROM cost_events WHERE id = ANY($1::text[])", [
    Array.from({ length: 10_000 }, (_, i) => `bench-${from + i}`),
  ]);
}

/**
 * The generator's window: the twelve weeks ending with the last complete one (UTC), with the monthly
 * partitions it and the next month need.
 */
export async function twelveWeeks(db: BenchContext["db"]): Promise<{ first: Date; spanSeconds: number }> {
  const first = new Date(`${addWeeks(lastCompleteMonday(new Date(), "UTC"), -11)}T00:00:00Z`);
  const months: Date[] = [];
  for (let t = first.getTime(); t <= Date.now() + 31 * 86_400_000; t += 15 * 86_400_000) months.push(new Date(t));
  resetPartitionCache();
  await ensurePartitions(db, months);
  return { first, spanSeconds: 12 * 7 * 86_400 };
}

/** `runs` timed GETs of `path` on the app with the API key; milliseconds each (a non-2xx answer fails the run). */
export async function timeGets(appUrl: string, key: string, path: string, runs: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    const res = await fetch(`${appUrl}${path}`, { headers: { Authorization: `Bearer ${key}` } });
    if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
    out.push(performance.now() - s);
  }
  return out;
}

/** A refresh's phases, in seconds. */
function phases(p: RefreshPhases | undefined): string {
  return Object.entries(p ?? {}).map(([k, ms]) => `${k} ${(ms / 1000).toFixed(2)} s`).join(", ");
}

export const reviewSection: Section = {
  id: "review",
  title: "Review page and weekly API latency at 100k, 1M and 10M events",
  async run(ctx) {
    const metrics: Metric[] = [];
    const ratios: Ratio[] = [];
    const data: Record<string, unknown> = {};
    const key = await createBenchKey(ctx.databaseUrl, "bench review", "admin");
    const lastWeek = lastCompleteMonday(new Date(), "UTC");
    const { first, spanSeconds } = await twelveWeeks(ctx.db);

    const p95ByScale: { scale: number; page: number; api: number }[] = [];
    for (const scale of scales()) {
      ctx.log(`review: ${scale.toLocaleString("en")} events`);
      await ctx.db.query("TRUNCATE cost_events, request_facts, weekly_stats, rollup_dirty_requests, rollup_pending_events, gpu_allocations, gpu_pool_hours");
      const loadS = await generateEvents(ctx.db, first, spanSeconds, scale);
      const t1 = performance.now();
      const full = await refreshRollups(ctx.db, { full: true });
      const rebuildS = (performance.now() - t1) / 1000;
      await ctx.db.query("ANALYZE request_facts; ANALYZE weekly_stats");

      // The open week: 10,000 new events arrive, then one incremental refresh.
      await generateRecentEvents(ctx.db, scale);
      const t2 = performance.now();
      const incremental = await refreshRollups(ctx.db);
      const incrementalS = (performance.now() - t2) / 1000;
      // The same again, read the way a refresh reads a store that is mostly pending events (scan: joins over
      // every stored event): the baseline of the lookups the refresh chose above.
      await generateRecentEvents(ctx.db, scale + 10_000);
      const t3 = performance.now();
      const scan = await refreshRollups(ctx.db, { read: "scan" });
      const scanS = (performance.now() - t3) / 1000;

      const page: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const s = performance.now();
        await reviewPageData(ctx.db, lastWeek);
        page.push(performance.now() - s);
      }
      const api: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const s = performance.now();
        const res = await fetch(`${ctx.app.url}/api/v1/weekly?week=${isoLabel(lastWeek)}&groupBy=endpoint,cohort`, { headers: { Authorization: `Bearer ${key}` } });
        if (!res.ok) throw new Error(`weekly API answered ${res.status}`);
        await res.arrayBuffer();
        api.push(performance.now() - s);
      }
      const pageS = summarise(page);
      const apiS = summarise(api);
      p95ByScale.push({ scale, page: pageS.p95Ms, api: apiS.p95Ms });
      const label = scale >= 1_000_000 ? `${scale / 1_000_000}M` : `${scale / 1000}k`;
      metrics.push(
        { label: `${label}: load events (SQL)`, value: loadS, unit: "s" },
        { label: `${label}: rebuild rollups`, value: rebuildS, unit: "s", detail: `${full.requests.toLocaleString("en")} requests, ${full.weeks.length} weeks` },
        { label: `${label}: refresh after 10k new events`, value: incrementalS, unit: "s", detail: `${incremental.requests} requests, weeks ${incremental.weeks.join(", ")}; ${phases(incremental.phases)}` },
        { label: `${label}: the same, read by scanning`, value: scanS, unit: "s", detail: `10k more new events; ${phases(scan.phases)}` },
        { label: `${label}: review page data p50 / p95`, value: pageS.p95Ms, unit: "ms", detail: `p50 ${pageS.p50Ms.toFixed(1)} ms` },
        { label: `${label}: GET /api/v1/weekly p50 / p95`, value: apiS.p95Ms, unit: "ms", detail: `p50 ${apiS.p50Ms.toFixed(1)} ms` },
      );
      ratios.push({ label: `${label}: refresh after 10k new events, lookups ÷ scan`, measured: "lookups (the refresh's choice)", baseline: "scan", value: incrementalS / scanS, target: { max: 1 } });
      data[label] = { loadS, rebuildS, incrementalS, scanS, page: pageS, api: apiS };
    }
    const small = p95ByScale[0];
    const large = p95ByScale.at(-1);
    if (small && large && large !== small) {
      ratios.push(
        { label: "review page p95, largest ÷ smallest", measured: `${large.scale} events`, baseline: `${small.scale} events`, value: large.page / small.page, target: { max: 1.5 } },
        { label: "weekly API p95, largest ÷ smallest", measured: `${large.scale} events`, baseline: `${small.scale} events`, value: large.api / small.api, target: { max: 1.5 } },
      );
    }
    if (large) {
      ratios.push({ label: "weekly API p95 at the largest size ÷ 300 ms", measured: `${large.api.toFixed(1)} ms`, baseline: "300 ms", value: large.api / 300, target: { max: 1 } });
    }
    return {
      id: "review",
      title: this.title,
      metrics,
      ratios,
      notes: [
        "Events are generated in the database (not ingested over HTTP) so that 10M fit in a benchmark run; the rollups are then rebuilt as the app would.",
        "Page and API times read the rollups only; the API time includes HTTP, authentication and JSON.",
      ],
      data,
    };
  },
};
