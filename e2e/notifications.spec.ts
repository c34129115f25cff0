// An admin sets up an SMTP server and a webhook in Settings → Notifications, sends a test message through
// each, and sees them delivered in the delivery log; the receivers (an SMTP server and an HTTP server) run
// in this test process and check what arrived.
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { SMTPServer } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";
import { verifySignature } from "../lib/notify/signature";
import { signInAs } from "./helpers";

const SECRET = "e2e-webhook-secret-0123";

async function deliveredInLog(page: Page, text: string) {
  // The log is the page's server data: reload until the app's worker has delivered it.
  await expect(async () => {
    await page.reload();
    const row = page.getByRole("table", { name: "Delivery log" }).getByRole("row").filter({ hasText: text }).first();
    await expect(row.getByTestId("delivery-status")).toHaveText("delivered", { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
}

test("an admin configures SMTP and a webhook, sends test messages and sees them delivered", async ({ page }) => {
  const mails: ParsedMail[] = [];
  const smtp = new SMTPServer({ disabledCommands: ["STARTTLS", "AUTH"], onData: (s, _x, cb) => void simpleParser(s).then((m) => (mails.push(m), cb()), cb) });
  smtp.listen(0, "127.0.0.1");
  await once(smtp.server, "listening");
  const hooks: { body: string; signature: string }[] = [];
  const receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += String(c)));
    req.on("end", () => {
      hooks.push({ body, signature: String(req.headers["cost-review-signature"] ?? "") });
      res.end("ok");
    });
  });
  receiver.listen(0, "127.0.0.1");
  await once(receiver, "listening");
  try {
    await signInAs(page, "admin@example.com");
    await page.goto("/settings/notifications");

    const email = page.getByRole("form", { name: "SMTP server" });
    await email.getByLabel(/^SMTP host/).fill("127.0.0.1");
    await email.getByLabel(/^Port/).fill(String((smtp.server.address() as AddressInfo).port));
    await email.getByLabel(/^From/).fill("not an address");
    await email.getByRole("button", { name: "Set up SMTP server" }).click();
    await expect(email).toContainText("From: must be an address");
    await email.getByLabel(/^From/).fill("Cost Review <review@example.com>");
    await email.getByRole("button", { name: "Set up SMTP server" }).click();
    await expect(email.getByRole("status")).toContainText("Saved the SMTP server");

    const add = page.getByRole("form", { name: "Add a channel" });
    await add.getByLabel(/^Name/).fill("E2E receiver");
    await add.getByLabel(/^URL/).fill("ftp://example.com/hook");
    await add.getByLabel("Signing secret").fill(SECRET);
    await add.getByRole("button", { name: "Add channel" }).click();
    await expect(add).toContainText("URL: must be an http:// or https:// URL");
    await add.getByLabel(/^URL/).fill(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`);
    await add.getByRole("button", { name: "Add channel" }).click();
    await expect(add.getByRole("status")).toContainText("Added the webhook");
    const channels = page.getByRole("table", { name: "Slack and webhook channels" });
    await expect(channels.getByRole("row").filter({ hasText: "E2E receiver" })).toContainText("set");
    await expect(page.locator("body")).not.toContainText(SECRET);

    const test_ = page.getByRole("form", { name: "Send a test message" });
    await test_.getByLabel(/^Channel/).selectOption({ label: "Email: Email (SMTP)" });
    await test_.getByLabel(/^Send to/).fill("ops@example.com");
    await test_.getByRole("button", { name: "Send test message" }).click();
    await expect(test_.getByRole("status")).toContainText("Queued test message");
    await deliveredInLog(page, "ops@example.com");
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe("Cost Review test message");

    await test_.getByLabel(/^Channel/).selectOption({ label: "Webhook: E2E receiver" });
    await test_.getByRole("button", { name: "Send test message" }).click();
    await expect(test_.getByRole("status")).toContainText("Queued test message");
    await deliveredInLog(page, "webhook: E2E receiver");
    expect(hooks).toHaveLength(1);
    expect(verifySignature(SECRET, hooks[0]!.body, hooks[0]!.signature)).toBe(true);
  } finally {
    await new Promise<void>((r) => smtp.close(() => r()));
    await new Promise<void>((r) => receiver.close(() => r()));
  }
});

test("an owner switches a kind of notification off on My work → Notifications, and it stays off", async ({ page }) => {
  await signInAs(page, "owner@example.com");
  await page.goto("/my-work");
  await page.getByRole("link", { name: "Notifications" }).click();
  await expect(page).toHaveURL(/\/my-work\/notifications$/);
  const form = page.getByRole("form", { name: "Notification preferences" });
  const mentions = form.getByLabel("Someone mentioned you in a comment on a review item");
  await expect(mentions).toHaveValue("email");
  await mentions.selectOption("none");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByRole("status")).toHaveText("Saved.");
  await page.reload();
  await expect(page.getByRole("form", { name: "Notification preferences" }).getByLabel("Someone mentioned you in a comment on a review item")).toHaveValue("none");
  await expect(page.getByRole("form", { name: "Notification preferences" }).getByLabel("A follow-up is assigned to you")).toHaveValue("email");
  // The API says the same.
  const res = await page.request.get("/api/v1/me/notifications");
  const body = (await res.json()) as { preferences: { kind: string; channel: string }[] };
  expect(body.preferences.find((p) => p.kind === "comment.mention")?.channel).toBe("none");
});

test("an admin sets the weekly digest's day and hour", async ({ page }) => {
  await signInAs(page, "admin@example.com");
  await page.goto("/settings/notifications");
  const form = page.getByRole("form", { name: "Weekly digest" });
  await expect(form.getByLabel("Day")).toHaveValue("1");
  await form.getByLabel("Day").selectOption({ label: "Friday" });
  await form.getByLabel(/^Hour/).selectOption({ label: "15:00" });
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form).toContainText("Saved: the digest goes out on Friday at 15:00");
  const res = await page.request.get("/api/v1/settings/notifications/digest");
  expect(await res.json()).toEqual({ enabled: true, day: 5, hour: 15 });
  // Back to the default, so the demo database stays as it was.
  await form.getByLabel("Day").selectOption({ label: "Monday" });
  await form.getByLabel(/^Hour/).selectOption({ label: "08:00" });
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form).toContainText("Saved: the digest goes out on Monday at 08:00");
});
