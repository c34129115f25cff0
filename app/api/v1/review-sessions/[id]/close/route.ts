// Sign-off: POST {attendeeIds?, decisions?} closes the session; 409 while an item lacks a justification.
import { jsonBody, route } from "@/lib/auth/api";
import { closeSession } from "@/lib/workflow/sign-off";

export const dynamic = "force-dynamic";

export const POST = route({ permission: "review.write" }, async ({ req, params, principal }) =>
  Response.json({ session: await closeSession(params.id, await jsonBody(req), principal) }),
);
