// API keys: list and create (admins). A new key is returned once; only its hash is kept.
import { route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { createApiKey } from "@/lib/auth/api-keys";
import { db } from "@/lib/db/client";
import { createApiKeySchema } from "@/lib/auth/schemas";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "apikeys.manage" }, async () => {
  const keys = await db().apiKey.findMany({
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, prefix: true, scope: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
  return Response.json({ keys });
});

export const POST = route({ permission: "apikeys.manage", body: createApiKeySchema }, async ({ body, principal }) => {
  const created = await createApiKey(body, actorOf(principal));
  return Response.json({ id: created.id, prefix: created.prefix, key: created.key }, { status: 201 });
});
