// The 400s of the review and release forms over real HTTP: the JSON shape clients rely on (error.code,
// error.message, error.errors[{path, message}]) with messages in the form's words: the field's label and
// what to do ("Assignee: pick a person from the list", "Due date: required"), choices named as the form
// shows them. A malformed id in the path is still a 404.
import { beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/generate-org";
import { callJson, signIn, type Session } from "../support/http";

const baseUrl = inject("baseUrl");
const NIL_ID = "00000000-0000-4000-8000-000000000000";
const CLASSES_IN_WORDS = "Quality improvement, Launch, Traffic / cohort shift, Provider price change, Regression or Unknown";
let admin: Session;

type ErrorBody = { error: { code: string; message: string; errors?: { path: string; message: string }[] } };

async function refused(method: string, path: string, body?: unknown): Promise<{ message: string; fields: Record<string, string> }> {
  const res = await callJson<ErrorBody>(admin, method, path, body);
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body.error.code).toBe("invalid_request");
  expect(typeof res.body.error.message).toBe("string");
  return { message: res.body.error.message, fields: Object.fromEntries((res.body.error.errors ?? []).map((e) => [e.path, e.message])) };
}

beforeAll(async () => {
  admin = await signIn(baseUrl, "admin@example.com", DEMO_PASSWORD);
});

describe("follow-up form", () => {
  it("names the assignee and says to pick one (was: 'assigneeId must be a UUID')", async () => {
    const r = await refused("POST", "/api/v1/follow-ups", { sessionId: NIL_ID, title: "Trim the prompt", assigneeId: "bob", dueDate: "2030-01-01" });
    expect(r.fields).toEqual({ assigneeId: "Assignee: pick a person from the list" });
    expect(r.message).toBe("The follow-up is not valid: Assignee: pick a person from the list.");
  });

  it("says an empty due date is required (was: 'dueDate is not a real calendar date')", async () => {
    const r = await refused("POST", "/api/v1/follow-ups", { sessionId: NIL_ID, title: "Trim the prompt", assigneeId: NIL_ID, dueDate: "" });
    expect(r.fields).toEqual({ dueDate: "Due date: required" });
  });

  it("says what to do with a date that does not exist", async () => {
    const r = await refused("POST", "/api/v1/follow-ups", { sessionId: NIL_ID, title: "Trim the prompt", assigneeId: NIL_ID, dueDate: "2026-02-30" });
    expect(r.fields).toEqual({ dueDate: "Due date: enter a date that exists on the calendar" });
  });

  it("names a status by the words of its buttons", async () => {
    const r = await refused("PATCH", `/api/v1/follow-ups/${NIL_ID}`, { status: "closed" });
    expect(r.fields).toEqual({ status: "Status: choose one of Open, Done or Won't do" });
  });

  it("filters the list by assignee in the same words", async () => {
    const r = await refused("GET", "/api/v1/follow-ups?assignee=bob");
    expect(r.fields).toEqual({ assignee: "Assignee: pick a person from the list" });
  });

  it("answers 404 for a follow-up id that is not a UUID", async () => {
    const res = await callJson<ErrorBody>(admin, "PATCH", "/api/v1/follow-ups/not-an-id", { status: "done" });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("not_found");
  });
});

describe("review item forms", () => {
  it("lists the classifications in words (was: 'class must be one of quality_improvement, launch, …')", async () => {
    const r = await refused("PUT", `/api/v1/review-items/${NIL_ID}/justification`, { text: "Prompt grew", class: "because" });
    expect(r.fields).toEqual({ class: `Classification: choose one of ${CLASSES_IN_WORDS}` });
    expect(r.message).not.toContain("quality_improvement");
  });

  it("says an empty justification and an unchosen classification are required", async () => {
    const r = await refused("PUT", `/api/v1/review-items/${NIL_ID}/justification`, { text: " ", class: "" });
    expect(r.fields).toEqual({ text: "Justification: required", class: "Classification: required" });
  });

  it("says an acceptance needs a reason and a comment needs text", async () => {
    expect((await refused("POST", `/api/v1/review-items/${NIL_ID}/accept`, { reason: "" })).fields).toEqual({ reason: "Reason: required" });
    expect((await refused("POST", `/api/v1/review-items/${NIL_ID}/comments`, {})).fields).toEqual({ text: "Comment: required" });
  });

  it("asks for people from the list as attendees", async () => {
    const r = await refused("PUT", `/api/v1/review-sessions/${NIL_ID}/attendees`, { userIds: ["bob"] });
    expect(r.fields).toEqual({ "userIds.0": "Attendees: pick people from the list" });
  });
});

describe("release forms", () => {
  it("names the reason's choices in words and asks for the explanation", async () => {
    const r = await refused("POST", `/api/v1/releases/${NIL_ID}/justification`, { class: "because", text: "" });
    expect(r.fields).toEqual({ class: `Reason: choose one of ${CLASSES_IN_WORDS}`, text: "Explanation: required" });
    expect(r.message).toBe(`The justification is not valid: Reason: choose one of ${CLASSES_IN_WORDS}; Explanation: required.`);
  });

  it("says which fields of a new release are required, by their labels", async () => {
    const r = await refused("POST", "/api/v1/releases", { version: "", endpoints: ["chat.answer"], link: "ftp://x" });
    expect(r.fields).toEqual({ version: "Version: required", title: "Title: required", link: "Link: enter an http:// or https:// URL" });
  });

  it("answers 404 for a release id that is not a UUID", async () => {
    const res = await callJson<ErrorBody>(admin, "GET", "/api/v1/releases/not-an-id");
    expect(res.status).toBe(404);
  });
});

describe("shared parameters", () => {
  it("refuses a week that is not an ISO week, and a month that is not a month, naming the field", async () => {
    expect((await refused("GET", "/api/v1/weekly?week=2026-W99")).fields).toEqual({ week: "must be an ISO week like 2026-W47" });
    expect((await refused("GET", "/api/v1/finance/reconciliation?month=2026-13")).fields).toEqual({ month: "must be a month as YYYY-MM, e.g. 2026-10" });
    expect((await refused("GET", "/api/v1/finance/months/2026-13")).fields).toEqual({ month: "must be a month as YYYY-MM, e.g. 2026-10" });
  });
});
