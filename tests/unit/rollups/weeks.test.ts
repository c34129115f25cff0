import { describe, expect, it } from "vitest";
import { addWeeks, currentMonday, isoLabel, lastCompleteMonday, mondayOf, weekState } from "@/lib/rollups/weeks";
import { percentChange } from "@/lib/rollups/weekly-report";

describe("ISO weeks", () => {
  it("map labels to their Monday and back, across year ends", () => {
    expect(mondayOf("2026-W47")).toBe("2026-11-16");
    expect(mondayOf("2026-W01")).toBe("2025-12-29");
    expect(mondayOf("2020-W53")).toBe("2020-12-28");
    expect(isoLabel("2026-11-22")).toBe("2026-W47");
    expect(isoLabel("2027-01-01")).toBe("2026-W53");
    expect(mondayOf("2021-W53")).toBeNull(); // 2021 has 52 weeks
    expect(mondayOf("2026-47")).toBeNull();
    expect(addWeeks("2026-11-16", -1)).toBe("2026-11-09");
  });

  it("find the current and last complete week in the organisation's time zone", () => {
    const at = new Date("2026-11-23T03:00:00Z"); // Monday in UTC, still Sunday in Los Angeles
    expect(currentMonday(at, "UTC")).toBe("2026-11-23");
    expect(lastCompleteMonday(at, "UTC")).toBe("2026-11-16");
    expect(currentMonday(at, "America/Los_Angeles")).toBe("2026-11-16");
    expect(lastCompleteMonday(at, "America/Los_Angeles")).toBe("2026-11-09");
  });
});

describe("percent change", () => {
  it("is exact to two places and absent without a base", () => {
    expect(percentChange("0.011", "0.010")).toBe("10.00");
    expect(percentChange("1", "3")).toBe("-66.67");
    expect(percentChange("1", "0")).toBeNull();
    expect(percentChange("1", null)).toBeNull();
  });
});

describe("weekState", () => {
  it("tells a complete week from the one under way and from one that has not started, in the organisation's time zone", () => {
    // Sunday 2026-11-29 23:30 UTC is already Monday 2026-11-30 in Berlin.
    const at = new Date("2026-11-29T23:30:00Z");
    expect(weekState("2026-11-16", at, "UTC")).toBe("complete");
    expect(weekState("2026-11-23", at, "UTC")).toBe("in_progress");
    expect(weekState("2026-11-30", at, "UTC")).toBe("future");
    expect(weekState("2026-11-23", at, "Europe/Berlin")).toBe("complete");
    expect(weekState("2026-11-30", at, "Europe/Berlin")).toBe("in_progress");
  });
});
