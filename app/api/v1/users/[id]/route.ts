// One user: change name, role, password or disable (admins). Every change is audited.
import { z } from "zod";
import { jsonBody, route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { badRequest, fieldErrors, notFound } from "@/lib/errors";
import { updateUserSchema } from "@/lib/users/schemas";
import { updateUser } from "@/lib/users/users";

export const dynamic = "force-dynamic";

export const PATCH = route({ permission: "users.manage" }, async ({ req, principal, params }) => {
  const id = z.uuid().safeParse(params.id);
  if (!id.success) throw notFound("User");
  const parsed = updateUserSchema.safeParse(await jsonBody(req));
  if (!parsed.success) throw badRequest("The change is not valid.", fieldErrors(parsed.error.issues));
  return Response.json({ user: await updateUser(id.data, parsed.data, actorOf(principal)) });
});
