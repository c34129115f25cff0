// An admin adds a price in Settings: the preview shows the events it re-prices, Confirm applies it,
// and the new entry is in the table.
import { expect, test } from "@playwright/test";
import { signInAs } from "./helpers";

test("an admin adds a price, sees the re-pricing preview, confirms, and finds it in the table", async ({ page }) => {
  const model = `e2e-model-${Date.now()}`;
  await signInAs(page, "admin@example.com");
  // Two events of a model with no price yet: stored unpriced.
  const ingest = await page.request.post("/api/v1/events", {
    data: {
      events: [1, 2].map((n) => ({
        id: `${model}-${n}`, timestamp: `2026-10-0${n}T12:00:00Z`, requestId: `${model}-req-${n}`, provider: "e2e-labs", model,
        usage: { inputTokens: 1000, outputTokens: 1000 },
      })),
    },
  });
  expect(await ingest.json()).toMatchObject({ accepted: 2, unpriced: 2 });

  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Prices" }).click();
  await expect(page).toHaveURL(/\/settings\/prices$/);
  await expect(page.getByTestId("pricing-rules")).toContainText("Billed costs");
  await expect(page.getByTestId("pricing-rules")).toContainText("closed months are locked");
  // The built-in entries show their parts beyond the token rates: Gemini 2.5 Pro's long-context tier and batch.
  const filter = page.getByLabel("Filter prices by provider or model");
  await filter.fill("gemini-2.5-pro");
  await expect(page.getByRole("table", { name: "Prices" }).getByTestId("price-parts")).toContainText("above 200,000 tokens: 2.5 in / 15 out · batch × 0.5");
  await filter.fill("");

  const form = page.getByRole("form", { name: "Price entry" });
  await form.getByLabel("Provider").fill("e2e-labs");
  await form.getByLabel("Model or pattern").fill(model);
  await form.getByLabel("Effective from").fill("2026-09-01");
  await form.getByLabel("Input $/MTok").fill("1.5");
  await form.getByLabel("Output $/MTok", { exact: true }).fill("3");
  await form.getByLabel("Source").fill("e2e contract");
  await form.getByRole("button", { name: "Preview change" }).click();

  const preview = page.getByRole("region", { name: "Preview" });
  await expect(preview.getByTestId("preview-summary")).toHaveText("2 events in 1 month change: $0.00 → $0.009. 2 unpriced become priced.");
  await expect(preview.getByRole("table", { name: "Re-pricing by model and month" })).toContainText(`e2e-labs/${model}`);
  await expect(preview).toContainText("2026-10");
  // Nothing is stored before Confirm.
  await expect(page.getByRole("table", { name: "Prices" })).not.toContainText(model);

  await preview.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByRole("status")).toContainText("2 events re-priced");
  const row = page.getByRole("table", { name: "Prices" }).getByRole("row", { name: new RegExp(model) });
  await expect(row).toContainText("e2e-labs");
  await expect(row).toContainText("1.5");
  await expect(row).toContainText("2026-09-01");
  await expect(row).toContainText("v1");
  await expect(page.getByRole("region", { name: "Preview" })).toHaveCount(0);
});

test("rates that look wrong are refused with the reason under the field, and go through once confirmed", async ({ page }) => {
  const model = `e2e-odd-${Date.now()}`;
  await signInAs(page, "admin@example.com");
  await page.goto("/settings/prices");
  const form = page.getByRole("form", { name: "Price entry" });
  await form.getByLabel("Provider").fill("e2e-labs");
  await form.getByLabel("Model or pattern").fill(model);
  await form.getByLabel("Effective from").fill("2026-09-01");
  await form.getByLabel("Input $/MTok").fill("1");
  await form.getByLabel(/^Cache read/).fill("1.5");
  await form.getByLabel("Output $/MTok", { exact: true }).fill("4");
  await form.getByLabel("Source").fill("e2e check");
  await form.getByRole("button", { name: "Preview change" }).click();
  await expect(form).toContainText("costs more than uncached input");
  await expect(page.getByRole("region", { name: "Preview" })).toHaveCount(0);

  await form.getByLabel(/These rates are right/).check();
  await form.getByRole("button", { name: "Preview change" }).click();
  await expect(page.getByRole("region", { name: "Preview" }).getByTestId("preview-summary")).toBeVisible();
});
