// POST {text}: a comment on a movement item, from anyone who reads the review.
import { route } from "@/lib/auth/api";
import { uuidParam } from "@/lib/http/params";
import { commentOnItem } from "@/lib/review/items";
import { commentSchema } from "@/lib/review/schemas";

export const dynamic = "force-dynamic";

export const POST = route({ permission: "review.read", params: { id: uuidParam("Review item") }, body: commentSchema }, async ({ params, body, principal }) =>
  Response.json(await commentOnItem(params.id, body, principal), { status: 201 }),
);
