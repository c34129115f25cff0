// The notification outbox: a message is written in the transaction of the change that causes it (enqueue
// on the caller's Db, a Tx from withTransaction), so the change and its message commit or roll back
// together; the worker (lib/notify/worker.ts) delivers it afterwards. Each message has an idempotency key:
// enqueueing the same key again stores nothing, and receivers see the key (Idempotency-Key header,
// Message-ID), so a message delivered twice after a crash can be told apart.
import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { withTransaction } from "@/lib/db/transaction";
import { env } from "@/lib/env";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { badRequest, conflict, notFound } from "@/lib/errors";
import { loadChannel } from "@/lib/notify/channels";
import type { ChannelKind, DeliveryStatus, EventType } from "@/lib/notify/schemas";

/** What a message says, rendered when it is enqueued: every channel sends from it. */
export type MessagePayload = {
  /** Email subject, Slack header. */
  subject: string;
  /** Plain text: the email's text part, the Slack message's body (Slack mrkdwn). */
  text: string;
  /** The email's HTML part (default: the text, escaped, in paragraphs). */
  html?: string;
  /** Slack Block Kit blocks of its own (the digest); without, the subject, text and link as blocks. */
  blocks?: unknown[];
  /** email: the recipient's unsubscribe link for this kind (List-Unsubscribe, one click: RFC 8058). */
  unsubscribe?: string;
  /** A link to the page the message is about (absolute, the configured public URL). */
  link?: string;
  /** The webhook body's `data`: the event's facts as JSON. */
  data: Record<string, unknown>;
};

export type OutboxMessage = {
  /** The event type (the webhook's Cost-Review-Event). */
  kind: EventType;
  channel: ChannelKind;
  /** The channel row it goes through (email: the SMTP channel). */
  channelId: string;
  /** email: the address it goes to. */
  recipient?: string | null;
  /** A personal notification's person. */
  recipientUserId?: string | null;
  payload: MessagePayload;
  /** Unique per message: the same key enqueued twice is stored once. */
  idempotencyKey: string;
};

/** Writes the message on `db` (the caller's transaction): {id, created: false} when the key was already there. */
export async function enqueue(db: Db, message: OutboxMessage): Promise<{ id: string; created: boolean }> {
  if (message.channel === "email" && !message.recipient) throw badRequest("An email message needs a recipient address.");
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO outbox (kind, channel, channel_id, recipient, recipient_user_id, payload, idempotency_key)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)
     ON CONFLICT (idempotency_key) DO NOTHING RETURNING id::text`,
    [message.kind, message.channel, message.channelId, message.recipient ?? null, message.recipientUserId ?? null, JSON.stringify(message.payload), message.idempotencyKey],
  );
  if (rows[0]) return { id: rows[0].id, created: true };
  const existing = await db.query<{ id: string }>("SELECT id::text FROM outbox WHERE idempotency_key = $1", [message.idempotencyKey]);
  return { id: existing.rows[0]!.id, created: false };
}

/** The app's public address for links in messages (NEXTAUTH_URL), without a trailing slash; undefined while unset. */
export function publicUrl(): string | undefined {
  return env().NEXTAUTH_URL?.replace(/\/+$/, "");
}

/**
 * Enqueues a test message through one channel (email: to `to`), and audits it. Returns the message's
 * id and idempotency key; the worker delivers it like any other.
 */
export async function enqueueTestMessage(
  db: Db,
  input: { channelId: string; to?: string },
  actor: Actor,
): Promise<{ id: string; idempotencyKey: string }> {
  return withTransaction(async (tx) => {
    const channel = await loadChannel(tx, input.channelId);
    if (!channel) throw notFound("Notification channel");
    if (channel.kind === "email" && !input.to) throw badRequest("The test message is not valid: Send to: required (an email address).", [{ path: "to", message: "Send to: required" }]);
    if (!channel.enabled) throw conflict(`The channel "${channel.name}" is disabled: enable it before sending a test message.`);
    const idempotencyKey = `notification.test:${randomUUID()}`;
    const base = publicUrl();
    const link = base ? `${base}/settings/notifications` : undefined;
    const sentAt = new Date().toISOString();
    const text = `This is a test message from Cost Review, sent by ${actor.label} through the channel "${channel.name}". If you can read it, the channel works.`;
    const { id } = await enqueue(tx, {
      kind: "notification.test",
      channel: channel.kind,
      channelId: channel.id,
      recipient: channel.kind === "email" ? input.to! : null,
      payload: { subject: "Cost Review test message", text, ...(link ? { link } : {}), data: { channel: channel.name, sentBy: actor.label, sentAt, ...(link ? { link } : {}) } },
      idempotencyKey,
    });
    await recordAudit(tx, actor, { action: "notifications.test", entityType: "notification_channel", entityId: channel.id, after: { messageId: id, to: input.to ?? null } });
    return { id, idempotencyKey };
  }, { db });
}

export type Delivery = {
  id: string;
  kind: string;
  channel: ChannelKind;
  channelId: string | null;
  channelName: string | null;
  recipient: string | null;
  idempotencyKey: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
};

/** The delivery log, newest first (optionally one status: "dead" is the dead-letter list). */
export async function listDeliveries(db: Db, opts: { status?: DeliveryStatus; limit?: number } = {}): Promise<Delivery[]> {
  const { rows } = await db.query<{
    id: string; kind: string; channel: ChannelKind; channel_id: string | null; channel_name: string | null; recipient: string | null; idempotency_key: string;
    status: DeliveryStatus; attempts: number; next_attempt_at: Date; last_error: string | null; created_at: Date; delivered_at: Date | null;
  }>(
    `SELECT o.id::text, o.kind, o.channel, o.channel_id, c.name AS channel_name, o.recipient, o.idempotency_key, o.status, o.attempts,
            o.next_attempt_at, o.last_error, o.created_at, o.delivered_at
     FROM outbox o LEFT JOIN notification_channels c ON c.id = o.channel_id
     WHERE ($1::text IS NULL OR o.status = $1) ORDER BY o.created_at DESC, o.id DESC LIMIT $2`,
    [opts.status ?? null, opts.limit ?? 100],
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    channel: r.channel,
    channelId: r.channel_id,
    channelName: r.channel_name,
    recipient: r.recipient,
    idempotencyKey: r.idempotency_key,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.status === "pending" || r.status === "delivering" ? r.next_attempt_at.toISOString() : null,
    lastError: r.last_error,
    createdAt: r.created_at.toISOString(),
    deliveredAt: r.delivered_at?.toISOString() ?? null,
  }));
}

/** Puts a dead letter back in the queue with a fresh set of tries (its idempotency key stays). */
export async function retryDeadLetter(db: Db, id: string, actor: Actor): Promise<void> {
  await withTransaction(async (tx) => {
    const { rows } = await tx.query<{ status: string; last_error: string | null }>("SELECT status, last_error FROM outbox WHERE id = $1::bigint FOR UPDATE", [id]);
    if (!rows[0]) throw notFound("Delivery");
    if (rows[0].status !== "dead") throw conflict(`This delivery is ${rows[0].status}, not in the dead-letter list: only a dead letter can be retried.`);
    await tx.query("UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = now(), locked_until = NULL, claimed_by = NULL WHERE id = $1::bigint", [id]);
    await recordAudit(tx, actor, { action: "notifications.delivery.retry", entityType: "outbox", entityId: id, before: { status: "dead", lastError: rows[0].last_error } });
  }, { db });
}
