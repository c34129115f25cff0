// API keys: list and create (admins). A new key is returned once; only its hash is kept.
import { z } from "zod";
import { jsonBody, route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { createApiKey } from "@/lib/auth/api-keys";
import { db } from "@/lib/db/client";
import { badRequest, fieldErrors } from "@/lib/errors";

export const dynamic = "force-dynamic";

const createKeySchema = z.object({
  name: z.string().trim().min(1, "name is required").max(100),
  scope: z.enum(["ingest", "admin"], { message: "scope must be ingest or admin" }),
});

export const GET = route({ permission: "apikeys.manage" }, async () => {
  const keys = await db().apiKey.findMany({
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, prefix: true, scope: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
  return Response.json({ keys });
});

export const POST = route({ permission: "apikeys.manage" }, async ({ req, principal }) => {
  const parsed = createKeySchema.safeParse(await jsonBody(req));
  if (!parsed.success) throw badRequest("The API key request is not valid.", fieldErrors(parsed.error.issues));
  const created = await createApiKey(parsed.data, actorOf(principal));
  return Response.json({ id: created.id, prefix: created.prefix, key: created.key }, { status: 201 });
});
