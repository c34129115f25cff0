// `cost-review start` (what `npm start` runs): build if needed, start the database (embedded unless
// DATABASE_URL is set), apply pending migrations, seed the demo on first start, then serve the app.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { closeDb, createHandles, db, pool, setHandles } from "@/lib/db/client";
import { ensureBuiltInPrices } from "@/lib/pricing/load-prices";
import { refreshRollups } from "@/lib/rollups/refresh-rollups";
import { seedDemoRevenue } from "@/lib/demo/generate-revenue";
import { startEmbedded, type EmbeddedDb } from "@/lib/db/embedded";
import { embeddedDataDir, embeddedInfoFile, runningEmbedded } from "@/lib/db/connect";
import { migrate } from "@/lib/db/migrate";
import { demoSeeded, detectDemoIncidents, isEmpty, seedDemo, seedDemoEvents } from "@/lib/demo/seed";
import { DEMO_PASSWORD, generateDemoOrg } from "@/lib/demo/generate-org";
import { dataDir, env, projectRoot } from "@/lib/env";

export type StartOptions = { port: number; host: string; dev: boolean; build: boolean };

const SOURCES = ["app", "components", "lib", "public", "next.config.ts", "postcss.config.mjs", "package-lock.json", "tsconfig.json"];

function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(p)) {
    if (entry === "generated" || entry === "node_modules") continue;
    newest = Math.max(newest, newestMtime(path.join(p, entry)));
  }
  return newest;
}

/** A build is needed when there is none, or when a source file is newer than it. */
export function buildIsStale(root: string): boolean {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  return SOURCES.some((s) => newestMtime(path.join(root, s)) > built);
}

function authSecret(): string {
  const fromEnv = env().NEXTAUTH_SECRET;
  if (fromEnv) return fromEnv;
  const file = path.join(dataDir(), "auth-secret");
  if (!existsSync(file)) {
    mkdirSync(dataDir(), { recursive: true });
    writeFileSync(file, randomBytes(32).toString("hex") + "\n");
    chmodSync(file, 0o600);
  }
  return readFileSync(file, "utf8").trim();
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the web server exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the web server did not answer ${url}/api/health within ${timeoutMs / 1000} s`);
}

export async function start(opts: StartOptions): Promise<void> {
  const root = projectRoot();
  const e = env();
  const t0 = Date.now();

  if (!opts.dev && opts.build && buildIsStale(root)) {
    console.log("Building the app (first start, or sources changed)…");
    const r = spawnSync(path.join(root, "node_modules", ".bin", "next"), ["build"], {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    });
    if (r.status !== 0) throw new Error("`next build` failed; see the output above");
  }

  let embedded: EmbeddedDb | undefined;
  let url = e.DATABASE_URL;
  if (!url) {
    const other = runningEmbedded();
    if (other) throw new Error(`Cost Review is already running on this data directory (pid ${other.pid}). Stop it first.`);
    embedded = await startEmbedded(embeddedDataDir());
    url = embedded.url;
    writeFileSync(embeddedInfoFile(), JSON.stringify({ pid: process.pid, port: embedded.port, url }) + "\n");
  }

  setHandles(createHandles(url, 2));
  const applied = await migrate(pool());
  if (applied.length) console.log(`Applied migrations: ${applied.join(", ")}`);
  const prices = await ensureBuiltInPrices(pool());
  if (prices) console.log(`Loaded the built-in price catalogue (${prices} list prices).`);
  const demoWanted = e.COST_REVIEW_DEMO === "1" || (e.COST_REVIEW_DEMO === "auto" && !!embedded);
  let demo = false;
  if (await isEmpty(db())) {
    if (demoWanted) {
      await seedDemo();
      const t = Date.now();
      const n = await seedDemoEvents(pool());
      await refreshRollups(pool(), { full: true });
      await seedDemoRevenue(pool());
      await detectDemoIncidents(pool());
      console.log(`Seeded the demo organisation and ${n.toLocaleString("en")} cost events over 12 weeks (${((Date.now() - t) / 1000).toFixed(1)} s).`);
      demo = true;
    } else {
      console.log("The database has no users yet. Create the first admin with:\n  npx cost-review user create --role admin --email you@example.com --name 'Your Name'");
    }
  } else {
    demo = await demoSeeded(pool());
  }
  await closeDb();

  const appUrl = `http://${opts.host === "0.0.0.0" ? "localhost" : opts.host}:${opts.port}`;
  const nextBin = path.join(root, "node_modules", ".bin", "next");
  const child = spawn(nextBin, [opts.dev ? "dev" : "start", "-H", opts.host, "-p", String(opts.port)], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: url,
      COST_REVIEW_EMBEDDED: embedded ? "1" : "0",
      NEXTAUTH_SECRET: authSecret(),
      NEXTAUTH_URL: e.NEXTAUTH_URL ?? appUrl,
      // Without TRUST_PROXY, X-Forwarded-* from clients are dropped before Next.js reads them.
      NODE_OPTIONS: [process.env.NODE_OPTIONS, `--import=${pathToFileURL(path.join(root, "bin", "strip-forwarded-headers.mjs")).href}`]
        .filter(Boolean)
        .join(" "),
    },
  });

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
    if (embedded) {
      await embedded.stop();
      rmSync(embeddedInfoFile(), { force: true });
    }
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  child.on("exit", (code) => void stop(code ?? 1));

  await waitForHealth(appUrl, child);
  const lines = [
    "",
    `Cost Review is running at ${appUrl}  (ready in ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
    `Database: ${embedded ? `embedded PostgreSQL (PGlite) in ${embeddedDataDir()}` : "PostgreSQL server from DATABASE_URL"}`,
  ];
  if (demo) {
    lines.push(`Demo sign-in (password for all: ${DEMO_PASSWORD}):`);
    for (const u of generateDemoOrg().users) lines.push(`  ${u.role.padEnd(8)} ${u.email}`);
  }
  lines.push("Press Ctrl+C to stop.", "");
  console.log(lines.join("\n"));
}
