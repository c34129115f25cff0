// A feature owner sets a monthly budget for their feature, sees its month-end forecast with a range, and
// on the budget's page why it differs from last month: volume and rate per cohort, adding up to the change.
import Decimal from "decimal.js";
import { expect, test } from "@playwright/test";
import { signInAs } from "./helpers";

test("an owner sets a budget for their feature and sees the forecast with its split", async ({ page }) => {
  await signInAs(page, "owner@example.com");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Budgets" }).click();
  await expect(page.getByRole("heading", { name: /^Budgets · \d{4}-\d{2}$/ })).toBeVisible();
  const form = page.getByRole("form", { name: "Add a budget" });
  // An owner budgets only their own features.
  await expect(form.getByLabel("Budget for")).toHaveValue("feature");
  await form.getByLabel("Which one").selectOption("chat");
  await form.getByLabel("Monthly amount (USD)").fill("abc");
  await form.getByRole("button", { name: "Add budget" }).click();
  await expect(form.getByText(/Monthly amount \(USD\)/).locator("..").locator(".text-red-700")).toBeVisible();
  await form.getByLabel("Monthly amount (USD)").fill("0.01");
  await form.getByRole("button", { name: "Add budget" }).click();
  await expect(form.getByRole("status")).toHaveText("Budget added.");

  const row = page.getByTestId("budgets-table").getByRole("row", { name: /Feature chat/ });
  await expect(row).toContainText("over by");
  await row.getByRole("link", { name: "Feature chat" }).click();
  await expect(page.getByRole("heading", { name: /^Feature chat · \d{4}-\d{2}$/ })).toBeVisible();
  await expect(page.getByTestId("budget-verdict")).toContainText("Will be missed by");
  await expect(page.getByTestId("budget-why")).toContainText("volume");
  await expect(page.getByTestId("budget-why")).toContainText("rate");

  // The page's split is the API's, and its parts add up to the change exactly.
  const id = /\/budgets\/([0-9a-f-]{36})/.exec(page.url())![1]!;
  const b = (await (await page.request.get(`/api/v1/budgets/${id}`)).json()) as { forecast: { split: { change: string; volume: string; rate: string; byCohort: { cohort: string | null }[] } } };
  expect(new Decimal(b.forecast.split.volume).plus(b.forecast.split.rate).equals(b.forecast.split.change)).toBe(true);
  await expect(page.getByTestId("budget-split-table").locator("tbody tr")).toHaveCount(b.forecast.split.byCohort.length);

  // The check the app runs every few minutes opens the alert for the owner: My work lists it.
  await page.context().clearCookies();
  await signInAs(page, "admin@example.com");
  expect((await page.request.post("/api/v1/budgets/check")).status()).toBe(200);
  await page.context().clearCookies();
  await signInAs(page, "owner@example.com");
  await page.goto("/my-work");
  await expect(page.getByRole("link", { name: /Feature chat: forecast/ })).toBeVisible();
  await page.getByRole("link", { name: /Feature chat: forecast/ }).click();
  await page.getByRole("button", { name: "Acknowledge the forecast breach" }).click();
  await expect(page.getByTestId("budget-alert")).toContainText("the owner has acknowledged it");
});
