// An admin adds a price in Settings: the preview shows the events it re-prices, Confirm applies it,
// and the new entry is in the table. The entry's tiers, service tiers, tool fees and audio rates go in
// through the same form and read back exactly; contracts are added and ended with the same preview.
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
  // The built-in entries show their parts beyond the token rates in one line (in full on hover): Gemini 2.5
  // Pro's long-context tier, batch and audio input.
  const filter = page.getByLabel("Filter prices by provider or model");
  await filter.fill("gemini-2.5-pro");
  const parts = page.getByRole("table", { name: "Prices" }).getByTestId("price-parts");
  await expect(parts).toHaveText("1 tier · batch · audio in $1.25/1M");
  await expect(parts).toHaveAttribute("title", /^above 200,000 tokens: \$2\.50 in \/ \$15\.00 out; batch × 0\.5; audio in \$1\.25 per 1M$/);
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
  await expect(preview.getByTestId("preview-summary")).toHaveText("2 events in 1 month change: $0.00 → $0.00900. 2 unpriced become priced.");
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
  // The reason speaks of the form's box, not of the API's field.
  await expect(form).toContainText("costs more than uncached input (1): check the rates, or tick 'These rates are deliberate' to save them");
  await expect(form).not.toContainText("ratesConfirmed");
  await expect(page.getByRole("region", { name: "Preview" })).toHaveCount(0);

  await form.getByRole("checkbox", { name: /^These rates are deliberate/ }).check();
  await form.getByRole("button", { name: "Preview change" }).click();
  await expect(page.getByRole("region", { name: "Preview" }).getByTestId("preview-summary")).toBeVisible();
});

test("an admin enters a long-context tier, a service tier, a tool fee and an audio rate in the form, and the API reads them back exactly", async ({ page }) => {
  const model = `e2e-tiers-${Date.now()}`;
  await signInAs(page, "admin@example.com");
  await page.goto("/settings/prices");
  const form = page.getByRole("form", { name: "Price entry" });
  await form.getByLabel("Provider").fill("e2e-labs");
  await form.getByLabel("Model or pattern").fill(model);
  await form.getByLabel("Effective from").fill("2026-09-01");
  await form.getByLabel("Input $/MTok").fill("1.25");
  await form.getByLabel("Output $/MTok", { exact: true }).fill("10");
  await form.getByLabel("Source").fill("e2e tiers");

  await form.getByRole("button", { name: "Add a tier" }).click();
  const tier = form.getByRole("group", { name: "Tier 1" });
  await tier.getByLabel("Tier 1 above tokens").fill("200,000");
  await tier.getByLabel("Tier 1 Input $/MTok").fill("2.50");
  await tier.getByLabel("Tier 1 Cache read $/MTok").fill("0.625");
  await tier.getByLabel("Tier 1 Output $/MTok").fill("15");

  await form.getByRole("button", { name: "Add a service tier" }).click();
  const served = form.getByRole("group", { name: "Service tier 1" });
  await served.getByLabel("Service tier 1 name").fill("flex");
  await served.getByLabel("Service tier 1 priced by").selectOption("rates");
  await served.getByLabel("Service tier 1 Input $/MTok").fill("0.625");
  await served.getByLabel("Service tier 1 Output $/MTok").fill("5");

  await form.getByRole("button", { name: "Add a tool fee" }).click();
  await form.getByLabel("Tool fee 1 kind").fill("webSearch");
  await form.getByLabel("Tool fee 1 $ per 1,000 calls").fill("10");
  await form.getByLabel(/^Audio in \$\/MTok/).fill("40");

  await form.getByRole("button", { name: "Preview change" }).click();
  const preview = page.getByRole("region", { name: "Preview" });
  await expect(preview.getByTestId("preview-summary")).toHaveText("No stored event changes.");
  await preview.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByRole("status")).toContainText("1 entry added");

  const row = page.getByRole("table", { name: "Prices" }).getByRole("row", { name: new RegExp(model) });
  await expect(row.getByTestId("price-parts")).toHaveText("1 tier · flex · web search $10.00/1k · audio in $40.00/1M");

  const listed = (await (await page.request.get("/api/v1/prices")).json()) as { prices: Record<string, unknown>[] };
  const entry = listed.prices.find((p) => p.model === model);
  const none = { cacheWritePerMTok: null, cacheWrite1hPerMTok: null, reasoningPerMTok: null, toolOutputPerMTok: null };
  expect({ tiers: entry?.tiers, serviceTiers: entry?.serviceTiers, toolFees: entry?.toolFees, modalityRates: entry?.modalityRates }).toEqual({
    tiers: [{ aboveTokens: 200000, inputPerMTok: "2.5", cacheReadPerMTok: "0.625", outputPerMTok: "15", modalityRates: null, ...none }],
    serviceTiers: { flex: { multiplier: null, rates: { inputPerMTok: "0.625", cacheReadPerMTok: null, outputPerMTok: "5", ...none } } },
    toolFees: { webSearch: "0.01" },
    modalityRates: { audioInputPerMTok: "40", audioOutputPerMTok: null, imageInputPerMTok: null },
  });

  // Editing puts the parts back into the form's rows, the fee per 1,000 calls again.
  await row.getByRole("button", { name: "Edit" }).click();
  await expect(form.getByLabel("Tier 1 above tokens")).toHaveValue("200000");
  await expect(form.getByLabel("Service tier 1 name")).toHaveValue("flex");
  await expect(form.getByLabel("Service tier 1 Output $/MTok")).toHaveValue("5");
  await expect(form.getByLabel("Tool fee 1 $ per 1,000 calls")).toHaveValue("10");
});

test("an admin adds a 20 % contract on a provider after a dry run of its re-pricing, sees it listed, and ends it the same way", async ({ page }) => {
  const provider = `e2e-contract-${Date.now()}`;
  const model = "cm-1";
  await signInAs(page, "admin@example.com");
  const price = await page.request.post("/api/v1/prices", {
    data: { entry: { provider, model, effectiveFrom: "2026-09-01", inputPerMTok: "1.5", outputPerMTok: "3", source: "e2e list price" } },
  });
  expect(price.status()).toBe(201);
  const ingest = await page.request.post("/api/v1/events", {
    data: {
      events: [1, 2].map((n) => ({
        id: `${provider}-${n}`, timestamp: `2026-10-0${n}T12:00:00Z`, requestId: `${provider}-req-${n}`, provider, model,
        usage: { inputTokens: 1000, outputTokens: 1000 },
      })),
    },
  });
  expect(await ingest.json()).toMatchObject({ accepted: 2, unpriced: 0 });

  await page.goto("/settings/prices");
  const contracts = page.getByRole("region", { name: "Contracts" });
  const form = contracts.getByRole("form", { name: "Contract" });
  await form.getByLabel(/^Provider/).fill(provider);
  await form.getByLabel(/^Discount %/).fill("20");
  await form.getByLabel(/^From/).fill("2026-09-01");
  await form.getByLabel(/^Note/).fill("e2e order form");
  await form.getByRole("button", { name: "Preview contract" }).click();

  const preview = contracts.getByRole("region", { name: "Contract preview" });
  await expect(preview).toContainText(`Add 20% off ${provider} / all models`);
  await expect(preview.getByTestId("preview-summary")).toHaveText("2 events in 1 month change: $0.00900 → $0.00720.");
  await expect(preview.getByRole("table", { name: "Re-pricing by model and month" })).toContainText(`${provider}/${model}`);
  // Nothing is stored before Confirm.
  // (With no contract at all the list is its empty message alone.)
  await expect(contracts.getByTestId("contracts-empty").or(contracts.getByRole("table", { name: "Contracts" }))).not.toContainText(provider);

  await preview.getByRole("button", { name: "Confirm" }).click();
  await expect(contracts.getByRole("status")).toContainText("Contract added. 2 events re-priced: $0.00900 → $0.00720.");
  const row = contracts.getByRole("table", { name: "Contracts" }).getByRole("row", { name: new RegExp(provider) });
  await expect(row).toContainText("all models");
  await expect(row).toContainText("20%");
  await expect(row).toContainText("2026-09-01");
  await expect(row).toContainText("active");
  await expect(row).toContainText("e2e order form");
  const listed = (await (await page.request.get("/api/v1/contracts")).json()) as { contracts: Record<string, unknown>[] };
  expect(listed.contracts.find((c) => c.provider === provider)).toMatchObject({ model: null, percentOff: "20", effectiveFrom: "2026-09-01T00:00:00.000Z", effectiveTo: null, note: "e2e order form" });

  // Ending it is previewed too, and puts the events back at list price.
  await row.getByRole("button", { name: "End" }).click();
  await expect(preview.getByTestId("preview-summary")).toHaveText("2 events in 1 month change: $0.00720 → $0.00900.");
  await preview.getByRole("button", { name: "Confirm" }).click();
  await expect(contracts.getByRole("status")).toContainText("Contract ended. 2 events re-priced: $0.00720 → $0.00900.");
  // (With no contract at all the list is its empty message alone.)
  await expect(contracts.getByTestId("contracts-empty").or(contracts.getByRole("table", { name: "Contracts" }))).not.toContainText(provider);
});
