// Personal notifications end to end, through the running app and a real SMTP receiver: a follow-up
// assigned to Priya and a comment that @mentions her each reach her mailbox once; switched off in her
// preferences, they stop; the unsubscribe link in an email shows a confirmation on GET (changing nothing)
// and applies on POST, without a sign-in; a tampered link is refused.
import pg from "pg";
import type { ParsedMail } from "mailparser";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/generate-org";
import { createChannel, deleteChannel } from "@/lib/notify/channels";
import { runOnce } from "@/lib/notify/worker";
import { notifyIncidentOpened, notifyItemsAwaitJustification, remindersStep } from "@/lib/notify/events";
import { addDays, addWeeks, isoLabel, lastCompleteMonday, localDate } from "@/lib/rollups/weeks";
import type { SessionView } from "@/lib/review/sessions";
import { anonymous, callJson as call, signIn, type Session } from "../support/http";
import { mailTo, smtpReceiver, type SmtpReceiver } from "../support/smtp";

const baseUrl = inject("baseUrl");
// Links in what this process enqueues are built from the public URL: the running app's.
process.env.NEXTAUTH_URL = baseUrl;
const db = new pg.Pool({ connectionString: inject("databaseUrl"), max: 4 });
const actor = { label: "personal-notifications-test" };
const run = `pn${Date.now().toString(36)}`;
let smtp: SmtpReceiver;
let channelId: string;
let admin: Session;
let priya: Session;
let priyaId: string;
let session: SessionView;
let tz = "UTC";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Works the outbox (beside the app's own worker) until a mail to Priya matching `match` arrives. */
async function mailFor(match: (m: ParsedMail) => boolean, ms = 20_000): Promise<ParsedMail> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const found = smtp.mails.find((m) => mailTo(m) === "owner@example.com" && match(m));
    if (found) return found;
    await runOnce(db, { workerId: run, delivery: { maxAttempts: 3, backoffBaseSeconds: 1, backoffMaxSeconds: 1 } });
    await sleep(200);
  }
  throw new Error("no such mail arrived");
}

/** The outbox rows for Priya whose key starts with `prefix`. */
async function queuedFor(prefix: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox WHERE recipient_user_id = $1 AND channel = 'email' AND idempotency_key LIKE $2", [priyaId, `${prefix}%`]);
  return rows[0]!.n;
}

beforeAll(async () => {
  smtp = await smtpReceiver();
  await db.query("DELETE FROM notification_channels WHERE kind = 'email'");
  channelId = (await createChannel(db, { kind: "email", host: "127.0.0.1", port: smtp.port, secure: false, from: "Cost Review <review@example.com>" }, actor)).id;
  admin = await signIn(baseUrl, "admin@example.com", DEMO_PASSWORD);
  priya = await signIn(baseUrl, "owner@example.com", DEMO_PASSWORD);
  priyaId = (await db.query<{ id: string }>("SELECT id FROM users WHERE email = 'owner@example.com'")).rows[0]!.id;
  await db.query("DELETE FROM notification_preferences WHERE user_id = $1", [priyaId]);
  tz = (await db.query<{ value: string }>("SELECT value #>> '{}' AS value FROM settings WHERE key = 'timezone'")).rows[0]?.value ?? "UTC";
  // The week before the last complete one: the last complete week's session is the workflow test's own.
  const week = isoLabel(addWeeks(lastCompleteMonday(new Date(), tz), -1));
  const opened = await call<{ session: SessionView }>(admin, "POST", "/api/v1/review-sessions", { week });
  expect([200, 201]).toContain(opened.status);
  session = opened.body.session;
  if (session.status === "closed") session = (await call<{ session: SessionView }>(admin, "POST", `/api/v1/review-sessions/${session.id}/reopen`)).body.session;
  expect(session.status).toBe("open");
});
afterAll(async () => {
  // Its follow-ups done: an open overdue one would be carried over into the next week's session, the one
  // the review workflow test closes with a clean bill of health, whichever file runs first.
  await db.query("UPDATE follow_ups SET status = 'done', completed_at = now() WHERE title LIKE $1 AND status = 'open'", [`${run}%`]);
  await db.query("DELETE FROM notification_preferences WHERE user_id = $1", [priyaId]);
  await deleteChannel(db, channelId, actor).catch(() => undefined);
  await smtp?.close();
  await db.end();
});

describe("personal notifications", () => {
  let unsubscribeLink = "";

  it("a follow-up assigned to Priya reaches her once, with its link and an unsubscribe link for that kind", async () => {
    const title = `${run} trim the prompt`;
    const res = await call(admin, "POST", "/api/v1/follow-ups", { sessionId: session.id, title, assigneeId: priyaId, dueDate: "2030-01-15" });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const mail = await mailFor((m) => m.subject === `Follow-up assigned to you: ${title}`);
    expect(mail.headers.get("x-cost-review-event")).toBe("followup.assigned");
    expect(mail.text).toContain(`is assigned to you: "${title}", due 2030-01-15`);
    expect(mail.text).toContain(`${baseUrl}/follow-ups?assignee=${priyaId}#follow-up-`);
    const m = /Stop these emails: (\S+)/.exec(String(mail.text));
    expect(m).not.toBeNull();
    unsubscribeLink = m![1]!;
    expect(unsubscribeLink).toContain(`${baseUrl}/unsubscribe?u=${priyaId}&k=followup.assigned&t=`);
    expect(mail.headerLines.find((h) => h.key === "list-unsubscribe")?.line).toContain(`${baseUrl}/api/v1/unsubscribe?u=${priyaId}&k=followup.assigned`);
    expect(mail.headerLines.find((h) => h.key === "list-unsubscribe-post")?.line).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    expect(mail.html).toContain("Stop these emails</a>");
    await sleep(1000);
    expect(smtp.mails.filter((x) => x.subject === mail.subject)).toHaveLength(1);
  });

  it("a comment that @mentions Priya (picked by id) reaches her; an unknown person cannot be mentioned", async () => {
    const item = session.items[0]!;
    const text = `${run} @Priya Owner can you look at this?`;
    const bad = await call<{ error: { errors: { path: string }[] } }>(admin, "POST", `/api/v1/review-items/${item.id}/comments`, { text, mentions: ["00000000-0000-4000-8000-000000000000"] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.errors[0]!.path).toBe("mentions");
    const res = await call<{ id: string }>(admin, "POST", `/api/v1/review-items/${item.id}/comments`, { text, mentions: [priyaId] });
    expect(res.status).toBe(201);
    const stored = await db.query<{ mentions: string[] }>("SELECT mentions::text[] AS mentions FROM review_item_comments WHERE id = $1", [res.body.id]);
    expect(stored.rows[0]!.mentions).toEqual([priyaId]);
    const mail = await mailFor((m) => String(m.text).includes(text));
    expect(mail.subject).toBe(`Ada Admin mentioned you on ${item.figures.label}`);
    expect(mail.headers.get("x-cost-review-event")).toBe("comment.mention");
    expect(mail.text).toContain(`${baseUrl}/review/${session.week}/session#item-${item.id}`);
  });

  it("switched off in her preferences, assignments and mentions stop", async () => {
    const put = await call<{ preferences: { kind: string; channel: string }[] }>(priya, "PUT", "/api/v1/me/notifications", { preferences: { "followup.assigned": "none", "comment.mention": "none" } });
    expect(put.status).toBe(200);
    expect(put.body.preferences.find((p) => p.kind === "followup.assigned")!.channel).toBe("none");
    expect(put.body.preferences.find((p) => p.kind === "followup.changed")!.channel).toBe("email");
    const bad = await call(priya, "PUT", "/api/v1/me/notifications", { preferences: { "followup.assigned": "pigeon" } });
    expect(bad.status).toBe(400);
    const [assignedBefore, mentionsBefore] = [await queuedFor("followup.assigned:"), await queuedFor("comment.mention:")];
    const title = `${run} second follow-up`;
    expect((await call(admin, "POST", "/api/v1/follow-ups", { sessionId: session.id, title, assigneeId: priyaId, dueDate: "2030-01-16" })).status).toBe(201);
    expect((await call(admin, "POST", `/api/v1/review-items/${session.items[0]!.id}/comments`, { text: `${run} @Priya Owner again`, mentions: [priyaId] })).status).toBe(201);
    expect(await queuedFor("followup.assigned:")).toBe(assignedBefore);
    expect(await queuedFor("comment.mention:")).toBe(mentionsBefore);
    await runOnce(db, { workerId: run, delivery: { maxAttempts: 3, backoffBaseSeconds: 1, backoffMaxSeconds: 1 } });
    await sleep(1500);
    expect(smtp.mails.some((m) => m.subject?.includes(title) || String(m.text).includes(`${run} @Priya Owner again`))).toBe(false);
  });

  it("the unsubscribe link: GET asks and changes nothing, POST applies without a sign-in; a tampered link is refused", async () => {
    expect((await call(priya, "PUT", "/api/v1/me/notifications", { preferences: { "followup.assigned": "email" } })).status).toBe(200);
    const nobody = anonymous(baseUrl);
    const path = unsubscribeLink.slice(baseUrl.length);
    const page = await nobody.fetch(path);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Stop these emails?");
    expect(html).toContain("owner@example.com");
    const prefs = async () => (await call<{ preferences: { kind: string; channel: string }[] }>(priya, "GET", "/api/v1/me/notifications")).body.preferences.find((p) => p.kind === "followup.assigned")!.channel;
    expect(await prefs()).toBe("email");

    const tampered = path.replace(/t=([A-Za-z0-9_-])/, (_, c: string) => `t=${c === "A" ? "B" : "A"}`);
    const refused = await nobody.fetch(`/api/v1${tampered}`, { method: "POST" });
    expect(refused.status).toBe(400);
    expect(await prefs()).toBe("email");
    const badPage = await nobody.fetch(tampered);
    expect(await badPage.text()).toContain("This unsubscribe link is not valid");

    const applied = await nobody.fetch(`/api/v1${path}`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "text/html" }, body: "" });
    expect(applied.status).toBe(303);
    expect(applied.headers.get("location")).toContain("/unsubscribe?");
    expect(applied.headers.get("location")).toContain("done=1");
    expect(await prefs()).toBe("none");
    const done = await nobody.fetch(applied.headers.get("location")!);
    expect(await done.text()).toContain("Unsubscribed");
    // A mail client's one-click unsubscribe (RFC 8058): a plain POST, answered in JSON.
    const oneClick = await nobody.fetch(`/api/v1${path}`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
    expect(oneClick.status).toBe(200);
    expect(await oneClick.json()).toMatchObject({ unsubscribed: "followup.assigned" });
  });

  it("reminders: a follow-up due tomorrow and one overdue are each told once, however often the scheduler looks", async () => {
    const today = localDate(new Date(), tz);
    const due = `${run} due tomorrow`;
    const late = `${run} overdue`;
    for (const [title, dueDate] of [[due, addDays(today, 1)], [late, addDays(today, -2)]] as const) {
      expect((await call(admin, "POST", "/api/v1/follow-ups", { sessionId: session.id, title, assigneeId: priyaId, dueDate })).status).toBe(201);
    }
    await remindersStep(db);
    await remindersStep(db);
    const tomorrowMail = await mailFor((m) => m.subject === `Follow-up due tomorrow: ${due}`);
    expect(tomorrowMail.headers.get("x-cost-review-event")).toBe("followup.due_tomorrow");
    const lateMail = await mailFor((m) => m.subject === `Overdue follow-up: ${late}`);
    expect(lateMail.text).toContain(`was due ${addDays(today, -2)} and is still open`);
    await remindersStep(db);
    await runOnce(db, { workerId: run, delivery: { maxAttempts: 3, backoffBaseSeconds: 1, backoffMaxSeconds: 1 } });
    await sleep(1000);
    expect(smtp.mails.filter((m) => m.subject === `Follow-up due tomorrow: ${due}` || m.subject === `Overdue follow-up: ${late}`)).toHaveLength(2);
  });

  it("items awaiting a justification and an incident on one's endpoint reach the feature owner, once each", async () => {
    // What opening the session writes (in its transaction) for the owner of the flagged chat.answer.
    await db.query("DELETE FROM outbox WHERE idempotency_key = $1", [`justification.requested:session:${session.id}:${priyaId}`]);
    await notifyItemsAwaitJustification(db, session.id, session.week, null);
    await notifyItemsAwaitJustification(db, session.id, session.week, null);
    const items = await mailFor((m) => /item(s)? in the .* review await(s)? your justification/.test(String(m.subject)) && String(m.text).includes(`/review/${session.week}/session`));
    expect(items.text).toContain("- chat.answer");
    // Not told about what one did oneself: the owner opening it gets nothing.
    await db.query("DELETE FROM outbox WHERE idempotency_key = $1", [`justification.requested:session:${session.id}:${priyaId}`]);
    await notifyItemsAwaitJustification(db, session.id, session.week, priyaId);
    expect(await queuedFor(`justification.requested:session:${session.id}`)).toBe(0);

    // The demo's open incident on support.triage belongs to Sam (the triage feature's owner).
    const incident = (await db.query<{ id: string }>("SELECT id FROM cost_incidents WHERE endpoint = 'support.triage' AND status = 'open' LIMIT 1")).rows[0]!;
    await db.query("DELETE FROM outbox WHERE idempotency_key LIKE $1", [`incident.opened:${incident.id}:%`]);
    await notifyIncidentOpened(db, incident.id);
    await notifyIncidentOpened(db, incident.id);
    const { rows } = await db.query<{ recipient: string }>("SELECT recipient FROM outbox WHERE idempotency_key LIKE $1", [`incident.opened:${incident.id}:%`]);
    expect(rows).toEqual([{ recipient: "sam@example.com" }]);
    const deadline = Date.now() + 20_000;
    while (!smtp.mails.some((m) => mailTo(m) === "sam@example.com" && m.subject === "Cost incident on support.triage") && Date.now() < deadline) {
      await runOnce(db, { workerId: run, delivery: { maxAttempts: 3, backoffBaseSeconds: 1, backoffMaxSeconds: 1 } });
      await sleep(200);
    }
    const mail = smtp.mails.find((m) => mailTo(m) === "sam@example.com" && m.subject === "Cost incident on support.triage")!;
    expect(mail.text).toContain(`${baseUrl}/incidents/${incident.id}`);
  });
});
