// Crash safety of notification delivery: an app server (launcher and next-server, its whole process group)
// is SIGKILLed while its worker is sending to a webhook receiver that has not answered yet, then started
// again. Every message must end up delivered, and a receiver that drops repeats by Idempotency-Key must
// accept each one exactly once: the messages cut off mid-send are sent again after their lease runs out.
// The server runs on a database of its own, so no other app instance takes part.
import http from "node:http";
import { once } from "node:events";
import type { AddressInfo, Socket } from "node:net";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createChannel } from "@/lib/notify/channels";
import { enqueue } from "@/lib/notify/outbox";
import { verifySignature } from "@/lib/notify/signature";
import { withTransaction } from "@/lib/db/transaction";
import { startServer, type TestServer } from "../support/server";
import { freePort } from "../support/ingest";
import { createTestDatabase, type TestDatabase } from "../support/database";

const N = 25;
const SECRET = "crash-test-secret-0123456789";
const LEASE_SECONDS = 3;

let db: TestDatabase | undefined;
let pool: pg.Pool | undefined;
let server: TestServer | undefined;
let receiver: http.Server | undefined;

afterAll(async () => {
  await server?.stop();
  receiver?.closeAllConnections();
  await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
  await pool?.end();
  await db?.drop();
});

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("a crash while delivering", () => {
  it("after a SIGKILL and a restart, every message is delivered, none twice to a receiver that dedupes", { timeout: 240_000 }, async () => {
    db = await createTestDatabase("notify_crash");
    pool = new pg.Pool({ connectionString: db.url, max: 2 });

    // The receiver processes each idempotency key once (a repeat is answered 200 and dropped). Before the
    // kill it processes what arrives but never answers (the answer is lost, as when the sender dies just
    // then); after it, it answers at once.
    let answering = false;
    const seen: string[] = [];
    const processed: string[] = [];
    const repeats: string[] = [];
    const sockets = new Set<Socket>();
    receiver = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += String(c)));
      req.on("end", () => {
        const key = String(req.headers["idempotency-key"]);
        seen.push(key);
        if (!verifySignature(SECRET, body, String(req.headers["cost-review-signature"]))) {
          res.writeHead(401).end();
          return;
        }
        if (processed.includes(key)) repeats.push(key);
        else processed.push(key);
        if (answering) res.end("ok"); // else: no answer until the sender dies
      });
    });
    receiver.on("connection", (s: Socket) => (sockets.add(s), s.on("close", () => sockets.delete(s))));
    receiver.listen(0, "127.0.0.1");
    await once(receiver, "listening");

    // Only this test's messages: a channel that took every event would also get the weekly digest the
    // restarted app sends when it is due (Monday 08:00 onwards), one message more than the N counted here.
    const channel = await createChannel(
      pool,
      { kind: "webhook", name: "Crash receiver", url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, secret: SECRET, events: ["notification.test"] },
      { label: "crash-test" },
    );
    const keys = Array.from({ length: N }, (_, i) => `crash-${i}`);
    await withTransaction(async (tx) => {
      for (const k of keys) await enqueue(tx, { kind: "notification.test", channel: "webhook", channelId: channel.id, payload: { subject: "s", text: "t", data: { k } }, idempotencyKey: k });
    }, { db: pool });

    const port = await freePort();
    const env = { COST_REVIEW_DEMO: "0", NOTIFY_POLL_SECONDS: "1", NOTIFY_LEASE_SECONDS: String(LEASE_SECONDS), ROLLUP_INTERVAL_SECONDS: "0" };
    server = await startServer({ databaseUrl: db.url, port, env });

    // The worker has claimed a batch and is waiting for the receiver's answers: kill it now.
    await waitUntil(() => seen.length >= 5, 60_000, "the first sends to reach the receiver");
    const pgid = server.process.pid!;
    process.kill(-pgid, "SIGKILL");
    await waitUntil(() => !groupAlive(pgid), 30_000, "the killed process group to disappear");
    for (const s of sockets) s.destroy();
    server = undefined;
    // What reached the receiver is still marked delivering (claimed, no outcome recorded).
    const inFlight = [...new Set(seen)];
    const { rows: delivering } = await pool.query<{ key: string }>("SELECT idempotency_key AS key FROM outbox WHERE status = 'delivering'");
    expect(delivering.map((r) => r.key)).toEqual(expect.arrayContaining(inFlight));
    expect(processed.sort()).toEqual([...inFlight].sort());

    // Restarted: the cut-off messages wait for their lease, then everything is delivered.
    answering = true;
    server = await startServer({ databaseUrl: db.url, port, env });
    await waitUntil(
      async () => (await pool!.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox WHERE status = 'delivered'")).rows[0]!.n === N,
      90_000,
      "every message to be delivered",
    );

    // Each message processed exactly once; the ones in flight at the kill came again (at-least-once) and
    // were dropped as repeats by their idempotency key.
    expect([...processed].sort()).toEqual([...keys].sort());
    expect([...repeats].sort()).toEqual([...inFlight].sort());
    const { rows } = await pool.query<{ key: string; attempts: number }>("SELECT idempotency_key AS key, attempts FROM outbox WHERE idempotency_key = ANY($1)", [inFlight]);
    for (const r of rows) expect(r.attempts, r.key).toBe(2);
  });
});
