import { describe, expect, it } from "vitest";
import { landingPath, PERMISSIONS, roleCan, scopeCan } from "@/lib/auth/permissions";
import { navFor } from "@/components/shell/nav-items";

describe("permissions", () => {
  it("deny an unknown role or scope everything", () => {
    for (const p of PERMISSIONS) {
      expect(roleCan("superuser", p)).toBe(false);
      expect(roleCan("", p)).toBe(false);
      expect(scopeCan("root", p)).toBe(false);
    }
  });

  it("give admins everything and viewers only reading", () => {
    expect(PERMISSIONS.every((p) => roleCan("admin", p))).toBe(true);
    expect(PERMISSIONS.filter((p) => roleCan("viewer", p))).toEqual(["review.read"]);
  });

  it("keep finance out of the review's write actions and owners out of finance", () => {
    expect(roleCan("finance", "justify.write")).toBe(false);
    expect(roleCan("finance", "followups.write")).toBe(false);
    expect(roleCan("owner", "finance.read")).toBe(false);
    expect(roleCan("owner", "justify.write")).toBe(true);
  });

  it("let an ingest key only ingest", () => {
    expect(PERMISSIONS.filter((p) => scopeCan("ingest", p))).toEqual(["events.ingest"]);
  });

  it("show each role its navigation and start page", () => {
    expect(navFor("viewer").map((n) => n.label)).toEqual(["Review", "My work", "Endpoints", "Releases", "What if", "Follow-ups", "Incidents", "Budgets"]);
    expect(navFor("finance").map((n) => n.label)).toContain("Finance");
    expect(navFor("finance").map((n) => n.label)).toContain("Customers");
    expect(navFor("owner").map((n) => n.label)).not.toContain("Customers");
    expect(navFor("owner").map((n) => n.label)).not.toContain("Settings");
    expect(navFor("admin").map((n) => n.label)).toEqual(["Review", "My work", "Endpoints", "Releases", "What if", "Follow-ups", "Incidents", "Budgets", "Finance", "Customers", "Settings"]);
    expect(landingPath("finance")).toBe("/finance");
    expect(landingPath("owner")).toBe("/review");
  });
});
