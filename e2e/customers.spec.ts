// Finance opens Customers, uploads revenue from a CSV (a refused row is named by its file line first),
// and sees the margin by customer with the under-water customers listed first; the heaviest users'
// concentration curve is drawn.
import { expect, test } from "@playwright/test";
import { signInAs } from "./helpers";

test("finance uploads revenue and sees margin by customer, under water first", async ({ page }) => {
  await signInAs(page, "finance@example.com");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Customers" }).click();
  await expect(page).toHaveURL(/\/customers\/\d{4}-\d{2}$/);
  const month = /\/customers\/(\d{4}-\d{2})$/.exec(page.url())![1]!;
  await expect(page.getByRole("heading", { name: `Customers · ${month}` })).toBeVisible();
  await expect(page.getByTestId("board-revenue")).not.toContainText("no revenue");

  // free-001, the heaviest free customer, has no revenue: shown as such, never as 100 %.
  await page.getByRole("searchbox", { name: "Search id or name" }).fill("free-001");
  await page.getByRole("button", { name: "Show" }).click();
  const row = page.getByTestId("customer-table").locator('tr[data-customer="free-001"]');
  await expect(row).toContainText("no revenue");
  await expect(row).not.toContainText("100");

  // A file with a bad amount is refused whole, naming the line in the file.
  const upload = page.getByTestId("revenue-upload");
  await upload.getByLabel("Revenue CSV file").setInputFiles({
    name: "revenue.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(`month,customer_id,amount_usd\n${month},free-001,0.0001\n\n${month},free-002,lots\n`),
  });
  await upload.getByRole("button", { name: "Upload" }).click();
  await expect(upload.getByTestId("revenue-line-errors")).toContainText("line 4, amountUsd");

  // Choosing a file does not send it; pressing Upload does.
  await upload.getByLabel("Revenue CSV file").setInputFiles({
    name: "revenue.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(`customerId,amountUsd,month\nfree-001,0.0001,${month}\nnever-seen-e2e,5,${month}\n`),
  });
  await expect(upload.getByRole("status")).toHaveCount(0);
  await upload.getByRole("button", { name: "Upload" }).click();
  await expect(upload.getByRole("status")).toContainText("Saved 2 revenue rows from revenue.csv");
  await expect(upload.getByTestId("revenue-unknown")).toContainText("never-seen-e2e");

  // free-001 now costs more than it brings: it is under water, listed in the under-water table and first in the list.
  await expect(row).toContainText("under water");
  await expect(row).toContainText("$0.00010");
  await expect(page.getByTestId("under-water-table").locator('tr[data-customer="free-001"]')).toBeVisible();
  await page.getByRole("searchbox", { name: "Search id or name" }).fill("");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page.getByTestId("customer-table").locator("tbody tr").first()).toContainText("under water");
  await expect(page.getByTestId("margin-by-plan")).toContainText("enterprise");

  // The heaviest users' concentration curve is drawn.
  await expect(page.getByTestId("concentration-chart").locator("svg").first()).toBeVisible();

  // The customer's own page: its month, per feature and the twelve-month chart.
  await page.getByTestId("under-water-table").getByRole("link", { name: "free-001" }).click();
  await expect(page).toHaveURL(new RegExp(`/customers/${month}/free-001$`));
  await expect(page.getByTestId("customer-under-water")).toBeVisible();
  await expect(page.getByTestId("customer-history-chart").locator("svg").first()).toBeVisible();
});

test("finance assumes a revenue per request for a plan: customers without revenue show it as assumed", async ({ page }) => {
  await signInAs(page, "finance@example.com");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Customers" }).click();
  await expect(page).toHaveURL(/\/customers\/\d{4}-\d{2}$/);
  const month = /\/customers\/(\d{4}-\d{2})$/.exec(page.url())![1]!;
  const form = page.getByTestId("plan-rates");
  const free = form.getByLabel("Revenue per request for free");

  // A bad rate is refused, naming the plan; nothing is saved.
  await free.fill("cheap");
  await form.getByRole("button", { name: "Save assumptions" }).click();
  await expect(form.getByRole("alert")).toContainText("Nothing was saved");
  await expect(form.getByTestId("plan-rate-errors")).toContainText("free: revenuePerRequest");

  await free.fill("0.001");
  await form.getByRole("button", { name: "Save assumptions" }).click();
  await expect(form.getByRole("status")).toContainText("Saved 1 plan");
  await page.getByRole("searchbox", { name: "Search id or name" }).fill("free-002");
  await page.getByRole("button", { name: "Show" }).click();
  const row = page.getByTestId("customer-table").locator('tr[data-customer="free-002"]');
  await expect(row).toContainText("assumed");
  await expect(page.getByTestId("board-revenue")).toContainText("assumed");

  await row.getByRole("link", { name: "free-002" }).click();
  await expect(page).toHaveURL(new RegExp(`/customers/${month}/free-002$`));
  await expect(page.getByTestId("customer-revenue")).toContainText("requests × $0.001");

  // Emptying the field removes the assumption: back to "no revenue".
  await page.goto(`/customers/${month}?q=free-002`);
  await page.getByTestId("plan-rates").getByLabel("Revenue per request for free").fill("");
  await page.getByTestId("plan-rates").getByRole("button", { name: "Save assumptions" }).click();
  await expect(page.getByTestId("plan-rates").getByRole("status")).toContainText("Saved 1 plan");
  await expect(page.getByTestId("customer-table").locator('tr[data-customer="free-002"]')).toContainText("no revenue");
});
