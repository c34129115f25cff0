// The finance user lands on the last complete month, downloads the rollup CSV whose totals match the
// page, closes and reopens the month, and cannot use the review workflow's write APIs.
import { readFile } from "node:fs/promises";
import { parse } from "csv-parse/sync";
import AxeBuilder from "@axe-core/playwright";
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
  const invoices = page.getByRole("form", { name: "Invoices" });
  await invoices.getByLabel("Invoices CSV file").setInputFiles({ name: "invoices.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await invoices.getByRole("button", { name: "Upload invoices" }).click();
  await expect(invoices.getByRole("status")).toContainText("Uploaded 2 invoice totals from invoices.csv");
  const table = page.getByTestId("reconciliation-table");
  await expect(table.getByRole("row", { name: new RegExp(`^${a!.provider}\\b`) })).toContainText("Within tolerance");
  await expect(table.getByRole("row", { name: new RegExp(`^${b!.provider}\\b`) })).toContainText("Computed below invoice");
  // The notes show beside the totals.
  await expect(table.getByRole("row", { name: new RegExp(`^${a!.provider}\\b`) })).toContainText("INV-1");
  // A bad file names the line; a file separated by semicolons names the columns it lacks.
  await invoices.getByLabel("Invoices CSV file").setInputFiles({ name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from(`provider,amount_usd\n${a!.provider},lots\n`) });
  await invoices.getByRole("button", { name: "Upload invoices" }).click();
  await expect(invoices.getByRole("alert")).toContainText("line 2");
  await invoices.getByLabel("Invoices CSV file").setInputFiles({ name: "semi.csv", mimeType: "text/csv", buffer: Buffer.from(`provider;amount_usd\n${a!.provider};1\n`) });
  await invoices.getByRole("button", { name: "Upload invoices" }).click();
  await expect(invoices.getByRole("alert")).toContainText("semi.csv: The file needs the columns provider, amount_usd");
  await expect(invoices.getByRole("alert")).toContainText("its header has: provider;amount_usd — is it comma-separated?");
  // Self-hosted models have no invoice to enter, and no row of zeros stands for events without a provider.
  await expect(invoices.getByTestId("invoice-field-self-hosted")).toHaveCount(0);
  expect(rec.lines.filter((l) => l.provider === "(no provider)" && new Decimal(l.computedCost).isZero())).toEqual([]);
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
  await second.getByRole("textbox", { name: /^Invoice total for / }).fill("-5");
  await form.getByRole("button", { name: "Save invoices" }).click();
  await expect(form.getByRole("alert")).toContainText("The invoices are not valid");
  await expect(second.locator(".text-red-700")).toHaveText(/negative/);
  await expect(first.locator(".text-red-700")).toHaveCount(0);
  // A bad amount for a provider typed in "Other provider" shows under its own field.
  await second.getByRole("textbox", { name: /^Invoice total for / }).fill("");
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

test("finance uploads a provider cost report, sees the gap and the dark spend, and downloads the FOCUS CSV and Parquet and the rollup CSV", async ({ page }) => {
  await signInAs(page, "finance@example.com");
  await expect(page).toHaveURL(/\/finance\/\d{4}-\d{2}$/);
  const month = /\/finance\/(\d{4}-\d{2})$/.exec(page.url())![1]!;
  // A recorded Anthropic cost report (two 1-day buckets), its days moved into the demo's month. Its Opus line
  // is spend no event shows: an uninstrumented key.
  const report = (await readFile(new URL("./fixtures/anthropic-cost-report.json", import.meta.url), "utf8")).replaceAll("2026-10-", `${month}-`);
  const form = page.getByRole("form", { name: "Provider cost report" });
  await expect(form.getByRole("button", { name: "Upload report" })).toBeDisabled();
  await form.getByLabel("Report provider").selectOption("anthropic");
  await form.getByLabel("Cost report file").setInputFiles({ name: "anthropic-cost-report.json", mimeType: "application/json", buffer: Buffer.from(report) });
  await form.getByRole("button", { name: "Upload report" }).click();
  await expect(form.getByTestId("provider-costs-result")).toHaveText(
    `Imported 5 anthropic cost lines covering 2 days (${month}-14 … ${month}-15), $72.59 in all.`,
  );

  // The dark line: on the card, in words, and in the table with its status.
  const dark = page.getByTestId("month-dark-spend");
  await expect(dark).toContainText("reported by anthropic on");
  await expect(dark).toContainText("with no events: an uninstrumented service or key?");
  await expect(dark).toContainText(`${month}-14 anthropic claude-opus-4-1-20250805 $43.21`);
  const table = page.getByTestId("daily-reconciliation-table");
  const opus = table.getByRole("row").filter({ hasText: "claude-opus-4-1-20250805" });
  await expect(opus).toContainText("$43.21");
  await expect(opus).toContainText("-$43.21");
  await expect(opus).toContainText("Dark spend: no events");
  // The dark-spend card and the daily table read in both colour schemes (axe: no serious or critical violation).
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    const axe = await new AxeBuilder({ page }).include("[data-testid='month-dark-spend']").include("[data-testid='daily-reconciliation-table']").withTags(["wcag2a", "wcag2aa"]).analyze();
    expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${colorScheme}: ${v.id}`)).toEqual([]);
  }
  // The figures are the API's, largest unexplained gap first.
  const daily = (await (await page.request.get(`/api/v1/finance/reconciliation/daily?month=${month}&provider=anthropic`)).json()) as {
    darkSpend: { totalCost: string };
    lines: { model: string | null; varianceUsd: string }[];
  };
  const gaps = daily.lines.map((l) => new Decimal(l.varianceUsd).abs());
  expect(gaps.every((g, i) => i === 0 || g.lte(gaps[i - 1]!))).toBe(true);
  expect(new Decimal(daily.darkSpend.totalCost).gte("43.21")).toBe(true);
  await expect(table.locator("tbody tr").first()).toContainText(daily.lines[0]!.model ?? "(no model)");

  // The downloads: FOCUS's EffectiveCost adds up to the page's total exactly; the FOCUS Parquet file is one; the rollup CSV is named for the month.
  const pageTotal = (await page.getByTestId("monthly-total-cost").getAttribute("data-exact"))!;
  const [focus] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-focus-csv").click()]);
  expect(focus.suggestedFilename()).toBe(`cost-review-focus-${month}.csv`);
  const focusRows = parse(await readFile((await focus.path())!, "utf8"), { columns: true, bom: true }) as Record<string, string>[];
  expect(focusRows.length).toBeGreaterThan(0);
  expect(focusRows.reduce((s, r) => s.plus(r.EffectiveCost!), new Decimal(0)).equals(pageTotal)).toBe(true);
  // The FOCUS Parquet file beside it: named for the month, a Parquet file (PAR1 at both ends), not empty.
  const [parquet] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-focus-parquet").click()]);
  expect(parquet.suggestedFilename()).toBe(`cost-review-focus-${month}.parquet`);
  const parquetBytes = await readFile((await parquet.path())!);
  expect(parquetBytes.length).toBeGreaterThan(8);
  expect([parquetBytes.subarray(0, 4).toString("latin1"), parquetBytes.subarray(-4).toString("latin1")]).toEqual(["PAR1", "PAR1"]);
  const [rollup] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-monthly-csv").click()]);
  expect(rollup.suggestedFilename()).toBe(`cost-review-monthly-${month}-team.csv`);
  const rollupRows = parse(await readFile((await rollup.path())!, "utf8"), { columns: true, bom: true }) as Record<string, string>[];
  expect(new Decimal(rollupRows.find((r) => r.row === "total")!.total_cost_usd!).equals(pageTotal)).toBe(true);
});
