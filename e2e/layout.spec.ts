// The layout at a laptop, a small laptop and a phone: the document never scrolls sideways (wide tables
// scroll inside their own box, their first column sticky), the review table's default columns fit from
// 1366 px up with the rest in a column chooser that remembers its choice, and under 768 px the
// navigation folds into a top bar with a keyboard-accessible Menu button.
import { expect, test, type Page } from "@playwright/test";
import { navLabels, signInAs } from "./helpers";

const VIEWPORTS = [
  { width: 1440, height: 900 },
  { width: 1366, height: 768 },
  { width: 390, height: 844 },
];
const ADMIN_NAV = ["Review", "My work", "Endpoints", "Releases", "What if", "Follow-ups", "Incidents", "Budgets", "Finance", "Customers", "Settings"];
const SETTINGS = ["/settings", "/settings/api-keys", "/settings/prices", "/settings/gpu", "/settings/review", "/settings/notifications", "/settings/upload"];

/** The pages to measure: the review, an endpoint, the finance month, the customers month and a customer, a review session, the budgets and one budget, and the settings. */
async function pagesToMeasure(page: Page): Promise<string[]> {
  await page.goto("/review");
  await expect(page).toHaveURL(/\/review\/\d{4}-W\d{2}$/);
  const review = new URL(page.url()).pathname;
  const endpoint = await page.getByTestId("review-row-chat.answer").getByRole("link", { name: "chat.answer" }).getAttribute("href");
  // A session for the week before (the last complete week's own session is the workflow test's to open).
  const previous = ((await page.getByRole("link", { name: /^← \d{4}-W\d{2}$/ }).textContent()) ?? "").replace("← ", "");
  const opened = await page.request.post("/api/v1/review-sessions", { data: { week: previous } });
  expect([200, 201]).toContain(opened.status());
  await page.goto("/finance");
  await expect(page).toHaveURL(/\/finance\/\d{4}-\d{2}$/);
  const finance = new URL(page.url()).pathname;
  await page.goto("/customers");
  await expect(page).toHaveURL(/\/customers\/\d{4}-\d{2}$/);
  const customers = new URL(page.url()).pathname;
  const budget = await page.request.post("/api/v1/budgets", { data: { scope: "organisation", amountUsd: "1" } });
  expect([201, 409]).toContain(budget.status());
  const budgets = (await (await page.request.get("/api/v1/budgets")).json()) as { budgets: { id: string }[] };
  return [review, endpoint!, finance, customers, `${customers}/acme`, `/review/${previous}/session`, "/budgets", `/budgets/${budgets.budgets[0]!.id}`, ...SETTINGS];
}

/** Each table's scrolling box: whether it scrolls, and the computed position of each row's first cell. */
function scrollingTables(page: Page) {
  return page.locator("main table").evaluateAll((tables) =>
    tables.map((t) => {
      let box: HTMLElement | null = t.parentElement;
      while (box && getComputedStyle(box).overflowX === "visible") box = box.parentElement;
      const scrolls = !!box && box.scrollWidth > box.clientWidth;
      const firsts = [...t.querySelectorAll("tr")].map((r) => r.firstElementChild).filter((c): c is Element => !!c);
      return {
        name: t.getAttribute("aria-label") ?? t.getAttribute("data-testid") ?? "(table)",
        scrolls,
        boxed: !!box && box.closest("main") !== null,
        positions: [...new Set(firsts.map((c) => getComputedStyle(c).position))],
      };
    }),
  );
}

for (const vp of VIEWPORTS) {
  test(`at ${vp.width}×${vp.height} no page scrolls sideways, and a table that scrolls keeps its first column`, async ({ page }) => {
    test.setTimeout(180_000);
    await page.setViewportSize(vp);
    await signInAs(page, "admin@example.com");
    const paths = await pagesToMeasure(page);
    let scrolled = 0;
    for (const path of paths) {
      await page.goto(path);
      await expect(page.locator("main h1").first()).toBeVisible();
      const { scrollWidth, clientWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
      }));
      expect(scrollWidth, `${path} is ${scrollWidth} px wide in a ${clientWidth} px window`).toBeLessThanOrEqual(clientWidth);
      for (const t of await scrollingTables(page)) {
        // Every table sits in a box of its own that can scroll, inside the page.
        expect(t.boxed, `${path}: table ${t.name} has no scrolling box`).toBe(true);
        if (!t.scrolls) continue;
        scrolled++;
        expect(t.positions, `${path}: table ${t.name} scrolls but its first column is not sticky`).toEqual(["sticky"]);
      }
    }
    // On a phone the wide tables do scroll (in their boxes), so the sticky check above really ran.
    if (vp.width < 768) expect(scrolled).toBeGreaterThan(3);
  });
}

for (const vp of VIEWPORTS.filter((v) => v.width >= 1366)) {
  test(`at ${vp.width}×${vp.height} every default column of the review table is in view without scrolling`, async ({ page }) => {
    await page.setViewportSize(vp);
    await signInAs(page, "viewer@example.com");
    const table = page.getByRole("table", { name: "Cost per request by endpoint" });
    const box = table.locator("xpath=..");
    await expect(table.getByRole("columnheader", { name: "8 weeks" })).toBeVisible();
    expect(await box.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
    // The last column header ends inside the box.
    const boxRight = (await box.boundingBox())!;
    const last = (await table.locator("thead th").last().boundingBox())!;
    expect(last.x + last.width).toBeLessThanOrEqual(boxRight.x + boxRight.width + 1);
    // The top bar is for small screens only; the sidebar navigation is shown.
    await expect(page.getByTestId("top-bar")).toBeHidden();
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  });
}

test("the review table's column chooser shows a hidden column and remembers the choice after a reload", async ({ page }) => {
  await signInAs(page, "viewer@example.com");
  const table = page.getByRole("table", { name: "Cost per request by endpoint" });
  const chooser = page.getByTestId("column-chooser");
  await expect(table.getByRole("columnheader", { name: "Cached input" })).toHaveCount(0);
  await expect(table.getByRole("columnheader", { name: "Quality" })).toBeVisible();
  await chooser.locator("summary").click();
  await chooser.getByLabel("Cached input").check();
  await chooser.getByLabel("Quality").uncheck();
  await expect(table.getByRole("columnheader", { name: "Cached input" })).toBeVisible();
  await expect(table.getByRole("columnheader", { name: "Quality" })).toHaveCount(0);

  await page.reload();
  await expect(table.getByRole("columnheader", { name: "Cached input" })).toBeVisible();
  await expect(table.getByRole("columnheader", { name: "Quality" })).toHaveCount(0);

  await chooser.locator("summary").click();
  await chooser.getByRole("button", { name: "Reset to the default columns" }).click();
  await expect(table.getByRole("columnheader", { name: "Quality" })).toBeVisible();
  await expect(table.getByRole("columnheader", { name: "Cached input" })).toHaveCount(0);
});

test("at 390 px the navigation is a top bar with a Menu button that opens, closes on Escape and on a link", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signInAs(page, "admin@example.com");
  const menu = page.getByTestId("top-bar").getByRole("button", { name: "Menu" });
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(menu).toBeVisible();
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(nav).toBeHidden();
  // The page has the whole width: the sidebar does not take 208 px of it.
  const main = (await page.locator("main").boundingBox())!;
  expect(main.x).toBe(0);
  expect(main.width).toBe(390);

  // From the keyboard: focus the button, open with Enter, close with Escape (the focus returns to the button).
  await menu.focus();
  await page.keyboard.press("Enter");
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expect(nav).toBeVisible();
  expect(await navLabels(page)).toEqual(ADMIN_NAV);
  await nav.getByRole("link", { name: "Endpoints" }).focus();
  await page.keyboard.press("Escape");
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(nav).toBeHidden();
  await expect(menu).toBeFocused();

  // Following a link goes there and closes the menu.
  await menu.click();
  await nav.getByRole("link", { name: "Finance" }).click();
  await expect(page).toHaveURL(/\/finance\/\d{4}-\d{2}$/);
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(nav).toBeHidden();
  await expect(page.getByRole("heading", { name: /^Finance/ })).toBeVisible();
});
