// One review session with its items, justifications, comments, follow-ups and attendees.
import { route } from "@/lib/auth/api";
import { requireId } from "@/lib/workflow/common";
import { getSessionOr404 } from "@/lib/workflow/sessions";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "review.read" }, async ({ params }) =>
  Response.json({ session: await getSessionOr404(requireId(params.id, "Review session")) }),
);
