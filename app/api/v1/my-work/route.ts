// The signed-in user's inbox: items needing their justification and follow-ups assigned to them.
import { route } from "@/lib/auth/api";
import { badRequest } from "@/lib/errors";
import { inbox } from "@/lib/review/inbox";
import { pool } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "review.read" }, async ({ principal }) => {
  if (principal.kind !== "user") throw badRequest("My work belongs to a signed-in user; an API key has no inbox.");
  return Response.json(await inbox(pool(), principal.user));
});
