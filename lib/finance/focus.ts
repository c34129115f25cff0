// The FOCUS 1.2 dataset of a month (its rows, written as CSV here and as Parquet by focus-parquet.ts), with the FOCUS 1.3 names alongside where 1.3 renamed a column.
// Written from the specification's definitions (FinOps-Open-Cost-and-Usage-Spec/FOCUS_Spec):
// specification/columns/columns.mdpp (the column list), billedcost.md, effectivecost.md, listcost.md,
// listunitprice.md, contractedunitprice.md, pricingquantity.md, pricingunit.md, pricingcategory.md,
// consumedquantity.md, chargecategory.md, chargeclass.md, chargefrequency.md, billingperiodstart.md,
// provider.md, servicecategory.md; specification/attributes/datetime_format.md, numeric_format.md,
// key_value_format.md, custom_column_handling.md. The conformance check in
// tests/support/focus-conformance.ts checks the same statements.
//
// Rows (each one ChargeCategory, one price, one SKU meter):
// - Usage of a priced model (cost source "estimated"): one row per day × team × feature × endpoint ×
//   cohort × provider × model × price entry × token class. SkuMeter names the token class, PricingUnit
//   "1M Tokens", PricingQuantity = tokens / 1,000,000, ListUnitPrice = ContractedUnitPrice = the price
//   entry's rate for the class (the one price of the row: rows are split by price entry, so a row never
//   mixes prices). A per-call price is its own row (SkuMeter "Calls", PricingUnit "Calls").
//   ListCost = ContractedCost = BilledCost = EffectiveCost = quantity × rate, exact.
//   Only events whose stored cost is exactly that split (no long-context tier above its threshold, no
//   served service tier, tool calls or audio/image tokens) are split so; the others follow.
// - Usage whose cost has no per-class split: the provider reported it (cost source "billed"), the event
//   was priced with a long-context tier, a service tier, tool fees or modality rates, or only in part
//   (cost source "incomplete": the part that could be priced, named in ChargeDescription). The row is
//   priced per dollar: PricingUnit "USD", PricingQuantity = the amount, unit prices 1. ConsumedQuantity
//   still counts its tokens (every class).
// - A GPU pool-hour share (cost source "gpu"): SkuId = the pool, SkuMeter "Pool hours", PricingUnit
//   "Hours", PricingQuantity = share of the pool-hour (cost / the hour's price, 20 decimals),
//   ListUnitPrice = the hour's price. ProviderName/PublisherName/InvoiceIssuerName/HostProviderName
//   "Self-hosted": the organisation runs the pool and nobody else invoices it.
// - Overhead (the organisation's loading, not a provider charge): its own rows, ChargeCategory
//   "Adjustment", BilledCost = 0 (nobody invoices it); ListCost, ContractedCost and EffectiveCost = the
//   overhead (a charge calculated from related charges takes those costs from theirs, listcost.md and
//   effectivecost.md), read from the daily rollup so EffectiveCost sums to the month's fully-loaded total.
// - Unpriced usage (no price in the book): cost 0 and no unit price, which "Usage" may not have, so an
//   "Adjustment" row that names it in ChargeDescription: flagged, never guessed.
// - The stored event cost is rounded to 12 decimals; if a group's class costs differ from it, the
//   difference is an "Adjustment" row ("Rounding"), so BilledCost always sums to the events' costs.
// - Usage discounted by a contract (lib/pricing/contracts.ts: list_cost_usd is set) is its own per-dollar row:
//   PricingQuantity = the list amount, ListUnitPrice 1, ListCost = the list cost, ContractedCost = BilledCost =
//   EffectiveCost = the cost paid, ContractedUnitPrice = paid / list (20 decimals; the group's average
//   when contracts of different percentages meet in one group).
// Events without a cost (cost source "none") are not charges and have no row. Otherwise ContractedCost = ListCost.
//
// Read a day at a time (three queries per day), so a large month is never held in memory.
import type pg from "pg";
import { GPU_TAGS } from "@/lib/finance/daily-costs";
import { csvLine } from "@/lib/finance/csv";
import type { Month } from "@/lib/finance/months";

/**
 * A FOCUS column's data type (attributes/*_format.md): Decimal (Numeric Format), Date/Time, or String. Tags, a
 * JSON object of key-value pairs, is a String holding that JSON. `guard`: the column carries text from events
 * (names, tags), so the CSV guards it against spreadsheet formulas.
 */
export type FocusColumnType = "decimal" | "datetime" | "string";
type ColumnSpec = { readonly name: string; readonly type: FocusColumnType; readonly guard?: boolean };

/** The columns, in file order, with their types: the one list the CSV and the Parquet writers both follow. */
export const FOCUS_SCHEMA = [
  { name: "BilledCost", type: "decimal" },
  { name: "BillingAccountId", type: "string", guard: true },
  { name: "BillingAccountName", type: "string", guard: true },
  { name: "BillingCurrency", type: "string" },
  { name: "BillingPeriodEnd", type: "datetime" },
  { name: "BillingPeriodStart", type: "datetime" },
  { name: "ChargeCategory", type: "string" },
  { name: "ChargeClass", type: "string" },
  { name: "ChargeDescription", type: "string", guard: true },
  { name: "ChargeFrequency", type: "string" },
  { name: "ChargePeriodEnd", type: "datetime" },
  { name: "ChargePeriodStart", type: "datetime" },
  { name: "ConsumedQuantity", type: "decimal" },
  { name: "ConsumedUnit", type: "string" },
  { name: "ContractedCost", type: "decimal" },
  { name: "ContractedUnitPrice", type: "decimal" },
  { name: "EffectiveCost", type: "decimal" },
  { name: "InvoiceIssuerName", type: "string", guard: true },
  { name: "ListCost", type: "decimal" },
  { name: "ListUnitPrice", type: "decimal" },
  { name: "PricingCategory", type: "string" },
  { name: "PricingQuantity", type: "decimal" },
  { name: "PricingUnit", type: "string" },
  { name: "ProviderName", type: "string", guard: true },
  { name: "PublisherName", type: "string", guard: true },
  { name: "ServiceCategory", type: "string" },
  { name: "ServiceName", type: "string", guard: true },
  { name: "SkuId", type: "string", guard: true },
  { name: "SkuMeter", type: "string" },
  { name: "SkuPriceId", type: "string" },
  { name: "Tags", type: "string", guard: true },
  { name: "ServiceProviderName", type: "string", guard: true },
  { name: "HostProviderName", type: "string", guard: true },
  { name: "x_CostSource", type: "string" },
] as const satisfies readonly ColumnSpec[];

export type FocusColumn = (typeof FOCUS_SCHEMA)[number]["name"];
export const FOCUS_COLUMNS: readonly FocusColumn[] = FOCUS_SCHEMA.map((c) => c.name);

/**
 * One row of the file: each cell as the CSV writes it (a decimal as PostgreSQL's exact text, a date-time as
 * focusDateTime's text), absent or null = null.
 */
export type FocusRow = Partial<Record<FocusColumn, string | null>>;

/** A row's cells in column order. */
export function focusCells(r: FocusRow): (string | null)[] {
  return FOCUS_SCHEMA.map((c) => r[c.name] ?? null);
}

/** Column indexes that carry text from events (names, tags): guarded against spreadsheet formulas in the CSV. */
export const FOCUS_GUARDED: ReadonlySet<number> = new Set(FOCUS_SCHEMA.flatMap((c: ColumnSpec, i) => (c.guard ? [i] : [])));

export const SELF_HOSTED = "Self-hosted";
const UNKNOWN_PROVIDER = "Unknown provider";
const AI = "AI and Machine Learning";

/** FOCUS Date/Time Format: ISO 8601 in UTC, seconds, no fraction ("2026-10-01T00:00:00Z"). */
export function focusDateTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

type Group = { team: string | null; feature: string | null; endpoint: string | null; cohort: string | null; provider: string | null; model: string | null };

type TokenGroup = Group & {
  cost_source: "estimated" | "billed" | "unpriced" | "incomplete";
  price_entry_id: string | null;
  /** The events' costs are discounted by a contract; list_cost is then their list cost. */
  contracted: boolean;
  list_cost: string;
  contracted_unit_price: string;
  /** Every event's stored cost is the base rates' split of its tokens (plus a per-call price). */
  split: boolean;
  events: string;
  cost: string;
  tokens: string;
  per_call: string | null;
  per_call_cost: string;
  residual: string;
  classes: { meter: string; tokens: string; quantity: string; rate: string; cost: string }[] | null;
};

// Token classes in the order of lib/pricing/price-event.ts TOKEN_BUCKETS; reasoning and tool output fall back
// to the output rate as they do there. Costs are exact: NUMERIC multiplication does not round.
const CLASSES: [meter: string, tokens: string, rate: string][] = [
  ["Input tokens", "input_tokens", "p.input_per_mtok"],
  ["Cache read tokens", "cache_read_tokens", "p.cache_read_per_mtok"],
  ["Cache write tokens", "cache_write_tokens", "p.cache_write_per_mtok"],
  ["Cache write (1h) tokens", "cache_write_1h_tokens", "p.cache_write_1h_per_mtok"],
  ["Output tokens", "output_tokens", "p.output_per_mtok"],
  ["Reasoning tokens", "reasoning_tokens", "coalesce(p.reasoning_per_mtok, p.output_per_mtok)"],
  ["Tool output tokens", "tool_output_tokens", "coalesce(p.tool_output_per_mtok, p.output_per_mtok)"],
];

const DAY = `b AS (SELECT $1::date::timestamp AT TIME ZONE $2 AS s, ($1::date + 1)::timestamp AT TIME ZONE $2 AS e)`;
const KEYS = "team, feature, endpoint, cohort, provider, model";

// An event is split by token class only when its stored cost is exactly the base rates' split (rounded to
// the stored 12 decimals, which the "Rounding" adjustment takes up): nothing of the bill's other parts.
const SPLIT = `e.cost_source = 'estimated' AND p.id IS NOT NULL AND e.list_cost_usd IS NULL AND e.service_tier IS NULL AND e.tool_calls IS NULL
    AND e.audio_input_tokens = 0 AND e.audio_output_tokens = 0 AND e.image_input_tokens = 0 AND e.unknown_usage IS NULL
    AND e.cost_usd = round(${CLASSES.map(([, t, rate]) => `e.${t} * coalesce(${rate}, 0) * 0.000001`).join(" + ")} + coalesce(p.per_call_usd, 0), 12)`;

const TOKEN_SQL = `
WITH ${DAY},
g AS (
  SELECT e.team, e.feature, e.endpoint, e.cohort, lower(btrim(e.provider)) AS provider, e.model, e.cost_source, e.price_entry_id,
    coalesce(${SPLIT}, false) AS split, e.list_cost_usd IS NOT NULL AS contracted,
    count(*) AS events, coalesce(sum(e.cost_usd), 0) AS cost, coalesce(sum(coalesce(e.list_cost_usd, e.cost_usd)), 0) AS list_cost,
    ${CLASSES.map(([, t]) => `sum(e.${t}) AS ${t}`).join(", ")}
  FROM cost_events e CROSS JOIN b LEFT JOIN price_entries p ON p.id = e.price_entry_id
  WHERE e.ts >= b.s AND e.ts < b.e AND e.cost_source IN ('estimated', 'billed', 'unpriced', 'incomplete')
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
),
c AS (
  SELECT g.*, p.per_call_usd,
    CASE WHEN g.split THEN coalesce(p.per_call_usd, 0) * g.events ELSE 0 END AS per_call_cost,
    CASE WHEN g.split THEN (
      SELECT jsonb_agg(jsonb_build_object('meter', m.meter, 'tokens', m.tokens::text, 'quantity', (m.tokens * 0.000001)::text,
        'rate', m.rate::text, 'cost', (m.tokens * m.rate * 0.000001)::text) ORDER BY m.i)
      FROM (VALUES ${CLASSES.map(([meter, t, rate], i) => `(${i}, '${meter}', g.${t}, ${rate})`).join(", ")}) m(i, meter, tokens, rate)
      WHERE m.tokens > 0) END AS classes,
    CASE WHEN g.split THEN
      ${CLASSES.map(([, t, rate]) => `g.${t} * coalesce(${rate}, 0) * 0.000001`).join(" + ")} ELSE 0 END AS class_cost
  FROM g LEFT JOIN price_entries p ON p.id = g.price_entry_id
)
SELECT team, feature, endpoint, cohort, provider, model, cost_source, price_entry_id::text, split, contracted, events::text, cost::text,
  list_cost::text, (CASE WHEN list_cost > 0 THEN trim_scale(round(cost / list_cost, 20)) ELSE 1 END)::text AS contracted_unit_price,
  (${CLASSES.map(([, t]) => t).join(" + ")})::text AS tokens, per_call_usd::text AS per_call, per_call_cost::text,
  (cost - class_cost - per_call_cost)::text AS residual, classes
FROM c
ORDER BY ${KEYS}, cost_source, price_entry_id NULLS FIRST, split, contracted`;

type GpuGroup = Group & { pool: string; rate: string; cost: string; hours: string };

const GPU_SQL = `
WITH ${DAY}
SELECT g.team, g.feature, g.endpoint, g.cohort, lower(btrim(g.provider)) AS provider, g.model, a.pool, ph.cost_usd::text AS rate,
  sum(a.cost_usd)::text AS cost, round(sum(a.cost_usd / ph.cost_usd), 20)::text AS hours
FROM b, gpu_allocations a JOIN gpu_pool_hours ph ON ph.pool = a.pool AND ph.hour = a.hour
${GPU_TAGS}
WHERE a.hour >= b.s AND a.hour < b.e AND a.cost_usd > 0 AND ph.cost_usd > 0
GROUP BY g.team, g.feature, g.endpoint, g.cohort, lower(btrim(g.provider)), g.model, a.pool, ph.cost_usd
ORDER BY 1, 2, 3, 4, 5, 6, 7, 8`;

type OverheadRow = Group & { cost_source: string; overhead: string };

const OVERHEAD_SQL = `
SELECT ${KEYS}, cost_source, overhead_cost::text AS overhead FROM daily_costs
WHERE day = $1::date AND overhead_cost <> 0 ORDER BY ${KEYS}, cost_source, id`;

function tags(g: Group): string {
  const t: Record<string, string> = {};
  for (const k of ["endpoint", "feature", "team", "cohort"] as const) if (g[k] !== null) t[k] = g[k];
  return JSON.stringify(t);
}

const nonZero = (d: string) => !/^-?0*(\.0*)?$/.test(d);

type Frame = { billingStart: string; billingEnd: string; chargeStart: string; chargeEnd: string };

function base(f: Frame, g: Group, provider: string, source: string): FocusRow {
  return {
    BillingAccountId: provider,
    BillingAccountName: provider,
    BillingCurrency: "USD",
    BillingPeriodStart: f.billingStart,
    BillingPeriodEnd: f.billingEnd,
    ChargePeriodStart: f.chargeStart,
    ChargePeriodEnd: f.chargeEnd,
    ChargeClass: null,
    ChargeFrequency: "Usage-Based",
    InvoiceIssuerName: provider,
    ProviderName: provider,
    PublisherName: provider,
    ServiceProviderName: provider,
    HostProviderName: provider,
    ServiceCategory: AI,
    Tags: tags(g),
    x_CostSource: source,
  };
}

function usage(row: FocusRow, cost: string, quantity: string, unit: string, price: string): FocusRow {
  return {
    ...row,
    ChargeCategory: "Usage",
    PricingCategory: "Standard",
    PricingQuantity: quantity,
    PricingUnit: unit,
    ListUnitPrice: price,
    ContractedUnitPrice: price,
    ListCost: cost,
    ContractedCost: cost,
    BilledCost: cost,
    EffectiveCost: cost,
  };
}

/** An Adjustment: no unit price, so ListCost and ContractedCost follow the related charges' (= EffectiveCost here). */
function adjustment(row: FocusRow, billed: string, effective: string, description: string): FocusRow {
  return { ...row, ChargeCategory: "Adjustment", ChargeDescription: description, ListCost: effective, ContractedCost: effective, BilledCost: billed, EffectiveCost: effective };
}

function tokenRows(f: Frame, g: TokenGroup): FocusRow[] {
  const provider = g.provider ?? UNKNOWN_PROVIDER;
  const model = g.model ?? "unknown model";
  const row = { ...base(f, g, provider, g.cost_source), ServiceName: `${provider} API`, SkuId: g.model, SkuPriceId: g.price_entry_id };
  const out: FocusRow[] = [];
  if (g.cost_source === "unpriced") {
    out.push({
      ...adjustment(row, "0", "0", `Unpriced usage of ${model}: ${g.events} event(s), ${g.tokens} tokens with no price in the price book (cost not estimated)`),
      ChargeFrequency: "Usage-Based",
      SkuPriceId: null,
    });
    return out;
  }
  if (!g.split) {
    const consumed = nonZero(g.tokens) ? { ConsumedQuantity: g.tokens, ConsumedUnit: "Tokens" } : { ConsumedQuantity: g.events, ConsumedUnit: "Calls" };
    const [meter, description] =
      g.cost_source === "billed"
        ? ["Provider-reported cost", `${model}: cost reported by the provider for ${g.events} call(s)`]
        : g.cost_source === "incomplete"
          ? ["Priced part", `${model}: the part that could be priced of ${g.events} call(s) whose usage holds something the price book cannot price (see coverage)`]
          : g.contracted
            ? ["Contracted requests", `${model}: ${g.events} call(s) priced at list`]
            : ["Priced requests", `${model}: ${g.events} call(s) priced with a long-context tier, a service tier, tool fees or modality rates (see each request)`];
    if (g.contracted) {
      out.push({
        ...usage(row, g.cost, g.list_cost, "USD", "1"),
        ListCost: g.list_cost,
        ContractedUnitPrice: g.contracted_unit_price,
        ...consumed,
        SkuMeter: meter,
        ChargeDescription: `${description}; discounted by a contract from the list cost ${g.list_cost} USD`,
      });
      return out;
    }
    out.push({ ...usage(row, g.cost, g.cost, "USD", "1"), ...consumed, SkuMeter: meter, ChargeDescription: description });
    return out;
  }
  for (const c of g.classes ?? []) {
    out.push({
      ...usage(row, c.cost, c.quantity, "1M Tokens", c.rate),
      ConsumedQuantity: c.tokens,
      ConsumedUnit: "Tokens",
      SkuMeter: c.meter,
      ChargeDescription: `${model}: ${c.meter.toLowerCase()} at ${c.rate} USD per 1M tokens`,
    });
  }
  if (g.per_call !== null && g.price_entry_id !== null && nonZero(g.per_call_cost)) {
    out.push({
      ...usage(row, g.per_call_cost, g.events, "Calls", g.per_call),
      ConsumedQuantity: g.events,
      ConsumedUnit: "Calls",
      SkuMeter: "Calls",
      ChargeDescription: `${model}: per-call price at ${g.per_call} USD per call`,
    });
  }
  if (nonZero(g.residual)) {
    out.push(adjustment({ ...row, SkuPriceId: null }, g.residual, g.residual, `${model}: rounding of the stored event costs to 12 decimals`));
  }
  return out;
}

function gpuRow(f: Frame, g: GpuGroup): FocusRow {
  return {
    ...usage({ ...base(f, g, SELF_HOSTED, "gpu"), ServiceCategory: AI, ServiceName: "Self-hosted GPU pools" }, g.cost, g.hours, "Hours", g.rate),
    ConsumedQuantity: g.hours,
    ConsumedUnit: "Hours",
    SkuId: g.pool,
    SkuMeter: "Pool hours",
    SkuPriceId: null,
    ChargeDescription: `GPU pool ${g.pool}: share of pool-hours at ${g.rate} USD per hour${g.model ? ` (${g.model})` : ""}`,
  };
}

function overheadRow(f: Frame, g: OverheadRow): FocusRow {
  return {
    ...adjustment({ ...base(f, g, SELF_HOSTED, "overhead"), ServiceCategory: "Other", ServiceName: "Overhead", ChargeFrequency: "Usage-Based" }, "0", g.overhead,
      `Overhead loaded on the ${g.cost_source} cost of ${g.feature ?? "unattributed usage"}${g.provider ? ` (${g.provider}${g.model ? ` ${g.model}` : ""})` : ""}`),
  };
}

/** The days of a month (YYYY-MM-DD), in order. */
function daysOf(month: Month): string[] {
  const days: string[] = [];
  for (let d = new Date(`${month.start}T00:00:00Z`); d < new Date(`${month.end}T00:00:00Z`); d = new Date(d.getTime() + 86_400_000)) days.push(d.toISOString().slice(0, 10));
  return days;
}

/**
 * The month's rows, one batch per day of the month in order (a day's rows are the most held at once). The CSV
 * (focusCsv) and the Parquet file (lib/finance/focus-parquet.ts) are both written from this.
 */
export async function* focusRows(db: pg.Pool, month: Month, tz: string): AsyncGenerator<FocusRow[]> {
  const bounds = async (day: string) => {
    const { rows } = await db.query<{ s: Date; e: Date }>(
      `SELECT $1::date::timestamp AT TIME ZONE $2 AS s, ($1::date + 1)::timestamp AT TIME ZONE $2 AS e`,
      [day, tz],
    );
    return rows[0]!;
  };
  const period = { s: (await bounds(month.start)).s, e: (await bounds(month.end)).s };
  for (const day of daysOf(month)) {
    const b = await bounds(day);
    const f: Frame = { billingStart: focusDateTime(period.s), billingEnd: focusDateTime(period.e), chargeStart: focusDateTime(b.s), chargeEnd: focusDateTime(b.e) };
    const rows: FocusRow[] = [];
    for (const g of (await db.query<TokenGroup>(TOKEN_SQL, [day, tz])).rows) rows.push(...tokenRows(f, g));
    for (const g of (await db.query<GpuGroup>(GPU_SQL, [day, tz])).rows) rows.push(gpuRow(f, g));
    for (const g of (await db.query<OverheadRow>(OVERHEAD_SQL, [day])).rows) rows.push(overheadRow(f, g));
    if (rows.length > 0) yield rows;
  }
}

/** The CSV text, header first, then one chunk per day of the month. */
export async function* focusCsv(db: pg.Pool, month: Month, tz: string): AsyncGenerator<string> {
  yield csvLine([...FOCUS_COLUMNS]);
  for await (const rows of focusRows(db, month, tz)) yield rows.map((r) => csvLine(focusCells(r), FOCUS_GUARDED)).join("");
}
