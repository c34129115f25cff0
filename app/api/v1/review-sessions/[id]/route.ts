// One review session with its items, justifications, comments, follow-ups and attendees.
import { route } from "@/lib/auth/api";
import { uuidParam } from "@/lib/http/params";
import { getSessionOr404 } from "@/lib/review/sessions";
import { pool } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "review.read", params: { id: uuidParam("Review session") } }, async ({ params }) =>
  Response.json({ session: await getSessionOr404(pool(), params.id) }),
);
