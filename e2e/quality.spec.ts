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
  // Quality on its own small chart under the cost chart; target and ceiling as labelled lines with their amounts.
  await expect(page.getByTestId("quality-chart")).toContainText("%");
  await expect(page.locator("main")).toContainText("task_success, samples-weighted per week");
  await expect(chart).toContainText(/ceiling \$0\.\d+/);
  // Round ticks on the money axis: every tick label is a multiple of its step, like $0.005, never $0.0095.
  const ticks = (await chart.locator(".recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value").allTextContents()).map((t) => Number(t.replace("$", ""))).sort((a, b) => a - b);
  expect(ticks.length).toBeGreaterThanOrEqual(3);
  const step = ticks[1]! - ticks[0]!;
  const mantissa = step / 10 ** Math.floor(Math.log10(step));
  expect([1, 2, 2.5, 5].some((m) => Math.abs(m - mantissa) < 1e-9)).toBe(true);
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

test("the endpoint chart's legend shows and hides series, each in its own colour, and a week picker moves the chart", async ({ page }) => {
  await signInAs(page, "viewer@example.com");
  await page.getByTestId("review-row-chat.answer").getByRole("link", { name: "chat.answer" }).click();
  const legend = page.getByRole("group", { name: "Show or hide series" });
  const free = legend.getByRole("button", { name: "free" });
  await expect(free).toHaveAttribute("aria-pressed", "true");
  const lines = page.getByTestId("cost-by-cohort-chart").locator(".recharts-line");
  const before = await lines.count();
  await free.click();
  await expect(free).toHaveAttribute("aria-pressed", "false");
  await expect(lines).toHaveCount(before - 1);
  await free.click();
  await expect(lines).toHaveCount(before);
  // No two series share a colour, the quality metric included (free and thumbs_up used to share a green).
  const strokes = await page.locator('[data-testid="cost-by-cohort-chart"] .recharts-line path.recharts-curve, [data-testid="quality-chart"] .recharts-line path.recharts-curve').evaluateAll((ps) => ps.map((p) => p.getAttribute("stroke")));
  expect(strokes.length).toBe(before + 1);
  expect(new Set(strokes).size).toBe(strokes.length);

  const heading = page.getByRole("heading", { name: /Mean cost per request by cohort, 12 weeks to \d{4}-W\d{2}/ });
  const shown = (await heading.innerText()).match(/(\d{4}-W\d{2})/)![1]!;
  const picker = page.getByLabel("Twelve weeks to");
  const earlier = (await picker.locator("option").nth(3).getAttribute("value"))!;
  await picker.selectOption(earlier);
  await expect(page).toHaveURL(new RegExp(`week=${earlier}$`));
  await expect(page.getByRole("heading", { name: `Mean cost per request by cohort, 12 weeks to ${earlier}` })).toBeVisible();
  expect(earlier).not.toBe(shown);
});

test("a release of an endpoint that records quality compares its quality before and after", async ({ page }) => {
  await signInAs(page, "viewer@example.com");
  await page.goto("/releases");
  await page.getByRole("link", { name: "chat 4.2.0" }).click();
  const slot = page.getByTestId("quality-slot").first();
  await expect(slot).toContainText("thumbs_up");
  await expect(slot).toContainText("→");
  await expect(slot).not.toContainText("stand in");
});
