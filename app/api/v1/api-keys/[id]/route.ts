// Revoke an API key (admins). Revoked keys stop working at once and stay listed.
import { z } from "zod";
import { route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { revokeApiKey } from "@/lib/auth/api-keys";
import { notFound } from "@/lib/errors";

export const dynamic = "force-dynamic";

export const DELETE = route({ permission: "apikeys.manage" }, async ({ principal, params }) => {
  const id = z.uuid().safeParse(params.id);
  if (!id.success || !(await revokeApiKey(id.data, actorOf(principal)))) throw notFound("An active API key with this id");
  return Response.json({ revoked: true });
});
