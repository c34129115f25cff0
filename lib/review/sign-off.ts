// Attendees and sign-off. A session closes only when every item is justified or accepted without a
// justification by an admin; the outcome is computed: a clean bill of health when nothing is left
// open, otherwise closed with follow-ups.
import type pg from "pg";
import type { Db } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { actorOf, type Principal } from "@/lib/auth/principal";
import { badRequest, conflict, forbidden, notFound } from "@/lib/errors";
import { withTransaction } from "@/lib/db/transaction";
import type { AttendeesInput, CloseSessionInput } from "@/lib/review/schemas";
import { mayReopenSession, userIdOf, WHO_MAY_REOPEN_SESSION } from "@/lib/auth/policies";
import { getSessionOr404, type SessionOutcome, type SessionView } from "@/lib/review/sessions";
import { notifySignedOff } from "@/lib/notify/events";

async function lockSession(client: pg.PoolClient, id: string): Promise<{ status: string; week: string }> {
  const { rows } = await client.query<{ status: string; week: string }>("SELECT status, week::text AS week FROM review_sessions WHERE id = $1 FOR UPDATE", [id]);
  if (!rows[0]) throw notFound(`Review session ${id}`);
  return rows[0];
}

async function checkUsers(client: pg.PoolClient, ids: string[], field: string) {
  if (!ids.length) return;
  const { rows } = await client.query<{ id: string }>("SELECT id FROM users WHERE id = ANY($1::uuid[]) AND NOT disabled", [ids]);
  const known = new Set(rows.map((r) => r.id));
  const missing = ids.filter((i) => !known.has(i));
  if (missing.length) throw badRequest(`${field} names users that do not exist or are disabled: ${missing.join(", ")}.`, missing.map((m) => ({ path: field, message: `no such active user ${m}` })));
}

/** Replaces the attendee list while the session is open. */
export async function setAttendees(db: Db, id: string, body: AttendeesInput, principal: Principal): Promise<SessionView> {
  await withTransaction(async (client) => {
    const s = await lockSession(client, id);
    if (s.status !== "open") throw conflict("This review session is closed; its attendees are part of the minutes now.");
    const userIds = [...new Set(body.userIds)];
    await checkUsers(client, userIds, "userIds");
    const before = await client.query<{ user_id: string }>("SELECT user_id FROM review_session_attendees WHERE session_id = $1", [id]);
    await client.query("DELETE FROM review_session_attendees WHERE session_id = $1", [id]);
    await client.query("INSERT INTO review_session_attendees (session_id, user_id) SELECT $1, unnest($2::uuid[])", [id, userIds]);
    await recordAudit(client, actorOf(principal), {
      action: "review_session.attendees",
      entityType: "review_session",
      entityId: id,
      before: { userIds: before.rows.map((r) => r.user_id) },
      after: { userIds },
    });
  }, { db });
  return getSessionOr404(db, id);
}

export async function closeSession(db: Db, id: string, body: CloseSessionInput, principal: Principal): Promise<SessionView> {
  await withTransaction(async (client) => {
    const s = await lockSession(client, id);
    if (s.status !== "open") throw conflict("This review session is already closed.");
    const pending = await client.query<{ label: string }>(
      `SELECT figures->>'label' AS label FROM review_items
       WHERE session_id = $1 AND justification IS NULL AND accepted_reason IS NULL ORDER BY position`,
      [id],
    );
    if (pending.rows.length) {
      const names = pending.rows.map((r) => `'${r.label}'`).join(", ");
      throw conflict(
        `The session cannot close: ${pending.rows.length} item${pending.rows.length === 1 ? "" : "s"} still lack${pending.rows.length === 1 ? "s" : ""} a justification (${names}). ` +
          "The feature owner justifies each item, or an admin accepts it without a justification and records why.",
      );
    }
    const attendeeIds = [...new Set(body.attendeeIds ?? [])];
    await checkUsers(client, attendeeIds, "attendeeIds");
    await client.query("INSERT INTO review_session_attendees (session_id, user_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING", [id, attendeeIds]);
    const open = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM follow_ups f
       WHERE f.status = 'open' AND (f.session_id = $1 OR f.id IN (SELECT follow_up_id FROM review_session_carryovers WHERE session_id = $1))`,
      [id],
    );
    const outcome: SessionOutcome = open.rows[0]!.n === 0 ? "clean" : "follow_ups";
    await client.query(
      `UPDATE review_sessions SET status = 'closed', outcome = $2, decisions = coalesce($3, decisions), closed_by_id = $4, closed_at = now() WHERE id = $1`,
      [id, outcome, body.decisions?.trim() || null, userIdOf(principal)],
    );
    await recordAudit(client, actorOf(principal), {
      action: "review_session.close",
      entityType: "review_session",
      entityId: id,
      before: { status: "open" },
      after: { status: "closed", outcome, openFollowUps: open.rows[0]!.n, attendeeIds, decisions: body.decisions ?? null },
    });
    await notifySignedOff(client, id, userIdOf(principal));
  }, { db });
  return getSessionOr404(db, id);
}

/**
 * Undoes a sign-off: the session is open again (outcome, closer and closing time cleared; attendees and
 * recorded decisions kept, so the next sign-off starts from them). Admins only; the audit log keeps what
 * the closed session looked like.
 */
export async function reopenSession(db: Db, id: string, principal: Principal): Promise<SessionView> {
  if (!mayReopenSession(principal)) throw forbidden(WHO_MAY_REOPEN_SESSION);
  await withTransaction(async (client) => {
    await lockSession(client, id);
    const { rows } = await client.query<{ status: string; outcome: string | null; closed_by_id: string | null; closed_at: Date | null }>(
      "SELECT status, outcome, closed_by_id, closed_at FROM review_sessions WHERE id = $1",
      [id],
    );
    const before = rows[0]!;
    if (before.status !== "closed") throw conflict("This review session is open; only a closed session can be reopened.");
    await client.query("UPDATE review_sessions SET status = 'open', outcome = NULL, closed_by_id = NULL, closed_at = NULL WHERE id = $1", [id]);
    await recordAudit(client, actorOf(principal), {
      action: "review_session.reopen",
      entityType: "review_session",
      entityId: id,
      before: { status: "closed", outcome: before.outcome, closedById: before.closed_by_id, closedAt: before.closed_at?.toISOString() ?? null },
      after: { status: "open" },
    });
  }, { db });
  return getSessionOr404(db, id);
}
