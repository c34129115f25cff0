// The shared route parameters (lib/http/params.ts): one parse for an ISO week, a finance month and a UUID.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { isUuid, monthParam, notFoundNameOf, uuidParam, weekParam } from "@/lib/http/params";

describe("shared parameters", () => {
  it("weekParam turns an ISO week into its Monday and refuses anything else", () => {
    expect(weekParam.parse("2026-W46")).toBe("2026-11-09");
    expect(weekParam.parse("2020-W53")).toBe("2020-12-28");
    for (const bad of ["2026-W54", "2026-W00", "2026-46", "", "2026-w46"]) {
      const r = weekParam.safeParse(bad);
      expect(r.success, bad).toBe(false);
      expect(r.error!.issues[0]!.message).toBe("must be an ISO week like 2026-W47");
    }
  });

  it("monthParam turns YYYY-MM into the month and refuses anything else", () => {
    expect(monthParam.parse("2026-10")).toEqual({ label: "2026-10", start: "2026-10-01", end: "2026-11-01" });
    for (const bad of ["2026-13", "2026-1", "1969-12", "x"]) expect(monthParam.safeParse(bad).success, bad).toBe(false);
    expect(monthParam.safeParse(undefined).error!.issues[0]!.message).toMatch(/required/);
  });

  it("uuidParam accepts a UUID, refuses anything else, and carries the name its 404 uses", () => {
    const id = uuidParam("Release");
    expect(id.parse("6F1C2A9E-3B7D-4C1E-9A2B-1D2E3F4A5B6C")).toBe("6F1C2A9E-3B7D-4C1E-9A2B-1D2E3F4A5B6C");
    expect(id.safeParse("6f1c2a9e-3b7d-4c1e-9a2b-1d2e3f4a5b6").success).toBe(false);
    expect(notFoundNameOf(id)).toBe("Release");
    expect(notFoundNameOf(z.string())).toBeUndefined();
    expect(isUuid("not-a-uuid")).toBe(false);
  });
});
