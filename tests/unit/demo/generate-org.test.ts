import { describe, expect, it } from "vitest";
import { generateDemoOrg } from "@/lib/demo/generate-org";
import { seededRandom } from "@/lib/demo/random";

describe("the demo organisation", () => {
  const org = generateDemoOrg();

  it("is the same on every run", () => {
    expect(generateDemoOrg()).toEqual(org);
  });

  it("has one user per role at least, and every feature owned by an owner of a known team", () => {
    for (const role of ["admin", "owner", "finance", "viewer"]) expect(org.users.some((u) => u.role === role)).toBe(true);
    for (const f of org.features) {
      expect(org.teams.map((t) => t.slug)).toContain(f.team);
      expect(org.users.find((u) => u.email === f.owner)?.role).toBe("owner");
    }
    for (const e of org.endpoints) expect(org.features.map((f) => f.slug)).toContain(e.feature);
  });

  it("has free, pro and enterprise tiers and named tenants on a tier", () => {
    expect(org.cohorts.filter((c) => c.kind === "tier").map((c) => c.slug)).toEqual(["free", "pro", "enterprise"]);
    const tenants = org.cohorts.filter((c) => c.kind === "tenant");
    expect(tenants.length).toBeGreaterThanOrEqual(2);
    for (const t of tenants) expect(["free", "pro", "enterprise"]).toContain(t.tier);
  });
});

describe("the seeded random generator", () => {
  it("repeats for a seed and differs across seeds", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(xs);
    for (const x of xs) expect(x).toBeGreaterThanOrEqual(0);
    for (const x of xs) expect(x).toBeLessThan(1);
  });
});
