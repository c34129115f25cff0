// Crash safety of ingest: a second app server on the suite's database is SIGKILLed (its whole process
// group: the launcher and next-server) while clients are sending batches, then restarted. Clients retry
// every batch until it is acknowledged. Every event must end up stored exactly once, each batch all or
// nothing, and the stored costs must add up to the exact decimal sum of what was sent.
// The kill must hit the case idempotency exists for: a batch whose transaction committed but whose answer
// was lost. The server runs with a test-only pause between commit and answer, and is killed only once the
// database holds a batch its client has not been answered for; the test then requires that batch's client
// to have seen a connection error and its retry to come back as all duplicates.
import Decimal from "decimal.js";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { startServer, type TestServer } from "../support/server";
import { createIngestKey, freePort, sendUntilAcknowledged, type Attempt, type IngestResponse } from "../support/ingest";

const baseUrl = inject("baseUrl");
const databaseUrl = inject("databaseUrl");
const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
const run = `crash${Date.now().toString(36)}`;

const BATCHES = 60;
const PER_BATCH = 500;
const CLIENTS = 3;
const N = BATCHES * PER_BATCH;
/** Kill once this many batches were acknowledged: well into the run, well before its end. */
const KILL_AFTER_ACKS = 12;
/** The server's test-only pause between a batch's commit and its answer: the window the kill aims at. */
const DELAY_AFTER_COMMIT_MS = 1500;

// gpt-4o-mini list prices per million tokens, written out independently of the catalogue code.
const MINI = { input: "0.15", output: "0.60" };
// Spread over four months that no other test writes to, so partitions are created during the run.
const FROM = Date.UTC(2026, 3, 10); // 2026-04-10
const SPAN_MINUTES = 100 * 24 * 60; // to mid-July

type Batch = { events: Record<string, unknown>[]; costs: Map<string, Decimal> };

function makeBatch(b: number): Batch {
  const events: Record<string, unknown>[] = [];
  const costs = new Map<string, Decimal>();
  for (let i = 0; i < PER_BATCH; i++) {
    const id = `${run}-${b}-${i}`;
    const minute = (i * 7_919 + b * 104_729) % SPAN_MINUTES;
    const base = {
      id,
      timestamp: new Date(FROM + minute * 60_000 + ((i * 37) % 1000)).toISOString(),
      requestId: `${run}-r${b}-${Math.floor(i / 3)}`,
      endpoint: ["chat.answer", "docs.summarise", "search.query"][i % 3],
      cohort: ["free", "pro", "acme"][b % 3],
    };
    if (i % 4 === 0) {
      // Estimated at write time from tokens and the list price.
      const usage = { inputTokens: 1_000 + i * 13 + b, outputTokens: 10 + ((i * b) % 977) };
      events.push({ ...base, provider: "openai", model: "gpt-4o-mini", usage });
      costs.set(id, new Decimal(usage.inputTokens).mul(MINI.input).add(new Decimal(usage.outputTokens).mul(MINI.output)).div(1_000_000));
    } else {
      // Billed: an exact decimal string with up to 12 fractional digits, kept as sent.
      const fraction = String((b * 1_000_003 + i * 7_919_777) % 1_000_000_000_000).padStart(12, "0");
      const cost = `${i % 3}.${fraction}`;
      events.push({ ...base, provider: "openai", model: "gpt-4o-mini", usage: { inputTokens: 10, outputTokens: 1 }, costUsd: cost });
      costs.set(id, new Decimal(cost));
    }
  }
  return { events, costs };
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

let server: TestServer | undefined;
afterAll(async () => {
  await server?.stop();
  await db.end();
});

describe("ingest survives a SIGKILL of the app server mid-ingest", () => {
  it(`stores ${N} events exactly once, each batch all or nothing, with the exact cost sum`, { timeout: 900_000 }, async () => {
    const batches = Array.from({ length: BATCHES }, (_, b) => makeBatch(b));
    const expectedTotal = batches.reduce((t, b) => [...b.costs.values()].reduce((s, c) => s.add(c), t), new Decimal(0));
    const key = await createIngestKey(baseUrl, `crash test ${run}`);
    const port = await freePort();
    server = await startServer({
      databaseUrl,
      port,
      env: { COST_REVIEW_TEST_HOOKS: "1", COST_REVIEW_TEST_INGEST_DELAY_AFTER_COMMIT_MS: String(DELAY_AFTER_COMMIT_MS) },
    });
    const url = server.url;

    const acks: { batch: number; at: number; body: IngestResponse }[] = [];
    const attemptsOf: Attempt[][] = batches.map(() => []);
    const queue = batches.map((_, b) => b);
    const started = new Set<number>();
    const deadline = Date.now() + 720_000;
    const client = async () => {
      for (let b = queue.shift(); b !== undefined; b = queue.shift()) {
        started.add(b);
        const body = await sendUntilAcknowledged(() => url, key, batches[b]!.events, { deadline, attempts: attemptsOf[b] });
        acks.push({ batch: b, at: Date.now(), body });
      }
    };
    let failure: unknown;
    const clients = Promise.all(Array.from({ length: CLIENTS }, client));
    clients.catch((err) => (failure = err)); // awaited below; noted here so waiting for the kill stops early

    // Well into the run, wait until the database holds a batch whose client has no answer yet (it is in
    // the pause after its commit), then kill the whole process group (launcher and next-server) at once:
    // nothing else in this process runs between the check and the kill.
    await waitUntil(() => acks.length >= KILL_AFTER_ACKS || failure !== undefined, 600_000, `${KILL_AFTER_ACKS} acknowledged batches`);
    if (failure) throw failure;
    const pgid = server.process.pid!;
    const exited = new Promise((r) => server!.process.once("exit", r));
    let committedUnanswered: number[] = [];
    const lookFrom = Date.now();
    for (;;) {
      if (failure) throw failure;
      if (Date.now() - lookFrom > 120_000) throw new Error("no batch was ever seen committed and unanswered");
      const waiting = [...started].filter((b) => !acks.some((a) => a.batch === b));
      const stored = await db.query<{ id: string }>("SELECT id FROM event_ids WHERE id = ANY($1::text[])", [waiting.map((b) => `${run}-${b}-0`)]);
      const answered = new Set(acks.map((a) => a.batch));
      committedUnanswered = waiting.filter((b) => !answered.has(b) && stored.rows.some((r) => r.id === `${run}-${b}-0`));
      if (committedUnanswered.length) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    process.kill(-pgid, "SIGKILL");
    const killedAt = Date.now();
    const ackedBeforeKill = acks.length;
    await exited;
    await waitUntil(() => !groupAlive(pgid), 30_000, "the killed process group to disappear");

    server = await startServer({ databaseUrl, port });
    const restartedAt = Date.now();
    await clients;

    const attempts = attemptsOf.flat();
    // The kill really happened mid-ingest: batches were acknowledged before it and after the restart,
    // and requests failed while the server was down.
    const ackedAfterRestart = acks.filter((a) => a.at >= restartedAt).length;
    const failedWhileDown = attempts.filter((a) => a.at >= killedAt && a.outcome !== "200").length;
    const duplicateOnly = acks.filter((a) => a.body.duplicates > 0).length;
    console.log(
      `crash test: ${ackedBeforeKill} batches acknowledged before the SIGKILL, ${ackedAfterRestart} after the restart; ` +
        `${failedWhileDown} failed attempts after the kill (${[...new Set(attempts.filter((a) => a.outcome !== "200").map((a) => a.outcome.slice(0, 60)))].join("; ")}); ` +
        `${duplicateOnly} batches came back as duplicates (committed before the kill, answer lost); ` +
        `committed and unanswered at the kill: ${committedUnanswered.join(", ")}`,
    );
    expect(ackedBeforeKill).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    expect(ackedBeforeKill).toBeLessThan(BATCHES);
    expect(ackedAfterRestart).toBeGreaterThan(0);
    expect(failedWhileDown).toBeGreaterThan(0);
    expect(acks).toHaveLength(BATCHES);

    // The dangerous path was taken: a batch was wholly in the database while its client had no answer;
    // the client saw its connection fail, retried, and the retry was answered with all duplicates.
    // (An answer already on its way when the kill came may still arrive: such a batch is not counted.)
    const lost = committedUnanswered.filter((b) => acks.find((a) => a.batch === b)!.body.duplicates === PER_BATCH);
    expect(lost.length, `committed and unanswered at the kill: ${JSON.stringify(committedUnanswered.map((b) => acks.find((a) => a.batch === b)))}`).toBeGreaterThanOrEqual(1);
    for (const b of lost) {
      const stored = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM cost_events WHERE id LIKE $1", [`${run}-${b}-%`]);
      expect(stored.rows[0]!.n, `batch ${b} is stored whole`).toBe(PER_BATCH);
      expect(attemptsOf[b]!.some((a) => a.outcome.startsWith("network:") && a.at >= killedAt), `batch ${b}: ${JSON.stringify(attemptsOf[b])}`).toBe(true);
      const ack = acks.find((a) => a.batch === b)!;
      expect(ack.at).toBeGreaterThanOrEqual(restartedAt);
      expect(ack.body, `batch ${b} was answered after the restart as all duplicates`).toMatchObject({ accepted: 0, duplicates: PER_BATCH });
    }

    // One transaction per batch: every acknowledgement is all new or all duplicates (a batch committed
    // just before the kill, whose answer was lost, comes back as duplicates on the retry).
    for (const a of acks) {
      expect([
        [PER_BATCH, 0],
        [0, PER_BATCH],
      ], `batch ${a.batch}: ${JSON.stringify(a.body)}`).toContainEqual([a.body.accepted, a.body.duplicates]);
    }
    const acceptedTotal = acks.reduce((s, a) => s + a.body.accepted, 0);
    const duplicateBatches = acks.filter((a) => a.body.duplicates === PER_BATCH).length;
    expect(acceptedTotal + duplicateBatches * PER_BATCH).toBe(N);

    const like = `${run}-%`;
    const events = await db.query<{ n: number; d: number; s: string }>(
      "SELECT count(*)::int AS n, count(DISTINCT id)::int AS d, sum(cost_usd)::text AS s FROM cost_events WHERE id LIKE $1",
      [like],
    );
    expect(events.rows[0]).toMatchObject({ n: N, d: N });
    expect(new Decimal(events.rows[0]!.s).equals(expectedTotal), `${events.rows[0]!.s} vs ${expectedTotal.toFixed()}`).toBe(true);
    // The ledger and the events read apart (on a Citus cluster they are distributed by different keys):
    // every ledger row has its event, at the same time.
    const ledgerRows = (await db.query<{ id: string; ts: Date }>("SELECT id, ts FROM event_ids WHERE id LIKE $1", [like])).rows;
    const eventTs = new Map((await db.query<{ id: string; ts: Date }>("SELECT id, ts FROM cost_events WHERE id LIKE $1", [like])).rows.map((r) => [r.id, r.ts.getTime()]));
    const ledger = { n: ledgerRows.length, matched: ledgerRows.filter((r) => eventTs.get(r.id) === r.ts.getTime()).length };
    expect(ledger).toEqual({ n: N, matched: N });
    const dupes = await db.query("SELECT id FROM cost_events WHERE id LIKE $1 GROUP BY id HAVING count(*) > 1 LIMIT 5", [like]);
    expect(dupes.rows).toEqual([]);

    // Every row's cost exactly as sent (billed) or as priced from the list price (estimated).
    const stored = await db.query<{ id: string; cost: string; source: string }>(
      "SELECT id, cost_usd::text AS cost, cost_source AS source FROM cost_events WHERE id LIKE $1",
      [like],
    );
    const want = new Map(batches.flatMap((b) => [...b.costs]));
    const wrong = stored.rows.filter((r) => !new Decimal(r.cost).equals(want.get(r.id)!)).slice(0, 5);
    expect(wrong).toEqual([]);
    expect(new Set(stored.rows.map((r) => r.source))).toEqual(new Set(["billed", "estimated"]));
  });
});
