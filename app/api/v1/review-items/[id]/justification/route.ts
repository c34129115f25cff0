// PUT {text, class}: the feature owner's (or an admin's) justification; every version is kept.
import { route } from "@/lib/auth/api";
import { uuidParam } from "@/lib/http/params";
import { justifyItem } from "@/lib/review/items";
import { justifyItemSchema } from "@/lib/review/schemas";

export const dynamic = "force-dynamic";

export const PUT = route({ permission: "justify.write", params: { id: uuidParam("Review item") }, body: justifyItemSchema }, async ({ params, body, principal }) =>
  Response.json(await justifyItem(params.id, body, principal)),
);
