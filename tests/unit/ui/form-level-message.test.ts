// What a form says above its fields when the API refuses the input.
import { describe, expect, it } from "vitest";
import { formLevelMessage } from "@/components/ui/use-api-form";
import { validate } from "@/lib/http/validation";
import { putTargetsSchema } from "@/lib/targets/schemas";
import { AppError } from "@/lib/errors";

describe("formLevelMessage", () => {
  it("gives the 400's summary and points at the fields when they carry the details, instead of repeating each", () => {
    const message = "The targets are not valid: Target: the target must not be above the ceiling.";
    expect(
      formLevelMessage({ message, summary: "The targets are not valid", fields: { "targets.0.targetCostUsd": "the target must not be above the ceiling" } }),
    ).toBe("The targets are not valid: see the fields marked below.");
    expect(formLevelMessage({ message: "The follow-up is not valid: Due date: required.", summary: "The follow-up is not valid", fields: { dueDate: "Due date: required" } })).toBe(
      "The follow-up is not valid: see the fields marked below.",
    );
  });

  it("keeps the whole message when there is no field error to show, or no summary (not a validation 400)", () => {
    expect(formLevelMessage({ message: "The targets are not valid: targets: give at least one.", summary: "The targets are not valid", fields: {} })).toBe(
      "The targets are not valid: targets: give at least one.",
    );
    expect(formLevelMessage({ message: "This review session is already closed.", fields: { x: "y" } })).toBe("This review session is already closed.");
    // A message that looks like a validation lead is not parsed: only the summary the API sends counts.
    expect(formLevelMessage({ message: "The overhead setting is not valid: see the log.", fields: { x: "y" } })).toBe("The overhead setting is not valid: see the log.");
  });

  it("reads the summary a validation 400 carries beside its unchanged message", () => {
    const err = (() => {
      try {
        validate(putTargetsSchema, { endpoint: "chat", targets: [{ targetCostUsd: "x" }] });
      } catch (e) {
        return e as AppError;
      }
      throw new Error("expected a 400");
    })();
    expect(err.status).toBe(400);
    expect(err.details?.summary).toBe("The targets are not valid");
    expect(err.message.startsWith("The targets are not valid: ")).toBe(true);
    const fields = Object.fromEntries((err.details?.errors ?? []).map((e) => [e.path, e.message]));
    expect(formLevelMessage({ message: err.message, summary: err.details?.summary as string, fields })).toBe("The targets are not valid: see the fields marked below.");
  });
});
