// PUT {userIds}: who attends the session (replaces the list while the session is open).
import { jsonBody, route } from "@/lib/auth/api";
import { setAttendees } from "@/lib/workflow/sign-off";

export const dynamic = "force-dynamic";

export const PUT = route({ permission: "review.write" }, async ({ req, params, principal }) =>
  Response.json({ session: await setAttendees(params.id, await jsonBody(req), principal) }),
);
