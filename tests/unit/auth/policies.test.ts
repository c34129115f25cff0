// The object-level rules, for every kind of principal against objects they do and do not own.
import { describe, expect, it } from "vitest";
import type { Role, ApiKeyScope } from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";
import { ROLES } from "@/lib/auth/permissions";
import {
  isAdmin,
  mayAcceptItem,
  mayChangeFollowUpStatus,
  mayEditFollowUpDetails,
  mayEditRelease,
  mayJustifyItem,
  mayJustifyRelease,
  mayManageTargets,
  mayManageUsers,
  mayReopenSession,
  mayResolveIncident,
  mayRunSession,
  userIdOf,
} from "@/lib/auth/policies";

const A = "00000000-0000-4000-8000-00000000000a";
const B = "00000000-0000-4000-8000-00000000000b";
const KEY = "00000000-0000-4000-8000-0000000000c1";
const OTHER_KEY = "00000000-0000-4000-8000-0000000000c2";

const user = (role: Role, id = A): Principal => ({ kind: "user", user: { id, email: `${id}@example.com`, name: id, role } });
const key = (scope: ApiKeyScope, id = KEY): Principal => ({ kind: "apikey", key: { id, name: "k", prefix: "cr_x", scope } });

describe("isAdmin: admin is one permission", () => {
  it("holds for admin users and admin keys, and for nobody else", () => {
    expect(ROLES.filter((r) => isAdmin(user(r)))).toEqual(["admin"]);
    expect(isAdmin(key("admin"))).toBe(true);
    expect(isAdmin(key("ingest"))).toBe(false);
    expect(isAdmin(user("superuser" as Role))).toBe(false);
    expect(isAdmin(key("root" as ApiKeyScope))).toBe(false);
  });

  it("userIdOf names the user, never a key", () => {
    expect(userIdOf(user("viewer", B))).toBe(B);
    expect(userIdOf(key("admin"))).toBeNull();
  });
});

describe("releases", () => {
  const owned = { ownerIds: [B], createdByKeyId: KEY };

  it("may be edited by admins, by owners of a feature they already touch, and by the key that recorded them", () => {
    expect(mayEditRelease(user("admin"), { ownerIds: [], createdByKeyId: null })).toBe(true);
    expect(mayEditRelease(key("admin", OTHER_KEY), owned)).toBe(true);
    expect(mayEditRelease(user("owner", B), owned)).toBe(true);
    expect(mayEditRelease(key("ingest", KEY), owned)).toBe(true);
  });

  it("may not be edited by the owner of another feature, another ingest key, or anyone without the rights", () => {
    expect(mayEditRelease(user("owner", A), owned)).toBe(false);
    expect(mayEditRelease(key("ingest", OTHER_KEY), owned)).toBe(false);
    expect(mayEditRelease(key("ingest", KEY), { ownerIds: [B], createdByKeyId: null })).toBe(false);
    // Owning the feature is not enough without the role's write right (a demoted owner, finance).
    expect(mayEditRelease(user("viewer", B), owned)).toBe(false);
    expect(mayEditRelease(user("finance", B), owned)).toBe(false);
  });

  it("may be justified by admins and owners of a touched feature, never by an ingest key", () => {
    expect(mayJustifyRelease(user("admin"), { ownerIds: [] })).toBe(true);
    expect(mayJustifyRelease(key("admin"), { ownerIds: [] })).toBe(true);
    expect(mayJustifyRelease(user("owner", B), { ownerIds: [A, B] })).toBe(true);
    expect(mayJustifyRelease(user("owner", A), { ownerIds: [B] })).toBe(false);
    expect(mayJustifyRelease(user("viewer", B), { ownerIds: [B] })).toBe(false);
    expect(mayJustifyRelease(key("ingest"), { ownerIds: [B] })).toBe(false);
  });
});

describe("review items and sessions", () => {
  it("are justified by the feature's owner or an admin; an item without an owner only by an admin", () => {
    expect(mayJustifyItem(user("owner", B), { ownerId: B })).toBe(true);
    expect(mayJustifyItem(user("owner", A), { ownerId: B })).toBe(false);
    expect(mayJustifyItem(user("owner", A), { ownerId: null })).toBe(false);
    expect(mayJustifyItem(user("finance", B), { ownerId: B })).toBe(false);
    expect(mayJustifyItem(user("admin"), { ownerId: null })).toBe(true);
    expect(mayJustifyItem(key("admin"), { ownerId: B })).toBe(true);
    expect(mayJustifyItem(key("ingest"), { ownerId: null })).toBe(false);
  });

  it("are accepted without a justification by admins only", () => {
    expect(mayAcceptItem(user("admin"))).toBe(true);
    expect(mayAcceptItem(key("admin"))).toBe(true);
    expect(mayAcceptItem(user("owner"))).toBe(false);
    expect(mayAcceptItem(key("ingest"))).toBe(false);
  });

  it("sessions are run by admins and owners", () => {
    expect(ROLES.filter((r) => mayRunSession(user(r)))).toEqual(["admin", "owner"]);
    expect(mayRunSession(key("ingest"))).toBe(false);
  });

  it("closed sessions are reopened by admins only", () => {
    expect(ROLES.filter((r) => mayReopenSession(user(r)))).toEqual(["admin"]);
    expect(mayReopenSession(key("admin"))).toBe(true);
    expect(mayReopenSession(key("ingest"))).toBe(false);
  });
});

describe("follow-ups", () => {
  const f = { assigneeId: B, createdById: A };

  it("change status by their assignee (whatever the role) or an admin", () => {
    expect(mayChangeFollowUpStatus(user("viewer", B), f)).toBe(true);
    expect(mayChangeFollowUpStatus(user("owner", A), f)).toBe(false);
    expect(mayChangeFollowUpStatus(user("admin"), f)).toBe(true);
    expect(mayChangeFollowUpStatus(key("ingest"), f)).toBe(false);
  });

  it("change details by their creator or assignee with follow-up rights, or an admin", () => {
    expect(mayEditFollowUpDetails(user("owner", A), f)).toBe(true);
    expect(mayEditFollowUpDetails(user("owner", B), f)).toBe(true);
    expect(mayEditFollowUpDetails(user("viewer", B), f)).toBe(false);
    expect(mayEditFollowUpDetails(user("owner", "00000000-0000-4000-8000-0000000000ff"), f)).toBe(false);
    expect(mayEditFollowUpDetails(key("admin"), f)).toBe(true);
  });
});

describe("targets, incidents and users", () => {
  it("targets are set by admins and the owner of the endpoint's feature", () => {
    expect(mayManageTargets(user("owner", B), { ownerId: B })).toBe(true);
    expect(mayManageTargets(user("owner", A), { ownerId: B })).toBe(false);
    expect(mayManageTargets(user("owner", A), { ownerId: null })).toBe(false);
    expect(mayManageTargets(user("viewer", B), { ownerId: B })).toBe(false);
    expect(mayManageTargets(key("admin"), { ownerId: B })).toBe(true);
    expect(mayManageTargets(key("ingest"), { ownerId: null })).toBe(false);
  });

  it("incidents are resolved by their triage owner, the feature's owner, or an admin", () => {
    expect(mayResolveIncident(user("owner", B), { ownerId: B, featureOwnerId: null })).toBe(true);
    expect(mayResolveIncident(user("owner", B), { ownerId: null, featureOwnerId: B })).toBe(true);
    expect(mayResolveIncident(user("owner", A), { ownerId: B, featureOwnerId: B })).toBe(false);
    expect(mayResolveIncident(user("viewer", B), { ownerId: B, featureOwnerId: B })).toBe(false);
    expect(mayResolveIncident(user("admin"), { ownerId: null, featureOwnerId: null })).toBe(true);
  });

  it("users are managed by admins only", () => {
    expect(ROLES.filter((r) => mayManageUsers(user(r)))).toEqual(["admin"]);
    expect(mayManageUsers(key("admin"))).toBe(true);
    expect(mayManageUsers(key("ingest"))).toBe(false);
  });
});
