// Users: list and create (admins).
import { route } from "@/lib/auth/api";
import { actorOf } from "@/lib/auth/principal";
import { createUserSchema } from "@/lib/users/schemas";
import { createUser, listUsers } from "@/lib/users/users";

export const dynamic = "force-dynamic";

export const GET = route({ permission: "users.manage" }, async () => Response.json({ users: await listUsers() }));

export const POST = route({ permission: "users.manage", body: createUserSchema }, async ({ body, principal }) =>
  Response.json({ user: await createUser(body, actorOf(principal)) }, { status: 201 }),
);
