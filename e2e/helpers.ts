// Shared steps for the end-to-end tests.
import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "cost-review-demo";

export async function signInAs(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // A sign-in hashes the password with 128 MiB scrypt and then renders the landing page: slow on a busy machine.
  await expect(page.getByTestId("current-user")).toContainText(email, { timeout: 60_000 });
}

export async function navLabels(page: Page): Promise<string[]> {
  // The label only: a link may also carry a count badge (My work).
  return page.getByRole("navigation", { name: "Main" }).locator("[data-nav-label]").allInnerTexts();
}
