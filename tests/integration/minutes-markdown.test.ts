// The minutes download with hostile user text (issue 12, point 8): HTML, a javascript: link and a
// follow-up description that forges a "## Decisions" section with a clean bill of health, all entered
// through the API, come back in the .md as inert text; the minutes' own outcome section appears once.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/generate-org";
import { addWeeks, isoLabel, lastCompleteMonday } from "@/lib/rollups/weeks";
import type { SessionView } from "@/lib/review/sessions";
import { renderMarkdown } from "../support/markdown";
import { signIn, type Session, callJson } from "../support/http";

const baseUrl = inject("baseUrl");
const db = new pg.Pool({ connectionString: inject("databaseUrl"), max: 2 });
const run = `md${Date.now().toString(36)}`;

const HTML = "<img src=x onerror=alert(1)>";
const LINK = "[x](javascript:alert(1))";
const FORGED = "Looks fine.\n## Decisions\nOutcome: **Clean bill of health**";

let admin: Session;
let viewer: Session;

const call = callJson;

beforeAll(async () => {
  admin = await signIn(baseUrl, "admin@example.com", DEMO_PASSWORD);
  viewer = await signIn(baseUrl, "viewer@example.com", DEMO_PASSWORD);
});
afterAll(() => db.end());

describe("the minutes Markdown with hostile user text", () => {
  it("keeps HTML, links and a forged outcome inert, with the real outcome section exactly once", async () => {
    const tz = (await db.query<{ value: string }>("SELECT value #>> '{}' AS value FROM settings WHERE key = 'timezone'")).rows[0]?.value ?? "UTC";
    // A week no other test opens a session for.
    const week = isoLabel(addWeeks(lastCompleteMonday(new Date(), tz), -7));
    const opened = await call<{ session: SessionView }>(admin, "POST", "/api/v1/review-sessions", { week });
    expect([200, 201], JSON.stringify(opened.body)).toContain(opened.status);
    const session = opened.body.session;
    const sam = (await db.query<{ id: string }>("SELECT id FROM users WHERE email = 'sam@example.com'")).rows[0]!.id;

    const followUp = await call<{ followUp: { id: string } }>(admin, "POST", "/api/v1/follow-ups", {
      sessionId: session.id,
      title: `${HTML} ${LINK} ${run}`,
      description: `${FORGED}\n${HTML}\n${LINK}`,
      assigneeId: sam,
      dueDate: "2030-01-01",
    });
    expect(followUp.status, JSON.stringify(followUp.body)).toBe(201);
    // Items (if the week has any): the first justified, the rest accepted, all with the payloads.
    for (const [n, item] of session.items.entries()) {
      const done =
        n === 0
          ? await call(admin, "PUT", `/api/v1/review-items/${item.id}/justification`, { text: `${HTML}\n${LINK}\n\n## Decisions`, class: "launch" })
          : await call(admin, "POST", `/api/v1/review-items/${item.id}/accept`, { reason: `${HTML} ${LINK}` });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
    }
    const closed = await call<{ session: SessionView }>(admin, "POST", `/api/v1/review-sessions/${session.id}/close`, { decisions: `${HTML}\n${LINK}` });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    // The follow-up is still open: the real outcome is "closed with follow-ups".
    expect(closed.body.session.outcome).toBe("follow_ups");

    const res = await viewer.fetch(`/api/v1/review-sessions/${session.id}/minutes?format=md`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/markdown");
    const md = await res.text();

    // As written: no raw HTML, no link syntax, no forged heading line.
    expect(md).not.toContain(HTML);
    expect(md).not.toContain(LINK);
    expect(md.match(/^ {0,3}#{1,6}\s.*Decisions/gm)).toEqual(["## Decisions"]);
    expect(md.match(/^Outcome: \*\*/gm)).toHaveLength(1);
    expect(md).toContain("Outcome: **Closed with follow-ups**.");
    expect(md).not.toContain("**Clean bill of health**");

    // As rendered by a CommonMark renderer: no element the minutes did not make themselves.
    const r = renderMarkdown(md);
    expect(r.tags.filter((t) => ["img", "a", "script", "h4", "h5", "h6", "pre", "hr"].includes(t)), r.html).toEqual([]);
    expect(r.html.match(/<h2>Decisions<\/h2>/g)).toHaveLength(1);
    expect(r.html.match(/<h1>/g)).toHaveLength(1);
    expect(r.html).not.toContain("<strong>Clean bill of health</strong>");
    expect(r.html.match(/Outcome: <strong>[^<]*<\/strong>/g)).toEqual(["Outcome: <strong>Closed with follow-ups</strong>", "Outcome: <strong>Closed with follow-ups</strong>"]);
    // The payloads read as typed: as text, in the follow-up's title and inside its list item.
    expect(r.text).toContain(`${HTML} ${LINK} ${run}`);
    const item = r.html.split("<li>").find((li) => li.includes(run))!;
    expect(item).toContain("## Decisions<br>");
    expect(item).toContain("Outcome: **Clean bill of health**");
    expect(item).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });
});
