// Object-level rules: who may act on *which* object. The route guard (can() with a permission) decides
// who may call a route at all; these functions decide, for the object at hand, whether this principal
// may act on it. The lib functions behind the routes, the pages (which forms and buttons show) and the
// tests all call these, so a rule is written once.
//
// The functions are pure: each takes the few facts about the object it needs (its owners, who recorded
// it), loaded by the domain module that holds the object.
import type { Role } from "@/lib/auth/permissions";
import { can, type Principal } from "@/lib/auth/principal";
import { roleCan, ROLES } from "@/lib/auth/permissions";

/**
 * "Admin", defined once: holding the permission to act on any object, whoever owns it. Admin users and
 * admin API keys hold it (lib/auth/permissions.ts); no other role or scope does.
 */
export function isAdmin(p: Principal): boolean {
  return can(p, "objects.any");
}

/** The roles whose users are admins (for questions about stored users, such as "who is the last admin?"). */
export const ADMIN_ROLES: readonly Role[] = ROLES.filter((r) => roleCan(r, "objects.any"));

/** The signed-in user's id; null for an API key. */
export function userIdOf(p: Principal): string | null {
  return p.kind === "user" ? p.user.id : null;
}

// ---------------------------------------------------------------------------------------------- releases

export type ReleaseFacts = {
  /** The owners of the features the release touches now (named, or through a named endpoint). */
  ownerIds: readonly string[];
  /** The API key that recorded the release, when a key did. */
  createdByKeyId: string | null;
};

export const WHO_MAY_EDIT_RELEASE =
  "Only an admin, the owner of a feature this release already touches, or the API key that recorded it may change a release.";

/**
 * Change a release (title, shippedAt, endpoints, features…): admins; owners (with review.write) of a
 * feature it already touches, so nobody can add his own feature to another feature's release; the
 * ingest key that recorded it.
 */
export function mayEditRelease(p: Principal, r: ReleaseFacts): boolean {
  if (isAdmin(p)) return true;
  if (p.kind === "apikey") return can(p, "events.ingest") && r.createdByKeyId !== null && r.createdByKeyId === p.key.id;
  return can(p, "review.write") && r.ownerIds.includes(p.user.id);
}

export const WHO_MAY_JUSTIFY_RELEASE = "Only the owner of a feature this release touched, or an admin, may justify it.";

/** Justify a release: admins, and the owners of a feature it touches. API keys other than admin keys never. */
export function mayJustifyRelease(p: Principal, r: Pick<ReleaseFacts, "ownerIds">): boolean {
  if (isAdmin(p)) return true;
  return p.kind === "user" && can(p, "justify.write") && r.ownerIds.includes(p.user.id);
}

// ---------------------------------------------------------------------------------------- review items

/** Justify a review item: the owner of the item's feature (with justify.write), or an admin. */
export function mayJustifyItem(p: Principal, item: { ownerId: string | null }): boolean {
  if (isAdmin(p)) return true;
  return can(p, "justify.write") && item.ownerId !== null && item.ownerId === userIdOf(p);
}

/** Accept an item without a justification: admins only. */
export function mayAcceptItem(p: Principal): boolean {
  return isAdmin(p);
}

/** Open a review session, set its attendees and sign it off. */
export function mayRunSession(p: Principal): boolean {
  return can(p, "review.write");
}

export const WHO_MAY_REOPEN_SESSION = "Only an admin may reopen a closed review session.";

/** Reopen a closed review session (its sign-off is undone and audited): admins only. */
export function mayReopenSession(p: Principal): boolean {
  return isAdmin(p);
}

// ------------------------------------------------------------------------------------------ follow-ups

export type FollowUpFacts = { assigneeId: string | null; createdById: string | null };

/** Move a follow-up to done / won't do / open: its assignee (whatever the role), or an admin. */
export function mayChangeFollowUpStatus(p: Principal, f: FollowUpFacts): boolean {
  if (isAdmin(p)) return true;
  const me = userIdOf(p);
  return me !== null && me === f.assigneeId;
}

/** Change a follow-up's title, description, assignee or due date: its creator or assignee (with followups.write), or an admin. */
export function mayEditFollowUpDetails(p: Principal, f: FollowUpFacts): boolean {
  if (isAdmin(p)) return true;
  const me = userIdOf(p);
  return me !== null && can(p, "followups.write") && (me === f.createdById || me === f.assigneeId);
}

// ------------------------------------------------------------------------------- targets and incidents

/** Change an endpoint's targets: admins, and the owner (with review.write) of the endpoint's feature. */
export function mayManageTargets(p: Principal, endpoint: { ownerId: string | null }): boolean {
  if (isAdmin(p)) return true;
  const me = userIdOf(p);
  return me !== null && can(p, "review.write") && endpoint.ownerId === me;
}

/** Resolve a cost incident: admins; its triage owner or the owner of the endpoint's feature (with review.write). */
export function mayResolveIncident(p: Principal, incident: { ownerId: string | null; featureOwnerId: string | null }): boolean {
  if (isAdmin(p)) return true;
  const me = userIdOf(p);
  return me !== null && can(p, "review.write") && (me === incident.ownerId || me === incident.featureOwnerId);
}

// -------------------------------------------------------------------------------------------- budgets

export const WHO_MAY_MANAGE_BUDGET = "Only finance, an admin, or the owner of the feature (for that feature's budget) may set or change a budget.";

/**
 * Set, change or remove a budget: admins and finance (finance.write) any; the owner of a feature (with
 * review.write) that feature's budget. Customer budgets need finance.read to be seen at all.
 */
export function mayManageBudget(p: Principal, b: { scope: string; featureOwnerId: string | null }): boolean {
  if (isAdmin(p) || can(p, "finance.write")) return true;
  const me = userIdOf(p);
  return me !== null && can(p, "review.write") && b.scope === "feature" && b.featureOwnerId === me;
}

/** See a budget: anyone who reads the review; a customer's budget only with finance.read. */
export function maySeeBudget(p: Principal, b: { scope: string }): boolean {
  return b.scope === "customer" ? can(p, "finance.read") : can(p, "review.read");
}

// --------------------------------------------------------------------------------------------- users

/** Create users, change roles, disable accounts (the last active admin stays: lib/users/users.ts). */
export function mayManageUsers(p: Principal): boolean {
  return can(p, "users.manage");
}
