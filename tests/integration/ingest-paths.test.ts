// The two ways ingest stores a batch: COPY for a batch of new events (on a PostgreSQL server) and the
// general INSERT … ON CONFLICT path for batches that share ids with stored events. Both must store the
// very same rows, and a batch that mixes new, known and conflicting ids must fall back without storing
// anything twice.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { closeDb, createHandles, setHandles, type Handles } from "@/lib/db/client";
import { copyFrom, supportsCopyFrom } from "@/lib/db/copy";
import { contentFingerprint } from "@/lib/ingest/event-schema";
import { ingestEvents, prepareBatch } from "@/lib/ingest/store-events";

const run = `paths${Date.now().toString(36)}`;
let handles: Handles;

beforeAll(() => {
  handles = createHandles(inject("databaseUrl"), 3);
  setHandles(handles);
});
afterAll(() => closeDb());

// Awkward content on purpose: COPY's text format escapes tab, newline, carriage return and backslash.
const AWKWARD = ["tab\there", "new\nline", "back\\slash", "cr\rlf", "quote \"x\" 'y'", "ünï ✓ 🚀", "\\N", "\\.", "{a,b}"];

function events(prefix: string): Record<string, unknown>[] {
  return Array.from({ length: 240 }, (_, n) => {
    const e: Record<string, unknown> = {
      id: `${prefix}${n}${n % 7 === 0 ? AWKWARD[n % AWKWARD.length] : ""}`,
      timestamp: new Date(Date.UTC(2026, 6 + (n % 3), 1 + (n % 27), n % 24, n % 60, n % 60, n % 1000)).toISOString(),
      requestId: `${prefix}req-${Math.floor(n / 3)}${n % 11 === 0 ? AWKWARD[n % AWKWARD.length] : ""}`,
      endpoint: n % 5 === 0 ? undefined : "chat.answer",
      cohort: n % 4 === 0 ? AWKWARD[n % AWKWARD.length] : "pro",
      customerId: n % 3 === 0 ? undefined : n % 6 === 1 ? AWKWARD[n % AWKWARD.length] : `cust-${n % 5}`,
      provider: n % 9 === 0 ? "acme-ml" : "openai",
      model: n % 9 === 0 ? "unknown-model" : "gpt-4o-mini",
      usage: { inputTokens: 100 + n * 37, cacheReadTokens: n % 3 === 0 ? n * 11 : 0, outputTokens: 5 + n },
      status: n % 13 === 0 ? "error" : "ok",
      attempt: 1 + (n % 3),
      latencyMs: n % 6 === 0 ? undefined : n * 1.25 + 0.1,
      metadata: n % 2 === 0 ? { note: AWKWARD[n % AWKWARD.length], n, nested: { list: [1, "two", null] } } : undefined,
    };
    if (n % 10 === 3) e.costUsd = `0.${String(n).padStart(12, "0")}`;
    if (n % 17 === 0) Object.assign(e, { kind: "tool", provider: undefined, model: undefined, usage: undefined });
    return e;
  });
}

const COLUMNS = [
  "ts", "endpoint", "feature", "team", "cohort", "customer_id", "kind", "provider", "model", "input_tokens", "cache_read_tokens", "cache_write_tokens",
  "cache_write_1h_tokens", "output_tokens", "reasoning_tokens", "tool_output_tokens", "cost_usd::text", "cost_source", "price_entry_id",
  "unpriced_reason", "status", "attempt", "latency_ms", "pool", "gpu_seconds", "metadata::text",
].map((c) => `c.${c}`).join(", ");

async function storedRows(prefix: string) {
  const { rows } = await handles.pool.query(
    `SELECT substr(c.id, length($1) + 1) AS key, substr(c.request_id, length($1) + 1) AS req, ${COLUMNS}, l.fingerprint, l.ts AS ledger_ts
       FROM cost_events c JOIN event_ids l ON l.id = c.id WHERE c.id LIKE $1 || '%' ORDER BY 1`,
    [prefix],
  );
  return rows.map((r: Record<string, unknown>) => ({ ...r, fingerprint: undefined }));
}

describe("ingest storage paths", () => {
  it("knows whether the server takes COPY; where it does, a refused COPY rejects with the server's code and the connection stays usable", async () => {
    const version = (await handles.pool.query<{ v: string }>("SELECT version() AS v")).rows[0]!.v;
    const copyCapable = await supportsCopyFrom(handles.pool);
    expect(copyCapable).toBe(!/pglite/i.test(version));
    if (!copyCapable) return; // the embedded server: ingest never sends it COPY (the other tests cover its path)
    const client = await handles.pool.connect();
    try {
      await client.query("CREATE TEMP TABLE copy_probe (id text PRIMARY KEY, n int)");
      await client.query("INSERT INTO copy_probe VALUES ('a', 1)");
      await client.query("BEGIN");
      const err = await copyFrom(client, "COPY copy_probe (id, n) FROM STDIN", [Buffer.from("b\t2\na\t3\n")]).then(
        () => null,
        (e: unknown) => e as { code?: string },
      );
      expect(err?.code).toBe("23505");
      await client.query("ROLLBACK");
      expect((await client.query("SELECT string_agg(id, ',' ORDER BY id) AS ids FROM copy_probe")).rows[0].ids).toBe("a");
      expect(await copyFrom(client, "COPY copy_probe (id, n) FROM STDIN", [Buffer.from("b\t2\nc\t3\n")])).toBe(2);
    } finally {
      client.release();
    }
  });

  it("stores the same rows by COPY as by the general path, awkward text and all", async () => {
    const viaCopy = await ingestEvents(events(`${run}-c-`), { db: handles.pool });
    const viaInsert = await ingestEvents(events(`${run}-i-`), { db: handles.pool, copy: false });
    expect(viaCopy).toEqual(viaInsert);
    expect(viaCopy.accepted).toBe(240);
    expect(viaCopy.rejected).toEqual([]);
    const a = await storedRows(`${run}-c-`);
    const b = await storedRows(`${run}-i-`);
    expect(a).toHaveLength(240);
    expect(a).toEqual(b);
    // The awkward text came back as sent.
    const sent = events(`${run}-c-`).find((e) => String(e.id).includes("\t"))!;
    const { rows } = await handles.pool.query<{ id: string; metadata: unknown }>("SELECT id, metadata FROM cost_events WHERE id = $1", [sent.id]);
    expect(rows[0]?.id).toBe(sent.id);
    expect(rows[0]?.metadata).toEqual(sent.metadata ?? null);
  });

  it("falls back for a batch that shares ids with stored events, storing each event once", async () => {
    const all = events(`${run}-m-`);
    const first = await ingestEvents(all.slice(0, 100), { db: handles.pool });
    expect(first).toMatchObject({ accepted: 100, duplicates: 0, rejected: [] });
    // 100 known ids, 139 new ones and one known id with other content.
    const changed = { ...all[5]!, usage: { inputTokens: 1 } };
    const second = await ingestEvents([...all.slice(0, 100), ...all.slice(100, 239), changed], { db: handles.pool });
    expect(second.accepted).toBe(139);
    expect(second.duplicates).toBe(100);
    expect(second.rejected.map((r) => [r.index, r.id])).toEqual([[239, all[5]!.id]]);
    const { rows } = await handles.pool.query<{ n: number; ids: number }>("SELECT count(*)::int AS n, count(DISTINCT id)::int AS ids FROM cost_events WHERE id LIKE $1", [`${run}-m-%`]);
    expect(rows[0]).toEqual({ n: 239, ids: 239 });
    // The event keeps the content it was first stored with.
    const kept = await handles.pool.query<{ input_tokens: string }>("SELECT input_tokens::text FROM cost_events WHERE id = $1", [all[5]!.id]);
    expect(kept.rows[0]!.input_tokens).toBe(String((all[5]!.usage as { inputTokens: number }).inputTokens));
  });

  it("recognises retries of events whose ledger rows hold the earlier fingerprint form", async () => {
    // Events stored before fingerprints became "v2:" carry contentFingerprint (64 hex digits) in the ledger.
    const sent = events(`${run}-v1-`).slice(0, 60).map((e) => ({ ...e, endpoint: undefined })); // no registry fill: the event is as sent
    expect((await ingestEvents(sent, { db: handles.pool })).accepted).toBe(60);
    const { rows: prepared } = prepareBatch(sent, [], new Map());
    await handles.pool.query(
      "UPDATE event_ids l SET fingerprint = v.fp FROM unnest($1::text[], $2::text[]) AS v(id, fp) WHERE l.id = v.id",
      [prepared.map((r) => r.event.id), prepared.map((r) => contentFingerprint(r.event))],
    );
    const old = await handles.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM event_ids WHERE id LIKE $1 AND fingerprint ~ '^[0-9a-f]{64}$'", [`${run}-v1-%`]);
    expect(old.rows[0]!.n).toBe(60);
    const retry = await ingestEvents(sent, { db: handles.pool });
    expect(retry).toMatchObject({ accepted: 0, duplicates: 60, rejected: [] });
    const changed = await ingestEvents([{ ...sent[3]!, status: "error" }], { db: handles.pool });
    expect(changed.accepted).toBe(0);
    expect(changed.rejected[0]?.errors[0]?.message).toMatch(/already stored with different content/);
  });
});
