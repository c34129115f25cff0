// A release's justification: POST writes a new version (owner of a touched feature, or admin).
import { route } from "@/lib/auth/api";
import { justifyRelease } from "@/lib/releases/justifications";
import { justificationSchema, releaseIdParams } from "@/lib/releases/schemas";
import { pool } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export const POST = route({ permission: "justify.write", params: releaseIdParams, body: justificationSchema }, async ({ params, body, principal }) =>
  Response.json({ justification: await justifyRelease(pool(), params.id, body, principal) }, { status: 201 }),
);
