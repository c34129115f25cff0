// A release's justification: POST writes a new version (owner of a touched feature, or admin).
import { jsonBody, route } from "@/lib/auth/api";
import { postJustification } from "@/lib/releases/api";

export const dynamic = "force-dynamic";

export const POST = route({ permission: "justify.write" }, async ({ req, principal, params }) =>
  postJustification(params.id, await jsonBody(req), principal),
);
