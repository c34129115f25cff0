// Serves the app for the end-to-end tests on a fresh database: a new database on the PostgreSQL
// server in TEST_DATABASE_URL, or else a new embedded data directory (.data-e2e), exactly as `npm start` runs.
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { createTestDatabase } from "../tests/support/database";

const root = path.resolve(import.meta.dirname, "..");
const port = process.argv[process.argv.indexOf("--port") + 1] ?? "3100";

const env: NodeJS.ProcessEnv = { ...process.env };
let drop: (() => Promise<void>) | undefined;
if (process.env.TEST_DATABASE_URL) {
  const db = await createTestDatabase("e2e", { migrate: false });
  env.DATABASE_URL = db.url;
  drop = db.drop;
} else {
  delete env.DATABASE_URL;
  env.COST_REVIEW_DATA_DIR = ".data-e2e";
  rmSync(path.join(root, ".data-e2e"), { recursive: true, force: true });
}

const child = spawn(process.execPath, [path.join(root, "bin", "cost-review.mjs"), "start", "--no-build", "--port", port], {
  cwd: root,
  env,
  stdio: "inherit",
});
const stop = () => child.kill("SIGTERM");
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
child.on("exit", async (code) => {
  await drop?.().catch(() => undefined);
  process.exit(code ?? 0);
});
