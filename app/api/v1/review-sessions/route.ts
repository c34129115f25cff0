// Review sessions: GET lists them (or ?week=2026-W46 returns that week's, 404 when not opened yet);
// POST {week} opens the week's session (idempotent: 201 when created, 200 when it already existed).
import { route } from "@/lib/auth/api";
import { notFound } from "@/lib/errors";
import { isoLabel } from "@/lib/rollups/weeks";
import { openSessionSchema, sessionWeekQuery } from "@/lib/review/schemas";
import { getSessionOr404, listSessions, openSession, sessionIdForWeek } from "@/lib/review/sessions";
import { pool } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "review.read", query: sessionWeekQuery }, async ({ query }) => {
  if (query.week === undefined) return Response.json({ sessions: await listSessions(pool()) });
  const id = await sessionIdForWeek(pool(), query.week);
  if (!id) throw notFound(`A review session for ${isoLabel(query.week)}`);
  return Response.json({ session: await getSessionOr404(pool(), id) });
});

export const POST = route({ permission: "review.write", body: openSessionSchema }, async ({ body, principal }) => {
  const { session, created } = await openSession(pool(), body.week, principal);
  return Response.json({ session, created }, { status: created ? 201 : 200 });
});
