// What a form says above its fields when the API refuses the input.
import { describe, expect, it } from "vitest";
import { formLevelMessage } from "@/components/ui/use-api-form";

describe("formLevelMessage", () => {
  it("gives the lead and points at the fields when they carry the details, instead of repeating each", () => {
    const message = "The targets are not valid: Target: the target must not be above the ceiling.";
    expect(formLevelMessage(message, { "targets.0.targetCostUsd": "the target must not be above the ceiling" })).toBe(
      "The targets are not valid: see the fields marked below.",
    );
    expect(formLevelMessage("The follow-up is not valid: Due date: required.", { dueDate: "Due date: required" })).toBe(
      "The follow-up is not valid: see the fields marked below.",
    );
  });

  it("keeps the whole message when there is no field error to show, or it is not a validation message", () => {
    expect(formLevelMessage("The targets are not valid: targets: give at least one.", {})).toBe("The targets are not valid: targets: give at least one.");
    expect(formLevelMessage("This review session is already closed.", { x: "y" })).toBe("This review session is already closed.");
  });
});
