// Starts the built app the way `npm start` does (bin/cost-review.mjs start), on a given database.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..", "..");

export type TestServer = { url: string; process: ChildProcess; output: () => string; stop: () => Promise<void> };

/**
 * Starts the app as `npm start` does (without the build). `databaseUrl: null` runs it on its own embedded
 * database in COST_REVIEW_DATA_DIR (pass it in `env`), as a new user's first start does.
 */
export async function startServer(opts: { databaseUrl: string | null; port: number; env?: Record<string, string> }): Promise<TestServer> {
  let output = "";
  const { DATABASE_URL: _inherited, ...inherited } = process.env;
  const child = spawn(process.execPath, [path.join(root, "bin", "cost-review.mjs"), "start", "--no-build", "--port", String(opts.port)], {
    cwd: root,
    env: {
      ...inherited,
      ...(opts.databaseUrl === null ? {} : { DATABASE_URL: opts.databaseUrl }),
      COST_REVIEW_DEMO: "1",
      NEXTAUTH_SECRET: "test-secret-test-secret-test-secret",
      NEXTAUTH_URL: `http://127.0.0.1:${opts.port}`,
      ...opts.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  // Kept in test-results/ so a failing test's server-side error can be read afterwards.
  mkdirSync(path.join(root, "test-results"), { recursive: true });
  const log = createWriteStream(path.join(root, "test-results", `server-${opts.port}.log`));
  child.stdout?.on("data", (d) => ((output += String(d)), log.write(d)));
  child.stderr?.on("data", (d) => ((output += String(d)), log.write(d)));
  const url = `http://127.0.0.1:${opts.port}`;
  const deadline = Date.now() + 180_000;
  while (!output.includes("Cost Review is running at")) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) throw new Error(`server did not start within 180 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    process: child,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {
        child.kill("SIGTERM");
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          /* gone */
        }
      }
    },
  };
}
