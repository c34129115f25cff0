// POST {reason}: an admin accepts an item without a justification, recording why.
import { route } from "@/lib/auth/api";
import { uuidParam } from "@/lib/http/params";
import { acceptItem } from "@/lib/workflow/items";
import { acceptItemSchema } from "@/lib/workflow/schemas";

export const dynamic = "force-dynamic";

export const POST = route({ permission: "review.write", params: { id: uuidParam("Review item") }, body: acceptItemSchema }, async ({ params, body, principal }) =>
  Response.json(await acceptItem(params.id, body, principal)),
);
