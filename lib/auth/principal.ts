// Who is calling: a signed-in user, or a service holding an API key.
import type { Role, ApiKeyScope } from "@/lib/auth/permissions";
import type { Actor } from "@/lib/audit/record-audit";
import { roleCan, scopeCan, type Permission } from "@/lib/auth/permissions";

export type SessionUser = { id: string; email: string; name: string; role: Role };
export type KeyHolder = { id: string; name: string; prefix: string; scope: ApiKeyScope };

export type Principal = { kind: "user"; user: SessionUser } | { kind: "apikey"; key: KeyHolder };

export function can(p: Principal, permission: Permission): boolean {
  return p.kind === "user" ? roleCan(p.user.role, permission) : scopeCan(p.key.scope, permission);
}

export function actorOf(p: Principal): Actor {
  return p.kind === "user" ? { id: p.user.id, label: p.user.email } : { label: `api-key:${p.key.prefix}` };
}

export function describe(p: Principal): string {
  return p.kind === "user" ? `role '${p.user.role}'` : `an API key with scope '${p.key.scope}'`;
}
