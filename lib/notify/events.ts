// The personal notifications the review's changes cause, each written on the transaction of that change
// (lib/notify/personal.ts notifyPerson): a follow-up assigned or changed, items awaiting a justification
// when a session opens, a session signed off, an incident opened, an @mention. The scheduler's hourly step
// adds what time causes: follow-ups due tomorrow or overdue, and releases that came to need a
// justification, each once per follow-up (or release) and kind.
import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { formatCount, formatUsd, formatUtc } from "@/lib/format";
import { notifyPerson } from "@/lib/notify/personal";
import { releasesNeedingJustification } from "@/lib/releases/variance";
import { addDays, isoLabel, localDate } from "@/lib/rollups/weeks";
import { getSetting } from "@/lib/settings/settings";

type FollowUpFacts = { id: string; title: string; description: string; status: string; due_date: string; assignee_id: string; week: string; item_label: string | null };

async function followUpFacts(db: Db, id: string): Promise<FollowUpFacts | null> {
  const { rows } = await db.query<FollowUpFacts>(
    `SELECT f.id, f.title, f.description, f.status, f.due_date::text AS due_date, f.assignee_id, s.week::text AS week, i.figures->>'label' AS item_label
     FROM follow_ups f JOIN review_sessions s ON s.id = f.session_id LEFT JOIN review_items i ON i.id = f.item_id WHERE f.id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

const STATUS_WORDS: Record<string, string> = { open: "open", done: "done", wont_do: "won't do" };
const followUpPath = (f: FollowUpFacts) => `/follow-ups?assignee=${f.assignee_id}#follow-up-${f.id}`;
const followUpData = (f: FollowUpFacts) => ({ followUpId: f.id, title: f.title, status: f.status, dueDate: f.due_date, week: isoLabel(f.week), item: f.item_label });

/** A follow-up assigned to someone (created or reassigned), or changed: its assignee is told. */
export async function notifyFollowUp(
  db: Db,
  id: string,
  kind: "followup.assigned" | "followup.changed",
  actorId: string | null,
  opts: { before?: { status: string; title: string; description: string; due_date: string } } = {},
): Promise<void> {
  const f = await followUpFacts(db, id);
  if (!f) return;
  const where = `${isoLabel(f.week)} review${f.item_label ? ` · ${f.item_label}` : ""}`;
  const changes: string[] = [];
  const b = opts.before;
  if (b) {
    if (b.status !== f.status) changes.push(`status ${STATUS_WORDS[b.status] ?? b.status} → ${STATUS_WORDS[f.status] ?? f.status}`);
    if (b.title !== f.title) changes.push(`title "${b.title}" → "${f.title}"`);
    if (b.due_date !== f.due_date) changes.push(`due ${b.due_date} → ${f.due_date}`);
    if (b.description !== f.description) changes.push("description edited");
  }
  if (kind === "followup.changed" && !changes.length) return;
  await notifyPerson(
    db,
    f.assignee_id,
    kind === "followup.assigned"
      ? {
          kind,
          subject: `Follow-up assigned to you: ${f.title}`,
          text: `A follow-up from the ${where} is assigned to you: "${f.title}", due ${f.due_date}.${f.description ? `\n\n${f.description}` : ""}`,
          path: followUpPath(f),
          data: followUpData(f),
          key: `followup.assigned:${f.id}:${randomUUID()}`,
        }
      : {
          kind,
          subject: `Follow-up changed: ${f.title}`,
          text: `Your follow-up "${f.title}" (${where}) changed: ${changes.join("; ")}.`,
          path: followUpPath(f),
          data: { ...followUpData(f), changes },
          key: `followup.changed:${f.id}:${randomUUID()}`,
        },
    { actorId },
  );
}

/** A session opened with items on someone's features: each owner learns how many await their justification. */
export async function notifyItemsAwaitJustification(db: Db, sessionId: string, week: string, actorId: string | null): Promise<void> {
  const { rows } = await db.query<{ owner_id: string; labels: string[] }>(
    `SELECT f.owner_id, array_agg(i.figures->>'label' ORDER BY i.position) AS labels
     FROM review_items i JOIN endpoints e ON e.id = i.endpoint_id JOIN features f ON f.id = e.feature_id
     WHERE i.session_id = $1 AND f.owner_id IS NOT NULL AND i.justification IS NULL AND i.accepted_reason IS NULL
     GROUP BY f.owner_id`,
    [sessionId],
  );
  for (const r of rows) {
    const n = r.labels.length;
    await notifyPerson(
      db,
      r.owner_id,
      {
        kind: "justification.requested",
        subject: `${formatCount(n)} item${n === 1 ? "" : "s"} in the ${week} review await${n === 1 ? "s" : ""} your justification`,
        text: `The ${week} review session is open. These movement items are on your features and need your justification before it can be signed off:\n${r.labels.map((l) => `- ${l}`).join("\n")}`,
        path: `/review/${week}/session`,
        data: { sessionId, week, items: r.labels },
        key: `justification.requested:session:${sessionId}`,
      },
      { actorId },
    );
  }
}

/** A session signed off: its attendees get the minutes. */
export async function notifySignedOff(db: Db, sessionId: string, actorId: string | null): Promise<void> {
  const { rows } = await db.query<{ week: string; outcome: string; user_id: string; closed_at: Date | null }>(
    `SELECT s.week::text AS week, s.outcome, a.user_id, s.closed_at FROM review_sessions s JOIN review_session_attendees a ON a.session_id = s.id WHERE s.id = $1`,
    [sessionId],
  );
  for (const r of rows) {
    const week = isoLabel(r.week);
    await notifyPerson(
      db,
      r.user_id,
      {
        kind: "session.signed_off",
        subject: `The ${week} review was signed off`,
        text: `The ${week} review session you attended was signed off (${r.outcome === "clean" ? "a clean bill of health" : "closed with follow-ups"}). The minutes are in Cost Review.`,
        path: `/review/${week}/minutes`,
        data: { sessionId, week, outcome: r.outcome, minutes: `/review/${week}/minutes` },
        key: `session.signed_off:${sessionId}:${r.closed_at?.toISOString() ?? "open"}`,
      },
      { actorId },
    );
  }
}

/** An incident opened: the endpoint's owner (its triage owner, the feature's owner) is told. */
export async function notifyIncidentOpened(db: Db, incidentId: string): Promise<void> {
  const { rows } = await db.query<{ endpoint: string; owner_id: string | null; window_start: Date; factor: string }>(
    "SELECT endpoint, owner_id, window_start, factor::text FROM cost_incidents WHERE id = $1",
    [incidentId],
  );
  const i = rows[0];
  if (!i?.owner_id) return;
  await notifyPerson(db, i.owner_id, {
    kind: "incident.opened",
    subject: `Cost incident on ${i.endpoint}`,
    text: `A cost incident opened on ${i.endpoint}: its hourly cost per request stayed above ${i.factor}× its baseline from ${formatUtc(i.window_start.toISOString())} UTC.`,
    path: `/incidents/${incidentId}`,
    data: { incidentId, endpoint: i.endpoint, windowStart: i.window_start.toISOString(), factor: i.factor },
    key: `incident.opened:${incidentId}`,
  });
}

/** A comment that @mentions people: each of them is told (not its author). */
export async function notifyMentions(
  db: Db,
  c: { commentId: string; itemId: string; text: string; author: string; mentions: readonly string[] },
  actorId: string | null,
): Promise<void> {
  if (!c.mentions.length) return;
  const { rows } = await db.query<{ week: string; label: string }>(
    "SELECT s.week::text AS week, i.figures->>'label' AS label FROM review_items i JOIN review_sessions s ON s.id = i.session_id WHERE i.id = $1",
    [c.itemId],
  );
  const week = isoLabel(rows[0]!.week);
  // The author as people know them: their name (an API key: its label).
  const author = actorId ? ((await db.query<{ name: string }>("SELECT name FROM users WHERE id = $1", [actorId])).rows[0]?.name ?? c.author) : c.author;
  for (const userId of c.mentions) {
    await notifyPerson(
      db,
      userId,
      {
        kind: "comment.mention",
        subject: `${author} mentioned you on ${rows[0]!.label}`,
        text: `${author} mentioned you in a comment on ${rows[0]!.label} (${week} review):\n\n${c.text}`,
        path: `/review/${week}/session#item-${c.itemId}`,
        data: { commentId: c.commentId, itemId: c.itemId, week, author, text: c.text },
        key: `comment.mention:${c.commentId}`,
      },
      { actorId },
    );
  }
}

/**
 * What time causes, looked at by the scheduler: open follow-ups due tomorrow or overdue (in the
 * organisation's time zone), and releases needing a justification, each told to its person once per
 * follow-up and due date (or release). Returns how many messages were new.
 */
export async function remindersStep(db: Db, now = new Date()): Promise<number> {
  const today = localDate(now, await getSetting(db, "timezone"));
  const tomorrow = addDays(today, 1);
  let sent = 0;
  const { rows } = await db.query<{ id: string }>("SELECT id FROM follow_ups WHERE status = 'open' AND (due_date = $1::date OR due_date < $2::date)", [tomorrow, today]);
  for (const { id } of rows) {
    const f = await followUpFacts(db, id);
    if (!f) continue;
    const overdue = f.due_date < today;
    const kind = overdue ? "followup.overdue" : "followup.due_tomorrow";
    const created = await notifyPerson(db, f.assignee_id, {
      kind,
      subject: overdue ? `Overdue follow-up: ${f.title}` : `Follow-up due tomorrow: ${f.title}`,
      text: overdue
        ? `Your follow-up "${f.title}" (${isoLabel(f.week)} review) was due ${f.due_date} and is still open.`
        : `Your follow-up "${f.title}" (${isoLabel(f.week)} review) is due tomorrow, ${f.due_date}.`,
      path: followUpPath(f),
      data: followUpData(f),
      key: `${kind}:${f.id}:${f.due_date}`,
    });
    if (created) sent++;
  }
  for (const check of await releasesNeedingJustification(db)) {
    const r = check.release;
    const owners = await db.query<{ owner_id: string }>(
      `SELECT DISTINCT f.owner_id FROM features f LEFT JOIN endpoints e ON e.feature_id = f.id
       WHERE f.owner_id IS NOT NULL AND (f.slug = ANY($1::text[]) OR e.slug = ANY($2::text[]))`,
      [r.features, r.touchedEndpoints],
    );
    for (const o of owners.rows) {
      const created = await notifyPerson(db, o.owner_id, {
        kind: "justification.requested",
        subject: `Release ${r.version} awaits your justification`,
        text: `Release ${r.version} — ${r.title} (shipped ${formatUtc(r.shippedAt)} UTC) raised the cost per request of an endpoint of yours past the threshold and needs a justification.`,
        path: `/releases/${r.id}`,
        data: { releaseId: r.id, version: r.version, title: r.title, endpoints: r.touchedEndpoints },
        key: `justification.requested:release:${r.id}`,
      });
      if (created) sent++;
    }
  }
  return sent;
}

/** A budget's month-end forecast went above it (lib/budgets/budgets.ts checkBudgets): its owner is told, once a month. */
export async function notifyBudgetBreach(db: Db, b: { id: string; label: string; ownerId: string | null; month: string; amountUsd: string; forecastUsd: string }): Promise<void> {
  await notifyPerson(db, b.ownerId, {
    kind: "budget.breach",
    subject: `${b.label}: forecast above budget for ${b.month}`,
    text: `${b.label} is forecast at ${formatUsd(b.forecastUsd)} for ${b.month}, above its budget of ${formatUsd(b.amountUsd)}. The budget's page says why: more requests, or dearer ones, and from which cohorts.`,
    path: `/budgets/${b.id}?month=${b.month}`,
    data: { budgetId: b.id, budget: b.label, month: b.month, amountUsd: b.amountUsd, forecastUsd: b.forecastUsd },
    key: `budget.breach:${b.id}:${b.month}`,
  });
}
