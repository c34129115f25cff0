// Revoke an API key (admins). Revoked keys stop working at once and stay listed.
import { route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { revokeApiKey } from "@/lib/auth/api-keys";
import { apiKeyIdParams } from "@/lib/auth/schemas";
import { notFound } from "@/lib/errors";

export const dynamic = "force-dynamic";

export const DELETE = route({ permission: "apikeys.manage", params: apiKeyIdParams }, async ({ principal, params }) => {
  if (!(await revokeApiKey(params.id, actorOf(principal)))) throw notFound("An active API key with this id");
  return Response.json({ revoked: true });
});
