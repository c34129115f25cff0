// `npm run bench`: creates a fresh database on the local PostgreSQL server in BENCH_DATABASE_URL, migrates
// it, starts the built app on it (as `npm start` does, rate limit off), creates an ingest key, runs the
// benchmark sections in order, prints a table per section, writes bench/results/<timestamp>.json and
// drops the database.
//
//   BENCH_DATABASE_URL  PostgreSQL server (local only)   default postgresql://postgres@127.0.0.1:5432/postgres
//   BENCH_EVENTS        events to ingest                 default 1000000 (BENCH_EVENTS=20000 is a quick smoke run)
//   BENCH_BATCH_SIZE    events per request              default 1000
//   BENCH_CONCURRENCY   parallel HTTP clients           default 4
//   BENCH_SECTIONS      comma-separated section ids      default all (startup, ingest, review, finance, customers, whatif, citus)
//   BENCH_CITUS_URL, BENCH_CITUS_EVENTS, BENCH_CITUS_SHARDS  the citus section (bench/sections/citus.ts)
//   BENCH_FINANCE_SCALES  event counts for the finance section  default 100000,1000000,10000000
//   BENCH_CUSTOMER_SCALES event counts for the customers section default 1000000,10000000
//   BENCH_KEEP_DATABASE=1  keep the database afterwards
//
// A section is a { id, title, run(ctx) } in bench/sections/; add it to SECTIONS below. It gets the database,
// the app and what earlier sections loaded, and returns metrics and ratios against a baseline it measured
// in the same run.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { buildIsStale } from "@/cli/start";
import { startServer, type TestServer } from "../tests/support/server";
import { freePort } from "../tests/support/ingest";
import { readConfig } from "./lib/config";
import { createBenchDatabase, createBenchKey, type BenchDatabase } from "./lib/database";
import { renderSection } from "./lib/report";
import { targetMet, type BenchContext, type Section, type SectionResult } from "./lib/section";
import { ingestSection } from "./sections/ingest";
import { reviewSection } from "./sections/review";
import { financeSection } from "./sections/finance";
import { startupSection } from "./sections/startup";
import { customersSection } from "./sections/customers";
import { whatifSection } from "./sections/whatif";
import { citusSection } from "./sections/citus";

const SECTIONS: Section[] = [startupSection, ingestSection, reviewSection, financeSection, customersSection, whatifSection, citusSection];

const root = path.resolve(import.meta.dirname, "..");
const log = (m: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}`);

function git(args: string[]): string | null {
  try {
    return execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
}

async function main(): Promise<number> {
  const config = readConfig();
  const sections = config.sections.length ? config.sections.map((id) => SECTIONS.find((s) => s.id === id) ?? fail(`unknown section "${id}"; known: ${SECTIONS.map((s) => s.id).join(", ")}`)) : SECTIONS;
  const startedAt = new Date();

  if (buildIsStale(root)) {
    log("no production build, or sources changed since the last one: running `next build` (as `npm start` would)…");
    const r = spawnSync(path.join(root, "node_modules", ".bin", "next"), ["build"], { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
    if (r.status !== 0) throw new Error("`next build` failed; see the output above");
  }

  let database: BenchDatabase | undefined;
  let server: TestServer | undefined;
  let pool: pg.Pool | undefined;
  const cleanup = async () => {
    await server?.stop().catch(() => undefined);
    server = undefined;
    await pool?.end().catch(() => undefined);
    pool = undefined;
    if (database && !config.keepDatabase) {
      await database.drop().catch((e) => log(`could not drop ${database?.name}: ${(e as Error).message}`));
      log(`dropped database ${database.name}`);
    } else if (database) {
      log(`kept database ${database.name} (BENCH_KEEP_DATABASE=1)`);
    }
    database = undefined;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping the app and dropping the database…`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  try {
    database = await createBenchDatabase(config.serverUrl);
    log(`created and migrated database ${database.name}`);
    const port = await freePort();
    server = await startServer({ databaseUrl: database.url, port, env: { INGEST_RATE_LIMIT_PER_MINUTE: "0", COST_REVIEW_DEMO: "0" } });
    log(`app running at ${server.url}`);

    const key = await createBenchKey(database.url, "benchmark", "ingest");

    pool = new pg.Pool({ connectionString: database.url, max: 2 });
    const pgVersion = (await pool.query<{ v: string }>("SHOW server_version")).rows[0]!.v;
    const ctx: BenchContext = { config, db: pool, databaseUrl: database.url, app: { url: server.url, ingestKey: key }, dataset: { costEvents: 0 }, log };

    const results: SectionResult[] = [];
    for (const section of sections) {
      log(`section ${section.id}: ${section.title}`);
      const result = await section.run(ctx);
      results.push(result);
      console.log(renderSection(result));
    }

    const finishedAt = new Date();
    const report = {
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      seconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
      git: { commit: git(["rev-parse", "HEAD"]), branch: git(["rev-parse", "--abbrev-ref", "HEAD"]), dirty: (git(["status", "--porcelain"]) ?? "") !== "" },
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null, memoryGiB: Math.round(os.totalmem() / 2 ** 30), loadAverage: os.loadavg(), node: process.version, postgres: pgVersion },
      config: { ...config, serverUrl: config.serverUrl.replace(/\/\/[^@/]*@/, "//…@") },
      sections: results.map((r) => ({ ...r, ratios: r.ratios.map((x) => ({ ...x, met: targetMet(x) })) })),
    };
    const dir = path.join(root, "bench", "results");
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${startedAt.toISOString().replace(/[:.]/g, "-")}.json`);
    writeFileSync(file, JSON.stringify(report, null, 2) + "\n");
    console.log(`\nResults written to ${path.relative(process.cwd(), file)} (load average ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}; other work on this machine makes figures noisy).`);
    return 0;
  } finally {
    await cleanup();
  }
}

function fail(message: string): never {
  throw new Error(message);
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`\nbenchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
