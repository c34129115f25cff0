// Notification delivery against real receivers: an SMTP server (smtp-server, parsed with mailparser) and
// local HTTP receivers (node:http), on a database of its own. The worker is driven round by round
// (runOnce), with two pools where two app instances are meant; no part is mocked.
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { withTransaction } from "@/lib/db/transaction";
import { createChannel, listChannels, updateChannel } from "@/lib/notify/channels";
import { enqueue, enqueueTestMessage, listDeliveries, retryDeadLetter } from "@/lib/notify/outbox";
import { messageIdFor } from "@/lib/notify/send";
import { verifySignature } from "@/lib/notify/signature";
import { claimDue, runOnce, type Outcome, type WorkerOptions } from "@/lib/notify/worker";
import { signIn, type Session } from "../support/http";
import { DEMO_PASSWORD } from "@/lib/demo/generate-org";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { smtpReceiver } from "../support/smtp";

const actor = { label: "notify-test" };
const SECRET = "whsec-test-0123456789abcdef";
const SMTP_PASSWORD = "smtp-pass-0123456789";
let db: TestDatabase;
let poolA: pg.Pool;
let poolB: pg.Pool;

/** Small back-off so retries happen within the test. */
const fast = (workerId: string, extra: Partial<WorkerOptions> = {}): WorkerOptions => ({
  workerId,
  delivery: { maxAttempts: 3, backoffBaseSeconds: 1, backoffMaxSeconds: 1 },
  backoff: { baseMs: 100, maxMs: 200 },
  ...extra,
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Received = { headers: http.IncomingHttpHeaders; body: string; answered: number };
/** A local webhook receiver: `answer` decides each response (status and headers) from the request's number. */
async function receiver(answer: (n: number, req: http.IncomingMessage) => { status: number; headers?: Record<string, string>; delayMs?: number } = () => ({ status: 200 })) {
  const requests: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += String(c)));
    req.on("end", () => {
      const a = answer(requests.length + 1, req);
      requests.push({ headers: req.headers, body, answered: a.status });
      setTimeout(() => {
        res.writeHead(a.status, a.headers);
        res.end(a.status < 300 ? "ok" : "nope");
      }, a.delayMs ?? 0);
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, requests, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const webhook = (url: string, name = "Receiver") => createChannel(poolA, { kind: "webhook", name, url, secret: SECRET }, actor);

async function status(id: string) {
  const { rows } = await poolA.query<{ status: string; attempts: number; last_error: string | null; wait_s: number }>(
    "SELECT status, attempts, last_error, extract(epoch FROM next_attempt_at - now())::float8 AS wait_s FROM outbox WHERE id = $1::bigint",
    [id],
  );
  return rows[0]!;
}

/** Runs the worker until the message leaves pending/delivering (or the time is up). */
async function until(id: string, done: (s: string) => boolean, opts: WorkerOptions, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    await runOnce(poolA, opts);
    const s = await status(id);
    if (done(s.status)) return s;
    await sleep(50);
  }
  throw new Error(`message ${id} still ${(await status(id)).status}`);
}

beforeAll(async () => {
  db = await createTestDatabase("notify");
  poolA = new pg.Pool({ connectionString: db.url, max: 4 });
  poolB = new pg.Pool({ connectionString: db.url, max: 4 });
});
afterAll(async () => {
  await poolA?.end();
  await poolB?.end();
  await db?.drop();
});

describe("email over SMTP", () => {
  it("arrives once, with a text and an HTML part and a Message-ID derived from the idempotency key", async () => {
    const smtp = await smtpReceiver();
    const { port, mails, logins } = smtp;
    try {
      const from = "Cost Review <review@example.com>";
      const channel = await createChannel(poolA, { kind: "email", host: "127.0.0.1", port, secure: false, user: "mailer", password: SMTP_PASSWORD, from }, actor);
      const { id, idempotencyKey } = await enqueueTestMessage(poolA, { channelId: channel.id, to: "ops@example.com" }, actor);
      expect((await until(id, (s) => s === "delivered", fast("A"))).attempts).toBe(1);
      // Nothing left to do: another round sends nothing more.
      expect(await runOnce(poolA, fast("A"))).toBe(0);
      expect(mails).toHaveLength(1);
      const m = mails[0]!;
      expect(logins).toEqual([`mailer:${SMTP_PASSWORD}`]);
      expect(m.subject).toBe("Cost Review test message");
      expect(m.messageId).toBe(messageIdFor(idempotencyKey, from));
      expect(m.messageId).toMatch(/^<[0-9a-f]{40}@example\.com>$/);
      expect(m.text).toContain('through the channel "Email (SMTP)"');
      expect(m.html).toContain("<p>This is a test message from Cost Review");
      expect((m.to as { text: string }).text).toBe("ops@example.com");
      expect(m.headers.get("x-cost-review-event")).toBe("notification.test");
    } finally {
      await smtp.close();
    }
  });

  it("a second SMTP server is refused; the password is never shown nor audited", async () => {
    await expect(createChannel(poolA, { kind: "email", host: "mail.example.com", port: 25, secure: false, from: "a@example.com" }, actor)).rejects.toMatchObject({ status: 409 });
    const email = (await listChannels(poolA)).find((c) => c.kind === "email")!;
    expect(email.secretSet).toBe(true);
    expect(JSON.stringify(email)).not.toContain(SMTP_PASSWORD);
    // An update without the password keeps it.
    await updateChannel(poolA, email.id, { kind: "email", host: "127.0.0.1", port: 2525, secure: false, user: "mailer", from: "review@example.com" }, actor);
    expect((await poolA.query("SELECT secret FROM notification_channels WHERE id = $1", [email.id])).rows[0].secret).toBe(SMTP_PASSWORD);
    const audit = await poolA.query<{ t: string }>("SELECT concat(action, before::text, after::text) AS t FROM audit_log WHERE entity_type = 'notification_channel'");
    expect(audit.rows.length).toBeGreaterThanOrEqual(2);
    for (const r of audit.rows) expect(r.t).not.toContain(SMTP_PASSWORD);
  });
});

describe("webhooks", () => {
  it("are signed: the receiver verifies the signature over the raw body, and sees the event and the idempotency key", async () => {
    const r = await receiver();
    try {
      const channel = await webhook(r.url);
      const { id, idempotencyKey } = await enqueueTestMessage(poolA, { channelId: channel.id }, actor);
      await until(id, (s) => s === "delivered", fast("A"));
      expect(r.requests).toHaveLength(1);
      const req = r.requests[0]!;
      expect(verifySignature(SECRET, req.body, req.headers["cost-review-signature"] as string)).toBe(true);
      expect(verifySignature("not-the-secret-000", req.body, req.headers["cost-review-signature"] as string)).toBe(false);
      expect(req.headers["cost-review-event"]).toBe("notification.test");
      expect(req.headers["idempotency-key"]).toBe(idempotencyKey);
      expect(req.headers["content-type"]).toBe("application/json");
      const body = JSON.parse(req.body) as { id: string; type: string; createdAt: string; data: { channel: string; sentBy: string } };
      expect(body).toMatchObject({ id: idempotencyKey, type: "notification.test", data: { channel: "Receiver", sentBy: "notify-test" } });
      expect(req.body).not.toContain(SECRET);
    } finally {
      await r.close();
    }
  });

  it("a receiver answering 500 then 200 gets the message exactly once more, after a retry", async () => {
    const r = await receiver((n) => ({ status: n === 1 ? 500 : 200 }));
    try {
      const channel = await webhook(r.url, "Flaky");
      const { id, idempotencyKey } = await enqueueTestMessage(poolA, { channelId: channel.id }, actor);
      await runOnce(poolA, fast("A"));
      const failed = await status(id);
      expect(failed).toMatchObject({ status: "pending", attempts: 1, last_error: "the receiver answered HTTP 500: nope" });
      expect(failed.wait_s).toBeGreaterThan(0.03); // waits for its back-off (50–100 ms)
      await until(id, (s) => s === "delivered", fast("A"));
      expect((await status(id)).attempts).toBe(2);
      expect(r.requests.map((q) => q.answered)).toEqual([500, 200]);
      expect(r.requests.filter((q) => q.answered === 200 && q.headers["idempotency-key"] === idempotencyKey)).toHaveLength(1);
      expect(await runOnce(poolA, fast("A"))).toBe(0);
      expect(r.requests).toHaveLength(2);
    } finally {
      await r.close();
    }
  });

  it("honours a 429's Retry-After: the next try is not before it", async () => {
    const r = await receiver((n) => (n === 1 ? { status: 429, headers: { "Retry-After": "30" } } : { status: 200 }));
    try {
      const channel = await webhook(r.url, "Throttled");
      const { id } = await enqueueTestMessage(poolA, { channelId: channel.id }, actor);
      await runOnce(poolA, fast("A"));
      const s = await status(id);
      expect(s.status).toBe("pending");
      expect(s.wait_s).toBeGreaterThan(29);
      expect(s.wait_s).toBeLessThanOrEqual(30.5);
      // Well past the back-off (100–200 ms): still not tried again.
      await sleep(300);
      await runOnce(poolA, fast("A"));
      expect(r.requests).toHaveLength(1);
    } finally {
      await r.close();
    }
  });

  it("a 503 whose Retry-After is an HTTP date waits until that date", async () => {
    const at = new Date(Date.now() + 20_000);
    const r = await receiver(() => ({ status: 503, headers: { "Retry-After": at.toUTCString() } }));
    try {
      const channel = await webhook(r.url, "Unavailable");
      const { id } = await enqueueTestMessage(poolA, { channelId: channel.id }, actor);
      await runOnce(poolA, fast("A"));
      const s = await status(id);
      expect(s.status).toBe("pending");
      // The date has whole seconds: up to one second earlier than `at`.
      expect(s.wait_s).toBeGreaterThan(18);
      expect(s.wait_s).toBeLessThanOrEqual(20.5);
    } finally {
      await r.close();
    }
  });

  it("a receiver that is down ends in the dead-letter list with the error, and can be retried from there", async () => {
    const r = await receiver();
    const url = r.url;
    await r.close(); // nothing listens there any more
    const channel = await webhook(url, "Down");
    const { id } = await enqueueTestMessage(poolA, { channelId: channel.id }, actor);
    const dead = await until(id, (s) => s === "dead", fast("A"));
    expect(dead.attempts).toBe(3);
    expect(dead.last_error).toBe("could not reach the receiver: ECONNREFUSED");
    const letters = await listDeliveries(poolA, { status: "dead" });
    expect(letters.find((d) => d.id === id)).toMatchObject({ status: "dead", attempts: 3, channelName: "Down", lastError: "could not reach the receiver: ECONNREFUSED", nextAttemptAt: null });
    await retryDeadLetter(poolA, id, actor);
    expect(await status(id)).toMatchObject({ status: "pending", attempts: 0 });
    await expect(retryDeadLetter(poolA, id, actor)).rejects.toMatchObject({ status: 409 });
    // Back to dead again (nothing listens), so it does not bother the tests below.
    await until(id, (s) => s === "dead", fast("A"));
  });

  it("a 404 is not retried: dead after one try", async () => {
    const r = await receiver(() => ({ status: 404 }));
    try {
      const channel = await webhook(r.url, "Gone");
      const { id } = await enqueueTestMessage(poolA, { channelId: channel.id }, actor);
      await runOnce(poolA, fast("A"));
      expect(await status(id)).toMatchObject({ status: "dead", attempts: 1, last_error: "the receiver answered HTTP 404: nope" });
    } finally {
      await r.close();
    }
  });
});

describe("Slack", () => {
  it("posts Block Kit to the incoming webhook, whose URL (a secret) is never shown and is cut out of errors", async () => {
    const r = await receiver((n) => ({ status: n === 1 ? 500 : 200 }));
    try {
      const secretUrl = `${r.url}/T000/B000/XXXXsecretXXXX`;
      const channel = await createChannel(poolA, { kind: "slack", name: "#cost-review", url: secretUrl }, actor);
      expect(JSON.stringify(await listChannels(poolA))).not.toContain("XXXXsecretXXXX");
      const { id } = await enqueueTestMessage(poolA, { channelId: channel.id }, actor);
      await runOnce(poolA, fast("A"));
      await until(id, (s) => s === "delivered", fast("A"));
      const body = JSON.parse(r.requests[1]!.body) as { text: string; blocks: { type: string; text?: { type: string; text: string } }[] };
      expect(body.text).toBe("Cost Review test message");
      expect(body.blocks[0]).toEqual({ type: "header", text: { type: "plain_text", text: "Cost Review test message", emoji: false } });
      expect(body.blocks[1]!.type).toBe("section");
      expect(body.blocks[1]!.text!.text).toContain('through the channel "#cost-review"');
      const audit = await poolA.query<{ t: string }>("SELECT concat(before::text, after::text) AS t FROM audit_log WHERE entity_id = $1", [channel.id]);
      for (const row of audit.rows) expect(row.t).not.toContain("XXXXsecretXXXX");
    } finally {
      await r.close();
    }
  });

  it("a receiver that echoes the secret webhook path in its error does not put it in the delivery log", async () => {
    const echo = http.createServer((req, res) => {
      res.writeHead(404);
      res.end(`no_service: ${req.url}`);
    });
    echo.listen(0, "127.0.0.1");
    await once(echo, "listening");
    try {
      const url = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/services/T1/B1/YYYYsecretYYYY`;
      const gone = await createChannel(poolA, { kind: "slack", name: "#gone", url }, actor);
      const { id } = await enqueueTestMessage(poolA, { channelId: gone.id }, actor);
      await runOnce(poolA, fast("A"));
      expect(await status(id)).toMatchObject({ status: "dead", last_error: "the receiver answered HTTP 404: no_service: [secret]" });
    } finally {
      await new Promise<void>((r) => echo.close(() => r()));
    }
  });
});

describe("the outbox", () => {
  it("commits a message with the change that caused it, or not at all, and stores an idempotency key once", async () => {
    const r = await receiver();
    try {
      const channel = await webhook(r.url, "Outbox");
      const msg = (key: string) => ({ kind: "notification.test" as const, channel: "webhook" as const, channelId: channel.id, payload: { subject: "s", text: "t", data: { n: 1 } }, idempotencyKey: key });
      await expect(
        withTransaction(async (tx) => {
          await enqueue(tx, msg("rolled-back"));
          throw new Error("the change failed");
        }, { db: poolA }),
      ).rejects.toThrow("the change failed");
      expect((await poolA.query("SELECT 1 FROM outbox WHERE idempotency_key = 'rolled-back'")).rowCount).toBe(0);
      const first = await withTransaction((tx) => enqueue(tx, msg("once")), { db: poolA });
      const again = await enqueue(poolA, msg("once"));
      expect(first.created).toBe(true);
      expect(again).toEqual({ id: first.id, created: false });
      await until(first.id, (s) => s === "delivered", fast("A"));
      expect(r.requests).toHaveLength(1);
    } finally {
      await r.close();
    }
  });

  it("a lease that runs out (the instance died mid-send) makes the message claimable again", async () => {
    const r = await receiver();
    try {
      const channel = await webhook(r.url, "Lease");
      const { id } = await enqueueTestMessage(poolA, { channelId: channel.id }, actor);
      const claimed = await claimDue(poolA, { workerId: "crashed", leaseMs: 300 });
      expect(claimed.map((m) => m.id)).toContain(id);
      // Held: another worker does not take it…
      expect((await claimDue(poolB, { workerId: "B" })).map((m) => m.id)).not.toContain(id);
      await sleep(400);
      // …until the lease has run out.
      await runOnce(poolB, fast("B"));
      expect(await status(id)).toMatchObject({ status: "delivered", attempts: 2 });
      expect(r.requests).toHaveLength(1);
    } finally {
      await r.close();
    }
  });

  it("a claim skips the messages another instance is claiming at that moment, instead of waiting for them or taking them too", async () => {
    // The embedded server runs one transaction at a time: a claim cannot run beside another's open one there.
    if (inject("databaseKind") === "embedded") return;
    const r = await receiver();
    try {
      const channel = await webhook(r.url, "Skip");
      const keys = ["skip-1", "skip-2", "skip-3", "skip-4"];
      for (const k of keys) await enqueue(poolA, { kind: "notification.test", channel: "webhook", channelId: channel.id, payload: { subject: "s", text: "t", data: {} }, idempotencyKey: k });
      const held = await poolB.connect();
      const other = await poolA.connect();
      try {
        // Instance B's claim, still in its transaction (not committed): its rows are locked.
        await held.query("BEGIN");
        const first = await claimDue(held, { workerId: "B", batch: 2 });
        // Instance A claims meanwhile: the others, at once (a claim that waited would hit the timeout).
        await other.query("SET statement_timeout = 3000");
        const second = await claimDue(other, { workerId: "A", batch: 10 });
        await other.query("RESET statement_timeout");
        expect(first).toHaveLength(2);
        const mine = first.map((m) => m.idempotencyKey);
        expect(second.map((m) => m.idempotencyKey).filter((k) => keys.includes(k)).sort()).toEqual(keys.filter((k) => !mine.includes(k)).sort());
        await held.query("ROLLBACK");
      } finally {
        held.release();
        other.release();
      }
      // Deliver what is claimable now (A's lease holds its two until it runs out: hand them back first).
      await poolA.query("UPDATE outbox SET status = 'pending', next_attempt_at = now(), claimed_by = NULL WHERE idempotency_key = ANY($1)", [keys]);
      let rounds = 0;
      while ((await runOnce(poolA, fast("A"))) > 0 && rounds++ < 10);
      expect(r.requests.map((q) => q.headers["idempotency-key"]).sort()).toEqual(keys);
    } finally {
      await r.close();
    }
  });

  it("two workers on two pools deliver each of many messages exactly once", async () => {
    const N = 40;
    const r = await receiver(() => ({ status: 200, delayMs: 5 + Math.floor(Math.random() * 15) }));
    try {
      const channel = await webhook(r.url, "Pair");
      const keys = Array.from({ length: N }, (_, i) => `pair-${i}`);
      await withTransaction(async (tx) => {
        for (const k of keys) await enqueue(tx, { kind: "notification.test", channel: "webhook", channelId: channel.id, payload: { subject: "s", text: "t", data: { k } }, idempotencyKey: k });
      }, { db: poolA });
      const byWorker: Record<string, Outcome[]> = { A: [], B: [] };
      const loop = async (pool: pg.Pool, w: "A" | "B") => {
        for (let idle = 0; idle < 3; ) {
          const n = await runOnce(pool, fast(w, { batch: 4, onOutcome: (o) => byWorker[w]!.push(o) }));
          idle = n === 0 ? idle + 1 : 0;
        }
      };
      await Promise.all([loop(poolA, "A"), loop(poolB, "B")]);
      const got = r.requests.map((q) => q.headers["idempotency-key"] as string).filter((k) => k.startsWith("pair-"));
      expect(got.sort()).toEqual([...keys].sort());
      expect(new Set(got).size).toBe(N);
      expect(byWorker.A!.length).toBeGreaterThan(0);
      expect(byWorker.B!.length).toBeGreaterThan(0);
      expect([...byWorker.A!, ...byWorker.B!].every((o) => o.status === "delivered")).toBe(true);
      const { rows } = await poolA.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox WHERE idempotency_key LIKE 'pair-%' AND status = 'delivered' AND attempts = 1");
      expect(rows[0]!.n).toBe(N);
    } finally {
      await r.close();
    }
  });
});

describe("the notifications API", () => {
  let admin: Session;
  beforeAll(async () => {
    admin = await signIn(inject("baseUrl"), "admin@example.com", DEMO_PASSWORD);
  });

  it("refuses a webhook URL that is not http(s) with a 400 naming the field", async () => {
    for (const url of ["ftp://example.com/hook", "javascript:alert(1)", "not a url", "file:///etc/passwd"]) {
      const res = await admin.fetch("/api/v1/notifications/channels", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ kind: "webhook", name: "Bad", url, secret: SECRET }) });
      expect(res.status, url).toBe(400);
      const body = (await res.json()) as { error: { errors: { path: string; message: string }[] } };
      expect(body.error.errors).toContainEqual({ path: "url", message: "URL: must be an http:// or https:// URL" });
    }
  });

  it("sets up a webhook without ever returning its secret, sends a test message, and shows it in the delivery log", async () => {
    const r = await receiver();
    try {
      const created = await admin.fetch("/api/v1/notifications/channels", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ kind: "webhook", name: "API test", url: r.url, secret: SECRET }) });
      expect(created.status).toBe(201);
      const channel = (await created.json()) as { id: string; secretSet: boolean };
      expect(channel.secretSet).toBe(true);
      const list = await (await admin.fetch("/api/v1/notifications/channels")).text();
      expect(list).toContain("API test");
      expect(list).not.toContain(SECRET);
      const sent = await admin.fetch("/api/v1/notifications/test", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ channelId: channel.id }) });
      expect(sent.status).toBe(202);
      const { id } = (await sent.json()) as { id: string };
      // The app's own worker delivers it.
      let delivery: { id: string; status: string } | undefined;
      for (let i = 0; i < 100 && delivery?.status !== "delivered"; i++) {
        await sleep(200);
        const log = (await (await admin.fetch("/api/v1/notifications/deliveries?limit=20")).json()) as { deliveries: { id: string; status: string }[] };
        delivery = log.deliveries.find((d) => d.id === id);
      }
      expect(delivery?.status).toBe("delivered");
      expect(r.requests).toHaveLength(1);
      expect(verifySignature(SECRET, r.requests[0]!.body, r.requests[0]!.headers["cost-review-signature"] as string)).toBe(true);
      const audit = await (await admin.fetch("/api/v1/audit?limit=50")).text();
      expect(audit).not.toContain(SECRET);
      const gone = await admin.fetch(`/api/v1/notifications/channels/${channel.id}`, { method: "DELETE" });
      expect(gone.status).toBe(200);
    } finally {
      await r.close();
    }
  });

  it("answers 404 for an unknown or malformed delivery id", async () => {
    expect((await admin.fetch("/api/v1/notifications/deliveries/abc/retry", { method: "POST" })).status).toBe(404);
    expect((await admin.fetch("/api/v1/notifications/deliveries/999999999/retry", { method: "POST" })).status).toBe(404);
  });
});
