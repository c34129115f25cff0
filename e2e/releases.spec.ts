// Releases in the browser: an admin records one and sees its marker on the endpoint's chart; the chat
// owner justifies the demo's chat release whose cost rose, and the review stops asking for it.
import { expect, test } from "@playwright/test";
import { signInAs } from "./helpers";

test("an admin records a release and it is marked on the endpoint chart", async ({ page }) => {
  await signInAs(page, "admin@example.com");
  await page.goto("/releases");
  const version = `e2e-${Date.now().toString(36)}`;
  const form = page.getByRole("form", { name: "Record a release" });
  // Without a version or an endpoint the form says which fields are missing.
  await form.getByRole("button", { name: "Record release" }).click();
  await expect(form.getByRole("alert")).toContainText("not valid");
  await expect(form).toContainText("Version: required");

  const shipped = new Date(Date.now() - 35 * 86_400_000);
  const local = `${shipped.getFullYear()}-${String(shipped.getMonth() + 1).padStart(2, "0")}-${String(shipped.getDate()).padStart(2, "0")}T12:00`;
  await form.getByLabel("Version").fill(version);
  await form.getByRole("textbox", { name: /^Title/ }).fill("Titles in the user's language");
  await form.getByLabel(/Shipped at/).fill(local);
  await form.getByRole("checkbox", { name: "chat.title" }).check();
  await form.getByRole("textbox", { name: /^Author/ }).fill("Priya Owner");
  await form.getByRole("button", { name: "Record release" }).click();
  await expect(page.getByRole("heading", { name: new RegExp(`${version} · Titles in the user's language`) })).toBeVisible();
  await expect(page.getByTestId("before-after-chat.title")).toBeVisible();

  await page.goto("/releases");
  await expect(page.locator(`[data-testid="release-row"][data-version="${version}"]`)).toBeVisible();
  // The comparison window is an admin setting; a bad value is refused with the reason.
  const windowForm = page.getByRole("form", { name: "Comparison window" });
  await windowForm.getByLabel("Days before and after each release").fill("0");
  await windowForm.getByRole("button", { name: "Save window" }).click();
  await expect(windowForm.getByRole("alert")).toContainText("windowDays must be a whole number of days from 1 to 90");
  await windowForm.getByLabel("Days before and after each release").fill("7");
  await windowForm.getByRole("button", { name: "Save window" }).click();
  await expect(windowForm.getByRole("status")).toContainText("7 days each side");

  await page.goto("/endpoints");
  await page.getByRole("link", { name: "chat.title" }).first().click();
  const marker = page.getByTestId("cost-by-cohort-chart").locator(`[data-testid="release-marker"][aria-label="Release ${version}"]`);
  await expect(marker).toBeVisible();
  await expect(marker).toContainText(version);
  await expect(page.getByTestId("chart-releases")).toContainText(version);
});

test("the chat owner justifies the release whose cost rose and the review no longer asks for it", async ({ page }) => {
  await signInAs(page, "owner@example.com");
  await expect(page).toHaveURL(/\/review\/\d{4}-W\d{2}$/);
  const panel = page.getByTestId("releases-needing-justification");
  const pending = panel.locator('[data-testid="release-needing-justification"][data-version="chat 4.2.0"]');
  await expect(pending).toContainText("Justification required");
  await expect(pending).toContainText("chat.answer");
  // The release also appears where the review explains chat.answer's move.
  await expect(page.getByTestId("why-releases-chat.answer")).toContainText("chat 4.2.0");

  await pending.getByRole("link", { name: "chat 4.2.0" }).click();
  await expect(page.getByTestId("release-status")).toHaveText("Justification required");
  await expect(page.getByTestId("before-after-chat.answer")).toContainText("all cohorts");
  const form = page.getByRole("form", { name: "Justification" });
  await form.getByLabel("Class").selectOption("quality_improvement");
  await form.getByLabel(/Why did cost per request move/).fill("Answers now see the whole conversation; follow-up questions are answered correctly.");
  await form.getByRole("button", { name: "Save justification" }).click();
  await expect(form.getByRole("status")).toContainText("version 1");
  await expect(page.getByTestId("release-status")).toHaveText("Justified");
  await expect(page.getByTestId("justification-version")).toContainText("Priya Owner");
  await expect(page.getByTestId("justification-version")).not.toContainText("owner@example.com");

  await page.goto("/review");
  await expect(page.getByTestId("releases-needing-justification")).toContainText("No release needs a justification.");
  await expect(page.locator('[data-testid="release-needing-justification"]')).toHaveCount(0);
});

test("the owner of another feature cannot justify the chat release", async ({ page }) => {
  await signInAs(page, "sam@example.com");
  await page.goto("/releases");
  await page.getByRole("link", { name: "chat 4.2.0" }).click();
  await expect(page.getByRole("form", { name: "Justification" })).toHaveCount(0);
  await expect(page.getByText("The owner of a feature this release touched, or an admin, writes the justification.")).toBeVisible();
});
