// Sign-off: POST {attendeeIds?, decisions?} closes the session; 409 while an item lacks a justification.
import { route } from "@/lib/auth/api";
import { uuidParam } from "@/lib/http/params";
import { closeSessionSchema } from "@/lib/review/schemas";
import { closeSession } from "@/lib/review/sign-off";
import { pool } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export const POST = route({ permission: "review.write", params: { id: uuidParam("Review session") }, body: closeSessionSchema }, async ({ params, body, principal }) =>
  Response.json({ session: await closeSession(pool(), params.id, body, principal) }),
);
