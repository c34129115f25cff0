// Follow-ups: created from a session or one of its items, each owned by one assignee with a due date;
// the assignee (or an admin) moves it to done or won't do.
import { z } from "zod";
import { recordAudit } from "@/lib/audit/record-audit";
import { actorOf, type Principal } from "@/lib/auth/principal";
import { mayChangeFollowUpStatus, mayEditFollowUpDetails, userIdOf } from "@/lib/auth/policies";
import { pool } from "@/lib/db/client";
import { badRequest, conflict, forbidden, notFound } from "@/lib/errors";
import { dateField, parse, requireId, uuidField } from "@/lib/workflow/common";
import { withTransaction } from "@/lib/db/transaction";
import { FOLLOW_UP_SELECT, followUpView, orgToday, type FollowUpRow, type FollowUpView } from "@/lib/workflow/sessions";

const STATUSES = ["open", "done", "wont_do"] as const;

const createSchema = z
  .object({
    sessionId: uuidField("sessionId").optional(),
    itemId: uuidField("itemId").optional(),
    title: z.string({ error: "title is required" }).trim().min(1, "title must not be empty").max(200, "title is at most 200 characters"),
    description: z.string().max(10_000, "description is at most 10,000 characters").default(""),
    assigneeId: uuidField("assigneeId"),
    dueDate: dateField("dueDate"),
  })
  .refine((b) => b.sessionId !== undefined || b.itemId !== undefined, { message: "give the sessionId or the itemId the follow-up comes from", path: ["sessionId"] });

export async function createFollowUp(input: unknown, principal: Principal): Promise<FollowUpView> {
  const body = parse(createSchema, input, "follow-up");
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
    return fid;
  });
  return (await getFollowUp(id))!;
}

const updateSchema = z
  .object({
    status: z.enum(STATUSES, { error: `status must be one of ${STATUSES.join(", ")}` }).optional(),
    title: z.string().trim().min(1, "title must not be empty").max(200, "title is at most 200 characters").optional(),
    description: z.string().max(10_000, "description is at most 10,000 characters").optional(),
    assigneeId: uuidField("assigneeId").optional(),
    dueDate: dateField("dueDate").optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: "nothing to change: give status, title, description, assigneeId or dueDate", path: ["status"] });

export async function updateFollowUp(rawId: string | undefined, input: unknown, principal: Principal): Promise<FollowUpView> {
  const id = requireId(rawId, "Follow-up");
  await withTransaction(async (client) => {
    const { rows } = await client.query<{ assignee_id: string; created_by_id: string | null; status: string; title: string; description: string; due_date: string }>(
      "SELECT assignee_id, created_by_id, status, title, description, due_date::text AS due_date FROM follow_ups WHERE id = $1 FOR UPDATE",
      [id],
    );
    const before = rows[0];
    if (!before) throw notFound(`Follow-up ${id}`);
    const body = parse(updateSchema, input, "follow-up change");
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
    await client.query(
      `UPDATE follow_ups SET
         status = coalesce($2, status), title = coalesce($3, title), description = coalesce($4, description),
         assignee_id = coalesce($5::uuid, assignee_id), due_date = coalesce($6::date, due_date), updated_at = now(),
         completed_at = CASE WHEN $2::text IS NULL THEN completed_at WHEN $2 = 'open' THEN NULL ELSE now() END
       WHERE id = $1`,
      [id, body.status ?? null, body.title ?? null, body.description ?? null, body.assigneeId ?? null, body.dueDate ?? null],
    );
    await recordAudit(client, actorOf(principal), {
      action: "follow_up.update",
      entityType: "follow_up",
      entityId: id,
      before: { status: before.status, title: before.title, assigneeId: before.assignee_id, dueDate: before.due_date },
      after: body,
    });
  });
  return (await getFollowUp(id))!;
}

/** The ids, among these follow-ups, whose status this principal may change (what the pages show buttons for). */
export function followUpsWhoseStatusMayChange(principal: Principal, items: readonly FollowUpView[]): string[] {
  return items.filter((f) => mayChangeFollowUpStatus(principal, { assigneeId: f.assignee.id, createdById: null })).map((f) => f.id);
}

export async function getFollowUp(id: string): Promise<FollowUpView | null> {
  const db = pool();
  const { rows } = await db.query<FollowUpRow>(`${FOLLOW_UP_SELECT} WHERE f.id = $1`, [id]);
  return rows[0] ? followUpView(rows[0], await orgToday(db)) : null;
}

export type FollowUpFilter = { status?: (typeof STATUSES)[number] | "all"; assigneeId?: string; overdue?: boolean };

const filterSchema = z.object({
  status: z.enum([...STATUSES, "all"], { error: `status must be one of ${[...STATUSES, "all"].join(", ")}` }).optional(),
  assignee: uuidField("assignee").optional(),
  overdue: z.enum(["1", "0", "true", "false"], { error: "overdue must be 1 or 0" }).optional(),
});

export function parseFollowUpFilter(params: URLSearchParams | Record<string, string | undefined>): FollowUpFilter {
  const raw = params instanceof URLSearchParams ? Object.fromEntries(params) : params;
  const f = parse(filterSchema, { status: raw.status || undefined, assignee: raw.assignee || undefined, overdue: raw.overdue || undefined }, "filter");
  return { status: f.status, assigneeId: f.assignee, overdue: f.overdue === "1" || f.overdue === "true" };
}

/** Follow-ups, overdue first, then by due date. */
export async function listFollowUps(filter: FollowUpFilter): Promise<FollowUpView[]> {
  const db = pool();
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
