// Batching an event file, adding up the results, and retrying the ingest API safely.
import { describe, expect, it } from "vitest";
import { parseCsvEvents } from "@/lib/ingest/csv-row";
import type { IngestResult } from "@/lib/ingest/store-events";
import { eventsPoster, uploadHeadline, uploadParsedFile, UploadError } from "@/lib/ingest/upload-file";

const ok = (n: number): IngestResult => ({ accepted: n, duplicates: 0, unpriced: 0, rejected: [] });

function csv(rows: number): string {
  const lines = ["id,timestamp,requestId"];
  for (let i = 0; i < rows; i++) lines.push(`evt-${i},2026-03-02T10:00:00Z,req-${i}`);
  return lines.join("\n");
}

describe("uploadParsedFile", () => {
  it("sends batches of the given size, reports progress and adds up the results", async () => {
    const file = parseCsvEvents(csv(5));
    const sizes: number[] = [];
    const progress: string[] = [];
    const summary = await uploadParsedFile(
      file,
      async (events) => {
        sizes.push(events.length);
        return sizes.length === 2
          ? { accepted: 1, duplicates: 0, unpriced: 1, rejected: [{ index: 1, id: "evt-3", errors: [{ path: "events.1.timestamp", message: "bad time" }] }] }
          : ok(events.length);
      },
      { batchSize: 2, onProgress: (p) => progress.push(`${p.batch}/${p.batches}:${p.sent}/${p.total}`) },
    );
    expect(sizes).toEqual([2, 2, 1]);
    expect(progress).toEqual(["1/3:2/5", "2/3:4/5", "3/3:5/5"]);
    expect(summary).toEqual({
      rows: 5,
      sent: 5,
      accepted: 4,
      duplicates: 0,
      unpriced: 1,
      rejected: 1,
      errors: [{ line: 5, id: "evt-3", field: "timestamp", message: "bad time" }],
      failure: null,
    });
  });

  it("counts rows the reader refused and keeps all errors in file order", async () => {
    const file = parseCsvEvents("id,timestamp\nevt-1,2026-03-02T10:00:00Z\nevt-2\nevt-3,2026-03-02T10:00:00Z\n");
    const summary = await uploadParsedFile(file, async () => ({
      accepted: 1,
      duplicates: 0,
      unpriced: 0,
      rejected: [{ index: 1, id: "evt-3", errors: [{ path: "events.1.requestId", message: "requestId is required" }] }],
    }));
    expect(summary.rejected).toBe(2);
    expect(summary.errors.map((e) => e.line)).toEqual([3, 4]);
  });

  it("sends nothing for a file with a header error", async () => {
    const summary = await uploadParsedFile(parseCsvEvents("nope\n1\n"), async () => {
      throw new Error("must not be called");
    });
    expect(summary.failure).toMatch(/unknown column "nope"/);
    expect(summary.sent).toBe(0);
  });

  it("stops at a batch that fails for good, keeping what was stored before it", async () => {
    let calls = 0;
    const summary = await uploadParsedFile(
      parseCsvEvents(csv(3)),
      async (events) => {
        if (++calls === 2) throw new UploadError("The server refused the batch (401): bad key", 401);
        return ok(events.length);
      },
      { batchSize: 2 },
    );
    expect(summary).toMatchObject({ sent: 2, accepted: 2 });
    expect(summary.failure).toMatch(/bad key.*line 4/);
  });
});

describe("eventsPoster", () => {
  type Reply = Response | Error;
  function fakeFetch(replies: Reply[]) {
    const calls: { url: string; init: RequestInit }[] = [];
    const f = (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      const next = replies.shift();
      if (!next) throw new Error("no more replies");
      if (next instanceof Error) throw next;
      return next;
    }) as unknown as typeof fetch;
    return { f, calls };
  }
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });

  it("posts the events as JSON with the given headers", async () => {
    const { f, calls } = fakeFetch([json(200, ok(2))]);
    const send = eventsPoster("http://app/api/v1/events", { fetch: f, headers: { Authorization: "Bearer k" } });
    expect(await send([{ id: "a" }, { id: "b" }])).toEqual(ok(2));
    expect(calls[0]!.url).toBe("http://app/api/v1/events");
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ events: [{ id: "a" }, { id: "b" }] });
    expect(calls[0]!.init.headers).toMatchObject({ "Content-Type": "application/json", Authorization: "Bearer k" });
  });

  it("takes a 207 as a result with per-row errors", async () => {
    const body = { accepted: 1, duplicates: 0, unpriced: 0, rejected: [{ index: 0, id: "x", errors: [] }] };
    const { f } = fakeFetch([json(207, body)]);
    expect(await eventsPoster("u", { fetch: f })([{}, {}])).toEqual(body);
  });

  it("waits as long as Retry-After says after a 429, then retries", async () => {
    const slept: number[] = [];
    const { f, calls } = fakeFetch([json(429, { error: { message: "slow down" } }, { "Retry-After": "7" }), json(200, ok(1))]);
    const retries: string[] = [];
    const send = eventsPoster("u", { fetch: f, sleep: async (ms) => void slept.push(ms), onRetry: (r) => retries.push(r.reason) });
    expect(await send([{}])).toEqual(ok(1));
    expect(slept).toEqual([7000]);
    expect(calls).toHaveLength(2);
    expect(retries[0]).toMatch(/429.*slow down/);
  });

  it("backs off exponentially after 5xx answers and lost connections", async () => {
    const slept: number[] = [];
    const refused = Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) });
    const { f } = fakeFetch([json(503, {}), refused, json(500, { error: { message: "oops" } }), json(200, ok(1))]);
    const send = eventsPoster("u", { fetch: f, sleep: async (ms) => void slept.push(ms), baseDelayMs: 100 });
    expect(await send([{}])).toEqual(ok(1));
    expect(slept).toEqual([100, 200, 400]);
  });

  it("gives up after maxAttempts, saying why the last try failed", async () => {
    const { f } = fakeFetch([json(502, {}), json(502, {}), json(502, {})]);
    const send = eventsPoster("u", { fetch: f, sleep: async () => undefined, maxAttempts: 3 });
    await expect(send([{}])).rejects.toThrow(/Gave up after 3 tries.*server error 502/);
  });

  it("does not retry a refusal that will not change: 401, 400, 413", async () => {
    for (const status of [401, 400, 413]) {
      const { f, calls } = fakeFetch([json(status, { error: { message: `no (${status})` } }), json(200, ok(1))]);
      await expect(eventsPoster("u", { fetch: f, sleep: async () => undefined })([{}])).rejects.toThrow(new RegExp(`refused the batch \\(${status}\\): no \\(${status}\\)`));
      expect(calls).toHaveLength(1);
    }
  });

  it("reads Retry-After as an HTTP date too, waits at most five minutes, and backs off when it cannot read it", async () => {
    const slept: number[] = [];
    const slow = (retryAfter: string) => json(429, { error: { message: "slow down" } }, { "Retry-After": retryAfter });
    const { f } = fakeFetch([slow(new Date(Date.now() + 60_000).toUTCString()), slow("86400"), slow("soon"), json(200, ok(1))]);
    const send = eventsPoster("u", { fetch: f, sleep: async (ms) => void slept.push(ms), baseDelayMs: 100, maxAttempts: 5 });
    expect(await send([{}])).toEqual(ok(1));
    expect(slept).toHaveLength(3);
    // A minute from now (less the few milliseconds this test took), a day capped at five minutes, then the back-off.
    expect(slept[0]).toBeGreaterThan(58_000);
    expect(slept[0]).toBeLessThanOrEqual(60_000);
    expect(slept[1]).toBe(300_000);
    expect(slept[2]).toBeLessThan(10_000);
  });
});

describe("uploadHeadline", () => {
  const base = { rows: 4, accepted: 0, duplicates: 0, rejected: 0, failure: null };

  it("says how many rows were stored and how many rejected, not just how many were read", () => {
    expect(uploadHeadline({ ...base, accepted: 1, rejected: 3 })).toBe("Of 4 rows: stored 1, 3 rejected.");
    expect(uploadHeadline({ ...base, accepted: 4 })).toBe("Of 4 rows: stored 4, 0 rejected.");
    expect(uploadHeadline({ ...base, rows: 1, accepted: 1 })).toBe("Of 1 row: stored 1, 0 rejected.");
  });

  it("names rows stored before, and an upload that stopped", () => {
    expect(uploadHeadline({ ...base, rows: 3, duplicates: 2, rejected: 1 })).toBe("Of 3 rows: stored 0, 2 already stored before, 1 rejected.");
    expect(uploadHeadline({ ...base, accepted: 2, failure: "The server refused the upload." })).toBe("The upload stopped: of 4 rows, stored 2, 0 rejected.");
  });
});
