// Every main page, signed in as an admin and as a viewer, has no serious or critical accessibility
// violation that axe-core finds (WCAG 2 A/AA rules), in the light and the dark colour scheme.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { signInAs } from "./helpers";

const EVERYONE = ["/review", "/my-work", "/endpoints", "/releases", "/follow-ups", "/incidents", "/budgets"];
const ADMIN_ONLY = ["/finance", "/customers", "/settings", "/settings/prices", "/settings/gpu", "/settings/review", "/settings/notifications", "/settings/upload", "/settings/api-keys", "/settings/audit"];

async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
}

/** The first link of a list page, so detail pages are checked too. */
async function firstDetail(page: Page, list: string, linkPattern: RegExp): Promise<string | null> {
  await page.goto(list);
  const href = await page.locator("main a[href]").evaluateAll((as, source) => {
    const re = new RegExp(source);
    return (as as HTMLAnchorElement[]).map((a) => a.getAttribute("href") ?? "").find((h) => re.test(h)) ?? null;
  }, linkPattern.source);
  return href;
}

for (const scheme of ["light", "dark"] as const) {
  for (const who of [
    { email: "admin@example.com", pages: [...EVERYONE, ...ADMIN_ONLY] },
    { email: "viewer@example.com", pages: EVERYONE },
  ]) {
    test(`${who.email.split("@")[0]}: every main page has no serious or critical axe violation (${scheme})`, async ({ page }) => {
      test.setTimeout(180_000);
      await page.emulateMedia({ colorScheme: scheme });
      await signInAs(page, who.email);
      const pages = [...who.pages];
      for (const [list, pattern] of [["/endpoints", /^\/endpoints\/[^/]+$/], ["/releases", /^\/releases\/[^/]+$/], ["/incidents", /^\/incidents\/[^/]+$/], ["/customers", /^\/customers\/\d{4}-\d{2}\/[^/]+$/]] as const) {
        const detail = await firstDetail(page, list, pattern);
        if (detail) pages.push(detail);
      }
      expect(pages.length).toBeGreaterThan(who.pages.length); // the demo has endpoints and releases to open
      const found: string[] = [];
      for (const path of pages) {
        await page.goto(path);
        await expect(page.locator("main")).toBeVisible();
        for (const v of await seriousViolations(page)) found.push(`${path}: ${v}`);
      }
      expect(found).toEqual([]);
    });
  }
}
