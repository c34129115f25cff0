// What if on the demo data: an owner opens chat.answer, clicks What if…, adds a candidate model from the
// price book, sees the comparison (the actual and each candidate, the quality caveat, the monthly note),
// saves it, records a release decided on it whose page sets the projection against the actual after
// shipping, and opens the saved scenario by its link, answered afresh with the same figures. The page does
// not scroll sideways at a desktop or a phone size (the table scrolls in its own box).
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { signInAs } from "./helpers";

const shots = process.env.E2E_SCREENSHOTS;

/** The document is no wider than the viewport: only boxes inside it scroll sideways. */
async function expectNoSidewaysScroll(page: Page) {
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  expect(scroll).toBeLessThanOrEqual(client);
}

test("an owner tries a cheaper model for an endpoint, saves the scenario and opens it by link", async ({ page }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInAs(page, "owner@example.com");
  await page.goto("/endpoints");
  await page.getByRole("link", { name: "chat.answer", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Chat answer" })).toBeVisible();
  await page.getByRole("link", { name: "What if…" }).click();
  await expect(page).toHaveURL(/\/whatif\/new\?endpoint=chat\.answer$/);
  await expect(page.getByRole("heading", { name: "What if" })).toBeVisible();

  const form = page.getByRole("form", { name: "What if" });
  await expect(form.getByLabel("Endpoint")).toHaveValue("chat.answer");
  // Candidate 1 stays as served (it reproduces the actual); candidate 2 is a cheaper model on batch.
  await form.getByTestId("candidate-1").getByLabel("Name").fill("as is");
  await form.getByRole("button", { name: "Add a candidate" }).click();
  const second = form.getByTestId("candidate-2");
  await second.getByLabel("Name").fill("mini");
  await second.getByLabel("Model").selectOption({ label: "gpt-4o-mini" });
  await form.getByLabel("Growth multiple").fill("2");
  await form.getByRole("button", { name: "Evaluate" }).click();

  const table = page.getByTestId("whatif-table");
  await expect(table).toBeVisible({ timeout: 90_000 });
  await expect(table.locator("tbody tr")).toHaveCount(3);
  const actual = page.getByTestId("whatif-row-actual");
  const asIs = page.getByTestId("whatif-row-c0");
  const mini = page.getByTestId("whatif-row-c1");
  await expect(mini).toContainText("mini");
  // The candidate that changes nothing reproduces the actual, figure for figure (the change column aside).
  const cells = async (row: typeof actual) => (await row.locator("td").allInnerTexts()).slice(1, 9);
  expect(await cells(asIs)).toEqual(await cells(actual));
  await expect(page.getByTestId("whatif-quality")).toContainText("not simulated");
  await expect(page.getByTestId("whatif-method")).toContainText("monthly = weekly × 365 / 12 / 7");
  await expect(page.getByTestId("whatif-unpriced")).toBeVisible();
  const miniCells = await mini.locator("td").allInnerTexts();
  await expectNoSidewaysScroll(page);
  if (shots) await page.screenshot({ path: path.join(shots, "whatif-new-1440.png"), fullPage: true });

  const save = page.getByRole("form", { name: "Save the scenario" });
  await save.getByLabel("Name").fill("chat on mini");
  await save.getByRole("button", { name: "Save" }).click();
  await expect(page).toHaveURL(/\/whatif\/[0-9a-f-]{36}$/, { timeout: 90_000 });
  const link = page.url();
  await expect(page.getByRole("heading", { name: "chat on mini" })).toBeVisible();

  // A release decided on it (candidate 2 shipped, mid-window): its page sets mini's projection against the
  // actual cost per request of the requests after it (the demo's traffic, still served by the old model).
  const from = /(\d{4}-\d{2}-\d{2}) to/.exec(await page.getByTestId("whatif-window").innerText())![1]!;
  const shipped = new Date(Date.parse(`${from}T00:00:00Z`) + 3 * 86_400_000).toISOString().slice(0, 16);
  await page.goto("/releases");
  const record = page.getByRole("form", { name: "Record a release" });
  await record.getByLabel("Version", { exact: true }).fill("chat e2e-whatif");
  await record.getByLabel("Title", { exact: true }).fill("chat.answer on gpt-4o-mini");
  await record.getByLabel(/Shipped at/).fill(shipped);
  await record.getByRole("checkbox", { name: "chat.answer", exact: true }).check();
  await record.getByLabel(/What-if scenario/).selectOption({ label: "chat on mini (chat.answer)" });
  await record.getByLabel("Candidate that shipped").selectOption({ label: "2. mini" });
  await record.getByRole("button", { name: "Record release" }).click();
  await expect(page).toHaveURL(/\/releases\/[0-9a-f-]{36}$/, { timeout: 60_000 });
  await expect(page.getByTestId("release-scenario")).toContainText("chat on mini");
  await expect(page.getByTestId("release-scenario-projected")).toContainText("Projected: mini", { timeout: 90_000 });
  await expect(page.getByTestId("release-scenario-after")).toContainText("Actual after shipping");
  await expect(page.getByTestId("release-scenario-difference")).toContainText("above the projection");
  await expectNoSidewaysScroll(page);
  if (shots) await page.screenshot({ path: path.join(shots, "release-scenario-1440.png"), fullPage: true });

  // The link opens it for anyone who reads the review, answered afresh: the same traffic, the same figures.
  await page.context().clearCookies();
  await signInAs(page, "viewer@example.com");
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "chat on mini" })).toBeVisible();
  await expect(page.getByTestId("whatif-row-c1")).toBeVisible({ timeout: 90_000 });
  expect(await page.getByTestId("whatif-row-c1").locator("td").allInnerTexts()).toEqual(miniCells);
  await expectNoSidewaysScroll(page);
  if (shots) await page.screenshot({ path: path.join(shots, "whatif-saved-1440.png"), fullPage: true });

  // The list links to it.
  await page.goto("/whatif");
  await expect(page.getByTestId("scenarios-table").getByRole("link", { name: "chat on mini" })).toHaveAttribute("href", new URL(link).pathname);

  // A phone: the comparison scrolls in its own box, the page does not.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(link);
  await expect(page.getByTestId("whatif-row-c1")).toBeVisible({ timeout: 90_000 });
  await expectNoSidewaysScroll(page);
  if (shots) await page.screenshot({ path: path.join(shots, "whatif-saved-390.png"), fullPage: true });
  await page.goto("/whatif/new?endpoint=chat.answer");
  await page.getByRole("button", { name: "Evaluate" }).click();
  await expect(page.getByTestId("whatif-table")).toBeVisible({ timeout: 90_000 });
  await expectNoSidewaysScroll(page);
  if (shots) await page.screenshot({ path: path.join(shots, "whatif-new-390.png"), fullPage: true });
});
