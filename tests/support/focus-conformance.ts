// A FOCUS 1.2 conformance check for a FOCUS file, the CSV's text or a table of its cells (the Parquet file as
// tests/support/focus-parquet.ts reads it back), written from the normative statements (MUST / MUST NOT) of
// the specification's column and attribute definitions (FinOps-Open-Cost-and-Usage-Spec/FOCUS_Spec,
// specification/columns/*.md and specification/attributes/*.md; the files are listed at the top of
// lib/finance/focus.ts). Each rule has an id; every failure quotes it with the row (1 = first data row) and
// column. Empty cells and nulls are nulls. The totals rules (x-…) are this project's: the file against the month.
import Decimal from "decimal.js";
import { parse } from "csv-parse/sync";

export type Failure = { rule: string; row?: number; column?: string; message: string };

/** The 21 columns FOCUS 1.2 makes mandatory. */
export const MANDATORY = [
  "BilledCost", "BillingAccountId", "BillingAccountName", "BillingCurrency", "BillingPeriodEnd", "BillingPeriodStart", "ChargeCategory",
  "ChargeClass", "ChargeDescription", "ChargePeriodEnd", "ChargePeriodStart", "ContractedCost", "EffectiveCost", "InvoiceIssuerName", "ListCost",
  "PricingQuantity", "PricingUnit", "ProviderName", "PublisherName", "ServiceCategory", "ServiceName",
] as const;

/** Columns the FOCUS 1.2 and 1.3 specifications define (ids); anything else must carry the x_ prefix. */
const KNOWN = new Set<string>([
  ...MANDATORY, "AvailabilityZone", "BillingAccountType", "CapacityReservationId", "CapacityReservationStatus", "ChargeFrequency", "CommitmentDiscountCategory",
  "CommitmentDiscountId", "CommitmentDiscountName", "CommitmentDiscountQuantity", "CommitmentDiscountStatus", "CommitmentDiscountType", "CommitmentDiscountUnit",
  "ConsumedQuantity", "ConsumedUnit", "ContractedUnitPrice", "InvoiceId", "ListUnitPrice", "PricingCategory", "PricingCurrency",
  "PricingCurrencyContractedUnitPrice", "PricingCurrencyEffectiveCost", "PricingCurrencyListUnitPrice", "RegionId", "RegionName", "ResourceId", "ResourceName",
  "ResourceType", "ServiceSubcategory", "SkuId", "SkuMeter", "SkuPriceDetails", "SkuPriceId", "SubAccountId", "SubAccountName", "SubAccountType", "Tags",
  "ServiceProviderName", "HostProviderName",
]);

const DATETIME = ["BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd"] as const;
const DECIMAL = ["BilledCost", "EffectiveCost", "ListCost", "ContractedCost", "ListUnitPrice", "ContractedUnitPrice", "PricingQuantity", "ConsumedQuantity"] as const;
const NOT_NULL = [
  "BilledCost", "BillingAccountId", "BillingAccountName", "BillingCurrency", "BillingPeriodStart", "BillingPeriodEnd", "ChargeCategory", "ChargePeriodStart",
  "ChargePeriodEnd", "ContractedCost", "EffectiveCost", "InvoiceIssuerName", "ListCost", "ProviderName", "PublisherName", "ServiceCategory", "ServiceName",
] as const;
const ALLOWED: Record<string, readonly string[]> = {
  ChargeCategory: ["Usage", "Purchase", "Tax", "Credit", "Adjustment"],
  ChargeClass: ["Correction"],
  ChargeFrequency: ["One-Time", "Recurring", "Usage-Based"],
  PricingCategory: ["Standard", "Dynamic", "Committed", "Other"],
  ServiceCategory: [
    "AI and Machine Learning", "Analytics", "Business Applications", "Compute", "Databases", "Developer Tools", "Multicloud", "Identity", "Integration",
    "Internet of Things", "Management and Governance", "Media", "Migration", "Mobile", "Networking", "Security", "Storage", "Web", "Other",
  ],
};

/** Date/Time Format: ISO 8601 in UTC with seconds and no fraction. */
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
/** Numeric Format: optional minus, digits, optional fraction; no plus sign, exponent, separators, symbols or units. */
const NUMERIC_RE = /^-?\d+(\.\d+)?$/;
/** Currency Code Format: ISO 4217 alphabetic code. */
const CURRENCY_RE = /^[A-Z]{3}$/;

export type Options = {
  /** The month's fully-loaded total: EffectiveCost must sum to it exactly. */
  effectiveTotal?: Decimal.Value;
  /** The month's billed cost: BilledCost must sum to it exactly. */
  billedTotal?: Decimal.Value;
  /** Unit price × PricingQuantity must equal the cost to within this (a quantity that is a non-terminating fraction, e.g. a share of a GPU hour, is rounded). */
  productTolerance?: Decimal.Value;
};

/** A FOCUS file as a header and rows of cells in its order, each cell's text as the CSV writes it or null. */
export type FocusTable = { header: string[]; rows: (string | null)[][] };

/** The CSV's text → its table (empty cells stay "", which the check reads as null). */
export function focusTableOfCsv(csv: string): FocusTable {
  const records = parse(csv, { relax_column_count: false, skip_empty_lines: true }) as string[][];
  return { header: records[0] ?? [], rows: records.slice(1) };
}

export function checkFocus(file: string | FocusTable, opts: Options = {}): Failure[] {
  const failures: Failure[] = [];
  const fail = (rule: string, message: string, row?: number, column?: string) => failures.push({ rule, message, ...(row ? { row } : {}), ...(column ? { column } : {}) });
  const { header, rows } = typeof file === "string" ? focusTableOfCsv(file) : file;

  // Column presence and names.
  for (const c of MANDATORY) if (!header.includes(c)) fail("FOCUS-COLUMN-PRESENT", `mandatory column ${c} is missing`, undefined, c);
  if (header.includes("ProviderName") && !header.includes("ServiceProviderName")) fail("FOCUS-COLUMN-PRESENT", "ServiceProviderName (the 1.3 name of ProviderName) is missing", undefined, "ServiceProviderName");
  const seen = new Set<string>();
  for (const c of header) {
    if (seen.has(c)) fail("FOCUS-COLUMN-NAME", `column ${c} appears twice`, undefined, c);
    seen.add(c);
    if (!KNOWN.has(c) && !/^x_[A-Za-z0-9]+$/.test(c)) fail("FOCUS-COLUMN-NAME", `column ${c} is neither a FOCUS column nor prefixed x_`, undefined, c);
  }
  if (rows.length === 0) fail("FOCUS-ROWS", "the file has no rows");

  const tolerance = new Decimal(opts.productTolerance ?? "0.000000000001");
  let effective = new Decimal(0);
  let billed = new Decimal(0);
  rows.forEach((cells, i) => {
    const n = i + 1;
    const v = (c: string): string | null => {
      const j = header.indexOf(c);
      const x = j < 0 ? null : cells[j];
      return x === "" || x === null || x === undefined ? null : x;
    };
    const dec = (c: string) => (v(c) !== null && NUMERIC_RE.test(v(c)!) ? new Decimal(v(c)!) : null);

    for (const c of NOT_NULL) if (header.includes(c) && v(c) === null) fail("FOCUS-NOT-NULL", `${c} must not be null`, n, c);
    for (const c of DATETIME) {
      const x = v(c);
      if (x !== null && (!DATETIME_RE.test(x) || Number.isNaN(Date.parse(x)))) fail("FOCUS-DATETIME-FORMAT", `${c} "${x}" is not YYYY-MM-DDTHH:mm:ssZ`, n, c);
    }
    for (const c of DECIMAL) {
      const x = v(c);
      if (x !== null && !NUMERIC_RE.test(x)) fail("FOCUS-NUMERIC-FORMAT", `${c} "${x}" is not a decimal in Numeric Format`, n, c);
    }
    const cur = v("BillingCurrency");
    if (cur !== null && !CURRENCY_RE.test(cur)) fail("FOCUS-CURRENCY-CODE", `BillingCurrency "${cur}" is not an ISO 4217 code`, n, "BillingCurrency");
    for (const [c, allowed] of Object.entries(ALLOWED)) {
      const x = v(c);
      if (x !== null && !allowed.includes(x)) fail("FOCUS-ALLOWED-VALUES", `${c} "${x}" is not one of ${allowed.join(", ")}`, n, c);
    }

    const category = v("ChargeCategory");
    const correction = v("ChargeClass") === "Correction";
    const priced = (category === "Usage" || category === "Purchase") && !correction;
    if (priced) {
      for (const c of ["PricingQuantity", "PricingUnit", "ListUnitPrice", "ContractedUnitPrice", "PricingCategory"]) {
        if (header.includes(c) && v(c) === null) fail("FOCUS-PRICING-NOT-NULL", `${c} must not be null on a ${category} row that is not a correction`, n, c);
      }
    }
    if (category === "Tax") {
      for (const c of ["PricingQuantity", "PricingUnit", "ListUnitPrice", "ContractedUnitPrice", "PricingCategory"]) if (v(c) !== null) fail("FOCUS-TAX-NULLS", `${c} must be null on a Tax row`, n, c);
    }
    for (const c of ["ListUnitPrice", "ContractedUnitPrice"]) {
      const x = dec(c);
      if (x !== null && x.isNegative()) fail("FOCUS-UNIT-PRICE-NON-NEGATIVE", `${c} ${x.toString()} is negative`, n, c);
    }
    if (!correction) {
      const qty = dec("PricingQuantity");
      for (const [price, cost, rule] of [["ListUnitPrice", "ListCost", "FOCUS-LIST-COST-PRODUCT"], ["ContractedUnitPrice", "ContractedCost", "FOCUS-CONTRACTED-COST-PRODUCT"]] as const) {
        const p = dec(price);
        const c = dec(cost);
        if (qty !== null && p !== null && c !== null && qty.times(p).minus(c).abs().greaterThan(tolerance)) {
          fail(rule, `${price} ${p.toString()} × PricingQuantity ${qty.toString()} = ${qty.times(p).toString()}, not ${cost} ${c.toString()}`, n, cost);
        }
      }
    }
    if (header.includes("ConsumedQuantity")) {
      const q = v("ConsumedQuantity");
      if (category === "Usage" && !correction) {
        const d = dec("ConsumedQuantity");
        if (q === null || (d !== null && !d.greaterThan(0))) fail("FOCUS-CONSUMED-QUANTITY", `ConsumedQuantity must be a positive decimal on a Usage row, got "${q ?? ""}"`, n, "ConsumedQuantity");
        if (header.includes("ConsumedUnit") && v("ConsumedUnit") === null) fail("FOCUS-CONSUMED-QUANTITY", "ConsumedUnit must not be null on a Usage row", n, "ConsumedUnit");
      } else if (category !== null && category !== "Usage" && q !== null) {
        fail("FOCUS-CONSUMED-QUANTITY", `ConsumedQuantity must be null on a ${category} row`, n, "ConsumedQuantity");
      }
    }

    const t = (c: string) => (v(c) !== null && DATETIME_RE.test(v(c)!) ? Date.parse(v(c)!) : null);
    const [cs, ce, bs, be] = [t("ChargePeriodStart"), t("ChargePeriodEnd"), t("BillingPeriodStart"), t("BillingPeriodEnd")];
    if (cs !== null && ce !== null && !(cs < ce)) fail("FOCUS-CHARGE-PERIOD", "ChargePeriodStart must be before ChargePeriodEnd", n, "ChargePeriodEnd");
    if (bs !== null && be !== null && !(bs < be)) fail("FOCUS-BILLING-PERIOD", "BillingPeriodStart must be before BillingPeriodEnd", n, "BillingPeriodEnd");
    if (cs !== null && ce !== null && bs !== null && be !== null && (cs < bs || ce > be)) {
      fail("FOCUS-CHARGE-IN-BILLING-PERIOD", `the charge period ${v("ChargePeriodStart")}–${v("ChargePeriodEnd")} is outside the billing period`, n, "ChargePeriodStart");
    }

    const tags = v("Tags");
    if (tags !== null) {
      let ok = false;
      try {
        const o = JSON.parse(tags) as unknown;
        ok = typeof o === "object" && o !== null && !Array.isArray(o) && Object.values(o).every((x) => x === null || ["string", "number", "boolean"].includes(typeof x));
      } catch {
        ok = false;
      }
      if (!ok) fail("FOCUS-TAGS-FORMAT", `Tags "${tags}" is not a JSON object of key-value pairs`, n, "Tags");
    }
    if (header.includes("ServiceProviderName") && v("ServiceProviderName") !== v("ProviderName")) {
      fail("FOCUS-1.3-PROVIDER-NAME", `ServiceProviderName "${v("ServiceProviderName") ?? ""}" differs from ProviderName "${v("ProviderName") ?? ""}"`, n, "ServiceProviderName");
    }
    effective = effective.plus(dec("EffectiveCost") ?? 0);
    billed = billed.plus(dec("BilledCost") ?? 0);
  });

  if (opts.effectiveTotal !== undefined && !effective.equals(opts.effectiveTotal)) {
    fail("x-EFFECTIVE-COST-TOTAL", `EffectiveCost sums to ${effective.toString()}, not the month's fully-loaded total ${new Decimal(opts.effectiveTotal).toString()}`);
  }
  if (opts.billedTotal !== undefined && !billed.equals(opts.billedTotal)) {
    fail("x-BILLED-COST-TOTAL", `BilledCost sums to ${billed.toString()}, not the month's billed and estimated cost ${new Decimal(opts.billedTotal).toString()}`);
  }
  return failures;
}

/** Throws, listing every failure by rule, when the file does not conform. */
export function assertFocus(file: string | FocusTable, opts: Options = {}): void {
  const failures = checkFocus(file, opts);
  if (failures.length > 0) {
    const shown = failures.slice(0, 20).map((f) => `${f.rule}${f.row ? ` row ${f.row}` : ""}${f.column ? ` ${f.column}` : ""}: ${f.message}`);
    throw new Error(`FOCUS conformance: ${failures.length} failure(s)\n${shown.join("\n")}`);
  }
}

/** The columns a FOCUS row of the unit tests' October 2026 OpenAI usage shares, whatever its charge. */
export const FOCUS_ROW_COMMON = {
  BillingAccountId: "openai",
  BillingAccountName: "openai",
  BillingCurrency: "USD",
  BillingPeriodStart: "2026-10-01T00:00:00Z",
  BillingPeriodEnd: "2026-11-01T00:00:00Z",
  ChargeClass: null,
  ChargeFrequency: "Usage-Based",
  ChargePeriodStart: "2026-10-31T00:00:00Z",
  ChargePeriodEnd: "2026-11-01T00:00:00Z",
  InvoiceIssuerName: "openai",
  ProviderName: "openai",
  PublisherName: "openai",
  ServiceProviderName: "openai",
  HostProviderName: "openai",
  ServiceCategory: "AI and Machine Learning",
  ServiceName: "openai API",
  Tags: '{"team":"search","feature":"chat"}',
} as const;
