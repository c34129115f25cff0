// Benchmark settings, from the environment, with the defaults of a full run.
export type BenchConfig = {
  /** The PostgreSQL server to benchmark on; a fresh database is created there and dropped at the end. */
  serverUrl: string;
  events: number;
  batchSize: number;
  concurrency: number;
  /** Section ids to run, in order; empty means all. */
  sections: string[];
  /** Keep the benchmark database instead of dropping it (to look at the data afterwards). */
  keepDatabase: boolean;
};

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw.replace(/_/g, ""));
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a whole number of 1 or more (got ${JSON.stringify(raw)})`);
  return n;
}

export function readConfig(): BenchConfig {
  const serverUrl = process.env.BENCH_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
  let host: string;
  try {
    host = new URL(serverUrl).hostname;
  } catch {
    throw new Error(`BENCH_DATABASE_URL is not a URL: ${serverUrl}`);
  }
  if (!/^postgres(ql)?:$/.test(new URL(serverUrl).protocol)) throw new Error("BENCH_DATABASE_URL must be a postgres:// or postgresql:// URL");
  if (!LOCAL_HOSTS.has(host)) {
    throw new Error(`Refusing to benchmark against a non-local database (${host}): BENCH_DATABASE_URL must point at this machine.`);
  }
  return {
    serverUrl,
    events: positiveInt("BENCH_EVENTS", 1_000_000),
    batchSize: positiveInt("BENCH_BATCH_SIZE", 1_000),
    concurrency: positiveInt("BENCH_CONCURRENCY", 4),
    sections: (process.env.BENCH_SECTIONS ?? "").split(",").map((s) => s.trim()).filter(Boolean),
    keepDatabase: process.env.BENCH_KEEP_DATABASE === "1",
  };
}
