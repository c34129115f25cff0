// Users: list and create (admins).
import { jsonBody, route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { badRequest, fieldErrors } from "@/lib/errors";
import { createUserSchema } from "@/lib/users/schemas";
import { createUser, listUsers } from "@/lib/users/users";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "users.manage" }, async () => Response.json({ users: await listUsers() }));

export const POST = route({ permission: "users.manage" }, async ({ req, principal }) => {
  const parsed = createUserSchema.safeParse(await jsonBody(req));
  if (!parsed.success) throw badRequest("The user is not valid.", fieldErrors(parsed.error.issues));
  return Response.json({ user: await createUser(parsed.data, actorOf(principal)) }, { status: 201 });
});
