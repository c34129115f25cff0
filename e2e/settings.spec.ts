// An admin manages users and roles and API keys in Settings; every change shows in the audit log.
import { expect, test } from "@playwright/test";
import { signInAs } from "./helpers";

test("an admin adds a user, changes the role, and finds both in the audit log", async ({ page }) => {
  const email = `e2e-${Date.now()}@example.com`;
  await signInAs(page, "admin@example.com");
  await page.getByRole("link", { name: "Settings" }).click();

  const form = page.getByRole("form", { name: "Add a user" });
  await form.getByLabel("Email", { exact: true }).fill("not-an-email");
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(page.locator("main, form").getByRole("alert")).toContainText("not valid");
  await expect(form).toContainText("email must be a valid email address");

  await form.getByLabel("Name").fill("Nora New");
  await form.getByLabel("Email", { exact: true }).fill(email);
  await form.getByLabel("Role").selectOption("viewer");
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(page.getByRole("status")).toContainText(`Created ${email}`);

  await page.getByLabel(`Role of ${email}`).selectOption("owner");
  await expect(page.getByLabel(`Role of ${email}`)).toHaveValue("owner");

  await page.getByRole("link", { name: "Audit log" }).click();
  const rows = page.getByRole("table", { name: "Audit log" }).getByRole("row");
  await expect(rows.filter({ hasText: "user.update" }).first()).toContainText('"role":"owner"');
  await expect(rows.filter({ hasText: "user.update" }).first()).toContainText("admin@example.com");
});

test("an admin creates an API key, sees it once, and revokes it", async ({ page }) => {
  await signInAs(page, "admin@example.com");
  await page.goto("/settings/api-keys");
  await page.getByLabel("Name").fill("e2e service");
  await page.getByRole("button", { name: "Create key" }).click();
  const key = await page.getByTestId("new-api-key").innerText();
  expect(key).toMatch(/^cr_ingest_[A-Za-z0-9_-]{43}$/);

  const ok = await page.request.get("/api/v1/me", { headers: { Authorization: `Bearer ${key}` } });
  expect(ok.status()).toBe(200);

  await page.reload();
  await expect(page.getByTestId("new-api-key")).toHaveCount(0);
  // Last used, in the app's one time format (UTC ISO), not the browser's locale.
  const lastUsed = page.getByRole("row", { name: /e2e service/ }).getByRole("cell").nth(3);
  await expect(lastUsed).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  await expect(page.getByRole("columnheader", { name: /Last used \(UTC\)/ })).toBeVisible();
  await page.getByRole("row", { name: /e2e service/ }).getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByRole("row", { name: /e2e service/ })).toContainText("revoked");
  const refused = await page.request.get("/api/v1/me", { headers: { Authorization: `Bearer ${key}` } });
  expect(refused.status()).toBe(401);
});

test("the audit log is a paged, filterable table whose long values are truncated and expand in place", async ({ page }) => {
  const run = `e2e${Date.now()}`;
  await signInAs(page, "admin@example.com");
  // A release with a 20,000-character description: its release.create entry carries all of it.
  const created = await page.request.post("/api/v1/releases", {
    data: { version: `${run} 1.0`, title: "Long notes", description: "n".repeat(20_000), endpoints: [`${run}-endpoint`], shippedAt: "2020-01-06T00:00:00Z" },
  });
  expect(created.status(), await created.text()).toBe(201);

  for (const viewport of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
    await page.setViewportSize(viewport);
    await page.goto("/settings/audit");
    const table = page.getByRole("table", { name: "Audit log" });
    const entry = table.getByRole("row").filter({ hasText: "release.create" }).filter({ hasText: `${run} 1.0` });
    await expect(entry).toHaveCount(1);
    // Truncated: the long value does not widen the page (at 1440 px the page fits the window; on a phone
    // the shell's own width is the shell's business, but expanding the value adds nothing to it).
    await expect(entry.getByTestId("audit-value-preview")).toBeVisible();
    const pageWidth = () => page.evaluate(() => document.documentElement.scrollWidth);
    const collapsed = await pageWidth();
    if (viewport.width >= 1024) expect(collapsed).toBeLessThanOrEqual(viewport.width);
    await entry.getByRole("button", { name: /Expand after of entry/ }).click();
    await expect(entry.getByTestId("audit-value-full")).toContainText("n".repeat(500));
    expect(await pageWidth()).toBe(collapsed);
    await entry.getByRole("button", { name: /Collapse after of entry/ }).click();
    await expect(entry.getByTestId("audit-value-full")).toHaveCount(0);
  }
  await page.setViewportSize({ width: 1400, height: 900 });

  // Filter by action and actor; every row shown matches.
  const filter = page.getByRole("form", { name: "Filter the audit log" });
  await filter.getByLabel("Action").selectOption("release.create");
  await filter.getByLabel("Who").fill("ADMIN@example");
  await filter.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/action=release\.create/);
  const rows = page.getByRole("table", { name: "Audit log" }).locator("tbody tr");
  expect(await rows.count()).toBeGreaterThan(0);
  for (const text of await rows.allInnerTexts()) {
    expect(text).toContain("release.create");
    expect(text).toContain("admin@example.com");
  }
  // A range of days with nothing in it.
  await filter.getByLabel("From (UTC day)").fill("2001-01-01");
  await filter.getByLabel("To (UTC day, inclusive)").fill("2001-01-02");
  await filter.getByRole("button", { name: "Filter" }).click();
  // Nothing to list: the message alone, without column headers over no rows.
  await expect(page.getByTestId("audit-log-empty")).toHaveText("No audit entries match.");
  await expect(page.getByRole("table", { name: "Audit log" })).toHaveCount(0);
  // A bad range is said, not a crash.
  await page.goto("/settings/audit?from=2031-01-05&to=2031-01-01");
  await expect(page.getByRole("main").getByRole("alert")).toContainText("to must not be before from");

  // Paging, one entry a page (this test's own sign-in and release make at least two pages):
  // Older continues after the last row, Newer comes back.
  await page.goto("/settings/audit?limit=1");
  await expect(page.getByRole("table", { name: "Audit log" }).locator("tbody tr")).toHaveCount(1);
  const firstPage = await page.getByRole("table", { name: "Audit log" }).locator("tbody tr").first().getAttribute("data-testid");
  const lastOfFirst = await page.getByRole("table", { name: "Audit log" }).locator("tbody tr").last().getAttribute("data-testid");
  await page.getByRole("link", { name: "Older →" }).click();
  await expect(page).toHaveURL(/before=\d+/);
  const firstOfSecond = await page.getByRole("table", { name: "Audit log" }).locator("tbody tr").first().getAttribute("data-testid");
  expect(Number(firstOfSecond!.replace("audit-entry-", ""))).toBeLessThan(Number(lastOfFirst!.replace("audit-entry-", "")));
  await expect(page).toHaveURL(/limit=1/);
  await page.getByRole("link", { name: "← Newer" }).click();
  await expect(page.getByRole("table", { name: "Audit log" }).locator("tbody tr").first()).toHaveAttribute("data-testid", firstPage!);
});
