// One user: change name, role, password or disable (admins). Every change is audited.
import { route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { updateUserSchema, userIdParams } from "@/lib/users/schemas";
import { updateUser } from "@/lib/users/users";

export const dynamic = "force-dynamic";

export const PATCH = route({ permission: "users.manage", params: userIdParams, body: updateUserSchema }, async ({ params, body, principal }) =>
  Response.json({ user: await updateUser(params.id, body, actorOf(principal)) }),
);
