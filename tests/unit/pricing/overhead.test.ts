// Overhead loading: exact percentage of direct cost, feature override over global.
import { describe, expect, it } from "vitest";
import { overheadFor, overheadPercentFor } from "@/lib/pricing/overhead";
import { overheadConfigSchema } from "@/lib/pricing/schemas";

const config = overheadConfigSchema.parse({ globalPercent: "15", perFeature: { chat: "12.5", internal: "0" } });

describe("overheadFor", () => {
  it("applies the global percentage exactly", () => {
    expect(overheadFor("2.4", null, config)).toBe("0.36");
    expect(overheadFor("2.4", "summaries", config)).toBe("0.36");
  });

  it("lets a feature override win, including an override of 0", () => {
    expect(overheadFor("3.0864175", "chat", config)).toBe("0.3858021875");
    expect(overheadFor("3.0864175", "internal", config)).toBe("0");
  });

  it("is 0 with no percentage configured", () => {
    const none = overheadConfigSchema.parse({});
    expect(overheadFor("10", "chat", none)).toBe("0");
    expect(overheadPercentFor("chat", none)).toBeNull();
  });

  it("avoids floating-point drift (0.1 at 20% is exactly 0.02)", () => {
    expect(0.1 * 0.2).not.toBe(0.02);
    expect(overheadFor("0.1", null, overheadConfigSchema.parse({ globalPercent: 20 }))).toBe("0.02");
  });

  it("keeps every digit of a long direct cost", () => {
    expect(overheadFor("0.000000000000000000000000000000000001", null, overheadConfigSchema.parse({ globalPercent: "1000" }))).toBe(
      "0.00000000000000000000000000000000001",
    );
  });

  it("does not treat an inherited property name as a feature override", () => {
    expect(overheadFor("1", "constructor", config)).toBe("0.15");
  });

  it("throws on a negative or non-decimal direct cost", () => {
    expect(() => overheadFor("-1", null, config)).toThrow(RangeError);
    expect(() => overheadFor("abc", null, config)).toThrow(RangeError);
  });
});

describe("overheadConfigSchema", () => {
  it("accepts 0 to 1000 percent and rejects anything else", () => {
    expect(overheadConfigSchema.safeParse({ globalPercent: "0" }).success).toBe(true);
    expect(overheadConfigSchema.safeParse({ globalPercent: "1000" }).success).toBe(true);
    expect(overheadConfigSchema.safeParse({ globalPercent: "1000.01" }).success).toBe(false);
    expect(overheadConfigSchema.safeParse({ globalPercent: "-5" }).success).toBe(false);
    expect(overheadConfigSchema.safeParse({ perFeature: { chat: "abc" } }).success).toBe(false);
  });
});
