import Decimal from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { roseBeyond } from "@/lib/releases/variance";
import { createReleaseSchema, justificationSchema } from "@/lib/releases/schemas";

describe("roseBeyond", () => {
  it("flips exactly at the threshold", () => {
    expect(roseBeyond("0.01", "0.010999", "10")).toBe(false);
    expect(roseBeyond("0.01", "0.011", "10")).toBe(true);
    expect(roseBeyond("0.01", "0.011001", "10")).toBe(true);
    expect(roseBeyond("0.01", "0.0125", "25.5")).toBe(false);
  });

  it("never flags a fall, a missing window or a zero baseline", () => {
    expect(roseBeyond("0.02", "0.01", "10")).toBe(false);
    expect(roseBeyond(null, "0.01", "10")).toBe(false);
    expect(roseBeyond("0.01", null, "10")).toBe(false);
    expect(roseBeyond("0", "5", "10")).toBe(false);
  });

  it("agrees with the exact percentage change for any costs", () => {
    const cost = fc.integer({ min: 1, max: 10_000_000 }).map((n) => new Decimal(n).div(1_000_000).toFixed());
    fc.assert(
      fc.property(cost, cost, fc.integer({ min: 0, max: 500 }), (b, a, t) => {
        const change = new Decimal(a).minus(b).div(b).times(100);
        expect(roseBeyond(b, a, String(t))).toBe(change.gte(t));
      }),
    );
  });
});

describe("release input", () => {
  it("needs a version, a title and an endpoint or feature, and names each missing field", () => {
    const r = createReleaseSchema.safeParse({ title: "" });
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["version", "title"]));
  });

  it("accepts comma-separated endpoints, drops duplicates, and parses the shipping time", () => {
    const r = createReleaseSchema.parse({ version: "1.0", title: "t", endpoints: "a, b,a", shippedAt: "2026-03-01T10:00:00Z" });
    expect(r.endpoints).toEqual(["a", "b"]);
    expect(r.shippedAt!.toISOString()).toBe("2026-03-01T10:00:00.000Z");
    expect(createReleaseSchema.safeParse({ version: "1", title: "t", endpoints: ["a"], shippedAt: "yesterday" }).success).toBe(false);
  });

  it("classifies justifications with the shared classes only", () => {
    expect(justificationSchema.safeParse({ class: "regression", text: "x" }).success).toBe(true);
    const bad = justificationSchema.safeParse({ class: "oops", text: "x" });
    expect(bad.error!.issues[0]!.message).toMatch(/quality_improvement/);
  });
});
