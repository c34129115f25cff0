// The weekly review on the demo data, as the product meeting opens it: the last complete week, the
// headline figures, the endpoint whose cost per request moved flagged, and its cohorts one click away.
import { expect, test } from "@playwright/test";
import { signInAs } from "./helpers";

test("the review opens on the last complete week with the moved endpoint flagged and its cohorts expandable", async ({ page }) => {
  await signInAs(page, "viewer@example.com");
  await expect(page).toHaveURL(/\/review\/\d{4}-W\d{2}$/);
  await expect(page.getByRole("heading", { name: /Weekly review · \d{4}-W\d{2}/ })).toBeVisible();
  await expect(page.getByTestId("headline-mean")).toContainText("$");
  await expect(page.getByTestId("headline-mean")).toContainText("vs previous week");
  await expect(page.getByTestId("coverage")).toContainText("Unattributed");
  await expect(page.getByTestId("coverage")).toContainText("Unpriced");
  await expect(page.getByTestId("coverage-incomplete")).toContainText(/Incomplete: \d+ events/);

  const chat = page.getByTestId("review-row-chat.answer");
  await expect(chat).toContainText("moved");
  await expect(page.getByTestId("review-row-chat.title")).not.toContainText("moved");

  const why = page.getByTestId("why-chat.answer");
  await expect(why).toContainText("rate");
  await expect(why).toContainText("mix");
  await expect(why).toContainText("Tokens per request");

  await page.getByRole("button", { name: "Expand chat.answer" }).click();
  for (const cohort of ["free", "pro", "acme"]) await expect(page.getByTestId(`review-row-chat.answer/${cohort}`)).toBeVisible();

  await page.getByLabel("Filter endpoints or cohorts").fill("summarise");
  await expect(page.getByTestId("review-row-docs.summarise")).toBeVisible();
  await expect(page.getByTestId("review-row-chat.title")).toHaveCount(0);
});

test("the previous-week link moves the review back a week", async ({ page }) => {
  await signInAs(page, "owner@example.com");
  await expect(page).toHaveURL(/\/review\/\d{4}-W\d{2}$/);
  const url = page.url();
  const week = url.match(/(\d{4}-W\d{2})$/)![1]!;
  await page.getByRole("link", { name: /^← \d{4}-W\d{2}$/ }).click();
  await expect(page).not.toHaveURL(new RegExp(`${week}$`));
  await expect(page.getByRole("heading", { name: /Weekly review/ })).toBeVisible();
});

test("an endpoint opens on twelve weeks of cost by cohort with its release marked, and its most expensive requests, down to one request's breakdown", async ({ page }) => {
  await signInAs(page, "viewer@example.com");
  await page.getByTestId("review-row-chat.answer").getByRole("link", { name: "chat.answer" }).click();
  await expect(page.getByRole("heading", { name: "Chat answer" })).toBeVisible();
  await expect(page.getByTestId("cost-by-cohort-chart").locator("svg").first()).toBeVisible();
  // The release that made chat answers dearer is marked on the chart, in the week it shipped.
  await expect(page.getByTestId("cost-by-cohort-chart").getByTestId("release-marker").filter({ hasText: "chat 4.2.0" })).toBeVisible();
  await expect(page.getByTestId("volume-chart").locator("svg").first()).toBeVisible();
  const outliers = page.getByRole("table", { name: "Most expensive requests" });
  await expect(outliers.getByRole("row")).toHaveCount(11);
  await outliers.getByRole("link").first().click();
  await expect(page).toHaveURL(/\/requests\//);
  await expect(page.locator("main")).toContainText("$");
});

test("an endpoint's own threshold, set in Settings, decides whether it is flagged; the coverage link drills into the gaps", async ({ page }) => {
  await signInAs(page, "admin@example.com");
  await page.goto("/settings/review");
  const own = page.getByLabel("Threshold for chat.answer (%)");
  await own.fill("-5");
  await page.getByRole("button", { name: "Save review settings" }).click();
  await expect(page.getByRole("form", { name: "Review settings" }).getByRole("alert")).toContainText("not valid");
  await expect(page.getByText("must be a decimal string between 0 and 1000")).toBeVisible();

  await own.fill("900");
  await page.getByRole("button", { name: "Save review settings" }).click();
  await expect(page.getByRole("form", { name: "Review settings" }).getByRole("status")).toContainText("Saved");
  await page.goto("/review");
  await expect(page.getByTestId("review-row-chat.answer")).toBeVisible();
  await expect(page.getByTestId("review-row-chat.answer")).not.toContainText("moved");

  await page.getByRole("link", { name: /unattributed and unpriced requests/ }).click();
  await expect(page.getByRole("heading", { name: /Coverage · \d{4}-W\d{2}/ })).toBeVisible();
  await expect(page.getByRole("table", { name: "Unpriced events by model" })).toContainText("triage-ft-v2");
  await expect(page.getByRole("heading", { name: /^Incomplete: \d+ events$/ })).toBeVisible();
  await page.getByRole("table", { name: "Most expensive unattributed requests" }).getByRole("link").first().click();
  await expect(page).toHaveURL(/\/requests\//);

  // Back to the organisation's threshold: the endpoint is flagged again.
  await page.goto("/settings/review");
  await page.getByLabel("Threshold for chat.answer (%)").fill("");
  await page.getByRole("button", { name: "Save review settings" }).click();
  await expect(page.getByRole("form", { name: "Review settings" }).getByRole("status")).toContainText("Saved");
  await page.goto("/review");
  await expect(page.getByTestId("review-row-chat.answer")).toContainText("moved");
});

test("flags can't be missed: a collapsed endpoint shows its flagged cohorts, and the flag count is the number of badges", async ({ page }) => {
  await signInAs(page, "viewer@example.com");
  // search.query's own mean held still, but its acme cohort moved: the collapsed row says so.
  const search = page.getByTestId("review-row-search.query");
  await expect(search.getByTestId("cohorts-flagged")).toContainText("1 cohort moved");
  const count = Number((await page.getByTestId("flag-count").innerText()).match(/(\d+) flagged/)![1]);
  await page.getByRole("button", { name: "Expand all cohorts" }).click();
  await expect(page.getByTestId("review-row-search.query/acme").getByTestId("flag-moved")).toBeVisible();
  await expect(page.getByTestId("flag-moved")).toHaveCount(count);
  // Every endpoint with a flagged cohort carries the count on its own row.
  const cohortBadges = await page.getByTestId("cohorts-flagged").allInnerTexts();
  const cohortsFlagged = cohortBadges.reduce((n, t) => n + Number(t.match(/^(\d+)/)![1]), 0);
  await expect(page.locator('[data-testid^="review-row-"][data-testid*="/"]').getByTestId("flag-moved")).toHaveCount(cohortsFlagged);
});

test("a week in progress and a future week are marked, with no session to open and no comparison of a partial week", async ({ page }) => {
  await signInAs(page, "admin@example.com");
  await expect(page).toHaveURL(/\/review\/\d{4}-W\d{2}$/);
  await expect(page.getByTestId("week-status")).toHaveCount(0);
  // A complete week has its session: one to open, or (when another test opened it) the open one.
  await expect(page.getByTestId("session-banner")).toBeVisible();
  // The week after the last complete one is under way.
  await page.getByRole("link", { name: /^\d{4}-W\d{2} →$/ }).click();
  await expect(page.getByTestId("week-status")).toContainText("In progress");
  await expect(page.getByRole("button", { name: "Open review session" })).toHaveCount(0);
  await expect(page.getByTestId("headline-total")).toContainText("so far this week");
  await expect(page.getByTestId("headline-total")).not.toContainText("vs previous week");
  // Each row's request count is a count so far too: not set against the whole previous week.
  const chatRow = page.getByTestId("review-row-chat.answer");
  await expect(chatRow).toContainText("so far");
  await expect(chatRow.locator("td").nth(2)).not.toContainText("%");
  await expect(page.getByRole("link", { name: /^\d{4}-W\d{2} →$/ })).toHaveCount(0);
  // Far ahead: not started, nothing to review, no $0.00000 and −100.0 %.
  await page.goto("/review/2099-W10");
  await expect(page.getByTestId("week-status")).toContainText("Not started");
  await expect(page.getByRole("button", { name: "Open review session" })).toHaveCount(0);
  await expect(page.locator("main")).not.toContainText("-100.0%");
  await expect(page.locator("main")).not.toContainText("$0.00000");
});

test("the review shows a twelve-week trend, and its sparklines are named pictures, not unlabelled tab stops", async ({ page }) => {
  await signInAs(page, "viewer@example.com");
  const trend = page.getByTestId("review-trend");
  await expect(trend.getByRole("img", { name: /^Total cost per week, \d{4}-W\d{2} \$/ })).toBeVisible();
  await expect(trend.getByRole("img", { name: /^Mean cost per request per week, \d{4}-W\d{2} \$/ })).toBeVisible();
  await expect(page.locator('[role="application"]')).toHaveCount(0);
  const table = page.getByRole("table", { name: "Cost per request by endpoint" });
  await expect(table.getByRole("img", { name: /^chat\.answer: mean cost per request, \d{4}-W\d{2} \$/ })).toBeVisible();
  const unnamedTabStops = await table.locator('[tabindex="0"]').evaluateAll((els) => els.filter((e) => !e.getAttribute("aria-label") && !(e.textContent ?? "").trim()).length);
  expect(unnamedTabStops).toBe(0);
});
