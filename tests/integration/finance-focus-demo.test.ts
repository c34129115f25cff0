// The FOCUS file of every month the demo organisation covers (its twelve weeks before now and the current
// week) passes the FOCUS 1.2 conformance check, with EffectiveCost summing to the month's fully-loaded total
// and BilledCost to its billed, estimated and GPU cost; the demo's GPU pool appears by name, in hours.
import Decimal from "decimal.js";
import { parse } from "csv-parse/sync";
import { describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/generate-org";
import { DEMO_GPU_POOL, DEMO_WEEKS, isoWeekStart } from "@/lib/demo/generate-events";
import { addMonths, currentMonth } from "@/lib/finance/months";
import { assertFocus } from "../support/focus-conformance";
import { callJson, signIn } from "../support/http";

const baseUrl = inject("baseUrl");

type Totals = { directCost: string; gpuCost: string; totalCost: string };

describe("the demo's FOCUS files", () => {
  it("conform to FOCUS 1.2 and add up to each month's totals exactly", async () => {
    const admin = await signIn(baseUrl, "admin@example.com", DEMO_PASSWORD);
    const finance = await signIn(baseUrl, "finance@example.com", DEMO_PASSWORD);
    const tz = (await callJson<{ timezone: string }>(admin, "GET", "/api/v1/settings/review")).body.timezone;
    const now = new Date();
    // The demo starts on the Monday DEMO_WEEKS weeks before this week's (lib/demo/generate-events.ts).
    const first = currentMonth(new Date(isoWeekStart(now).getTime() - DEMO_WEEKS * 7 * 86_400_000 + 86_400_000), tz);
    const last = currentMonth(now, tz);
    const months: string[] = [];
    for (let m = first; m <= last; m = addMonths(m, 1)) months.push(m);
    expect(months.length).toBeGreaterThanOrEqual(3);

    expect((await callJson(admin, "POST", "/api/v1/rollups/refresh")).status).toBe(200);
    let gpuRows = 0;
    for (const month of months) {
      const r = await callJson<{ totals: Totals }>(finance, "GET", `/api/v1/finance/monthly?month=${month}`);
      expect(r.status).toBe(200);
      const res = await finance.fetch(`/api/v1/finance/monthly?month=${month}&format=focus`);
      expect(res.status).toBe(200);
      const text = await res.text();
      assertFocus(text, { effectiveTotal: r.body.totals.totalCost, billedTotal: new Decimal(r.body.totals.directCost).plus(r.body.totals.gpuCost) });
      const rows = parse(text, { columns: true }) as Record<string, string>[];
      expect(rows.length, month).toBeGreaterThan(0);
      const gpu = rows.filter((x) => x.x_CostSource === "gpu" && x.SkuId === DEMO_GPU_POOL.name);
      for (const g of gpu) {
        expect([g.ChargeCategory, g.PricingUnit, g.SkuMeter, g.ProviderName]).toEqual(["Usage", "Hours", "Pool hours", "Self-hosted"]);
        expect(new Decimal(g.ListUnitPrice!).equals(DEMO_GPU_POOL.hourlyUsd)).toBe(true);
      }
      gpuRows += gpu.length;
    }
    expect(gpuRows).toBeGreaterThan(0);
  });
});
