// The shared data table and the pages every segment falls back on: sortable headers announce their
// order (aria-sort) and work from the keyboard, the first column stays in view when the table scrolls
// sideways, and an unknown id says what was not found with a way back to the review.
import { expect, test } from "@playwright/test";
import { signInAs } from "./helpers";

test("the review table's sortable headers carry aria-sort and sort from the keyboard", async ({ page }) => {
  await signInAs(page, "viewer@example.com");
  const table = page.getByRole("table", { name: "Cost per request by endpoint" });
  const header = (name: string) => table.getByRole("columnheader", { name });
  // Flagged first, then by total: both announced; an unsorted column says "none", the chart column nothing.
  await expect(header("Review")).toHaveAttribute("aria-sort", "descending");
  await expect(header("Total")).toHaveAttribute("aria-sort", "descending");
  await expect(header("Requests")).toHaveAttribute("aria-sort", "none");
  await expect(header("8 weeks")).not.toHaveAttribute("aria-sort", /.*/);

  await header("Requests").getByRole("button").focus();
  await page.keyboard.press("Enter");
  await expect(header("Requests")).toHaveAttribute("aria-sort", "descending");
  await expect(header("Total")).toHaveAttribute("aria-sort", "none");
  await page.keyboard.press("Enter");
  await expect(header("Requests")).toHaveAttribute("aria-sort", "ascending");

  // Ascending by requests: each endpoint row has no more requests than the next.
  const counts = await table.locator("tbody tr").evaluateAll((rows) =>
    rows.map((r) => Number((r.children[2]?.querySelector("div > div")?.textContent ?? "").replace(/,/g, ""))),
  );
  expect(counts.length).toBeGreaterThan(2);
  for (let i = 1; i < counts.length; i++) expect(counts[i]!).toBeGreaterThanOrEqual(counts[i - 1]!);
});

test("when the review table scrolls sideways, the endpoint column stays in view", async ({ page }) => {
  await page.setViewportSize({ width: 900, height: 800 });
  await signInAs(page, "viewer@example.com");
  const table = page.getByRole("table", { name: "Cost per request by endpoint" });
  await table.scrollIntoViewIfNeeded(); // below the trend charts
  const box = table.locator("xpath=..");
  const scrolls = await box.evaluate((el) => el.scrollWidth > el.clientWidth);
  expect(scrolls).toBe(true);
  const first = page.getByTestId("review-row-chat.answer").locator("td").first();
  const before = await first.boundingBox();
  await box.evaluate((el) => el.scrollBy(400, 0));
  await expect.poll(() => box.evaluate((el) => el.scrollLeft)).toBeGreaterThan(100);
  const after = await first.boundingBox();
  expect(after!.x).toBeCloseTo(before!.x, 0);
  await expect(first.getByRole("link", { name: "chat.answer" })).toBeInViewport();
  // The second column did move out of the way, so the page really scrolled the table.
  const second = page.getByTestId("review-row-chat.answer").locator("td").nth(1);
  expect((await second.boundingBox())!.x).toBeLessThan(after!.x + 50);
});

test("an unknown release or week says what was not found and links back to the review", async ({ page }) => {
  await signInAs(page, "viewer@example.com");
  const res = await page.goto("/releases/00000000-0000-4000-8000-000000000000");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Release not found" })).toBeVisible();
  await page.getByRole("link", { name: "Back to the review" }).click();
  await expect(page).toHaveURL(/\/review\/\d{4}-W\d{2}$/);

  await page.goto("/review/not-a-week");
  await expect(page.getByRole("heading", { name: "Week not found" })).toBeVisible();
  await expect(page.getByText("Weeks look like 2026-W07.")).toBeVisible();
  // Still inside the app's shell: the navigation stays.
  await expect(page.getByTestId("current-user")).toContainText("viewer@example.com");
});
