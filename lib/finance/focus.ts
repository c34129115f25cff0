// FOCUS-style export: one charge row per day × team × feature × endpoint × cohort × provider × model ×
// cost source of the month, read from daily_costs in batches (keyset on id) so a large month is never
// held in memory.
//
// Columns: BilledCost = direct cost + GPU share (what the usage cost before overhead); EffectiveCost =
// BilledCost + overhead (the fully-loaded cost the monthly rollup books: EffectiveCost sums to the
// month's total); BillingCurrency USD; ChargePeriodStart/End = the day's bounds in the organisation's
// time zone as UTC instants; ServiceProviderName = provider; SkuId = model; ConsumedQuantity = tokens
// (input + cache read + cache write + output + reasoning), ConsumedUnit "Tokens"; Tags = JSON with
// endpoint, feature, team, cohort; x_CostSource, x_Requests, x_Events as extension columns.
import type pg from "pg";
import { csvLine, type Cell } from "@/lib/finance/csv";
import type { Month } from "@/lib/finance/months";

export const FOCUS_COLUMNS = [
  "BilledCost",
  "EffectiveCost",
  "BillingCurrency",
  "ChargePeriodStart",
  "ChargePeriodEnd",
  "ServiceProviderName",
  "SkuId",
  "ConsumedQuantity",
  "ConsumedUnit",
  "Tags",
  "x_CostSource",
  "x_Requests",
  "x_Events",
];
const TEXT_COLUMNS = new Set([5, 6, 9, 10]);
export const FOCUS_BATCH = 5_000;

type FocusRow = {
  id: string;
  billed: string;
  effective: string;
  start: Date;
  end: Date;
  provider: string | null;
  model: string | null;
  quantity: string;
  team: string | null;
  feature: string | null;
  endpoint: string | null;
  cohort: string | null;
  cost_source: string;
  requests: number;
  events: number;
};

/** The CSV text, header first, in chunks of at most FOCUS_BATCH rows. */
export async function* focusCsv(db: pg.Pool, month: Month, tz: string): AsyncGenerator<string> {
  yield csvLine(FOCUS_COLUMNS);
  let after = "0";
  for (;;) {
    const { rows } = await db.query<FocusRow>(
      `SELECT id::text, (direct_cost + gpu_cost)::text AS billed, (direct_cost + gpu_cost + overhead_cost)::text AS effective,
         day::timestamp AT TIME ZONE $3 AS start, (day + 1)::timestamp AT TIME ZONE $3 AS "end", provider, model,
         (input_tokens + cache_read_tokens + cache_write_tokens + output_tokens + reasoning_tokens)::text AS quantity,
         team, feature, endpoint, cohort, cost_source, requests, events
       FROM daily_costs WHERE day >= $1::date AND day < $2::date AND id > $4::bigint ORDER BY id LIMIT $5`,
      [month.start, month.end, tz, after, FOCUS_BATCH],
    );
    if (rows.length === 0) return;
    let chunk = "";
    for (const r of rows) {
      const cells: Cell[] = [
        r.billed,
        r.effective,
        "USD",
        r.start.toISOString(),
        r.end.toISOString(),
        r.provider,
        r.model,
        r.quantity,
        "Tokens",
        JSON.stringify({ endpoint: r.endpoint, feature: r.feature, team: r.team, cohort: r.cohort }),
        r.cost_source,
        r.requests,
        r.events,
      ];
      chunk += csvLine(cells, TEXT_COLUMNS);
    }
    yield chunk;
    after = rows[rows.length - 1]!.id;
    if (rows.length < FOCUS_BATCH) return;
  }
}
