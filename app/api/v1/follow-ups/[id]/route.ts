// PATCH {status?, title?, description?, assigneeId?, dueDate?}: the assignee (or an admin) sets the
// status; the creator, the assignee or an admin edits the details.
import { route } from "@/lib/auth/api";
import { uuidParam } from "@/lib/http/params";
import { updateFollowUp } from "@/lib/review/follow-ups";
import { updateFollowUpSchema } from "@/lib/review/schemas";
import { pool } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export const PATCH = route(
  { permission: "review.read", params: { id: uuidParam("Follow-up") }, body: updateFollowUpSchema },
  async ({ params, body, principal }) => Response.json({ followUp: await updateFollowUp(pool(), params.id, body, principal) }),
);
