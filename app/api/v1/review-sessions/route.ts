// Review sessions: GET lists them (or ?week=2026-W46 returns that week's, 404 when not opened yet);
// POST {week} opens the week's session (idempotent: 201 when created, 200 when it already existed).
import { jsonBody, route } from "@/lib/auth/api";
import { notFound } from "@/lib/errors";
import { weekMonday } from "@/lib/workflow/common";
import { getSessionOr404, listSessions, openSession, sessionIdForWeek } from "@/lib/workflow/sessions";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "review.read" }, async ({ req }) => {
  const week = new URL(req.url).searchParams.get("week");
  if (week === null) return Response.json({ sessions: await listSessions() });
  const id = await sessionIdForWeek(weekMonday(week));
  if (!id) throw notFound(`A review session for ${week}`);
  return Response.json({ session: await getSessionOr404(id) });
});

export const POST = route({ permission: "review.write" }, async ({ req, principal }) => {
  const { session, created } = await openSession(await jsonBody(req), principal);
  return Response.json({ session, created }, { status: created ? 201 : 200 });
});
