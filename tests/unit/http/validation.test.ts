// The one validation formatter: field errors in the form's labels, saying what to do, in the 400 shape.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { formatIssues, labelled, orList, validate } from "@/lib/http/validation";
import { createFollowUpSchema, followUpFilterSchema, justifyItemSchema, updateFollowUpSchema } from "@/lib/review/schemas";
import { justificationSchema } from "@/lib/releases/schemas";

const USER = "6f1c2a9e-3b7d-4c1e-9a2b-1d2e3f4a5b6c";
const SESSION = "0b7e4f2a-9c1d-4e8f-a6b5-3c2d1e0f9a8b";

function failure(schema: z.ZodType, input: unknown): AppError {
  try {
    validate(schema, input);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("expected a validation failure");
}

const fieldsOf = (err: AppError) => Object.fromEntries((err.details?.errors ?? []).map((e) => [e.path, e.message]));

describe("validation messages", () => {
  it("names the assignee by its label and says to pick one, not 'assigneeId must be a UUID'", () => {
    const err = failure(createFollowUpSchema, { sessionId: SESSION, title: "Cap retries", assigneeId: "bob", dueDate: "2026-12-01" });
    expect(err.status).toBe(400);
    expect(err.code).toBe("invalid_request");
    expect(fieldsOf(err)).toEqual({ assigneeId: "Assignee: pick a person from the list" });
    expect(err.message).toBe("The follow-up is not valid: Assignee: pick a person from the list.");
    expect(err.message).not.toMatch(/UUID/);
  });

  it("says an empty due date is required, not that it is not a real calendar date", () => {
    const err = failure(createFollowUpSchema, { sessionId: SESSION, title: "Cap retries", assigneeId: USER, dueDate: "" });
    expect(fieldsOf(err)).toEqual({ dueDate: "Due date: required" });
    expect(err.message).not.toMatch(/calendar/);
  });

  it("says a missing field is required, one message per field", () => {
    const err = failure(createFollowUpSchema, { sessionId: SESSION });
    expect(fieldsOf(err)).toEqual({ title: "Title: required", assigneeId: "Assignee: required", dueDate: "Due date: required" });
    expect(err.details?.errors).toHaveLength(3);
  });

  it("says what to do with a date that does not exist", () => {
    const err = failure(createFollowUpSchema, { sessionId: SESSION, title: "t", assigneeId: USER, dueDate: "2026-02-30" });
    expect(fieldsOf(err)).toEqual({ dueDate: "Due date: enter a date that exists on the calendar" });
  });

  it("lists the choices of a classification in words, not the raw values", () => {
    const err = failure(justifyItemSchema, { text: "Longer answers.", class: "nope" });
    const message = fieldsOf(err).class;
    expect(message).toBe("Classification: choose one of Quality improvement, Launch, Traffic / cohort shift, Provider price change, Regression or Unknown");
    expect(message).not.toMatch(/quality_improvement|provider_price_change/);
  });

  it("says an unchosen classification is required", () => {
    expect(fieldsOf(failure(justifyItemSchema, { text: "Longer answers.", class: "" }))).toEqual({ class: "Classification: required" });
  });

  it("gives a release justification's reason and explanation in the form's words", () => {
    const err = failure(justificationSchema, { class: "because", text: "" });
    expect(fieldsOf(err)).toEqual({
      class: "Reason: choose one of Quality improvement, Launch, Traffic / cohort shift, Provider price change, Regression or Unknown",
      text: "Explanation: required",
    });
  });

  it("words a status choice as the buttons do", () => {
    expect(fieldsOf(failure(updateFollowUpSchema, { status: "closed" }))).toEqual({ status: "Status: choose one of Open, Done or Won't do" });
  });

  it("says what type a labelled field wants instead of zod's 'Invalid input'", () => {
    const schema = labelled(z.object({ count: z.number() }), { labels: { count: "Count" } });
    expect(fieldsOf(failure(schema, { count: "three" }))).toEqual({ count: "Count: enter a number" });
  });

  it("keeps an unlabelled field's own message and names the field in the summary", () => {
    const schema = z.object({ limit: z.coerce.number().int().max(10, "limit must be at most 10") });
    const err = failure(schema, { limit: "11" });
    expect(err.details?.errors).toEqual([{ path: "limit", message: "limit must be at most 10" }]);
    expect(err.message).toBe("The request is not valid: limit: limit must be at most 10.");
  });

  it("labels list items by the list's field, without the index", () => {
    const schema = labelled(z.object({ targets: z.array(z.object({ cohort: z.string().min(1) })) }), { labels: { "targets.cohort": "Cohort" } });
    expect(formatIssues(z.safeParse(schema, { targets: [{ cohort: "a" }, { cohort: "" }] }).error!.issues, { targets: [{ cohort: "a" }, { cohort: "" }] }, { labels: { "targets.cohort": "Cohort" } })).toEqual([
      { path: "targets.1.cohort", message: "Cohort: required" },
    ]);
  });

  it("treats an empty filter parameter as no filter", () => {
    expect(validate(followUpFilterSchema, { status: "", assignee: "", overdue: "1" })).toEqual({ status: undefined, assigneeId: undefined, overdue: true });
  });

  it("joins choices as a sentence", () => {
    expect(orList(["a"])).toBe("a");
    expect(orList(["a", "b"])).toBe("a or b");
    expect(orList(["a", "b", "c"])).toBe("a, b or c");
  });
});
