// Undo a sign-off: POST reopens a closed session (admins only, audited); 409 when it is open.
import { route } from "@/lib/auth/api";
import { uuidParam } from "@/lib/http/params";
import { reopenSession } from "@/lib/review/sign-off";
import { pool } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export const POST = route({ permission: "objects.any", params: { id: uuidParam("Review session") } }, async ({ params, principal }) =>
  Response.json({ session: await reopenSession(pool(), params.id, principal) }),
);
