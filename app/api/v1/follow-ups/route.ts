// Follow-ups: GET lists them (?status=open|done|wont_do|all, ?assignee=<user id>, ?overdue=1), overdue
// first; POST {sessionId | itemId, title, description?, assigneeId, dueDate} creates one.
import { jsonBody, route } from "@/lib/auth/api";
import { createFollowUp, listFollowUps, parseFollowUpFilter } from "@/lib/workflow/follow-ups";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "review.read" }, async ({ req }) =>
  Response.json({ followUps: await listFollowUps(parseFollowUpFilter(new URL(req.url).searchParams)) }),
);

export const POST = route({ permission: "followups.write" }, async ({ req, principal }) =>
  Response.json({ followUp: await createFollowUp(await jsonBody(req), principal) }, { status: 201 }),
);
