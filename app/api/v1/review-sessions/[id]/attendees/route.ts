// PUT {userIds}: who attends the session (replaces the list while the session is open).
import { route } from "@/lib/auth/api";
import { uuidParam } from "@/lib/http/params";
import { attendeesSchema } from "@/lib/review/schemas";
import { setAttendees } from "@/lib/review/sign-off";
import { pool } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export const PUT = route({ permission: "review.write", params: { id: uuidParam("Review session") }, body: attendeesSchema }, async ({ params, body, principal }) =>
  Response.json({ session: await setAttendees(pool(), params.id, body, principal) }),
);
