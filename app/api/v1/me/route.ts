// Who am I: the signed-in user or the API key, with what it may do.
import { route } from "@/lib/auth/api";
import { PERMISSIONS } from "@/lib/auth/permissions";
import { can } from "@/lib/auth/principal";

export const dynamic = "force-dynamic";

export const GET = route({ authenticated: true }, async ({ principal }) => {
  const permissions = PERMISSIONS.filter((p) => can(principal, p));
  return Response.json(
    principal.kind === "user"
      ? { kind: "user", user: principal.user, permissions }
      : { kind: "apikey", key: { name: principal.key.name, prefix: principal.key.prefix, scope: principal.key.scope }, permissions },
  );
});
