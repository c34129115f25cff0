// Concurrency of ingest over real HTTP: the same events sent at the same moment by two clients (two
// API keys) are stored once, and the answers add up: what one client's request stored, the other's
// reports as duplicates.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { closeDb, createHandles, setHandles } from "@/lib/db/client";
import { ingestEvents } from "@/lib/ingest/store-events";
import { createIngestKey, postEvents, type IngestResponse } from "../support/ingest";

const baseUrl = inject("baseUrl");
const db = new pg.Pool({ connectionString: inject("databaseUrl"), max: 1 });
const run = `conc${Date.now().toString(36)}`;
let keyA: string;
let keyB: string;

beforeAll(async () => {
  keyA = await createIngestKey(baseUrl, `concurrency A ${run}`);
  keyB = await createIngestKey(baseUrl, `concurrency B ${run}`);
});
afterAll(() => db.end());

function event(id: string, n: number): Record<string, unknown> {
  return {
    id,
    timestamp: new Date(Date.UTC(2026, 7, 1 + (n % 28), n % 24, n % 60)).toISOString(),
    requestId: `${id}-req`,
    endpoint: "chat.answer",
    provider: "anthropic",
    model: "claude-haiku-4-5",
    usage: { inputTokens: 100 + n, outputTokens: 10 + (n % 50) },
    metadata: { n },
  };
}

async function ok(r: Promise<{ status: number; json: unknown }>): Promise<IngestResponse> {
  const res = await r;
  expect(res.status, JSON.stringify(res.json).slice(0, 500)).toBe(200);
  return res.json as IngestResponse;
}

async function stored(prefix: string): Promise<{ rows: number; ids: number; ledger: number }> {
  const { rows } = await db.query<{ rows: number; ids: number; ledger: number }>(
    `SELECT (SELECT count(*)::int FROM cost_events WHERE id LIKE $1) AS rows,
            (SELECT count(DISTINCT id)::int FROM cost_events WHERE id LIKE $1) AS ids,
            (SELECT count(*)::int FROM event_ids WHERE id LIKE $1) AS ledger`,
    [`${prefix}%`],
  );
  return rows[0]!;
}

/** Rounds of two overlapping batches, and how many of each batch's 500 ids the two share. */
const ROUNDS = 8;
const SHARED = 100;

describe("concurrent ingest", () => {
  it("stores one batch of 1,000 events once when two clients send it at the same moment", { timeout: 300_000 }, async () => {
    // A few rounds, so the two requests overlap in the database more than once.
    for (let round = 0; round < 3; round++) {
      const prefix = `${run}-same${round}-`;
      const events = Array.from({ length: 1000 }, (_, i) => event(`${prefix}${i}`, i));
      const [a, b] = await Promise.all([ok(postEvents(baseUrl, keyA, { events })), ok(postEvents(baseUrl, keyB, { events }))]);
      expect(a.rejected).toEqual([]);
      expect(b.rejected).toEqual([]);
      expect(a.accepted + b.accepted).toBe(1000);
      expect(a.duplicates + b.duplicates).toBe(1000);
      expect(await stored(prefix)).toEqual({ rows: 1000, ids: 1000, ledger: 1000 });

      const again = await ok(postEvents(baseUrl, keyA, { events }));
      expect(again).toEqual({ accepted: 0, duplicates: 1000, unpriced: 0, rejected: [] });
      expect(await stored(prefix)).toEqual({ rows: 1000, ids: 1000, ledger: 1000 });
    }
  });

  it("stores ids shared by two different concurrent batches once, whatever order each batch has them in", { timeout: 300_000 }, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const prefix = `${run}-shared${round}-`;
      const shared = Array.from({ length: SHARED }, (_, i) => event(`${prefix}s${i}`, i));
      const onlyA = Array.from({ length: 500 - SHARED }, (_, i) => event(`${prefix}a${i}`, 1000 + i));
      const onlyB = Array.from({ length: 500 - SHARED }, (_, i) => event(`${prefix}b${i}`, 2000 + i));
      // A has the shared ids first and in order, B last and reversed: opposite lock orders if stored as sent.
      const batchA = [...shared, ...onlyA];
      const batchB = [...onlyB, ...[...shared].reverse()];
      const [a, b] = await Promise.all([ok(postEvents(baseUrl, keyA, { events: batchA })), ok(postEvents(baseUrl, keyB, { events: batchB }))]);
      expect(a.rejected).toEqual([]);
      expect(b.rejected).toEqual([]);
      expect(a.accepted + b.accepted).toBe(1000 - SHARED);
      expect(a.duplicates + b.duplicates).toBe(SHARED);
      expect(a.accepted + a.duplicates).toBe(500);
      expect(await stored(prefix)).toEqual({ rows: 1000 - SHARED, ids: 1000 - SHARED, ledger: 1000 - SHARED });
      const sharedRows = await db.query("SELECT id, count(*)::int AS n FROM cost_events WHERE id LIKE $1 GROUP BY id HAVING count(*) <> 1", [`${prefix}s%`]);
      expect(sharedRows.rows).toEqual([]);
    }
  });

  // The same race without HTTP in between, so the two INSERTs reliably overlap in the database. Two
  // transactions that insert shared ids in opposite orders used to deadlock (one request failed with a
  // 500); the ledger is now written in id order. Trivially true on the embedded database, which runs
  // one transaction at a time.
  it("never deadlocks when overlapping batches are stored at the same moment in opposite orders", { timeout: 300_000 }, async () => {
    const handles = createHandles(inject("databaseUrl"), 4);
    setHandles(handles);
    try {
      for (let round = 0; round < 20; round++) {
        const prefix = `${run}-direct${round}-`;
        const shared = Array.from({ length: 300 }, (_, i) => event(`${prefix}s${i}`, i));
        const a = [...shared, ...Array.from({ length: 200 }, (_, i) => event(`${prefix}a${i}`, 3000 + i))];
        const b = [...Array.from({ length: 200 }, (_, i) => event(`${prefix}b${i}`, 4000 + i)), ...[...shared].reverse()];
        const [ra, rb] = await Promise.all([ingestEvents(a, { db: handles.pool }), ingestEvents(b, { db: handles.pool })]);
        expect(ra.accepted + rb.accepted).toBe(700);
        expect(ra.duplicates + rb.duplicates).toBe(300);
        expect([...ra.rejected, ...rb.rejected]).toEqual([]);
        expect(await stored(prefix)).toEqual({ rows: 700, ids: 700, ledger: 700 });
      }
    } finally {
      await closeDb();
    }
  });
});
