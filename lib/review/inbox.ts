// The My work inbox: a list of sections, each a source of entries for one user. Another part of the
// app adds its own section (for example, releases needing justification) by adding a source to
// INBOX_SECTIONS; the page, the API and the navigation badge pick it up from here.
import type { Db } from "@/lib/db/client";
import type { SessionUser } from "@/lib/auth/principal";
import { isAdmin } from "@/lib/auth/policies";
import { formatPct, formatUsd } from "@/lib/format";
import { isoLabel } from "@/lib/rollups/weeks";
import { releasesNeedingJustification } from "@/lib/releases/variance";
import { openAlertsOf } from "@/lib/budgets/budgets";
import { FOLLOW_UP_SELECT, followUpView, orgToday, type FollowUpRow } from "@/lib/review/sessions";

export type InboxEntry = {
  id: string;
  title: string;
  detail: string;
  href: string;
  /** A date the entry is due (YYYY-MM-DD), when it has one. */
  due: string | null;
  overdue: boolean;
};

export type InboxSection = { key: string; title: string; empty: string; entries: InboxEntry[] };

export type InboxSource = {
  key: string;
  title: string;
  empty: string;
  load: (db: Db, user: SessionUser, today: string) => Promise<InboxEntry[]>;
};

/** Open sessions' items on the user's features (for admins also items without an owner) that lack a justification. */
const itemsNeedingJustification: InboxSource = {
  key: "justifications",
  title: "Items needing justification",
  empty: "No movement items are waiting for your justification.",
  async load(db, user) {
    const { rows } = await db.query<{ id: string; week: string; label: string; mean_change: string | null; feature: string | null }>(
      `SELECT i.id, s.week::text AS week, i.figures->>'label' AS label, i.figures->>'meanChange' AS mean_change, f.name AS feature
       FROM review_items i
       JOIN review_sessions s ON s.id = i.session_id AND s.status = 'open'
       LEFT JOIN endpoints e ON e.id = i.endpoint_id
       LEFT JOIN features f ON f.id = e.feature_id
       WHERE i.justification IS NULL AND i.accepted_reason IS NULL
         AND (f.owner_id = $1 OR ($2 AND f.owner_id IS NULL))
       ORDER BY s.week, i.position`,
      [user.id, isAdmin({ kind: "user", user })],
    );
    return rows.map((r) => ({
      id: r.id,
      title: r.label,
      detail: `${isoLabel(r.week)} review${r.feature ? ` · ${r.feature}` : ""}${r.mean_change !== null ? ` · mean ${formatPct(r.mean_change)}` : ""}`,
      href: `/review/${isoLabel(r.week)}/session#item-${r.id}`,
      due: null,
      overdue: false,
    }));
  },
};

/** Open follow-ups assigned to the user, overdue first. */
const followUpsAssigned: InboxSource = {
  key: "follow-ups",
  title: "Follow-ups assigned to you",
  empty: "No open follow-ups are assigned to you.",
  async load(db, user, today) {
    const { rows } = await db.query<FollowUpRow>(
      `${FOLLOW_UP_SELECT} WHERE f.assignee_id = $1 AND f.status = 'open' ORDER BY (f.due_date < $2::date) DESC, f.due_date, f.created_at`,
      [user.id, today],
    );
    return rows.map((r) => {
      const f = followUpView(r, today);
      return {
        id: f.id,
        title: f.title,
        detail: `${f.sessionWeek} review${f.itemLabel ? ` · ${f.itemLabel}` : ""}`,
        href: `/follow-ups?assignee=${user.id}#follow-up-${f.id}`,
        due: f.dueDate,
        overdue: f.overdue,
      };
    });
  },
};

/** Releases of the user's features whose cost per request rose past the threshold and that nobody has justified yet. */
const releasesToJustify: InboxSource = {
  key: "releases",
  title: "Releases needing justification",
  empty: "No release of your features is waiting for a justification.",
  async load(db, user) {
    const checks = await releasesNeedingJustification(db, user.id);
    return checks.map((c) => {
      const rose = c.endpoints.filter((e) => e.rose).map((e) => `${e.endpoint} ${e.changePct !== null ? formatPct(e.changePct) : ""}`.trim());
      return {
        id: c.release.id,
        title: `${c.release.version} ${c.release.title}`,
        detail: `shipped ${c.release.shippedAt.slice(0, 10)}${rose.length ? ` · mean cost per request ${rose.join(", ")}` : ""}`,
        href: `/releases/${c.release.id}`,
        due: null,
        overdue: false,
      };
    });
  },
};

/** The user's budgets whose month-end forecast is above the budget (an open alert). */
const budgetsAtRisk: InboxSource = {
  key: "budgets",
  title: "Budgets forecast to be missed",
  empty: "No budget of yours is forecast to be missed.",
  async load(db, user) {
    return (await openAlertsOf(db, user.id)).map((a) => ({
      id: `${a.id}:${a.month}`,
      title: `${a.label}: forecast ${formatUsd(a.forecastUsd)} against ${formatUsd(a.amountUsd)}`,
      detail: `${a.month} · see why on the budget's page`,
      href: `/budgets/${a.id}?month=${a.month}`,
      due: null,
      overdue: false,
    }));
  },
};

export const INBOX_SECTIONS: InboxSource[] = [itemsNeedingJustification, releasesToJustify, followUpsAssigned, budgetsAtRisk];

export async function inbox(db: Db, user: SessionUser): Promise<{ count: number; sections: InboxSection[] }> {
  const today = await orgToday(db);
  const sections = await Promise.all(
    INBOX_SECTIONS.map(async (s) => ({ key: s.key, title: s.title, empty: s.empty, entries: await s.load(db, user, today) })),
  );
  return { count: sections.reduce((n, s) => n + s.entries.length, 0), sections };
}
