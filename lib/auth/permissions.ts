// Permissions as data: what each role and each API-key scope may do. Deny by default: a role or
// scope that is not in these tables gets nothing.

export const PERMISSIONS = [
  "review.read", // review, endpoints, releases and follow-ups, read-only
  "review.write", // open and close review sessions, record releases
  "justify.write", // write justifications for one's own features' items
  "followups.write", // create and update follow-ups
  "finance.read", // monthly rollups, chargeback, downloads
  "finance.write", // invoices, closing and reopening months
  "events.ingest", // post cost events, releases and quality metrics
  "prices.manage", // the price book, GPU pools, overhead
  "users.manage", // users and roles
  "apikeys.manage", // API keys
  "settings.manage", // organisation settings and structure
  "audit.read", // the audit log
  "notifications.manage", // notification channels, test messages, the delivery log and its dead letters
  // Act on any object whoever owns it (any release, review item, follow-up, endpoint's targets, incident).
  // This is what "admin" means: lib/auth/policies.ts isAdmin() checks it and nothing else.
  "objects.any",
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ["admin", "owner", "finance", "viewer"] as const;
/** A person's role (users.role, a CHECK in the database). */
export type Role = (typeof ROLES)[number];

export const API_KEY_SCOPES = ["ingest", "admin"] as const;
/** What an API key may do (api_keys.scope, a CHECK in the database). */
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** A role read from the database (its CHECK allows only ROLES; anything else is a broken row, not input). */
export function asRole(value: string): Role {
  if (!(ROLES as readonly string[]).includes(value)) throw new Error(`users.role holds an unknown role: ${value}`);
  return value as Role;
}

/** A scope read from the database (its CHECK allows only API_KEY_SCOPES). */
export function asScope(value: string): ApiKeyScope {
  if (!(API_KEY_SCOPES as readonly string[]).includes(value)) throw new Error(`api_keys.scope holds an unknown scope: ${value}`);
  return value as ApiKeyScope;
}

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  owner: ["review.read", "review.write", "justify.write", "followups.write"],
  finance: ["review.read", "finance.read", "finance.write"],
  viewer: ["review.read"],
};

export const SCOPE_PERMISSIONS: Record<ApiKeyScope, readonly Permission[]> = {
  ingest: ["events.ingest"],
  admin: PERMISSIONS,
};

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  admin: "Everything, including settings, users, prices and API keys",
  owner: "Feature owner: writes justifications and follow-ups; reads the review",
  finance: "Finance views and exports; read-only elsewhere",
  viewer: "Read-only access to the review",
};

export function roleCan(role: string, permission: Permission): boolean {
  const granted = (ROLE_PERMISSIONS as Record<string, readonly Permission[] | undefined>)[role];
  return granted?.includes(permission) ?? false;
}

export function scopeCan(scope: string, permission: Permission): boolean {
  const granted = (SCOPE_PERMISSIONS as Record<string, readonly Permission[] | undefined>)[scope];
  return granted?.includes(permission) ?? false;
}

/** Where a role lands after signing in. */
export function landingPath(role: string): string {
  return role === "finance" ? "/finance" : "/review";
}
