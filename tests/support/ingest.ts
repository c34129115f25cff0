// Helpers for the ingest tests that go beyond one request: free ports for extra app servers, ingest keys
// made through the admin API, and a client that retries a batch until the server acknowledges it.
import { createServer } from "node:net";
import { DEMO_PASSWORD } from "@/lib/demo/generate-org";
import { signIn } from "./http";

export type IngestResponse = {
  accepted: number;
  duplicates: number;
  unpriced: number;
  rejected: { index: number; id: string | null; errors: { path: string; message: string }[] }[];
};

/** A TCP port that was free a moment ago (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** A new ingest-scoped API key, created by the demo admin through the admin API of the server at baseUrl. */
export async function createIngestKey(baseUrl: string, name: string): Promise<string> {
  const admin = await signIn(baseUrl, "admin@example.com", DEMO_PASSWORD);
  const res = await admin.fetch("/api/v1/api-keys", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ name, scope: "ingest" }),
  });
  if (res.status !== 201 && res.status !== 200) throw new Error(`creating an API key failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { key: string }).key;
}

export async function postEvents(
  baseUrl: string,
  key: string,
  body: unknown,
  contentType = "application/json",
): Promise<{ status: number; headers: Headers; json: unknown }> {
  const res = await fetch(`${baseUrl}/api/v1/events`, {
    method: "POST",
    headers: { "Content-Type": contentType, Authorization: `Bearer ${key}` },
    body: typeof body === "string" ? body : body instanceof Uint8Array ? new Uint8Array(body) : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON: keep the text for the assertion message */
  }
  return { status: res.status, headers: res.headers, json };
}

export type Attempt = { at: number; outcome: string };

/**
 * Sends one batch until the server acknowledges it (200 with every row accepted or a duplicate). A
 * connection error, a 5xx or a 429 is retried after a pause; any other answer is a test failure. Gives
 * up after `deadline` (epoch ms).
 */
export async function sendUntilAcknowledged(
  url: () => string,
  key: string,
  events: unknown[],
  opts: { deadline: number; attempts?: Attempt[]; pauseMs?: number },
): Promise<IngestResponse> {
  const pause = opts.pauseMs ?? 250;
  for (;;) {
    if (Date.now() > opts.deadline) throw new Error(`batch not acknowledged before the deadline; attempts: ${JSON.stringify(opts.attempts?.slice(-5))}`);
    let outcome: string;
    let wait = pause;
    try {
      const r = await postEvents(url(), key, { events });
      if (r.status === 200) {
        const body = r.json as IngestResponse;
        if (body.accepted + body.duplicates !== events.length || body.rejected.length) {
          throw new Error(`acknowledged batch does not account for its ${events.length} events: ${JSON.stringify(body).slice(0, 500)}`);
        }
        opts.attempts?.push({ at: Date.now(), outcome: "200" });
        return body;
      }
      if (r.status !== 429 && r.status < 500) throw new Error(`unexpected answer ${r.status}: ${JSON.stringify(r.json).slice(0, 500)}`);
      outcome = String(r.status);
      if (r.status === 429) wait = Math.max(pause, Number(r.headers.get("retry-after") ?? "1") * 1000);
    } catch (err) {
      if (err instanceof Error && /acknowledged batch|unexpected answer/.test(err.message)) throw err;
      outcome = `network: ${(err as Error).message}`;
    }
    opts.attempts?.push({ at: Date.now(), outcome });
    await new Promise((r) => setTimeout(r, wait));
  }
}
