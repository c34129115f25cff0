// The per-key ingest rate limit, on an app server of its own started with INGEST_RATE_LIMIT_PER_MINUTE=3:
// the 4th request within the minute is answered 429 with Retry-After and a message a person can act on,
// nothing of it is stored, and the key works again once Retry-After has passed.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startServer, type TestServer } from "../support/server";
import { createIngestKey, freePort, postEvents, type IngestResponse } from "../support/ingest";

const baseUrl = inject("baseUrl");
const databaseUrl = inject("databaseUrl");
const db = new pg.Pool({ connectionString: databaseUrl, max: 1 });
const run = `rate${Date.now().toString(36)}`;
let server: TestServer;

beforeAll(async () => {
  server = await startServer({ databaseUrl, port: await freePort(), env: { INGEST_RATE_LIMIT_PER_MINUTE: "3" } });
}, 180_000);
afterAll(async () => {
  await server?.stop();
  await db.end();
});

const batch = (n: number) => ({
  events: [0, 1].map((i) => ({
    id: `${run}-${n}-${i}`,
    timestamp: "2026-08-15T12:00:00Z",
    requestId: `${run}-req-${n}`,
    provider: "openai",
    model: "gpt-4o-mini",
    usage: { inputTokens: 100, outputTokens: 10 },
  })),
});

async function storedCount(n: number): Promise<{ events: number; ledger: number }> {
  const { rows } = await db.query<{ events: number; ledger: number }>(
    `SELECT (SELECT count(*)::int FROM cost_events WHERE id LIKE $1) AS events, (SELECT count(*)::int FROM event_ids WHERE id LIKE $1) AS ledger`,
    [`${run}-${n}-%`],
  );
  return rows[0]!;
}

describe("ingest rate limit per API key", () => {
  it("answers the 4th request within the minute with 429, Retry-After and a readable message, and stores nothing from it", { timeout: 300_000 }, async () => {
    const key = await createIngestKey(baseUrl, `rate limit ${run}`);
    // Warm the new server up with another key, so that the limited key's requests follow each other quickly.
    const warmKey = await createIngestKey(baseUrl, `rate limit warm-up ${run}`);
    expect((await postEvents(server.url, warmKey, batch(0))).status).toBe(200);

    const started = Date.now();
    for (const n of [1, 2, 3]) {
      const res = await postEvents(server.url, key, batch(n));
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      expect((res.json as IngestResponse).accepted).toBe(2);
    }
    let refusedBatch = 4;
    let refused = await postEvents(server.url, key, batch(refusedBatch));
    // The bucket refills one request per 20 s. Only on a machine so slow that the first three requests
    // took longer than that can the 4th get through; then the next one within the minute is the one refused.
    while (refused.status === 200 && Date.now() - started >= 20_000 && refusedBatch < 10) {
      refused = await postEvents(server.url, key, batch(++refusedBatch));
    }
    expect(refused.status, JSON.stringify(refused.json)).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const error = (refused.json as { error: { code: string; message: string; retryAfter: number } }).error;
    expect(error.code).toBe("rate_limited");
    expect(error.message).toMatch(/^Too many requests for this API key; retry after \d+ s\.$/);
    expect(error.retryAfter).toBe(retryAfter);
    expect(await storedCount(refusedBatch)).toEqual({ events: 0, ledger: 0 });
    for (const n of [1, 2, 3]) expect(await storedCount(n)).toEqual({ events: 2, ledger: 2 });

    // Another key is not held back by this one's limit.
    expect((await postEvents(server.url, warmKey, batch(20))).status).toBe(200);

    // Retry-After is honest: after waiting it out, the same key is served again.
    await new Promise((r) => setTimeout(r, retryAfter * 1000 + 500));
    const later = await postEvents(server.url, key, batch(refusedBatch));
    expect(later.status, JSON.stringify(later.json)).toBe(200);
    expect(later.json).toMatchObject({ accepted: 2, duplicates: 0 });
    expect(await storedCount(refusedBatch)).toEqual({ events: 2, ledger: 2 });
  });
});
