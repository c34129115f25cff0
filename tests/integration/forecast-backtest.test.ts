// The month-end forecast's backtest on the demo organisation: for each complete month the demo covers,
// forecasts made with 7, 14 and 21 days complete, against the month's actual total. Prints the error of
// each and the mean absolute percentage error (MAPE). The series is the demo's own requests (ids
// "demo-…"), per day and cohort, so what other test files add to the shared database does not count.
import Decimal from "decimal.js";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { DEMO_PASSWORD } from "@/lib/demo/generate-org";
import { DEMO_WEEKS, isoWeekStart } from "@/lib/demo/generate-events";
import { forecastMonth, type CohortTotal, type DayFigures } from "@/lib/budgets/forecast";
import { addMonths, currentMonth, parseMonth } from "@/lib/finance/months";
import { addDays } from "@/lib/rollups/weeks";
import { callJson, signIn } from "../support/http";

const baseUrl = inject("baseUrl");
const db = new pg.Pool({ connectionString: inject("databaseUrl"), max: 2 });
afterAll(() => db.end());

describe("the forecast's backtest on the demo's complete months", () => {
  it("forecasts each month from days 7, 14 and 21 within 15 % (MAPE printed)", async () => {
    const admin = await signIn(baseUrl, "admin@example.com", DEMO_PASSWORD);
    expect((await callJson(admin, "POST", "/api/v1/rollups/refresh")).status).toBe(200);
    const tz = (await callJson<{ timezone: string }>(admin, "GET", "/api/v1/settings/review")).body.timezone;
    const now = new Date();
    // Months that begin after the demo's first two weeks (the forecast needs a weekday pattern) and have ended.
    const demoStart = new Date(isoWeekStart(now).getTime() - DEMO_WEEKS * 7 * 86_400_000);
    const months: string[] = [];
    for (let m = currentMonth(new Date(demoStart.getTime() + 14 * 86_400_000), tz); m < currentMonth(now, tz); m = addMonths(m, 1)) {
      if (`${m}-01` >= addDays(demoStart.toISOString().slice(0, 10), 14)) months.push(m);
    }
    expect(months.length).toBeGreaterThanOrEqual(1);
    const { rows: days } = await db.query<DayFigures>(
      `SELECT (ts AT TIME ZONE $1)::date::text AS day, cohort, count(DISTINCT request_id)::int AS requests, coalesce(sum(cost_usd), 0)::text AS cost
       FROM cost_events WHERE request_id LIKE 'demo-%' GROUP BY 1, 2`,
      [tz],
    );
    const total = (from: string, to: string) => days.filter((d) => d.day >= from && d.day < to).reduce((s, d) => s.plus(d.cost), new Decimal(0));
    const errors: number[] = [];
    for (const label of months) {
      const month = parseMonth(label)!;
      const prev = parseMonth(addMonths(label, -1))!;
      const byCohort = new Map<string | null, CohortTotal>();
      for (const d of days.filter((x) => x.day >= prev.start && x.day < prev.end)) {
        const t = byCohort.get(d.cohort) ?? { cohort: d.cohort, requests: 0, cost: "0" };
        byCohort.set(d.cohort, { cohort: d.cohort, requests: t.requests + d.requests, cost: new Decimal(t.cost).plus(d.cost).toFixed() });
      }
      const actual = total(month.start, month.end);
      expect(actual.gt(0)).toBe(true);
      for (const day of [7, 14, 21]) {
        const asOf = addDays(month.start, day);
        const f = forecastMonth({ month, asOf, days: days.filter((d) => d.day < asOf), previous: [...byCohort.values()] });
        const error = new Decimal(f.forecast.cost).minus(actual).div(actual).times(100);
        errors.push(error.abs().toNumber());
        console.log(`forecast backtest ${label} day ${day}: forecast ${f.forecast.cost} (range ${f.forecast.low}–${f.forecast.high}), actual ${actual.toFixed()}, error ${error.toFixed(2)} %`);
      }
    }
    const mape = errors.reduce((s, e) => s + e, 0) / errors.length;
    console.log(`forecast backtest: MAPE ${mape.toFixed(2)} % over ${errors.length} forecasts (${months.join(", ")})`);
    expect(mape).toBeLessThan(15);
  });
});
