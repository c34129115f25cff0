// Review sessions: opening one for a week (items frozen, overdue follow-ups carried over, exactly once)
// and reading a session with everything the workspace and the minutes show.
import { recordAudit } from "@/lib/audit/record-audit";
import { actorOf, type Principal } from "@/lib/auth/principal";
import type { Db } from "@/lib/db/client";
import { notifyItemsAwaitJustification } from "@/lib/notify/events";
import { badRequest, notFound } from "@/lib/errors";
import type { JustificationClass } from "@/lib/review/justification-classes";
import { reviewPageData, type WhyItMoved } from "@/lib/review/review-page-data";
import { getSetting } from "@/lib/settings/settings";
import { currentMonday, isoLabel, localDate } from "@/lib/rollups/weeks";
import { iso } from "@/lib/review/common";
import { withTransaction } from "@/lib/db/transaction";
import { userIdOf } from "@/lib/auth/policies";
import { headlineOf, movementItems, type ItemFigures, type SessionHeadline } from "@/lib/review/snapshot";

export type Person = { id: string; name: string; email: string };
export type FollowUpStatus = "open" | "done" | "wont_do";
export type FollowUpView = {
  id: string;
  sessionId: string;
  sessionWeek: string;
  itemId: string | null;
  itemLabel: string | null;
  title: string;
  description: string;
  assignee: Person;
  dueDate: string;
  status: FollowUpStatus;
  overdue: boolean;
  createdBy: string | null;
  createdAt: string;
  completedAt: string | null;
};
export type JustificationVersion = { body: string; class: JustificationClass; author: string; at: string };
export type CommentView = { id: string; body: string; author: string; at: string };
export type ItemView = {
  id: string;
  position: number;
  endpoint: string;
  cohort: string | null;
  endpointId: string | null;
  feature: { name: string; ownerId: string | null; ownerName: string | null } | null;
  figures: ItemFigures;
  explanation: WhyItMoved | null;
  releases: unknown[];
  justification: (JustificationVersion & { authorId: string | null }) | null;
  accepted: { reason: string; by: string; at: string } | null;
  history: JustificationVersion[];
  comments: CommentView[];
  followUps: FollowUpView[];
};
export type SessionOutcome = "clean" | "follow_ups";
export type SessionView = {
  id: string;
  week: string;
  weekStart: string;
  status: "open" | "closed";
  outcome: SessionOutcome | null;
  headline: SessionHeadline;
  decisions: string | null;
  openedBy: string | null;
  openedAt: string;
  closedBy: string | null;
  closedAt: string | null;
  attendees: Person[];
  items: ItemView[];
  /** Follow-ups created in this session that belong to no item. */
  followUps: FollowUpView[];
  /** Open follow-ups from earlier sessions that were overdue when this one opened. */
  carriedOver: FollowUpView[];
};

export const OUTCOME_LABELS: Record<SessionOutcome, string> = { clean: "Clean bill of health", follow_ups: "Closed with follow-ups" };
export const FOLLOW_UP_STATUS_LABELS: Record<FollowUpStatus, string> = { open: "Open", done: "Done", wont_do: "Won't do" };

/** Today's date in the organisation's time zone: follow-ups are overdue once their due date is before it. */
export async function orgToday(db: Db): Promise<string> {
  return localDate(new Date(), await getSetting(db, "timezone"));
}

export const FOLLOW_UP_SELECT = `
  SELECT f.id, f.session_id, s.week::text AS session_week, f.item_id,
         CASE WHEN i.id IS NULL THEN NULL ELSE i.figures->>'label' END AS item_label,
         f.title, f.description, f.assignee_id, a.name AS assignee_name, a.email AS assignee_email,
         f.due_date::text AS due_date, f.status, c.email AS created_by, f.created_at, f.completed_at
  FROM follow_ups f
  JOIN review_sessions s ON s.id = f.session_id
  JOIN users a ON a.id = f.assignee_id
  LEFT JOIN users c ON c.id = f.created_by_id
  LEFT JOIN review_items i ON i.id = f.item_id`;

export type FollowUpRow = {
  id: string;
  session_id: string;
  session_week: string;
  item_id: string | null;
  item_label: string | null;
  title: string;
  description: string;
  assignee_id: string;
  assignee_name: string;
  assignee_email: string;
  due_date: string;
  status: FollowUpStatus;
  created_by: string | null;
  created_at: Date;
  completed_at: Date | null;
};

export function followUpView(r: FollowUpRow, today: string): FollowUpView {
  return {
    id: r.id,
    sessionId: r.session_id,
    sessionWeek: isoLabel(r.session_week),
    itemId: r.item_id,
    itemLabel: r.item_label,
    title: r.title,
    description: r.description,
    assignee: { id: r.assignee_id, name: r.assignee_name, email: r.assignee_email },
    dueDate: r.due_date,
    status: r.status,
    overdue: r.status === "open" && r.due_date < today,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    completedAt: iso(r.completed_at),
  };
}

/** Opens the week's session, or returns the one already open. Concurrent or repeated calls create one. */
/** `monday`: the week's Monday (weekParam in lib/http/params.ts parses "2026-W46" into it). */
export async function openSession(db: Db, monday: string, principal: Principal): Promise<{ session: SessionView; created: boolean }> {
  const tz = await getSetting(db, "timezone");
  if (monday > currentMonday(new Date(), tz)) {
    throw badRequest(`Week ${isoLabel(monday)} has not started yet; a review session covers a week that has begun.`, [{ path: "week", message: "is in the future" }]);
  }
  const existing = await sessionIdForWeek(db, monday);
  if (existing) return { session: (await getSession(db, existing))!, created: false };
  const data = await reviewPageData(db, monday);
  const items = movementItems(data);
  const headline = headlineOf(data);
  const today = localDate(new Date(), tz);
  const actor = actorOf(principal);
  const id = await withTransaction(async (client) => {
    const ins = await client.query<{ id: string }>(
      `INSERT INTO review_sessions (week, headline, opened_by_id) VALUES ($1, $2::jsonb, $3)
       ON CONFLICT (week) DO NOTHING RETURNING id`,
      [monday, JSON.stringify(headline), userIdOf(principal)],
    );
    const sessionId = ins.rows[0]?.id;
    // Someone else opened it meanwhile: theirs stands, with its items and carry-overs.
    if (!sessionId) return null;
    for (const [position, item] of items.entries()) {
      await client.query(
        `INSERT INTO review_items (session_id, position, endpoint, cohort, endpoint_id, figures, explanation, releases)
         SELECT $1, $2, $3, $4, (SELECT id FROM endpoints WHERE slug = $3), $5::jsonb, $6::jsonb, $7::jsonb`,
        [
          sessionId,
          position + 1,
          item.endpoint,
          item.cohort,
          JSON.stringify(item.figures),
          item.explanation ? JSON.stringify(item.explanation) : null,
          JSON.stringify(item.explanation?.releases ?? []),
        ],
      );
    }
    const carried = await client.query<{ follow_up_id: string }>(
      `INSERT INTO review_session_carryovers (session_id, follow_up_id)
       SELECT $1, f.id FROM follow_ups f JOIN review_sessions s ON s.id = f.session_id
       WHERE f.status = 'open' AND f.due_date < $2::date AND s.week < $3::date
       ON CONFLICT DO NOTHING RETURNING follow_up_id`,
      [sessionId, today, monday],
    );
    await recordAudit(client, actor, {
      action: "review_session.open",
      entityType: "review_session",
      entityId: sessionId,
      after: { week: isoLabel(monday), items: items.map((i) => (i.cohort ? `${i.endpoint}/${i.cohort}` : i.endpoint)), carriedOver: carried.rows.map((r) => r.follow_up_id) },
    });
    await notifyItemsAwaitJustification(client, sessionId, isoLabel(monday), userIdOf(principal));
    return sessionId;
  }, { db });
  const sessionId = id ?? (await sessionIdForWeek(db, monday));
  if (!sessionId) throw notFound(`The review session for ${isoLabel(monday)}`);
  return { session: (await getSession(db, sessionId))!, created: id !== null };
}

export async function sessionIdForWeek(db: Db, monday: string): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>("SELECT id FROM review_sessions WHERE week = $1::date", [monday]);
  return rows[0]?.id ?? null;
}

/** What the weekly review's banner shows of the week's session: its state, items, and items still awaiting a justification; null without one. */
export type SessionSummary = { status: "open" | "closed"; outcome: SessionOutcome | null; items: number; pending: number };

export async function sessionSummaryForWeek(db: Db, monday: string): Promise<SessionSummary | null> {
  const { rows } = await db.query<SessionSummary>(
    `SELECT s.status, s.outcome,
            (SELECT count(*)::int FROM review_items i WHERE i.session_id = s.id) AS items,
            (SELECT count(*)::int FROM review_items i WHERE i.session_id = s.id AND i.justification IS NULL AND i.accepted_reason IS NULL) AS pending
     FROM review_sessions s WHERE s.week = $1::date`,
    [monday],
  );
  return rows[0] ?? null;
}

export async function listSessions(db: Db): Promise<{ id: string; week: string; status: string; outcome: SessionOutcome | null; items: number; openedAt: string; closedAt: string | null }[]> {
  const { rows } = await db.query<{ id: string; week: string; status: string; outcome: SessionOutcome | null; items: number; opened_at: Date; closed_at: Date | null }>(
    `SELECT s.id, s.week::text AS week, s.status, s.outcome, s.opened_at, s.closed_at,
            (SELECT count(*)::int FROM review_items i WHERE i.session_id = s.id) AS items
     FROM review_sessions s ORDER BY s.week DESC`,
  );
  return rows.map((r) => ({ id: r.id, week: isoLabel(r.week), status: r.status, outcome: r.outcome, items: r.items, openedAt: r.opened_at.toISOString(), closedAt: iso(r.closed_at) }));
}

export async function getSession(db: Db, id: string): Promise<SessionView | null> {
  const s = await db.query<{
    id: string;
    week: string;
    status: "open" | "closed";
    outcome: SessionOutcome | null;
    headline: SessionHeadline;
    decisions: string | null;
    opened_by: string | null;
    opened_at: Date;
    closed_by: string | null;
    closed_at: Date | null;
  }>(
    `SELECT s.id, s.week::text AS week, s.status, s.outcome, s.headline, s.decisions, o.name AS opened_by, s.opened_at,
            c.name AS closed_by, s.closed_at
     FROM review_sessions s LEFT JOIN users o ON o.id = s.opened_by_id LEFT JOIN users c ON c.id = s.closed_by_id
     WHERE s.id = $1`,
    [id],
  );
  const row = s.rows[0];
  if (!row) return null;
  const today = await orgToday(db);
  const [attendees, items, history, comments, followUps, carried] = await Promise.all([
    db.query<Person>(
      `SELECT u.id, u.name, u.email FROM review_session_attendees a JOIN users u ON u.id = a.user_id WHERE a.session_id = $1 ORDER BY u.name`,
      [id],
    ),
    db.query<{
      id: string;
      position: number;
      endpoint: string;
      cohort: string | null;
      endpoint_id: string | null;
      feature_name: string | null;
      owner_id: string | null;
      owner_name: string | null;
      figures: ItemFigures;
      explanation: WhyItMoved | null;
      releases: unknown[];
      justification: string | null;
      justification_class: JustificationClass | null;
      justified_by_id: string | null;
      justified_at: Date | null;
      accepted_reason: string | null;
      accepted_by: string | null;
      accepted_at: Date | null;
    }>(
      `SELECT i.id, i.position, i.endpoint, i.cohort, i.endpoint_id, f.name AS feature_name, f.owner_id, ou.name AS owner_name,
              i.figures, i.explanation, i.releases, i.justification, i.justification_class, i.justified_by_id, i.justified_at,
              i.accepted_reason, au.name AS accepted_by, i.accepted_at
       FROM review_items i
       LEFT JOIN endpoints e ON e.id = i.endpoint_id
       LEFT JOIN features f ON f.id = e.feature_id
       LEFT JOIN users ou ON ou.id = f.owner_id
       LEFT JOIN users au ON au.id = i.accepted_by_id
       WHERE i.session_id = $1 ORDER BY i.position`,
      [id],
    ),
    db.query<{ item_id: string; body: string; justification_class: JustificationClass; author: string; created_at: Date }>(
      `SELECT j.item_id, j.body, j.justification_class, coalesce(u.name, j.author_label) AS author, j.created_at
       FROM review_item_justifications j JOIN review_items i ON i.id = j.item_id LEFT JOIN users u ON u.id = j.author_id
       WHERE i.session_id = $1 ORDER BY j.created_at, j.id`,
      [id],
    ),
    db.query<{ id: string; item_id: string; body: string; author: string; created_at: Date }>(
      `SELECT c.id, c.item_id, c.body, coalesce(u.name, c.author_label) AS author, c.created_at
       FROM review_item_comments c JOIN review_items i ON i.id = c.item_id LEFT JOIN users u ON u.id = c.author_id
       WHERE i.session_id = $1 ORDER BY c.created_at, c.id`,
      [id],
    ),
    db.query<FollowUpRow>(`${FOLLOW_UP_SELECT} WHERE f.session_id = $1 ORDER BY f.created_at, f.id`, [id]),
    db.query<FollowUpRow>(
      `${FOLLOW_UP_SELECT} JOIN review_session_carryovers co ON co.follow_up_id = f.id WHERE co.session_id = $1 ORDER BY f.due_date, f.id`,
      [id],
    ),
  ]);
  const fups = followUps.rows.map((r) => followUpView(r, today));
  return {
    id: row.id,
    week: isoLabel(row.week),
    weekStart: row.week,
    status: row.status,
    outcome: row.outcome,
    headline: row.headline,
    decisions: row.decisions,
    openedBy: row.opened_by,
    openedAt: row.opened_at.toISOString(),
    closedBy: row.closed_by,
    closedAt: iso(row.closed_at),
    attendees: attendees.rows,
    items: items.rows.map((i) => {
      const versions = history.rows
        .filter((h) => h.item_id === i.id)
        .map((h) => ({ body: h.body, class: h.justification_class, author: h.author, at: h.created_at.toISOString() }));
      const last = versions.at(-1);
      return {
        id: i.id,
        position: i.position,
        endpoint: i.endpoint,
        cohort: i.cohort,
        endpointId: i.endpoint_id,
        feature: i.feature_name ? { name: i.feature_name, ownerId: i.owner_id, ownerName: i.owner_name } : null,
        figures: i.figures,
        explanation: i.explanation,
        releases: i.releases,
        justification:
          i.justification !== null && i.justification_class !== null
            ? { body: i.justification, class: i.justification_class, author: last?.author ?? "", at: iso(i.justified_at) ?? "", authorId: i.justified_by_id }
            : null,
        accepted: i.accepted_reason !== null ? { reason: i.accepted_reason, by: i.accepted_by ?? "an admin", at: iso(i.accepted_at) ?? "" } : null,
        history: versions,
        comments: comments.rows.filter((c) => c.item_id === i.id).map((c) => ({ id: c.id, body: c.body, author: c.author, at: c.created_at.toISOString() })),
        followUps: fups.filter((f) => f.itemId === i.id),
      };
    }),
    followUps: fups.filter((f) => f.itemId === null),
    carriedOver: carried.rows.map((r) => followUpView(r, today)),
  };
}

export async function getSessionOr404(db: Db, id: string): Promise<SessionView> {
  const s = await getSession(db, id);
  if (!s) throw notFound(`Review session ${id}`);
  return s;
}
