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
