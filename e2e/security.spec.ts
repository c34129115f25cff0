// Open-redirect payloads in callbackUrl never take the browser off the app, whether the visitor is
// already signed in (the sign-in page redirects at once) or signs in through the form.
import { expect, test, type Page } from "@playwright/test";
import { DEMO_PASSWORD, signInAs } from "./helpers";

// Each as it is written into the address bar; nothing listens on 127.0.0.1:9.
const PAYLOADS = [
  "/%5C127.0.0.1:9/x",
  "/%5c127.0.0.1:9/x",
  "/%09/127.0.0.1:9/x",
  "/\t/127.0.0.1:9/x",
  "/\\127.0.0.1:9/x",
  "//127.0.0.1:9/x",
  "%2F%2F127.0.0.1:9/x",
  "https://127.0.0.1:9/x",
  "/%255C127.0.0.1:9/x",
];

async function expectOnApp(page: Page, baseURL: string | undefined): Promise<void> {
  await expect(page.getByTestId("current-user")).toBeVisible({ timeout: 60_000 });
  expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
  expect(new URL(page.url()).pathname).not.toContain("127.0.0.1");
}

test("a signed-in visitor sent to the sign-in page with a hostile callbackUrl stays on the app", async ({ page, baseURL }) => {
  test.setTimeout(180_000);
  const cspViolations: string[] = [];
  page.on("console", (m) => {
    if (m.text().includes("Content Security Policy")) cspViolations.push(m.text());
  });
  await signInAs(page, "finance@example.com");
  for (const payload of PAYLOADS) {
    await page.goto(`/signin?callbackUrl=${payload}`);
    await expectOnApp(page, baseURL);
  }
  // A same-site callbackUrl is still followed.
  await page.goto(`/signin?callbackUrl=${encodeURIComponent("/finance")}`);
  await expect(page).toHaveURL(/\/finance(\/|$)/);
  // The headers' CSP leaves Next.js's inline scripts and the charts (recharts, on the review) alone.
  await page.goto("/review");
  await expect(page.locator("svg.recharts-surface").first()).toBeVisible();
  expect(cspViolations).toEqual([]);
});

test("signing in through the form with a hostile callbackUrl lands on the app", async ({ page, baseURL }) => {
  test.setTimeout(300_000);
  for (const payload of PAYLOADS) {
    await page.context().clearCookies();
    await page.goto(`/signin?callbackUrl=${payload}`);
    await page.getByLabel("Email").fill("viewer@example.com");
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expectOnApp(page, baseURL);
  }
  // And a same-site one is followed after signing in.
  await page.context().clearCookies();
  await page.goto(`/signin?callbackUrl=${encodeURIComponent("/releases")}`);
  await page.getByLabel("Email").fill("viewer@example.com");
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/releases$/);
  await expect(page.getByTestId("current-user")).toBeVisible();
});

test("pages carry the security headers and cannot be framed", async ({ page }) => {
  const res = await page.goto("/signin");
  const headers = res!.headers();
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
});
