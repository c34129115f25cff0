// PATCH {status?, title?, description?, assigneeId?, dueDate?}: the assignee (or an admin) sets the
// status; the creator, the assignee or an admin edits the details.
import { jsonBody, route } from "@/lib/auth/api";
import { updateFollowUp } from "@/lib/workflow/follow-ups";

export const dynamic = "force-dynamic";

export const PATCH = route({ permission: "review.read" }, async ({ req, params, principal }) =>
  Response.json({ followUp: await updateFollowUp(params.id, await jsonBody(req), principal) }),
);
