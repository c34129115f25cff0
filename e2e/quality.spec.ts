// Quality and targets beside cost on the demo data: the week-11 chat.answer release breaches its
// ceiling in the review, the endpoint page pairs cost with quality and the target lines, an owner edits
// targets, a quality CSV is uploaded, and the incidents page opens.
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { signInAs } from "./helpers";

const shots = process.env.E2E_SCREENSHOTS;

test("the review shows quality, cost per success and the ceiling breach beside cost per request", async ({ page }) => {
  await signInAs(page, "viewer@example.com");
  const chat = page.getByTestId("review-row-chat.answer");
  await expect(chat).toContainText("over ceiling");
  await expect(chat).toContainText("thumbs_up");
  const docs = page.getByTestId("review-row-docs.summarise");
  await expect(docs).toContainText("task_success");
  await expect(docs).toContainText("over target");
  await page.getByRole("button", { name: "Expand chat.answer" }).click();
  // A cheap cohort is held against the all-cohorts ceiling too, and is within it.
  await expect(page.getByTestId("review-row-chat.answer/free")).toContainText("within");
  if (shots) await page.screenshot({ path: path.join(shots, "review.png"), fullPage: true });
});

test("the endpoint page pairs cost with quality, shows target and ceiling, and its owner edits the targets", async ({ page }) => {
  await signInAs(page, "owner@example.com");
  await page.getByTestId("review-row-docs.summarise").getByRole("link", { name: "docs.summarise" }).click();
  const chart = page.getByTestId("cost-by-cohort-chart");
  await expect(chart.locator("svg").first()).toBeVisible();
  await expect(chart).toContainText("task_success");
  await expect(chart).toContainText("ceiling");
  const summary = page.getByRole("definition").filter({ hasText: "$" }).first();
  await expect(summary).toBeVisible();
  await expect(page.locator("main")).toContainText("Cost per successful outcome");
  await page.getByText("Edit targets").click();
  await page.getByLabel("Ceiling $/request (row 1)").fill("0.0001");
  await page.getByLabel("Target $/request (row 1)").fill("0.5");
  await page.getByRole("button", { name: "Save targets" }).click();
  await expect(page.getByText("the target must not be above the ceiling")).toBeVisible();
  await page.getByLabel("Target $/request (row 1)").fill("0.00005");
  await page.getByRole("button", { name: "Save targets" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();
  await expect(page.getByRole("table", { name: "Targets by cohort" })).toContainText("$0.00010");
  if (shots) await page.screenshot({ path: path.join(shots, "endpoint.png"), fullPage: true });
});

test("an admin uploads a quality CSV and sees the bad row on its line", async ({ page }) => {
  await signInAs(page, "admin@example.com");
  await page.goto("/settings/upload");
  const file = path.join(tmpdir(), `quality-${Date.now()}.csv`);
  writeFileSync(file, "day,endpoint,cohort,metric,value,samples\n2026-01-05,chat.title,,task_success,0.9,40\n2026-01-05,chat.title,,task_success,2,40\n");
  await page.getByLabel("Quality CSV file").setInputFiles(file);
  const status = page.getByRole("status").filter({ hasText: "rows stored" }).or(page.getByRole("status").filter({ hasText: "row stored" }));
  await expect(status).toContainText("1 row stored");
  await expect(status).toContainText("line 3: value:");
});

test("the incidents page opens from the navigation", async ({ page }) => {
  await signInAs(page, "viewer@example.com");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Incidents" }).click();
  await expect(page.getByRole("heading", { name: "Cost incidents" })).toBeVisible();
  if (shots) await page.screenshot({ path: path.join(shots, "incidents.png"), fullPage: true });
});
