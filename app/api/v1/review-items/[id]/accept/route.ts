// POST {reason}: an admin accepts an item without a justification, recording why.
import { jsonBody, route } from "@/lib/auth/api";
import { acceptItem } from "@/lib/workflow/items";

export const dynamic = "force-dynamic";

export const POST = route({ permission: "review.write" }, async ({ req, params, principal }) =>
  Response.json(await acceptItem(params.id, await jsonBody(req), principal)),
);
