// POST {text}: a comment on a movement item, from anyone who reads the review.
import { jsonBody, route } from "@/lib/auth/api";
import { commentOnItem } from "@/lib/workflow/items";

export const dynamic = "force-dynamic";

export const POST = route({ permission: "review.read" }, async ({ req, params, principal }) =>
  Response.json(await commentOnItem(params.id, await jsonBody(req), principal), { status: 201 }),
);
