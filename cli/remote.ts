// Shared by the CLI commands that talk to a running app: the app's base URL and the API key.
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

const usage = (message: string) => new AppError("usage", 2, message);

export function remote(opts: { url?: string; key?: string }, command: string): { base: string; key: string } {
  const raw = opts.url ?? env().COST_REVIEW_URL;
  if (!raw) throw usage(`${command} needs the app's address: pass --url http://host:port or set COST_REVIEW_URL`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw usage(`--url must be the app's address, such as http://127.0.0.1:3000 (got ${JSON.stringify(raw)})`);
  }
  if (!/^https?:$/.test(url.protocol)) throw usage("--url must start with http:// or https://");
  const key = opts.key ?? env().COST_REVIEW_API_KEY;
  if (!key) throw usage(`${command} needs an API key: pass --key KEY or set COST_REVIEW_API_KEY`);
  return { base: url.toString().replace(/\/+$/, ""), key };
}

/** The error message of a JSON error answer, with its per-field errors. */
export function describeError(status: number, body: unknown): string {
  const e = (body as { error?: { message?: string; errors?: { path: string; message: string }[] } } | null)?.error;
  if (!e) return `the app answered ${status}`;
  return [e.message ?? `the app answered ${status}`, ...(e.errors ?? []).map((f) => `  ${f.path}: ${f.message}`)].join("\n");
}
