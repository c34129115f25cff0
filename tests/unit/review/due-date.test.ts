// The follow-up form warns about a due date already past, and only then.
import { describe, expect, it } from "vitest";
import { pastDueDateWarning } from "@/lib/review/due-date";

describe("pastDueDateWarning", () => {
  it("warns for a date before today, naming both dates", () => {
    expect(pastDueDateWarning("2026-11-27", "2026-11-29")).toBe(
      "2026-11-27 is in the past (today is 2026-11-29): the follow-up will be overdue as soon as it is created.",
    );
    expect(pastDueDateWarning("2025-12-31", "2026-01-01")).not.toBeNull();
  });

  it("says nothing for today, a later date, or no date yet", () => {
    expect(pastDueDateWarning("2026-11-29", "2026-11-29")).toBeNull();
    expect(pastDueDateWarning("2026-12-01", "2026-11-29")).toBeNull();
    expect(pastDueDateWarning("", "2026-11-29")).toBeNull();
    expect(pastDueDateWarning("2026-1-5", "2026-11-29")).toBeNull();
  });
});
