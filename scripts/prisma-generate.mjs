#!/usr/bin/env node
// Generates the Prisma client (lib/generated/prisma) without downloading anything.
// `prisma generate` only asks the schema engine for its version; Prisma 7 would otherwise try to
// download the native engine, which offline machines cannot do. Pointing it at a command that
// succeeds is enough for generation (migrations do not go through the Prisma CLI at all).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const prismaBin = path.join(root, "node_modules", ".bin", "prisma");
if (!existsSync(prismaBin)) {
  console.log("prisma-generate: prisma is not installed yet, skipping");
  process.exit(0);
}
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= "/bin/true";
const r = spawnSync(prismaBin, ["generate"], { cwd: root, env, stdio: "inherit" });
process.exit(r.status ?? 1);
