// Notification channels: the SMTP server, Slack incoming webhooks and generic webhooks (the table
// notification_channels). What the API shows never holds a secret (the SMTP password, the Slack webhook
// URL, the webhook signing secret): only whether one is set; the audit log records the same view.
import type { Db } from "@/lib/db/client";
import { withTransaction } from "@/lib/db/transaction";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { badRequest, conflict, notFound } from "@/lib/errors";
import type { ChannelInput, ChannelKind, EventType } from "@/lib/notify/schemas";

type Row = {
  id: string;
  kind: ChannelKind;
  name: string;
  enabled: boolean;
  config: Record<string, unknown>;
  secret: string | null;
  events: string[];
  updated_at: Date;
};

/** A channel as the API and the settings page show it: no secret, only whether it is set. */
export type ChannelView = {
  id: string;
  kind: ChannelKind;
  name: string;
  enabled: boolean;
  /** Event types it receives; empty: all. */
  events: string[];
  /** email: host, port, secure, user, from; webhook: url. */
  config: Record<string, unknown>;
  /** Whether the secret (SMTP password, Slack webhook URL, signing secret) is set. */
  secretSet: boolean;
  updatedAt: string;
};

/** A channel with its secret, for the sender only (lib/notify/send.ts). Never returned by an API. */
export type LoadedChannel = ChannelView & { secret: string | null };

const COLUMNS = "id, kind, name, enabled, config, secret, events, updated_at";

function view(r: Row): ChannelView {
  return { id: r.id, kind: r.kind, name: r.name, enabled: r.enabled, events: r.events, config: r.config, secretSet: r.secret !== null, updatedAt: r.updated_at.toISOString() };
}

export async function listChannels(db: Db): Promise<ChannelView[]> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM notification_channels ORDER BY array_position(ARRAY['email','slack','webhook'], kind), lower(name), id`);
  return rows.map(view);
}

export async function loadChannel(db: Db, id: string): Promise<LoadedChannel | null> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM notification_channels WHERE id = $1`, [id]);
  return rows[0] ? { ...view(rows[0]), secret: rows[0].secret } : null;
}

/** The SMTP channel, when one is set up. */
export async function emailChannel(db: Db): Promise<ChannelView | null> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM notification_channels WHERE kind = 'email'`);
  return rows[0] ? view(rows[0]) : null;
}

/** Enabled Slack and webhook channels that receive this event type (no filter: every type). */
export async function channelsFor(db: Db, event: EventType): Promise<ChannelView[]> {
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM notification_channels WHERE enabled AND kind IN ('slack', 'webhook') AND (cardinality(events) = 0 OR $1 = ANY(events)) ORDER BY id`,
    [event],
  );
  return rows.map(view);
}

/** The stored parts of an input: shown config, the secret (undefined: keep the stored one; null: clear it), events. */
function parts(input: ChannelInput): { name: string; config: Record<string, unknown>; secret: string | null | undefined; events: string[] } {
  switch (input.kind) {
    case "email":
      return {
        name: input.name ?? "Email (SMTP)",
        config: { host: input.host, port: input.port, secure: input.secure, user: input.user || null, from: input.from },
        secret: input.password,
        events: [],
      };
    case "slack":
      return { name: input.name, config: {}, secret: input.url, events: input.events ?? [] };
    case "webhook":
      return { name: input.name, config: { url: input.url }, secret: input.secret, events: input.events ?? [] };
  }
}

const SECRET_NAME: Record<ChannelKind, { field: string; label: string }> = {
  email: { field: "password", label: "Password" },
  slack: { field: "url", label: "URL" },
  webhook: { field: "secret", label: "Signing secret" },
};

/** The audit entry's view: the channel as shown, and whether this change set its secret (never the secret). */
const audited = (v: ChannelView, secretChanged: boolean) => ({ ...v, ...(secretChanged ? { secretChanged: true } : {}) });

export async function createChannel(db: Db, input: ChannelInput, actor: Actor): Promise<ChannelView> {
  const p = parts(input);
  if (input.kind !== "email" && !p.secret) {
    const s = SECRET_NAME[input.kind];
    throw badRequest(`The notification channel is not valid: ${s.label}: required.`, [{ path: s.field, message: `${s.label}: required` }]);
  }
  return withTransaction(async (tx) => {
    if (input.kind === "email" && (await tx.query("SELECT 1 FROM notification_channels WHERE kind = 'email' FOR UPDATE")).rowCount) {
      throw conflict("An SMTP server is already set up: change it instead of adding another.");
    }
    const { rows } = await tx.query<Row>(
      `INSERT INTO notification_channels (kind, name, enabled, config, secret, events) VALUES ($1, $2, $3, $4::jsonb, $5, $6::text[]) RETURNING ${COLUMNS}`,
      [input.kind, p.name, input.enabled ?? true, JSON.stringify(p.config), p.secret ?? null, p.events],
    );
    const created = view(rows[0]!);
    await recordAudit(tx, actor, { action: "notifications.channel.create", entityType: "notification_channel", entityId: created.id, after: audited(created, p.secret != null) });
    return created;
  }, { db });
}

export async function updateChannel(db: Db, id: string, input: ChannelInput, actor: Actor): Promise<ChannelView> {
  const p = parts(input);
  return withTransaction(async (tx) => {
    const { rows: found } = await tx.query<Row>(`SELECT ${COLUMNS} FROM notification_channels WHERE id = $1 FOR UPDATE`, [id]);
    const before = found[0];
    if (!before) throw notFound("Notification channel");
    if (before.kind !== input.kind) throw badRequest(`This channel is a ${before.kind} channel; its kind cannot change (add a new channel instead).`, [{ path: "kind", message: `must be ${before.kind}` }]);
    const { rows } = await tx.query<Row>(
      `UPDATE notification_channels SET name = $2, enabled = $3, config = $4::jsonb, secret = CASE WHEN $5 THEN $6 ELSE secret END, events = $7::text[], updated_at = now()
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, p.name, input.enabled ?? before.enabled, JSON.stringify(p.config), p.secret !== undefined, p.secret ?? null, p.events],
    );
    const after = view(rows[0]!);
    if (input.kind !== "email" && !rows[0]!.secret) throw badRequest(`${SECRET_NAME[input.kind].label}: required.`, [{ path: SECRET_NAME[input.kind].field, message: `${SECRET_NAME[input.kind].label}: required` }]);
    await recordAudit(tx, actor, { action: "notifications.channel.update", entityType: "notification_channel", entityId: id, before: view(before), after: audited(after, p.secret !== undefined) });
    return after;
  }, { db });
}

/** Removes a channel; its undelivered messages are dead-lettered by the worker ("the channel was removed"). */
export async function deleteChannel(db: Db, id: string, actor: Actor): Promise<void> {
  await withTransaction(async (tx) => {
    const { rows } = await tx.query<Row>(`DELETE FROM notification_channels WHERE id = $1 RETURNING ${COLUMNS}`, [id]);
    if (!rows[0]) throw notFound("Notification channel");
    await recordAudit(tx, actor, { action: "notifications.channel.delete", entityType: "notification_channel", entityId: id, before: view(rows[0]) });
  }, { db });
}
