// Each role signs in, lands on its start page and sees its own navigation; the server, not the
// hidden button, refuses what a role may not do; signing out ends the session.
import { expect, test } from "@playwright/test";
import { navLabels, signInAs } from "./helpers";

const ROLES = [
  { email: "admin@example.com", role: "admin", landing: /\/review(\/\d{4}-W\d{2})?$/, nav: ["Review", "My work", "Endpoints", "Releases", "What if", "Follow-ups", "Incidents", "Budgets", "Finance", "Customers", "Settings"] },
  { email: "owner@example.com", role: "owner", landing: /\/review(\/\d{4}-W\d{2})?$/, nav: ["Review", "My work", "Endpoints", "Releases", "What if", "Follow-ups", "Incidents", "Budgets"] },
  { email: "finance@example.com", role: "finance", landing: /\/finance\/\d{4}-\d{2}$/, nav: ["Review", "My work", "Endpoints", "Releases", "What if", "Follow-ups", "Incidents", "Budgets", "Finance", "Customers"] },
  { email: "viewer@example.com", role: "viewer", landing: /\/review(\/\d{4}-W\d{2})?$/, nav: ["Review", "My work", "Endpoints", "Releases", "What if", "Follow-ups", "Incidents", "Budgets"] },
];

for (const r of ROLES) {
  test(`${r.role} signs in, lands on the start page and sees the ${r.role} navigation`, async ({ page }) => {
    await signInAs(page, r.email);
    await expect(page).toHaveURL(r.landing);
    await expect(page.getByTestId("current-role")).toHaveText(r.role);
    expect(await navLabels(page)).toEqual(r.nav);
  });
}

test("the endpoints page lists the demo organisation's endpoints with their owners", async ({ page }) => {
  await signInAs(page, "viewer@example.com");
  await page.getByRole("link", { name: "Endpoints" }).click();
  // The review page behind it has chat.answer cells too: wait for the endpoints page itself.
  await expect(page).toHaveURL(/\/endpoints$/);
  const table = page.getByRole("table", { name: "Registered endpoints" });
  await expect(table.getByRole("cell", { name: "chat.answer" })).toBeVisible();
  await expect(table.getByRole("row", { name: /chat\.answer/ })).toContainText("Priya Owner");
});

test("a viewer's admin mutation is refused by the server, and nothing changes", async ({ page }) => {
  await signInAs(page, "viewer@example.com");
  // No Settings link for a viewer, so call the API directly with the viewer's own session cookie.
  const create = await page.request.post("/api/v1/users", {
    data: { email: "sneaky@example.com", name: "Sneaky", role: "admin", password: "a-long-password" },
  });
  expect(create.status()).toBe(403);
  expect((await create.json()).error.code).toBe("forbidden");
  const users = await page.request.get("/api/v1/users");
  expect(users.status()).toBe(403);
  // And the settings page itself is refused.
  const settings = await page.goto("/settings");
  expect(settings?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "Not for your role" })).toBeVisible();
});

test("signing out ends the session", async ({ page }) => {
  await signInAs(page, "owner@example.com");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.goto("/review");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Freview/);
  expect((await page.request.get("/api/v1/me")).status()).toBe(401);
});

test("a wrong password is refused with a message", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("Email").fill("admin@example.com");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("main, form").getByRole("alert")).toHaveText("Wrong email or password.");
});

test("signed out, every page sends you to sign in and every API route answers 401", async ({ page, request }) => {
  for (const path of ["/review", "/endpoints", "/releases", "/follow-ups", "/finance", "/settings", "/settings/api-keys", "/settings/audit"]) {
    await page.goto(path);
    await expect(page).toHaveURL(new RegExp(`/signin\\?callbackUrl=${encodeURIComponent(path)}`));
  }
  for (const path of ["/api/v1/me", "/api/v1/users", "/api/v1/api-keys", "/api/v1/audit", "/api/v1/endpoints"]) {
    const res = await request.get(path);
    expect(res.status(), path).toBe(401);
  }
  // After signing in, the user is taken back where they were going.
  await page.goto("/endpoints");
  await page.getByLabel("Email").fill("viewer@example.com");
  await page.getByLabel("Password").fill("cost-review-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/endpoints$/);
});
