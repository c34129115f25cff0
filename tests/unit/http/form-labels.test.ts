// The settings, targets, incident, user and API key forms' schemas carry their labels: a refused field
// reads "Label: what to do" in the form's words, and the 400's lead names the form's subject.
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { validate } from "@/lib/http/validation";
import { createApiKeySchema } from "@/lib/auth/schemas";
import { resolveIncidentSchema } from "@/lib/incidents/schemas";
import { gpuPoolCreateSchema, overheadConfigSchema } from "@/lib/pricing/schemas";
import { putTargetsSchema } from "@/lib/targets/schemas";
import { createUserSchema } from "@/lib/users/schemas";

function refusal(schema: Parameters<typeof validate>[0], input: unknown): { summary: unknown; fields: Record<string, string> } {
  try {
    validate(schema, input);
  } catch (e) {
    const err = e as AppError;
    return { summary: err.details?.summary, fields: Object.fromEntries((err.details?.errors ?? []).map((f) => [f.path, f.message])) };
  }
  throw new Error("expected a 400");
}

describe("labelled form schemas", () => {
  it("GPU pool price: each field by its label", () => {
    const r = refusal(gpuPoolCreateSchema, { name: " ", hourlyUsd: "-1", effectiveFrom: "January" });
    expect(r.summary).toBe("The GPU pool price is not valid");
    expect(r.fields).toEqual({
      name: "Pool name: required",
      hourlyUsd: expect.stringMatching(/^Hourly price \(USD\): .*negative/),
      effectiveFrom: expect.stringMatching(/^Effective from \(UTC\): .*ISO 8601/),
    });
  });

  it("overhead: the global percentage by its label", () => {
    expect(refusal(overheadConfigSchema, { globalPercent: "-3" }).fields).toEqual({ globalPercent: expect.stringMatching(/^Global overhead \(%\): /) });
  });

  it("targets: a row's field by its column's label, whatever the row", () => {
    const r = refusal(putTargetsSchema, { endpoint: "chat", targets: [{ targetCost: "0.02", ceilingCost: "0.01" }, { cohort: "eu", latencyBudgetMs: 1.5 }] });
    expect(r.summary).toBe("The targets are not valid");
    expect(r.fields).toEqual({
      "targets.0.targetCost": "Target $/request: the target must not be above the ceiling",
      "targets.1.latencyBudgetMs": "p95 latency budget (ms): must be whole milliseconds",
    });
  });

  it("incident resolution, user and API key: required, and choices in the form's words", () => {
    expect(refusal(resolveIncidentSchema, { note: "  " }).fields).toEqual({ note: "Resolution note: required" });
    const user = refusal(createUserSchema, { email: "not-an-email", name: "", role: "boss" });
    expect(user.summary).toBe("The user is not valid");
    expect(user.fields).toEqual({
      email: "Email: email must be a valid email address",
      name: "Name: required",
      role: "Role: choose one of admin, owner, finance or viewer",
    });
    expect(refusal(createApiKeySchema, { name: "", scope: "root" }).fields).toEqual({
      name: "Name: required",
      scope: "Scope: choose one of ingest: post events or admin: everything",
    });
  });
});
