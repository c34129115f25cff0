// An admin prices a self-hosted GPU pool and sets the overhead in Settings, then opens a request and
// sees its cost broken down: direct, GPU share, overhead and total.
import { expect, test } from "@playwright/test";
import { signInAs } from "./helpers";

test("an admin adds a GPU pool and overhead, and a request page shows the components", async ({ page }) => {
  const run = `e2e${Date.now()}`;
  const pool = `a100-${run}`;
  const requestId = `${run}-chat`;
  await signInAs(page, "admin@example.com");
  // The coming hour (events may be up to a day ahead), so this pool-hour is the newest in Settings'
  // table of recent pool-hours even on a database full of demo data.
  const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000 + 3_600_000;
  const at = (minutes: number) => new Date(hour + minutes * 60_000).toISOString();

  // Events first (the admin may ingest too): the pool has no price yet, so its hour is unpriced.
  const ingest = await page.request.post("/api/v1/events", {
    data: {
      events: [
        { id: `${run}-1`, timestamp: at(1), requestId, endpoint: "chat.answer", provider: "openai", model: "gpt-4o-mini", costUsd: "0.3" },
        { id: `${run}-2`, timestamp: at(2), requestId, kind: "gpu", pool, gpuSeconds: 360 },
        { id: `${run}-3`, timestamp: at(30), requestId: `${run}-other`, kind: "gpu", pool, gpuSeconds: 720 },
      ],
    },
  });
  expect(ingest.status()).toBe(200);

  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByRole("link", { name: "GPU & overhead" }).click();
  await expect(page).toHaveURL(/\/settings\/gpu$/);

  const add = page.getByRole("form", { name: "Add a GPU pool price" });
  await add.getByLabel("Pool name").fill(pool);
  await add.getByLabel("Hourly price (USD)").fill("3.60");
  await add.getByLabel("Effective from (UTC)").fill("2026-01-01T00:00");
  await add.getByRole("button", { name: "Add pool price" }).click();
  await expect(page.getByRole("status")).toContainText(`Added ${pool} at $3.60/hour; 1 pool-hour re-priced.`);
  await expect(page.getByRole("table", { name: "GPU pool prices" }).getByRole("row", { name: new RegExp(pool) })).toContainText("$3.60");
  const hourRow = page.getByRole("table", { name: "GPU pool-hours" }).getByRole("row", { name: new RegExp(pool) });
  await expect(hourRow).toContainText("30.0%");
  await expect(hourRow).toContainText("$1.80");

  const overhead = page.getByRole("form", { name: "Overhead" });
  await overhead.getByLabel("Global overhead (%)").fill("10");
  await overhead.getByLabel("Overhead for Chat assistant (%)").fill("25");
  await overhead.getByRole("button", { name: "Save overhead" }).click();
  await expect(overhead.getByRole("status")).toContainText("Overhead saved: 10% globally, 1 feature override.");

  await page.goto(`/requests/${requestId}`);
  await expect(page.getByRole("heading", { name: `Request ${requestId}` })).toBeVisible();
  await expect(page.getByTestId("component-direct")).toContainText("$0.30");
  await expect(page.getByTestId("component-gpu")).toContainText("$1.20");
  await expect(page.getByTestId("component-overhead")).toContainText("Overhead 25%");
  await expect(page.getByTestId("component-overhead")).toContainText("$0.375");
  await expect(page.getByTestId("component-total")).toContainText("$1.875");
  await expect(page.getByTestId("incomplete")).toHaveCount(0);
  const share = page.getByRole("table", { name: "GPU shares" }).getByRole("row", { name: new RegExp(pool) });
  await expect(share).toContainText("360 GPU s");
  await expect(share).toContainText("$3.60");
  await expect(share).toContainText("30.0%");
  await expect(page.getByRole("table", { name: "Events" }).getByRole("row", { name: new RegExp(`${run}-1`) })).toContainText("billed by the provider");
});

test("the GPU page shows GPU seconds and money without float noise, and says which hours each table covers", async ({ page }) => {
  const run = `e2e${Date.now()}`;
  const pool = `l4-${run}`;
  await signInAs(page, "admin@example.com");
  // Two hours ahead: the newest pool-hour in the table. 2.2 + 0.015 GPU seconds add up to
  // 2.2150000000000003 in floating point; three requests share a $1.00 hour: $0.333… each.
  const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000 + 2 * 3_600_000;
  const at = (minutes: number) => new Date(hour + minutes * 60_000).toISOString();
  const ingest = await page.request.post("/api/v1/events", {
    data: {
      events: [
        { id: `${run}-1`, timestamp: at(1), requestId: `${run}-a`, kind: "gpu", pool, gpuSeconds: 2.2 },
        { id: `${run}-2`, timestamp: at(2), requestId: `${run}-b`, kind: "gpu", pool, gpuSeconds: 0.015 },
        { id: `${run}-3`, timestamp: at(3), requestId: `${run}-c`, kind: "gpu", pool, gpuSeconds: 0 },
      ],
    },
  });
  expect(ingest.status()).toBe(200);
  await page.goto("/settings/gpu");
  const add = page.getByRole("form", { name: "Add a GPU pool price" });
  await add.getByLabel("Pool name").fill(pool);
  await add.getByLabel("Hourly price (USD)").fill("1");
  await add.getByLabel("Effective from (UTC)").fill("2026-01-01T00:00");
  await add.getByRole("button", { name: "Add pool price" }).click();
  await expect(page.getByRole("status")).toContainText(`Added ${pool}`);

  const hourRow = page.getByRole("table", { name: "GPU pool-hours" }).getByRole("row", { name: new RegExp(pool) });
  await expect(hourRow).toContainText("2.215");
  await expect(hourRow).not.toContainText("2.2150000");
  await expect(hourRow.getByRole("cell").nth(7)).toHaveText("$0.3333");
  const summaryRow = page.getByRole("table", { name: "Utilisation per pool" }).getByRole("row", { name: new RegExp(pool) });
  await expect(summaryRow.getByRole("cell").nth(6)).toHaveText("$0.3333");

  // The headings say what each table covers: all hours per pool, then the latest hours one by one.
  const summaryHours = (await page.getByRole("table", { name: "Utilisation per pool" }).locator("tbody tr td:nth-child(2)").allInnerTexts())
    .reduce((n, t) => n + Number(t.replace(/\(.*\)/, "").replace(/,/g, "").trim()), 0);
  await expect(page.getByTestId("utilisation-summary-heading")).toHaveText(`Per pool, all ${summaryHours.toLocaleString("en-US")} pool-hours recorded`);
  const shown = await page.getByRole("table", { name: "GPU pool-hours" }).locator("tbody tr").count();
  await expect(page.getByTestId("utilisation-hours-heading")).toHaveText(
    shown < summaryHours ? `The latest ${shown} pool-hours` : `Every pool-hour (${shown})`,
  );
});
