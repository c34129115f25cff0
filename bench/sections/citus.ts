// Section "citus": the same burst of events through the app on a three-node Citus cluster (a coordinator
// and two workers, from ../shared/citus: `cluster.sh start`) and on one PostgreSQL server, in the same run:
// HTTP ingest (events/s, batch latency), how long the review's figures take to catch up after the burst
// (the rollup refresh's lag), and the review page's data and the weekly API (p50/p95) on the busiest week.
// Each layout gets a fresh database and its own app server; the request bodies are the same. On one machine
// a cluster has only overhead to show (every query crosses local connections and two-phase commits, with
// no extra hardware to spread over): the ratios say how much, they are not a speed-up.
//
//   BENCH_CITUS_URL     the coordinator   default postgresql://postgres@127.0.0.1:56432/postgres
//   BENCH_CITUS_EVENTS  burst size        default 1000000
//   BENCH_CITUS_SHARDS  shards per table  default 8 (production keeps Citus's 32)
import pg from "pg";
import { reviewPageData } from "@/lib/review/review-page-data";
import { isoLabel } from "@/lib/rollups/weeks";
import { startServer, type TestServer } from "../../tests/support/server";
import { freePort } from "../../tests/support/ingest";
import { createDatabaseOn, type TestDatabase } from "../../tests/support/database";
import { createBenchKey } from "../lib/database";
import type { BenchContext, Metric, Ratio, Section } from "../lib/section";
import { summarise } from "../lib/stats";
import { generateBodies, ingestOverHttp, waitForRollups } from "./ingest";
import { timeGets } from "./review";

const RUNS = 15;

function positive(name: string, fallback: number): number {
  const n = Number((process.env[name] ?? "").replace(/_/g, "") || fallback);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a whole number of 1 or more`);
  return n;
}

type Layout = {
  name: "one server" | "Citus";
  eventsPerSecond: number;
  batchP95: number;
  catchUpS: number | null;
  page: { p50: number; p95: number };
  api: { p50: number; p95: number };
  week: string;
};

async function runOn(ctx: BenchContext, name: Layout["name"], serverUrl: string, bodies: string[], events: number, shards: number): Promise<Layout> {
  let db: TestDatabase | undefined;
  let server: TestServer | undefined;
  let pool: pg.Pool | undefined;
  try {
    db = await createDatabaseOn(serverUrl, `cr_bench_${name === "Citus" ? "citus" : "single"}`, { shards });
    if ((db.kind === "citus") !== (name === "Citus")) throw new Error(`${serverUrl} is ${db.kind === "citus" ? "" : "not "}a Citus coordinator`);
    server = await startServer({ databaseUrl: db.url, port: await freePort(), env: { INGEST_RATE_LIMIT_PER_MINUTE: "0", COST_REVIEW_DEMO: "0" } });
    pool = new pg.Pool({ connectionString: db.url, max: 4 });
    const ingestKey = await createBenchKey(db.url, "bench citus", "ingest");
    const adminKey = await createBenchKey(db.url, "bench citus reader", "admin");
    const sub: BenchContext = { ...ctx, config: { ...ctx.config, events }, db: pool, databaseUrl: db.url, app: { url: server.url, ingestKey } };
    ctx.log(`citus: ${events.toLocaleString("en")} events over HTTP on ${name}…`);
    const ingest = await ingestOverHttp(sub, bodies);
    const catchUpS = await waitForRollups(sub);
    ctx.log(`citus: ${name}: ${Math.round(ingest.accepted / ingest.seconds).toLocaleString("en")} events/s, rollups caught up ${catchUpS?.toFixed(1)} s after the last batch`);
    const { rows } = await pool.query<{ week: string }>(
      "SELECT week::text AS week FROM weekly_stats WHERE endpoint_all AND cohort_all ORDER BY requests DESC, week LIMIT 1",
    );
    const week = rows[0]!.week;
    await reviewPageData(pool, week);
    const page: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const s = performance.now();
      await reviewPageData(pool, week);
      page.push(performance.now() - s);
    }
    const api = await timeGets(server.url, adminKey, `/api/v1/weekly?week=${isoLabel(week)}&groupBy=endpoint,cohort`, RUNS);
    const p = summarise(page);
    const a = summarise(api);
    return {
      name,
      eventsPerSecond: ingest.accepted / ingest.seconds,
      batchP95: ingest.latency.p95Ms,
      catchUpS,
      page: { p50: p.p50Ms, p95: p.p95Ms },
      api: { p50: a.p50Ms, p95: a.p95Ms },
      week,
    };
  } finally {
    await server?.stop().catch(() => undefined);
    await pool?.end().catch(() => undefined);
    await db?.drop().catch((e: Error) => ctx.log(`citus: could not drop a database: ${e.message}`));
  }
}

export const citusSection: Section = {
  id: "citus",
  title: "A three-node Citus cluster against one server: ingest, rollup catch-up, review page",
  async run(ctx) {
    const citusUrl = process.env.BENCH_CITUS_URL || "postgresql://postgres@127.0.0.1:56432/postgres";
    const events = positive("BENCH_CITUS_EVENTS", 1_000_000);
    const shards = positive("BENCH_CITUS_SHARDS", 8);
    const { bodies } = generateBodies({ ...ctx, config: { ...ctx.config, events } });
    const single = await runOn(ctx, "one server", ctx.config.serverUrl, bodies, events, shards);
    const citus = await runOn(ctx, "Citus", citusUrl, bodies, events, shards);
    const metrics: Metric[] = [];
    for (const l of [single, citus]) {
      metrics.push(
        { label: `${l.name}: HTTP ingest`, value: l.eventsPerSecond, unit: "events/s", detail: `batch p95 ${l.batchP95.toFixed(0)} ms` },
        { label: `${l.name}: rollups caught up after the last batch`, value: l.catchUpS ?? NaN, unit: "s" },
        { label: `${l.name}: review page data p95`, value: l.page.p95, unit: "ms", detail: `p50 ${l.page.p50.toFixed(1)} ms, week ${l.week}` },
        { label: `${l.name}: GET /api/v1/weekly p95`, value: l.api.p95, unit: "ms", detail: `p50 ${l.api.p50.toFixed(1)} ms` },
      );
    }
    const ratios: Ratio[] = [
      { label: "ingest, Citus ÷ one server", measured: "Citus events/s", baseline: "one server events/s", value: citus.eventsPerSecond / single.eventsPerSecond },
      { label: "review page p95, Citus ÷ one server", measured: "Citus p95", baseline: "one server p95", value: citus.page.p95 / single.page.p95 },
      { label: "weekly API p95, Citus ÷ one server", measured: "Citus p95", baseline: "one server p95", value: citus.api.p95 / single.api.p95 },
      { label: "rollup catch-up, Citus ÷ one server", measured: "Citus catch-up", baseline: "one server catch-up", value: (citus.catchUpS ?? NaN) / (single.catchUpS ?? NaN) },
      // The target the refresh is held to on one server: figures current within 15 s of a 1M burst.
      { label: "rollup catch-up on one server ÷ 15 s", measured: "one server catch-up", baseline: "15 s", value: (single.catchUpS ?? NaN) / 15, target: { max: 1 } },
    ];
    return {
      id: "citus",
      title: this.title,
      metrics,
      ratios,
      notes: [
        `${events.toLocaleString("en")} events in ${bodies.length} batches from ${ctx.config.concurrency} clients, the same bodies on both; ${shards} shards per distributed table on the cluster (a coordinator and two workers on this machine).`,
        "On one machine the cluster has no extra hardware to spread over: its ratios are its overhead, not a speed-up.",
      ],
      data: { single, citus, shards, events },
    };
  },
};
