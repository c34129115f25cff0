// Follow-ups: created from a session or one of its items, each owned by one assignee with a due date;
// the assignee (or an admin) moves it to done or won't do.
import { recordAudit } from "@/lib/audit/record-audit";
import { actorOf, type Principal } from "@/lib/auth/principal";
import { mayChangeFollowUpStatus, mayEditFollowUpDetails, userIdOf } from "@/lib/auth/policies";
import type { Db } from "@/lib/db/client";
import { badRequest, conflict, forbidden, notFound } from "@/lib/errors";
import { withTransaction } from "@/lib/db/transaction";
import { validate } from "@/lib/http/validation";
import { followUpFilterSchema, type CreateFollowUpInput, type FollowUpFilter, type UpdateFollowUpInput } from "@/lib/review/schemas";
import { FOLLOW_UP_SELECT, followUpView, orgToday, type FollowUpRow, type FollowUpView } from "@/lib/review/sessions";
import { notifyFollowUp } from "@/lib/notify/events";

export async function createFollowUp(db: Db, body: CreateFollowUpInput, principal: Principal): Promise<FollowUpView> {
  const id = await withTransaction(async (client) => {
    let sessionId = body.sessionId;
    if (body.itemId) {
      const item = await client.query<{ session_id: string }>("SELECT session_id FROM review_items WHERE id = $1", [body.itemId]);
      if (!item.rows[0]) throw badRequest("itemId names no review item.", [{ path: "itemId", message: "no such review item" }]);
      if (sessionId && sessionId !== item.rows[0].session_id) {
        throw badRequest("itemId belongs to another session than sessionId.", [{ path: "itemId", message: "belongs to another session" }]);
      }
      sessionId = item.rows[0].session_id;
    }
    const session = await client.query<{ status: string }>("SELECT status FROM review_sessions WHERE id = $1 FOR SHARE", [sessionId]);
    if (!session.rows[0]) throw badRequest("sessionId names no review session.", [{ path: "sessionId", message: "no such review session" }]);
    if (session.rows[0].status !== "open") throw conflict("This review session is closed; follow-ups are added while it is open.");
    const assignee = await client.query<{ disabled: boolean }>("SELECT disabled FROM users WHERE id = $1", [body.assigneeId]);
    if (!assignee.rows[0] || assignee.rows[0].disabled) {
      throw badRequest("assigneeId must name an active user.", [{ path: "assigneeId", message: "no such active user" }]);
    }
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO follow_ups (session_id, item_id, title, description, assignee_id, due_date, created_by_id)
       VALUES ($1, $2, $3, $4, $5, $6::date, $7) RETURNING id`,
      [sessionId, body.itemId ?? null, body.title, body.description, body.assigneeId, body.dueDate, userIdOf(principal)],
    );
    const fid = rows[0]!.id;
    await recordAudit(client, actorOf(principal), {
      action: "follow_up.create",
      entityType: "follow_up",
      entityId: fid,
      after: { sessionId, itemId: body.itemId ?? null, title: body.title, assigneeId: body.assigneeId, dueDate: body.dueDate },
    });
    await notifyFollowUp(client, fid, "followup.assigned", userIdOf(principal));
    return fid;
  }, { db });
  return (await getFollowUp(db, id))!;
}

export async function updateFollowUp(db: Db, id: string, body: UpdateFollowUpInput, principal: Principal): Promise<FollowUpView> {
  await withTransaction(async (client) => {
    const { rows } = await client.query<{ assignee_id: string; created_by_id: string | null; status: string; title: string; description: string; due_date: string }>(
      "SELECT assignee_id, created_by_id, status, title, description, due_date::text AS due_date FROM follow_ups WHERE id = $1 FOR UPDATE",
      [id],
    );
    const before = rows[0];
    if (!before) throw notFound(`Follow-up ${id}`);
    const facts = { assigneeId: before.assignee_id, createdById: before.created_by_id };
    if (body.status !== undefined && !mayChangeFollowUpStatus(principal, facts)) {
      throw forbidden("Only the follow-up's assignee (or an admin) may change its status.");
    }
    const editsDetails = body.title !== undefined || body.description !== undefined || body.assigneeId !== undefined || body.dueDate !== undefined;
    if (editsDetails && !mayEditFollowUpDetails(principal, facts)) {
      throw forbidden("Only whoever created the follow-up, its assignee (with follow-up rights) or an admin may change its details.");
    }
    if (body.assigneeId !== undefined) {
      const a = await client.query<{ disabled: boolean }>("SELECT disabled FROM users WHERE id = $1", [body.assigneeId]);
      if (!a.rows[0] || a.rows[0].disabled) throw badRequest("assigneeId must name an active user.", [{ path: "assigneeId", message: "no such active user" }]);
    }
    // The transaction's now(), read first: Citus allows no non-immutable function inside CASE in an UPDATE.
    const { rows: clock } = await client.query<{ now: Date }>("SELECT now() AS now");
    await client.query(
      `UPDATE follow_ups SET
         status = coalesce($2, status), title = coalesce($3, title), description = coalesce($4, description),
         assignee_id = coalesce($5::uuid, assignee_id), due_date = coalesce($6::date, due_date), updated_at = $7,
         completed_at = CASE WHEN $2::text IS NULL THEN completed_at WHEN $2 = 'open' THEN NULL ELSE $7::timestamptz END
       WHERE id = $1`,
      [id, body.status ?? null, body.title ?? null, body.description ?? null, body.assigneeId ?? null, body.dueDate ?? null, clock[0]!.now],
    );
    await recordAudit(client, actorOf(principal), {
      action: "follow_up.update",
      entityType: "follow_up",
      entityId: id,
      before: { status: before.status, title: before.title, assigneeId: before.assignee_id, dueDate: before.due_date },
      after: body,
    });
    const reassigned = body.assigneeId !== undefined && body.assigneeId !== before.assignee_id;
    await notifyFollowUp(client, id, reassigned ? "followup.assigned" : "followup.changed", userIdOf(principal), { before });
  }, { db });
  return (await getFollowUp(db, id))!;
}

/** The ids, among these follow-ups, whose status this principal may change (what the pages show buttons for). */
export function followUpsWhoseStatusMayChange(principal: Principal, items: readonly FollowUpView[]): string[] {
  return items.filter((f) => mayChangeFollowUpStatus(principal, { assigneeId: f.assignee.id, createdById: null })).map((f) => f.id);
}

export async function getFollowUp(db: Db, id: string): Promise<FollowUpView | null> {
  const { rows } = await db.query<FollowUpRow>(`${FOLLOW_UP_SELECT} WHERE f.id = $1`, [id]);
  return rows[0] ? followUpView(rows[0], await orgToday(db)) : null;
}

export type { FollowUpFilter };

/** The follow-up list's filter from a page's search parameters (a 400 naming the field when one is not valid). */
export function parseFollowUpFilter(params: Record<string, string | undefined>): FollowUpFilter {
  return validate(followUpFilterSchema, params, "filter");
}

/** Follow-ups, overdue first, then by due date. */
export async function listFollowUps(db: Db, filter: FollowUpFilter): Promise<FollowUpView[]> {
  const today = await orgToday(db);
  const where: string[] = [];
  const args: unknown[] = [];
  if (filter.status && filter.status !== "all") where.push(`f.status = $${args.push(filter.status)}`);
  if (filter.assigneeId) where.push(`f.assignee_id = $${args.push(filter.assigneeId)}::uuid`);
  if (filter.overdue) where.push(`f.status = 'open' AND f.due_date < $${args.push(today)}::date`);
  const { rows } = await db.query<FollowUpRow>(
    `${FOLLOW_UP_SELECT} ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
     ORDER BY (f.status = 'open' AND f.due_date < $${args.push(today)}::date) DESC, (f.status = 'open') DESC, f.due_date, f.created_at`,
    args,
  );
  return rows.map((r) => followUpView(r, today));
}
