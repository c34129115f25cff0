// The weekly review ritual on the demo data, as the people in it would do it: an admin opens the last
// complete week's session, the chat owner justifies the flagged chat.answer from her inbox and assigns a
// follow-up to Sam, Sam marks it done from his, the admin accepts what nobody justified and closes the
// session, and the downloaded minutes carry all of it.
import { readFileSync } from "node:fs";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { signInAs } from "./helpers";

async function as(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, email);
  return page;
}

test("open a session, justify, assign and finish a follow-up, close with a clean bill of health, export the minutes", async ({ browser }) => {
  test.setTimeout(180_000);
  // The admin opens this week's review from the review page.
  const admin = await as(browser, "admin@example.com");
  await expect(admin).toHaveURL(/\/review\/\d{4}-W\d{2}$/);
  const week = admin.url().match(/(\d{4}-W\d{2})$/)![1]!;
  await expect(admin.getByTestId("session-banner")).toContainText(`No review session for ${week}`);
  await admin.getByRole("button", { name: "Open review session" }).click();
  await expect(admin).toHaveURL(new RegExp(`/review/${week}/session$`));
  const chatItem = admin.getByTestId("item-chat.answer");
  await expect(chatItem).toBeVisible();
  await expect(chatItem).toContainText("Needs justification");
  await expect(chatItem).toContainText("Mean / request");

  // Priya owns chat: it is waiting in her inbox; she justifies it and assigns a follow-up to Sam.
  const priya = await as(browser, "owner@example.com");
  await expect(priya.getByTestId("nav-count-my-work")).toBeVisible();
  await priya.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^My work/ }).click();
  const needs = priya.getByTestId("inbox-justifications");
  await expect(needs).toContainText("chat.answer");
  // Other tests may have opened sessions for other weeks: take this week's item.
  await needs.locator(`a[href^="/review/${week}/session"]`, { hasText: /^chat\.answer$/ }).click();
  await expect(priya).toHaveURL(new RegExp(`/review/${week}/session`));
  const item = priya.getByTestId("item-chat.answer");
  await item.getByLabel("Justification for chat.answer").fill("The week-11 release added **45 %** to the prompt for every cohort; free carries most of the volume.\n\n- better answers\n- <b>not bold</b>");
  await item.getByLabel("Classification for chat.answer").selectOption("quality_improvement");
  await item.getByRole("button", { name: "Save justification" }).click();
  await expect(item.getByTestId("justification")).toContainText("Quality improvement");
  await expect(item.getByTestId("justification").locator("strong")).toHaveText("45 %");
  // HTML in a justification stays text.
  await expect(item.getByTestId("justification")).toContainText("<b>not bold</b>");
  await expect(item.getByTestId("justification").locator("b")).toHaveCount(0);
  await expect(item).toContainText("Justified");

  await item.getByRole("button", { name: "Add follow-up" }).click();
  await item.getByLabel("Follow-up title").fill("Cache the long system prompt");
  await item.getByLabel("Follow-up description").fill("Measure the cache-read share after the change.");
  await item.getByLabel("Assignee").selectOption({ label: "Sam Search (sam@example.com)" });
  // A date already past is allowed, but the form says the follow-up would start overdue.
  await item.getByLabel("Due date").fill("2020-01-06");
  await expect(item.getByTestId("due-date-warning")).toContainText("2020-01-06 is in the past");
  await item.getByLabel("Due date").fill("2031-03-14");
  await expect(item.getByTestId("due-date-warning")).toHaveCount(0);
  await item.getByRole("button", { name: "Create follow-up" }).click();
  await expect(item.getByTestId("follow-up-Cache the long system prompt")).toContainText("Sam Search · due 2031-03-14");

  // Sam sees it in his inbox and marks it done.
  const sam = await as(browser, "sam@example.com");
  const badge = sam.getByTestId("nav-count-my-work");
  await expect(badge).toBeVisible();
  const samCount = Number(await badge.innerText());
  expect(samCount).toBeGreaterThanOrEqual(1);
  await sam.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^My work/ }).click();
  const mine = sam.getByTestId("inbox-follow-ups");
  await expect(mine).toContainText("Cache the long system prompt");
  await expect(mine).toContainText("due 2031-03-14");
  await mine.getByRole("link", { name: "Cache the long system prompt" }).click();
  await expect(sam).toHaveURL(/\/follow-ups/);
  await sam.getByRole("button", { name: "Mark Cache the long system prompt done" }).click();
  await expect(sam.getByTestId("no-follow-ups")).toBeVisible();
  await sam.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^My work/ }).click();
  await expect(sam.getByTestId("inbox-follow-ups")).toContainText("No open follow-ups are assigned to you.");
  if (samCount === 1) await expect(badge).toHaveCount(0);
  else await expect(badge).toHaveText(String(samCount - 1));

  // The admin: closing too early is refused; the other flagged items are accepted with a reason.
  await admin.reload();
  const signOff = admin.getByRole("form", { name: "Sign-off" });
  const pendingAccepts = admin.getByRole("button", { name: "Accept without justification" });
  if ((await pendingAccepts.count()) > 0) {
    await signOff.getByRole("button", { name: "Close session" }).click();
    await signOff.getByRole("button", { name: "Yes, close the session" }).click();
    await expect(signOff.getByRole("alert")).toContainText("cannot close");
  }
  while ((await pendingAccepts.count()) > 0) {
    const before = await pendingAccepts.count();
    const form = admin.getByRole("form", { name: /^Accept / }).first();
    await form.getByRole("textbox").fill("Expected after the tenant onboarding; no action needed.");
    await form.getByRole("button", { name: "Accept without justification" }).click();
    await expect(pendingAccepts).toHaveCount(before - 1);
  }
  await signOff.getByLabel("Attendee Priya Owner").check();
  await signOff.getByLabel("Attendee Sam Search").check();
  await signOff.getByLabel("Decisions").fill("Keep the longer prompt; revisit cost after caching.");
  // Closing asks first; cancelling leaves the session open.
  await signOff.getByRole("button", { name: "Close session" }).click();
  await expect(signOff.getByRole("group", { name: "Confirm sign-off" })).toContainText("only an admin can reopen it");
  await signOff.getByRole("button", { name: "Cancel" }).click();
  await expect(signOff.getByRole("group", { name: "Confirm sign-off" })).toHaveCount(0);
  await expect(admin.getByTestId("session-status")).toContainText("Open");
  await signOff.getByRole("button", { name: "Close session" }).click();
  await signOff.getByRole("button", { name: "Yes, close the session" }).click();
  await expect(admin.getByTestId("session-status")).toContainText("Clean bill of health");
  await expect(admin.getByTestId("sign-off")).toContainText("Keep the longer prompt");

  // An admin can undo the sign-off, and sign off again.
  await admin.getByRole("button", { name: "Reopen session" }).click();
  await admin.getByRole("button", { name: "Yes, reopen the session" }).click();
  await expect(admin.getByTestId("session-status")).toContainText("Open");
  await expect(admin.getByLabel("Decisions")).toBeVisible();
  await signOff.getByLabel("Decisions").fill("Keep the longer prompt; revisit cost after caching.");
  await signOff.getByRole("button", { name: "Close session" }).click();
  await signOff.getByRole("button", { name: "Yes, close the session" }).click();
  await expect(admin.getByTestId("session-status")).toContainText("Clean bill of health");

  // The minutes, read-only and as a Markdown download.
  await admin.getByRole("link", { name: "Minutes" }).click();
  await expect(admin.getByTestId("minutes-outcome")).toContainText("Clean bill of health");
  await expect(admin.getByTestId("minutes")).toContainText("Priya Owner, Sam Search");
  const [download] = await Promise.all([admin.waitForEvent("download"), admin.getByRole("link", { name: "Download Markdown" }).click()]);
  expect(download.suggestedFilename()).toBe(`review-minutes-${week}.md`);
  const md = readFileSync((await download.path())!, "utf8");
  expect(md).toContain(`# Weekly review minutes · ${week}`);
  expect(md).toContain("Outcome: **Clean bill of health**");
  expect(md).toContain("- Priya Owner (owner@example.com)");
  expect(md).toContain("- Sam Search (sam@example.com)");
  expect(md).toMatch(/### 1\. chat\.answer|### \d+\. chat\.answer/);
  expect(md).toContain("(Quality improvement) by Priya Owner");
  expect(md).toContain("The week-11 release added **45 %** to the prompt");
  expect(md).toContain("[Done] **Cache the long system prompt** — Sam Search (sam@example.com), due 2031-03-14");
  expect(md).toContain("Keep the longer prompt; revisit cost after caching.");
  expect(md).toContain("| Mean / request |");
});
