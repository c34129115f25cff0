// The weekly review workflow over real HTTP on the demo data: opening a session freezes its items
// (re-pricing later does not rewrite them), owners justify only their own features' items, a session
// cannot close while an item lacks a justification, overdue follow-ups are carried over exactly once,
// and the minutes download carries the whole story.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/generate-org";
import { formatPct } from "@/lib/format";
import { addWeeks, isoLabel, lastCompleteMonday } from "@/lib/rollups/weeks";
import type { FollowUpView, SessionView } from "@/lib/review/sessions";
import { signIn, withKey, type Session, callJson } from "../support/http";

const baseUrl = inject("baseUrl");
const db = new pg.Pool({ connectionString: inject("databaseUrl"), max: 2 });
const run = `wf${Date.now().toString(36)}`;
let admin: Session;
let priya: Session;
let sam: Session;
let viewer: Session;
let monday = "";
let week = "";
const ids: Record<string, string> = {};

type ErrorBody = { error: { code: string; message: string; errors?: { path: string; message: string }[] } };

const call = callJson;

const open = (who: Session, w: string) => call<{ session: SessionView; created: boolean }>(who, "POST", "/api/v1/review-sessions", { week: w });
const getSession = async (id: string) => (await call<{ session: SessionView }>(admin, "GET", `/api/v1/review-sessions/${id}`)).body.session;

beforeAll(async () => {
  admin = await signIn(baseUrl, "admin@example.com", DEMO_PASSWORD);
  priya = await signIn(baseUrl, "owner@example.com", DEMO_PASSWORD);
  sam = await signIn(baseUrl, "sam@example.com", DEMO_PASSWORD);
  viewer = await signIn(baseUrl, "viewer@example.com", DEMO_PASSWORD);
  const tz = (await db.query<{ value: string }>("SELECT value #>> '{}' AS value FROM settings WHERE key = 'timezone'")).rows[0]?.value ?? "UTC";
  monday = lastCompleteMonday(new Date(), tz);
  week = isoLabel(monday);
  for (const email of ["owner@example.com", "sam@example.com", "admin@example.com"]) {
    ids[email] = (await db.query<{ id: string }>("SELECT id FROM users WHERE email = $1", [email])).rows[0]!.id;
  }
});
afterAll(() => db.end());

describe("a review session for the last complete week", () => {
  let session: SessionView;

  it("opens with the flagged endpoint as a movement item; opening again returns the same session", async () => {
    const viewerTry = await open(viewer, week);
    expect(viewerTry.status).toBe(403);
    const first = await open(admin, week);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.created).toBe(true);
    session = first.body.session;
    expect(session.week).toBe(week);
    expect(session.status).toBe("open");
    const chat = session.items.find((i) => i.endpoint === "chat.answer");
    expect(chat, "chat.answer is flagged in the demo week").toBeDefined();
    expect(chat!.feature?.ownerId).toBe(ids["owner@example.com"]);
    expect(Number(chat!.figures.meanChange)).toBeGreaterThanOrEqual(10);
    expect(chat!.explanation?.split.drivers.length).toBeGreaterThan(0);
    // The week's release of the endpoint is linked to the item (the demo ships chat 4.2.0 that week).
    expect((chat!.releases as { version: string }[]).map((r) => r.version)).toContain("chat 4.2.0");
    // The items are exactly the rows the weekly review flags.
    const weekly = await call<{ rows: { endpoint: string | null; change: { meanCost: string | null }; current: { requests: number } | null }[] }>(admin, "GET", `/api/v1/weekly?week=${week}`);
    expect(weekly.status).toBe(200);
    const again = await open(priya, week);
    expect(again.status).toBe(200);
    expect(again.body.created).toBe(false);
    expect(again.body.session.id).toBe(session.id);
    expect(again.body.session.items.map((i) => i.id)).toEqual(session.items.map((i) => i.id));
    const count = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM review_sessions WHERE week = $1::date", [monday]);
    expect(count.rows[0]!.n).toBe(1);
    const byWeek = await call<{ session: SessionView }>(viewer, "GET", `/api/v1/review-sessions?week=${week}`);
    expect(byWeek.body.session.id).toBe(session.id);
    // My work shows the item's change in the app's one percentage format (lib/format.ts), as the session does.
    const chatItem = session.items.find((i) => i.endpoint === "chat.answer")!;
    const mine = await call<{ sections: { key: string; entries: { id: string; detail: string }[] }[] }>(priya, "GET", "/api/v1/my-work");
    const entry = mine.body.sections.find((x) => x.key === "justifications")!.entries.find((e) => e.id === chatItem.id)!;
    expect(entry.detail).toContain(` · mean ${formatPct(chatItem.figures.meanChange)}`);
    expect(entry.detail).toMatch(/ · mean [+-]?\d+\.\d%$/);
  });

  it("keeps the item's figures frozen when more events arrive and the rollups are refreshed", async () => {
    const chat = session.items.find((i) => i.endpoint === "chat.answer")!;
    const before = await call<{ rows: { endpoint: string | null; current: { meanCost: string; requests: number } | null }[] }>(admin, "GET", `/api/v1/weekly?week=${week}`);
    const liveBefore = before.body.rows.find((r) => r.endpoint === "chat.answer")!.current!;
    const keyRes = await call<{ key: string }>(admin, "POST", "/api/v1/api-keys", { name: `workflow ${run}`, scope: "ingest" });
    const svc = withKey(baseUrl, keyRes.body.key);
    // Wednesday noon of the week under review.
    const ts = new Date(new Date(`${monday}T12:00:00Z`).getTime() + 2 * 86_400_000).toISOString();
    const events = Array.from({ length: 40 }, (_, i) => ({ id: `${run}-e${i}`, timestamp: ts, requestId: `${run}-r${i}`, endpoint: "chat.answer", cohort: "free", kind: "tool", costUsd: "7.5" }));
    const ingest = await call<unknown>(svc, "POST", "/api/v1/events", { events });
    expect(ingest.status).toBe(200);
    expect((await admin.fetch("/api/v1/rollups/refresh", { method: "POST" })).status).toBe(200);
    const after = await call<{ rows: { endpoint: string | null; current: { meanCost: string; requests: number } | null }[] }>(admin, "GET", `/api/v1/weekly?week=${week}`);
    const liveAfter = after.body.rows.find((r) => r.endpoint === "chat.answer")!.current!;
    expect(liveAfter.requests).toBe(liveBefore.requests + 40);
    expect(liveAfter.meanCost).not.toBe(liveBefore.meanCost);

    const reread = await getSession(session.id);
    const frozen = reread.items.find((i) => i.id === chat.id)!;
    expect(frozen.figures).toEqual(chat.figures);
    expect(frozen.explanation).toEqual(chat.explanation);
    expect(reread.headline).toEqual(session.headline);
    expect(frozen.figures.requests).toBe(liveBefore.requests);
  });

  it("refuses to close while an item lacks a justification, naming it", async () => {
    const res = await call<ErrorBody>(admin, "POST", `/api/v1/review-sessions/${session.id}/close`, {});
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("conflict");
    expect(res.body.error.message).toContain("justification");
    expect(res.body.error.message).toContain("chat.answer");
    expect((await getSession(session.id)).status).toBe("open");
  });

  it("lets only the feature's owner (or an admin) justify an item, and keeps every version", async () => {
    const chat = session.items.find((i) => i.endpoint === "chat.answer")!;
    const url = `/api/v1/review-items/${chat.id}/justification`;
    const samTry = await call<ErrorBody>(sam, "PUT", url, { text: "not mine", class: "launch" });
    expect(samTry.status).toBe(403);
    expect(samTry.body.error.message).toContain("owner");
    expect((await call<ErrorBody>(viewer, "PUT", url, { text: "x", class: "launch" })).status).toBe(403);

    const bad = await call<ErrorBody>(priya, "PUT", url, { text: "Prompt grew", class: "because" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.errors?.map((e) => e.path)).toContain("class");

    expect((await call(priya, "PUT", url, { text: "First draft", class: "unknown" })).status).toBe(200);
    const text = "The **release in week 11** added 45 % to the prompt for every cohort; <script>alert(1)</script> stays text.";
    expect((await call(priya, "PUT", url, { text, class: "quality_improvement" })).status).toBe(200);
    const item = (await getSession(session.id)).items.find((i) => i.id === chat.id)!;
    expect(item.justification?.body).toBe(text);
    expect(item.justification?.class).toBe("quality_improvement");
    expect(item.history.map((h) => h.body)).toEqual(["First draft", text]);
    expect(item.history[0]!.author).toBe("Priya Owner");
    const audit = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE action = 'review_item.justify' AND entity_id = $1", [chat.id]);
    expect(audit.rows[0]!.n).toBe(2);

    const comment = await call<{ id: string }>(viewer, "POST", `/api/v1/review-items/${chat.id}/comments`, { text: "Is the free tier worth it?" });
    expect(comment.status).toBe(201);
  });

  it("follow-ups: created by an owner, status changed only by the assignee or an admin", async () => {
    const chat = session.items.find((i) => i.endpoint === "chat.answer")!;
    const bad = await call<ErrorBody>(priya, "POST", "/api/v1/follow-ups", { itemId: chat.id, title: "Trim the prompt", assigneeId: ids["sam@example.com"], dueDate: "2026-02-30" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.errors?.map((e) => e.path)).toContain("dueDate");
    expect((await call(viewer, "POST", "/api/v1/follow-ups", { itemId: chat.id, title: "x", assigneeId: ids["sam@example.com"], dueDate: "2030-01-01" })).status).toBe(403);
    const created = await call<{ followUp: FollowUpView }>(priya, "POST", "/api/v1/follow-ups", {
      itemId: chat.id,
      title: "Trim the prompt",
      description: "Cache the system prompt.",
      assigneeId: ids["sam@example.com"],
      dueDate: "2030-01-01",
    });
    expect(created.status).toBe(201);
    const f = created.body.followUp;
    expect(f.sessionId).toBe(session.id);
    expect(f.assignee.email).toBe("sam@example.com");
    const inbox = await call<{ count: number; sections: { key: string; entries: { id: string }[] }[] }>(sam, "GET", "/api/v1/my-work");
    expect(inbox.body.sections.find((s) => s.key === "follow-ups")!.entries.map((e) => e.id)).toContain(f.id);
    const priyaTry = await call<ErrorBody>(priya, "PATCH", `/api/v1/follow-ups/${f.id}`, { status: "done" });
    expect(priyaTry.status).toBe(403);
    const done = await call<{ followUp: FollowUpView }>(sam, "PATCH", `/api/v1/follow-ups/${f.id}`, { status: "done" });
    expect(done.status).toBe(200);
    expect(done.body.followUp.status).toBe("done");
    expect(done.body.followUp.completedAt).not.toBeNull();
  });

  it("closes once every item is justified or accepted, and the minutes carry it all", async () => {
    let s = await getSession(session.id);
    for (const item of s.items.filter((i) => !i.justification && !i.accepted)) {
      expect((await call(priya, "POST", `/api/v1/review-items/${item.id}/accept`, { reason: "x" })).status).toBe(403);
      const noReason = await call<ErrorBody>(admin, "POST", `/api/v1/review-items/${item.id}/accept`, { reason: " " });
      expect(noReason.status).toBe(400);
      expect((await call(admin, "POST", `/api/v1/review-items/${item.id}/accept`, { reason: `Known seasonal move (${item.endpoint})` })).status).toBe(200);
    }
    const closed = await call<{ session: SessionView }>(priya, "POST", `/api/v1/review-sessions/${session.id}/close`, {
      attendeeIds: [ids["owner@example.com"], ids["sam@example.com"]],
      decisions: "Keep the longer prompt.",
    });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    s = closed.body.session;
    expect(s.status).toBe("closed");
    // The only follow-up is done: a clean bill of health.
    expect(s.outcome).toBe("clean");
    expect(s.attendees.map((a) => a.email).sort()).toEqual(["owner@example.com", "sam@example.com"]);
    const chat = s.items.find((i) => i.endpoint === "chat.answer")!;
    expect((await call<ErrorBody>(priya, "PUT", `/api/v1/review-items/${chat.id}/justification`, { text: "late", class: "launch" })).status).toBe(409);
    expect((await call<ErrorBody>(admin, "POST", `/api/v1/review-sessions/${session.id}/close`, {})).status).toBe(409);

    const res = await viewer.fetch(`/api/v1/review-sessions/${session.id}/minutes?format=md`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="review-minutes-\d{4}-W\d{2}\.md"$/);
    const md = await res.text();
    expect(md).toContain(`# Weekly review minutes · ${week}`);
    expect(md).toContain("Clean bill of health");
    expect(md).toContain("Priya Owner (owner@example.com)");
    expect(md).toContain("Sam Search (sam@example.com)");
    expect(md).toContain("The **release in week 11** added 45 %");
    expect(md).toContain("[Done] **Trim the prompt** — Sam Search");
    expect(md).toContain("Keep the longer prompt.");
    // User text is escaped in the Markdown (parentheses too), so it renders exactly as typed.
    for (const item of s.items.filter((i) => i.accepted)) expect(md).toContain(`Known seasonal move \\(${item.endpoint}\\)`);
  });

  it("an admin reopens the closed session (audited); nobody else may, and an open one cannot be reopened", async () => {
    const byOwner = await call<ErrorBody>(priya, "POST", `/api/v1/review-sessions/${session.id}/reopen`);
    expect(byOwner.status).toBe(403);
    expect((await call(viewer, "POST", `/api/v1/review-sessions/${session.id}/reopen`)).status).toBe(403);
    expect((await getSession(session.id)).status).toBe("closed");

    const reopened = await call<{ session: SessionView }>(admin, "POST", `/api/v1/review-sessions/${session.id}/reopen`);
    expect(reopened.status, JSON.stringify(reopened.body)).toBe(200);
    expect(reopened.body.session.status).toBe("open");
    expect(reopened.body.session.outcome).toBeNull();
    expect(reopened.body.session.closedAt).toBeNull();
    // What the sign-off recorded stays for the next one.
    expect(reopened.body.session.attendees.map((a) => a.email).sort()).toEqual(["owner@example.com", "sam@example.com"]);
    expect(reopened.body.session.decisions).toBe("Keep the longer prompt.");
    const audit = await db.query<{ actor_id: string; before: { status: string; outcome: string }; after: { status: string } }>(
      "SELECT actor_id, before, after FROM audit_log WHERE action = 'review_session.reopen' AND entity_id = $1",
      [session.id],
    );
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]!.actor_id).toBe(ids["admin@example.com"]);
    expect(audit.rows[0]!.before).toMatchObject({ status: "closed", outcome: "clean" });
    expect(audit.rows[0]!.after).toEqual({ status: "open" });

    const again = await call<ErrorBody>(admin, "POST", `/api/v1/review-sessions/${session.id}/reopen`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("conflict");
    expect((await call(admin, "POST", "/api/v1/review-sessions/not-a-uuid/reopen")).status).toBe(404);

    // It signs off again as before.
    const closedAgain = await call<{ session: SessionView }>(admin, "POST", `/api/v1/review-sessions/${session.id}/close`, {});
    expect(closedAgain.status, JSON.stringify(closedAgain.body)).toBe(200);
    expect(closedAgain.body.session.outcome).toBe("clean");
  });
});

describe("overdue follow-ups carry into the next week's session", () => {
  it("links an open overdue follow-up exactly once, even when opening is concurrent or retried", async () => {
    const earlier = isoLabel(addWeeks(monday, -3));
    const later = isoLabel(addWeeks(monday, -2));
    const first = await open(admin, earlier);
    expect(first.status).toBe(201);
    const f = await call<{ followUp: FollowUpView }>(admin, "POST", "/api/v1/follow-ups", {
      sessionId: first.body.session.id,
      title: `Check the cache ${run}`,
      assigneeId: ids["sam@example.com"],
      dueDate: "2020-01-01",
    });
    expect(f.status).toBe(201);
    expect(f.body.followUp.overdue).toBe(true);
    const doneElsewhere = await call<{ followUp: FollowUpView }>(admin, "POST", "/api/v1/follow-ups", {
      sessionId: first.body.session.id,
      title: `Already done ${run}`,
      assigneeId: ids["sam@example.com"],
      dueDate: "2020-01-01",
    });
    expect((await call(sam, "PATCH", `/api/v1/follow-ups/${doneElsewhere.body.followUp.id}`, { status: "done" })).status).toBe(200);

    const [a, b] = await Promise.all([open(admin, later), open(priya, later)]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.session.id).toBe(b.body.session.id);
    const retry = await open(admin, later);
    expect(retry.status).toBe(200);
    const s = await getSession(a.body.session.id);
    expect(s.carriedOver.map((c) => c.id)).toEqual([f.body.followUp.id]);
    expect(s.carriedOver[0]!.overdue).toBe(true);
    const links = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM review_session_carryovers WHERE follow_up_id = $1", [f.body.followUp.id]);
    expect(links.rows[0]!.n).toBe(1);

    // An open carried-over follow-up keeps the next session from a clean bill of health.
    for (const item of s.items) await call(admin, "POST", `/api/v1/review-items/${item.id}/accept`, { reason: "older week" });
    const closed = await call<{ session: SessionView }>(admin, "POST", `/api/v1/review-sessions/${s.id}/close`, {});
    expect(closed.status).toBe(200);
    expect(closed.body.session.outcome).toBe("follow_ups");
    const inbox = await call<{ sections: { key: string; entries: { id: string; overdue: boolean }[] }[] }>(sam, "GET", "/api/v1/my-work");
    const entries = inbox.body.sections.find((x) => x.key === "follow-ups")!.entries;
    expect(entries[0]!.id).toBe(f.body.followUp.id);
    expect(entries[0]!.overdue).toBe(true);
  });

  it("refuses a week that has not started, naming the field, and opens nothing", async () => {
    const future = isoLabel(addWeeks(monday, 2));
    const res = await call<ErrorBody>(admin, "POST", "/api/v1/review-sessions", { week: future });
    expect(res.status).toBe(400);
    expect(res.body.error.errors?.[0]).toMatchObject({ path: "week", message: "is in the future" });
    const { rows } = await db.query("SELECT 1 FROM review_sessions WHERE week = $1::date", [addWeeks(monday, 2)]);
    expect(rows).toHaveLength(0);
  });

  it("refuses a week that is not an ISO week, naming the field", async () => {
    const res = await call<ErrorBody>(admin, "POST", "/api/v1/review-sessions", { week: "2026-13" });
    expect(res.status).toBe(400);
    expect(res.body.error.errors?.[0]?.path).toBe("week");
  });
});
