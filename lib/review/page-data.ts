// What the review's pages load, other than the weekly review and endpoint figures (review-page-data.ts,
// endpoint-page-data.ts): the coverage drill-down, the session workspace, the minutes, the follow-ups
// list, My work and the weekly review's banner. An entry point: each loader takes the app's database
// handle once and passes it down to the lib/ functions, which take a Db first.
import { pool } from "@/lib/db/client";
import type { SessionUser } from "@/lib/auth/principal";
import { releasesNeedingJustification, type ReleaseCheck } from "@/lib/releases/variance";
import { listFollowUps, type FollowUpFilter } from "@/lib/review/follow-ups";
import { weekCoverage, type Coverage } from "@/lib/review/coverage";
import { inbox } from "@/lib/review/inbox";
import { activeUsers } from "@/lib/review/people";
import { getSession, orgToday, sessionIdForWeek, sessionSummaryForWeek, type FollowUpView, type Person, type SessionSummary, type SessionView } from "@/lib/review/sessions";

/** The coverage page's data for the week starting `monday`. */
export async function coverageOfWeek(monday: string): Promise<Coverage> {
  return weekCoverage(pool(), monday);
}

/** The session workspace of the week starting `monday`: null when no session has been opened for it. */
export async function sessionPageData(monday: string): Promise<{ session: SessionView | null; users: Person[]; today: string } | null> {
  const db = pool();
  const id = await sessionIdForWeek(db, monday);
  if (!id) return null;
  const [session, users, today] = await Promise.all([getSession(db, id), activeUsers(db), orgToday(db)]);
  return { session, users, today };
}

/** The minutes of the week's session, or null when none was opened. */
export async function minutesPageData(monday: string): Promise<SessionView | null> {
  const db = pool();
  const id = await sessionIdForWeek(db, monday);
  return id ? getSession(db, id) : null;
}

/** The weekly review's banner: the week's session, and releases still waiting for a justification. */
export async function reviewWeekWorkflow(monday: string): Promise<{ needingJustification: ReleaseCheck[]; session: SessionSummary | null }> {
  const db = pool();
  const [needingJustification, session] = await Promise.all([releasesNeedingJustification(db), sessionSummaryForWeek(db, monday)]);
  return { needingJustification, session };
}

/** The follow-ups list and the people it can be filtered by. */
export async function followUpsPageData(filter: FollowUpFilter): Promise<{ items: FollowUpView[]; users: Person[] }> {
  const db = pool();
  const [items, users] = await Promise.all([listFollowUps(db, filter), activeUsers(db)]);
  return { items, users };
}

/** My work, and the navigation's badge. */
export async function myWork(user: SessionUser): ReturnType<typeof inbox> {
  return inbox(pool(), user);
}
