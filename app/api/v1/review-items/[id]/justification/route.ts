// PUT {text, class}: the feature owner's (or an admin's) justification; every version is kept.
import { jsonBody, route } from "@/lib/auth/api";
import { justifyItem } from "@/lib/workflow/items";

export const dynamic = "force-dynamic";

export const PUT = route({ permission: "justify.write" }, async ({ req, params, principal }) =>
  Response.json(await justifyItem(params.id, await jsonBody(req), principal)),
);
