// An admin uploads a CSV of cost events in Settings: preview, upload, summary with the bad row's
// line, column and reason; uploading the same file again stores nothing twice.
import { expect, test } from "@playwright/test";
import { signInAs } from "./helpers";

test("an admin uploads a CSV with one bad row, sees the preview, the summary and the bad row's error", async ({ page }) => {
  const run = `e2e${Date.now()}`;
  const csv = [
    "id,timestamp,requestId,endpoint,provider,model,inputTokens,cacheReadTokens,outputTokens,costUsd",
    `${run}-1,2026-10-05T09:00:00Z,${run}-req-1,chat.answer,openai,gpt-4o-mini,1000,200,300,`,
    `${run}-2,2026-10-05T09:00:01Z,${run}-req-1,chat.answer,openai,gpt-4o-mini,12k,,40,`,
    `${run}-3,2026-10-05T09:00:02Z,${run}-req-2,chat.answer,openai,gpt-4o-mini,,,,0.0125`,
  ].join("\n");

  await signInAs(page, "admin@example.com");
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Upload events" }).click();
  await expect(page).toHaveURL(/\/settings\/upload$/);

  await page.getByLabel("Event file").setInputFiles({ name: "events.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await expect(page.getByTestId("row-count")).toContainText("events.csv: 3 rows");
  const preview = page.getByRole("table", { name: "Preview of the file" });
  await expect(preview.getByRole("row")).toHaveCount(4);
  await expect(preview.getByRole("columnheader", { name: "inputTokens" })).toBeVisible();
  await expect(preview.getByRole("row", { name: new RegExp(`${run}-2`) })).toContainText("12k");

  await page.getByRole("button", { name: "Upload", exact: true }).click();
  const summary = page.getByRole("status");
  await expect(summary).toContainText("Of 3 rows: stored 2, 1 rejected.");
  await expect(page.getByTestId("summary-accepted")).toHaveText("2");
  await expect(page.getByTestId("summary-duplicates")).toHaveText("0");
  await expect(page.getByTestId("summary-unpriced")).toHaveText("0");
  await expect(page.getByTestId("summary-rejected")).toHaveText("1");
  await expect(page.getByRole("progressbar", { name: "Upload progress" })).toHaveAttribute("aria-valuenow", "3");

  const errors = page.getByRole("table", { name: "Rejected rows" }).getByRole("row");
  await expect(errors).toHaveCount(2);
  const bad = errors.nth(1);
  await expect(bad.getByRole("cell").nth(0)).toHaveText("3");
  await expect(bad.getByRole("cell").nth(1)).toHaveText(`${run}-2`);
  await expect(bad.getByRole("cell").nth(2)).toHaveText("inputTokens");
  await expect(bad.getByRole("cell").nth(3)).toHaveText('inputTokens must be a number, got the string "12k"');

  // The same file again: the good rows are already stored.
  await page.getByRole("button", { name: "Upload again" }).click();
  await expect(page.getByTestId("summary-duplicates")).toHaveText("2");
  await expect(page.getByTestId("summary-accepted")).toHaveText("0");
  await expect(page.getByTestId("summary-rejected")).toHaveText("1");
  await expect(page.getByTestId("upload-headline")).toHaveText("Of 3 rows: stored 0, 2 already stored before, 1 rejected.");
});

test("a CSV whose header names an unknown column is refused before anything is sent", async ({ page }) => {
  await signInAs(page, "admin@example.com");
  await page.goto("/settings/upload");
  await page.getByLabel("Event file").setInputFiles({ name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from("id,timestamp,tokens\nx,2026-10-05T09:00:00Z,5\n") });
  await expect(page.getByRole("main").getByRole("alert")).toContainText('unknown column "tokens"');
  await expect(page.getByRole("button", { name: "Upload", exact: true })).toHaveCount(0);
});
