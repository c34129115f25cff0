// The finance user lands on the last complete month, downloads the rollup CSV whose totals match the
// page, closes and reopens the month, and cannot use the review workflow's write APIs.
import { readFile } from "node:fs/promises";
import { parse } from "csv-parse/sync";
import Decimal from "decimal.js";
import { expect, test } from "@playwright/test";
import { signInAs } from "./helpers";

test("finance lands on the month, and the downloaded CSV's totals match the page", async ({ page }) => {
  await signInAs(page, "finance@example.com");
  await expect(page).toHaveURL(/\/finance\/\d{4}-\d{2}$/);
  const month = /\/finance\/(\d{4}-\d{2})$/.exec(page.url())![1]!;
  await expect(page.getByRole("heading", { name: `Finance · ${month}` })).toBeVisible();
  const totalCell = page.getByTestId("monthly-total-cost");
  const pageTotal = (await totalCell.getAttribute("data-exact"))!;
  expect(new Decimal(pageTotal).gt(0)).toBe(true);
  await expect(page.getByTestId("finance-total")).toContainText((await totalCell.innerText()).trim());
  // The chargeback lines add up to the same month total, with the allocation method stated.
  expect(await page.getByTestId("chargeback-total").getAttribute("data-exact")).toBe(pageTotal);
  await expect(page.getByTestId("allocation-method")).toContainText("Unattributed");

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-monthly-csv").click()]);
  expect(download.suggestedFilename()).toBe(`cost-review-monthly-${month}-team.csv`);
  const rows = parse(await readFile((await download.path())!, "utf8"), { columns: true }) as Record<string, string>[];
  const totalRow = rows.find((r) => r.row === "total")!;
  expect(new Decimal(totalRow.total_cost_usd!).equals(pageTotal)).toBe(true);
  const lines = rows.filter((r) => r.row === "line");
  expect(lines.reduce((s, r) => s.plus(r.total_cost_usd!), new Decimal(0)).equals(pageTotal)).toBe(true);
  // One CSV line per table row, besides the totals row.
  await expect(page.getByTestId("monthly-table").locator("tbody tr")).toHaveCount(lines.length + 1);

  // Regrouping in the page keeps the total.
  await page.getByRole("checkbox", { name: "Team" }).uncheck();
  await page.getByRole("checkbox", { name: "Provider" }).check();
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByTestId("monthly-table").locator("thead")).toContainText("Provider");
  expect(await page.getByTestId("monthly-total-cost").getAttribute("data-exact")).toBe(pageTotal);
});

test("finance closes and reopens the month from the page", async ({ page }) => {
  await signInAs(page, "finance@example.com");
  page.on("dialog", (d) => void d.accept());
  await page.getByRole("button", { name: "Close month" }).click();
  await expect(page.getByTestId("month-status")).toContainText("Closed by finance@example.com");
  await page.getByRole("button", { name: "Reopen month" }).click();
  await expect(page.getByTestId("month-status")).toContainText("Open");
});

test("the finance user cannot reach the review workflow's write actions", async ({ page }) => {
  await signInAs(page, "finance@example.com");
  const refresh = await page.request.post("/api/v1/rollups/refresh");
  expect(refresh.status()).toBe(403);
  const settings = await page.request.put("/api/v1/settings/review", { data: { thresholdPct: 5 } });
  expect(settings.status()).toBe(403);
  expect(((await settings.json()) as { error: { code: string } }).error.code).toBe("forbidden");
  // Reading the review stays allowed.
  expect((await page.request.get("/api/v1/settings/review")).status()).toBe(200);
});

test("finance uploads invoice totals and sees each provider reconciled", async ({ page }) => {
  await signInAs(page, "finance@example.com");
  await expect(page).toHaveURL(/\/finance\/\d{4}-\d{2}$/);
  const month = /\/finance\/(\d{4}-\d{2})$/.exec(page.url())![1]!;
  const rec = (await (await page.request.get(`/api/v1/finance/reconciliation?month=${month}`)).json()) as {
    lines: { provider: string; computedCost: string }[];
  };
  const [a, b] = rec.lines.filter((l) => new Decimal(l.computedCost).gt(0));
  expect(a && b).toBeTruthy();
  // The first provider's invoice matches; the second's is 10 % above what was computed.
  const over = new Decimal(b!.computedCost).times("1.1").toDecimalPlaces(6).toFixed();
  const csv = `provider,amount_usd,note\n${a!.provider},${a!.computedCost},INV-1\n${b!.provider},${over},INV-2\n`;
  await page.getByLabel("Upload invoices").setInputFiles({ name: "invoices.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await expect(page.getByRole("form", { name: "Invoices" }).getByRole("status")).toContainText("Uploaded 2 invoice totals from invoices.csv");
  const table = page.getByTestId("reconciliation-table");
  await expect(table.getByRole("row", { name: new RegExp(`^${a!.provider}\\b`) })).toContainText("Within tolerance");
  await expect(table.getByRole("row", { name: new RegExp(`^${b!.provider}\\b`) })).toContainText("Computed below invoice");
  // A bad file names the line.
  await page.getByLabel("Upload invoices").setInputFiles({ name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from(`provider,amount_usd\n${a!.provider},lots\n`) });
  await expect(page.getByRole("form", { name: "Invoices" }).getByRole("alert")).toContainText("line 2");
});

test("an invoice error shows under the provider it belongs to, not under the first one", async ({ page }) => {
  await signInAs(page, "finance@example.com");
  await expect(page).toHaveURL(/\/finance\/\d{4}-\d{2}$/);
  const form = page.getByRole("form", { name: "Invoices" });
  const fields = form.locator("[data-testid^='invoice-field-']");
  expect(await fields.count()).toBeGreaterThanOrEqual(2);
  // Change only the second provider's total: it is the only row sent, so the API names it invoices.0.
  const second = fields.nth(1);
  const first = fields.nth(0);
  await second.getByRole("textbox").fill("-5");
  await form.getByRole("button", { name: "Save invoices" }).click();
  await expect(form.getByRole("alert")).toContainText("The invoices are not valid");
  await expect(second.locator(".text-red-700")).toHaveText(/negative/);
  await expect(first.locator(".text-red-700")).toHaveCount(0);
  // A bad amount for a provider typed in "Other provider" shows under its own field.
  await second.getByRole("textbox").fill("");
  await form.getByPlaceholder("provider").fill("newcloud");
  await form.getByLabel("Its invoice (USD)").fill("lots");
  await form.getByRole("button", { name: "Save invoices" }).click();
  await expect(form.getByLabel("Its invoice (USD)").locator("..").locator(".text-red-700")).toHaveText(/lots/);
  await expect(fields.locator(".text-red-700")).toHaveCount(0);
});

test("the month shows a twelve-month trend, GPU shares by pool with n/a and its reason, and shares that add to 100.0 %", async ({ page }) => {
  await signInAs(page, "finance@example.com");
  await expect(page).toHaveURL(/\/finance\/\d{4}-\d{2}$/);
  const month = /\/finance\/(\d{4}-\d{2})$/.exec(page.url())![1]!;
  // The chart: stacked bars of the month totals, one stack per team.
  const chart = page.getByTestId("finance-trend-chart");
  await expect(chart).toContainText("Fully-loaded total");
  await expect(chart).toContainText("by team");
  await expect(chart.locator("svg .recharts-bar-rectangle").first()).toBeVisible();
  expect(await chart.locator("svg .recharts-bar-rectangle path").count()).toBeGreaterThan(1);

  // The chargeback shares, each at one decimal, add up to exactly 100.0 %.
  const shares = await page.getByTestId("chargeback-share").allInnerTexts();
  expect(shares.length).toBeGreaterThan(1);
  for (const s of shares) expect(s).toMatch(/^\d{1,3}\.\d%$/);
  expect(shares.reduce((sum, s) => sum.plus(s.replace("%", "")), new Decimal(0)).toFixed(1)).toBe("100.0");

  // Every money column shows its values at one number of places.
  const table = page.getByTestId("monthly-table");
  const places = async (col: number) =>
    new Set((await table.locator(`tbody tr:not([data-testid='monthly-totals']) td:nth-child(${col})`).allInnerTexts()).map((t) => t.split(".")[1]?.length ?? 0));
  for (const col of [3, 4, 5, 6]) expect((await places(col)).size).toBe(1);

  // Feature × model: the GPU share rows are named by their pool, with n/a and the reason for requests.
  await page.goto(`/finance/${month}?groupBy=feature,model`);
  const gpuRow = page.getByTestId("monthly-table").getByRole("row").filter({ hasText: "gpu: rerank-gpu-slice" }).first();
  await expect(gpuRow).toBeVisible();
  await expect(gpuRow.getByTitle(/^GPU share, not requests of its own/).first()).toHaveText(/n\/a/);
  await expect(page.getByTestId("monthly-na-notes")).toContainText("n/a: GPU share, not requests of its own");
  await expect(page.getByTestId("finance-trend-chart")).toContainText("by feature");
});
