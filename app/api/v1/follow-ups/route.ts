// Follow-ups: GET lists them (?status=open|done|wont_do|all, ?assignee=<user id>, ?overdue=1), overdue
// first; POST {sessionId | itemId, title, description?, assigneeId, dueDate} creates one.
import { route } from "@/lib/auth/api";
import { createFollowUp, listFollowUps } from "@/lib/review/follow-ups";
import { createFollowUpSchema, followUpFilterSchema } from "@/lib/review/schemas";
import { pool } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "review.read", query: followUpFilterSchema }, async ({ query }) =>
  Response.json({ followUps: await listFollowUps(pool(), query) }),
);

export const POST = route({ permission: "followups.write", body: createFollowUpSchema }, async ({ body, principal }) =>
  Response.json({ followUp: await createFollowUp(pool(), body, principal) }, { status: 201 }),
);
