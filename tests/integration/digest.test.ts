// The weekly digest end to end: the scheduler's step enqueues the demo's last complete week (twice: the
// second time nothing), the app's worker delivers it to a real SMTP receiver, once per person who attends,
// with the flagged endpoint, its why-it-moved line, and links that answer 200 on the running app.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/generate-org";
import { createChannel, deleteChannel } from "@/lib/notify/channels";
import { digestRecipients, digestStep } from "@/lib/notify/digest";
import { runOnce } from "@/lib/notify/worker";
import { currentMonday, isoLabel, lastCompleteMonday } from "@/lib/rollups/weeks";
import { signIn } from "../support/http";
import { mailTo, smtpReceiver, type SmtpReceiver } from "../support/smtp";

const baseUrl = inject("baseUrl");
// Links in messages are built from the public URL: the running app's.
process.env.NEXTAUTH_URL = baseUrl;
const db = new pg.Pool({ connectionString: inject("databaseUrl"), max: 4 });
const actor = { label: "digest-test" };
let smtp: SmtpReceiver;
let channelId: string;

beforeAll(async () => {
  smtp = await smtpReceiver();
  // The suite's database may hold an SMTP channel of an earlier run: one only.
  await db.query("DELETE FROM notification_channels WHERE kind = 'email'");
  channelId = (await createChannel(db, { kind: "email", host: "127.0.0.1", port: smtp.port, secure: false, from: "Cost Review <review@example.com>" }, actor)).id;
});
afterAll(async () => {
  await deleteChannel(db, channelId, actor).catch(() => undefined);
  await smtp?.close();
  await db.end();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("the weekly digest", () => {
  it("arrives once per person for the demo's last complete week, with the flagged endpoint, why it moved, and working links", async () => {
    const now = new Date();
    const tz = (await db.query<{ value: string }>("SELECT value #>> '{}' AS value FROM settings WHERE key = 'timezone'")).rows[0]?.value ?? "UTC";
    const week = isoLabel(lastCompleteMonday(now, tz));
    // Monday 23:00 UTC of this week: past the default send time (Monday 08:00) in any time zone this test runs with.
    const sendTime = new Date(`${currentMonday(now, tz)}T23:00:00Z`);
    await db.query("DELETE FROM outbox WHERE idempotency_key LIKE $1", [`digest:${week}:%`]);
    const people = await digestRecipients(db);
    expect(people.map((p) => p.email)).toContain("admin@example.com");

    const first = await digestStep(db, sendTime);
    expect(first).toEqual({ week, enqueued: people.length });
    // The scheduler looks again (another tick, another instance, a restart): nothing new.
    expect(await digestStep(db, sendTime)).toEqual({ week, enqueued: 0 });

    // Deliver: this process's worker and the app's own race for the messages; each is sent once.
    const deadline = Date.now() + 30_000;
    while (smtp.mails.filter((m) => m.subject?.includes(week)).length < people.length && Date.now() < deadline) {
      await runOnce(db, { workerId: "digest-test", delivery: { maxAttempts: 3, backoffBaseSeconds: 1, backoffMaxSeconds: 1 } });
      await sleep(200);
    }
    await sleep(1500);
    const mails = smtp.mails.filter((m) => m.subject?.includes(week));
    expect(mails.map(mailTo).sort()).toEqual(people.map((p) => p.email).sort());
    const { rows } = await db.query<{ status: string; n: number }>("SELECT status, count(*)::int AS n FROM outbox WHERE idempotency_key LIKE $1 GROUP BY status", [`digest:${week}:%`]);
    expect(rows).toEqual([{ status: "delivered", n: people.length }]);

    const mail = mails.find((m) => mailTo(m) === "admin@example.com")!;
    expect(mail.headers.get("x-cost-review-event")).toBe("review.digest");
    // The demo's last week: chat.answer's release put the conversation history into the prompt.
    expect(mail.text).toMatch(/- chat\.answer: mean \$[\d.]+ per request \(\+[\d.]+%\)/);
    expect(mail.text).toMatch(/Why it moved: mean \$[\d.]+ → \$[\d.]+ \(\+[\d.]+%\): mix -?\$[\d.]+, rate -?\$[\d.]+ per request; by cohort: /);
    expect(mail.html).toContain("chat.answer: mean");

    const links = [...new Set([...String(mail.html).matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, "&")))];
    expect(links).toContain(`${baseUrl}/review/${week}`);
    expect(links).toContain(`${baseUrl}/coverage/${week}`);
    expect(links.some((l) => l.startsWith(`${baseUrl}/endpoints/`))).toBe(true);
    expect(links.some((l) => l.startsWith(`${baseUrl}/releases/`))).toBe(true);
    expect(links.some((l) => l.startsWith(`${baseUrl}/incidents/`))).toBe(true);
    const admin = await signIn(baseUrl, "admin@example.com", DEMO_PASSWORD);
    for (const link of links) {
      expect(link.startsWith(baseUrl), link).toBe(true);
      const res = await admin.fetch(link.slice(baseUrl.length));
      expect(res.status, link).toBe(200);
      await res.body?.cancel();
    }
  });
});
