// The outbox worker: claims due messages, sends them, records the outcome. Any number of app instances
// may run it against one database: a claim takes rows with FOR UPDATE SKIP LOCKED and marks them
// delivering with a lease (locked_until, and next_attempt_at moved to the same time), so each message is
// sent by one worker at a time; a worker that dies mid-send leaves its lease to run out, and the message
// is claimed again. Every claim counts as a try. A failed try waits for its back-off (or the receiver's
// Retry-After) in pending; the last allowed try, or a failure retrying cannot fix, ends in dead.
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { loadChannel } from "@/lib/notify/channels";
import { nextDelayMs, type BackoffPolicy } from "@/lib/notify/backoff";
import { DeliveryFailure, send, SEND_TIMEOUT_MS, type Sendable } from "@/lib/notify/send";
import type { ChannelKind, DeliverySettings } from "@/lib/notify/schemas";
import type { MessagePayload } from "@/lib/notify/outbox";

/** How long a claim holds a message (default of NOTIFY_LEASE_SECONDS): well over a send's timeout, so only a dead worker loses it. */
export const DEFAULT_LEASE_MS = 4 * SEND_TIMEOUT_MS;

/** This process's name in claimed_by. */
export function workerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
}

export type WorkerOptions = {
  workerId: string;
  /** Tries before a message is dead, and the back-off between them. */
  delivery: DeliverySettings;
  /** Messages claimed at once (default 10). */
  batch?: number;
  leaseMs?: number;
  /** Test only: the back-off in milliseconds instead of the settings' seconds. */
  backoff?: BackoffPolicy;
  /** Called after each message's outcome is recorded (tests count and log). */
  onOutcome?: (o: Outcome) => void;
};

export type Outcome = { id: string; status: "delivered" | "pending" | "dead" | "lost"; error?: string };

type Claimed = Sendable & { channel: ChannelKind; channelId: string | null; attempts: number };

/** Claims up to `batch` due messages for this worker. */
export async function claimDue(db: Db, opts: { workerId: string; batch?: number; leaseMs?: number }): Promise<Claimed[]> {
  const { rows } = await db.query<{
    id: string; kind: string; channel: ChannelKind; channel_id: string | null; recipient: string | null; payload: MessagePayload;
    idempotency_key: string; attempts: number; created_at: Date;
  }>(
    `WITH due AS (
       SELECT id FROM outbox
       WHERE status IN ('pending', 'delivering') AND next_attempt_at <= now()
       ORDER BY next_attempt_at, id
       LIMIT $1
       FOR UPDATE SKIP LOCKED
     )
     UPDATE outbox o
     SET status = 'delivering', attempts = o.attempts + 1, claimed_by = $2,
         locked_until = now() + $3 * interval '1 millisecond', next_attempt_at = now() + $3 * interval '1 millisecond'
     FROM due WHERE o.id = due.id
     RETURNING o.id::text, o.kind, o.channel, o.channel_id, o.recipient, o.payload, o.idempotency_key, o.attempts, o.created_at`,
    [opts.batch ?? 10, opts.workerId, opts.leaseMs ?? DEFAULT_LEASE_MS],
  );
  return rows.map((r) => ({
    id: r.id, kind: r.kind, channel: r.channel, channelId: r.channel_id, recipient: r.recipient, payload: r.payload,
    idempotencyKey: r.idempotency_key, attempts: r.attempts, createdAt: r.created_at,
  }));
}

/** Records a success; false when this worker no longer held the message (its lease ran out). */
async function markDelivered(db: Db, id: string, worker: string): Promise<boolean> {
  const r = await db.query(
    `UPDATE outbox SET status = 'delivered', delivered_at = now(), last_error = NULL, locked_until = NULL, claimed_by = NULL
     WHERE id = $1::bigint AND status = 'delivering' AND claimed_by = $2`,
    [id, worker],
  );
  return r.rowCount === 1;
}

async function markFailed(db: Db, id: string, worker: string, error: string, dead: boolean, delayMs: number): Promise<boolean> {
  const r = await db.query(
    `UPDATE outbox SET status = CASE WHEN $3 THEN 'dead' ELSE 'pending' END, last_error = $4,
       next_attempt_at = now() + $5 * interval '1 millisecond', locked_until = NULL, claimed_by = NULL
     WHERE id = $1::bigint AND status = 'delivering' AND claimed_by = $2`,
    [id, worker, dead, error, Math.round(delayMs)],
  );
  return r.rowCount === 1;
}

/** Sends one claimed message and records the outcome. */
async function deliver(db: Db, m: Claimed, o: WorkerOptions): Promise<Outcome> {
  const policy = o.backoff ?? { baseMs: o.delivery.backoffBaseSeconds * 1000, maxMs: o.delivery.backoffMaxSeconds * 1000 };
  if (m.attempts > o.delivery.maxAttempts) {
    // Claimed again after its last try's lease ran out (the app stopped mid-send): no result, no more tries.
    const ok = await markFailed(db, m.id, o.workerId, "gave up: no result from the last try (the app stopped while sending?)", true, 0);
    return { id: m.id, status: ok ? "dead" : "lost" };
  }
  try {
    const channel = m.channelId ? await loadChannel(db, m.channelId) : null;
    await send(channel, m);
  } catch (err) {
    const f = err instanceof DeliveryFailure ? err : new DeliveryFailure(`could not send: ${(err as Error).message}`.slice(0, 1000));
    const dead = f.permanent || m.attempts >= o.delivery.maxAttempts;
    const ok = await markFailed(db, m.id, o.workerId, f.message, dead, dead ? 0 : nextDelayMs(m.attempts, policy, f.retryAfterMs));
    return { id: m.id, status: ok ? (dead ? "dead" : "pending") : "lost", error: f.message };
  }
  return { id: m.id, status: (await markDelivered(db, m.id, o.workerId)) ? "delivered" : "lost" };
}

/** One round: claims a batch of due messages and delivers them (concurrently). Returns how many were claimed. */
export async function runOnce(db: Db, o: WorkerOptions): Promise<number> {
  const claimed = await claimDue(db, { workerId: o.workerId, batch: o.batch, leaseMs: o.leaseMs });
  const outcomes = await Promise.all(claimed.map((m) => deliver(db, m, o)));
  for (const out of outcomes) o.onOutcome?.(out);
  return claimed.length;
}
