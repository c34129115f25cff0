#!/usr/bin/env node
// Entry point of the `cost-review` command: runs the TypeScript CLI in cli/ through tsx.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { register } from "tsx/esm/api";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.env.COST_REVIEW_ROOT ??= root;
// Settings may live in a .env file, as for the web server (which Next.js reads itself).
const envFile = path.join(root, ".env");
if (existsSync(envFile)) process.loadEnvFile(envFile);
register({ tsconfig: path.join(root, "tsconfig.json") });
await import(pathToFileURL(path.join(root, "cli", "main.ts")).href);
