// The FOCUS conformance check (tests/support/focus-conformance.ts): a file the way lib/finance/focus.ts writes
// it passes, and each deliberately broken variant fails naming the rule it breaks.
import { describe, expect, it } from "vitest";
import { FOCUS_COLUMNS, focusDateTime } from "@/lib/finance/focus";
import { csvLine, type Cell } from "@/lib/finance/csv";
import { checkFocus, assertFocus, FOCUS_ROW_COMMON } from "../../support/focus-conformance";

type Row = Record<string, Cell>;

const common: Row = { ...FOCUS_ROW_COMMON };
const usage: Row = {
  ...common,
  ChargeCategory: "Usage",
  ChargeDescription: "gpt: input tokens at 2.5 USD per 1M tokens",
  PricingCategory: "Standard",
  PricingQuantity: "0.001234",
  PricingUnit: "1M Tokens",
  ListUnitPrice: "2.5",
  ContractedUnitPrice: "2.5",
  ListCost: "0.003085",
  ContractedCost: "0.003085",
  BilledCost: "0.003085",
  EffectiveCost: "0.003085",
  ConsumedQuantity: "1234",
  ConsumedUnit: "Tokens",
  SkuId: "gpt",
  SkuMeter: "Input tokens",
  x_CostSource: "estimated",
};
const gpu: Row = {
  ...usage,
  ProviderName: "Self-hosted",
  PublisherName: "Self-hosted",
  InvoiceIssuerName: "Self-hosted",
  ServiceProviderName: "Self-hosted",
  HostProviderName: "Self-hosted",
  BillingAccountId: "Self-hosted",
  BillingAccountName: "Self-hosted",
  PricingUnit: "Hours",
  PricingQuantity: "0.33333333333333333333",
  ListUnitPrice: "3.6",
  ContractedUnitPrice: "3.6",
  ListCost: "1.2",
  ContractedCost: "1.2",
  BilledCost: "1.2",
  EffectiveCost: "1.2",
  ConsumedQuantity: "0.33333333333333333333",
  ConsumedUnit: "Hours",
  SkuId: "rerank-gpu",
  SkuMeter: "Pool hours",
  x_CostSource: "gpu",
};
const overhead: Row = {
  ...common,
  ProviderName: "Self-hosted",
  PublisherName: "Self-hosted",
  InvoiceIssuerName: "Self-hosted",
  ServiceProviderName: "Self-hosted",
  HostProviderName: "Self-hosted",
  ChargeCategory: "Adjustment",
  ChargeDescription: "Overhead loaded on the estimated cost of chat",
  ServiceCategory: "Other",
  ServiceName: "Overhead",
  ListCost: "0.30123085",
  ContractedCost: "0.30123085",
  BilledCost: "0",
  EffectiveCost: "0.30123085",
  x_CostSource: "overhead",
};

function file(rows: Row[], columns: readonly string[] = FOCUS_COLUMNS): string {
  return csvLine([...columns]) + rows.map((r) => csvLine(columns.map((c) => r[c] ?? null))).join("");
}
const good = [usage, gpu, overhead];
const rules = (csv: string, opts = {}) => checkFocus(csv, opts).map((f) => f.rule);

describe("FOCUS conformance check", () => {
  it("passes a file written the way the dataset writes it, with its totals", () => {
    expect(checkFocus(file(good), { effectiveTotal: "1.50431585", billedTotal: "1.203085" })).toEqual([]);
    expect(() => assertFocus(file(good))).not.toThrow();
  });

  it("formats date-times without milliseconds", () => {
    expect(focusDateTime(new Date("2026-10-01T00:00:00.000Z"))).toBe("2026-10-01T00:00:00Z");
  });

  const broken: [name: string, csv: () => string, rule: string, column?: string][] = [
    ["a mandatory column missing", () => file(good, FOCUS_COLUMNS.filter((c) => c !== "ListCost")), "FOCUS-COLUMN-PRESENT", "ListCost"],
    ["the 1.3 name missing", () => file(good, FOCUS_COLUMNS.filter((c) => c !== "ServiceProviderName")), "FOCUS-COLUMN-PRESENT", "ServiceProviderName"],
    ["a custom column without x_", () => file(good, [...FOCUS_COLUMNS, "CostSource"]), "FOCUS-COLUMN-NAME", "CostSource"],
    ["a timestamp with milliseconds", () => file([{ ...usage, ChargePeriodStart: "2026-10-31T00:00:00.000Z" }]), "FOCUS-DATETIME-FORMAT", "ChargePeriodStart"],
    ["a date without time", () => file([{ ...usage, BillingPeriodStart: "2026-10-01" }]), "FOCUS-DATETIME-FORMAT", "BillingPeriodStart"],
    ["a cost in exponent notation", () => file([{ ...usage, BilledCost: "3.085e-3" }]), "FOCUS-NUMERIC-FORMAT", "BilledCost"],
    ["a cost with a currency symbol", () => file([{ ...usage, EffectiveCost: "$0.003085" }]), "FOCUS-NUMERIC-FORMAT", "EffectiveCost"],
    ["a currency that is not ISO 4217", () => file([{ ...usage, BillingCurrency: "usd" }]), "FOCUS-CURRENCY-CODE", "BillingCurrency"],
    ["an unknown ChargeCategory", () => file([{ ...usage, ChargeCategory: "Overhead" }]), "FOCUS-ALLOWED-VALUES", "ChargeCategory"],
    ["an unknown ServiceCategory", () => file([{ ...usage, ServiceCategory: "AI" }]), "FOCUS-ALLOWED-VALUES", "ServiceCategory"],
    ["a ChargeClass other than Correction", () => file([{ ...usage, ChargeClass: "Regular" }]), "FOCUS-ALLOWED-VALUES", "ChargeClass"],
    ["a null ProviderName", () => file([{ ...usage, ProviderName: null, ServiceProviderName: null }]), "FOCUS-NOT-NULL", "ProviderName"],
    ["a null EffectiveCost", () => file([{ ...usage, EffectiveCost: null }]), "FOCUS-NOT-NULL", "EffectiveCost"],
    ["a usage row without a list unit price", () => file([{ ...usage, ListUnitPrice: null }]), "FOCUS-PRICING-NOT-NULL", "ListUnitPrice"],
    ["a usage row without a pricing unit", () => file([{ ...usage, PricingUnit: null }]), "FOCUS-PRICING-NOT-NULL", "PricingUnit"],
    ["a usage row without a pricing category", () => file([{ ...usage, PricingCategory: null }]), "FOCUS-PRICING-NOT-NULL", "PricingCategory"],
    ["a cost with a plus sign", () => file([{ ...usage, ListCost: "+0.003085" }]), "FOCUS-NUMERIC-FORMAT", "ListCost"],
    ["a tax row with a pricing quantity", () => file([{ ...overhead, ChargeCategory: "Tax", PricingQuantity: "1" }]), "FOCUS-TAX-NULLS", "PricingQuantity"],
    ["a negative unit price", () => file([{ ...usage, ContractedUnitPrice: "-2.5", ContractedCost: "-0.003085" }]), "FOCUS-UNIT-PRICE-NON-NEGATIVE", "ContractedUnitPrice"],
    ["a list cost that is not price × quantity", () => file([{ ...usage, ListCost: "0.003086" }]), "FOCUS-LIST-COST-PRODUCT", "ListCost"],
    ["a contracted cost that is not price × quantity", () => file([{ ...usage, ContractedCost: "0.003" }]), "FOCUS-CONTRACTED-COST-PRODUCT", "ContractedCost"],
    ["a usage row with no consumed quantity", () => file([{ ...usage, ConsumedQuantity: null }]), "FOCUS-CONSUMED-QUANTITY", "ConsumedQuantity"],
    ["an adjustment with a consumed quantity", () => file([{ ...overhead, ConsumedQuantity: "5" }]), "FOCUS-CONSUMED-QUANTITY", "ConsumedQuantity"],
    ["a charge period that ends before it starts", () => file([{ ...usage, ChargePeriodEnd: "2026-10-30T00:00:00Z" }]), "FOCUS-CHARGE-PERIOD", "ChargePeriodEnd"],
    ["a charge period outside the billing period", () => file([{ ...usage, ChargePeriodStart: "2026-11-01T00:00:00Z", ChargePeriodEnd: "2026-11-02T00:00:00Z" }]), "FOCUS-CHARGE-IN-BILLING-PERIOD", "ChargePeriodStart"],
    ["a billing period that ends before it starts", () => file([{ ...usage, BillingPeriodEnd: "2026-09-01T00:00:00Z" }]), "FOCUS-BILLING-PERIOD", "BillingPeriodEnd"],
    ["tags that are not key-value pairs", () => file([{ ...usage, Tags: '["team"]' }]), "FOCUS-TAGS-FORMAT", "Tags"],
    ["ServiceProviderName unlike ProviderName", () => file([{ ...usage, ServiceProviderName: "azure" }]), "FOCUS-1.3-PROVIDER-NAME", "ServiceProviderName"],
  ];
  it.each(broken)("fails on %s, naming the rule", (_name, csv, rule, column) => {
    const failures = checkFocus(csv());
    expect(failures.map((f) => f.rule)).toContain(rule);
    expect(failures.find((f) => f.rule === rule)!.column).toBe(column);
    expect(() => assertFocus(csv())).toThrow(rule);
  });

  it("fails when EffectiveCost does not sum to the month's fully-loaded total, or BilledCost to the billed and estimated cost", () => {
    expect(rules(file(good), { effectiveTotal: "1.50431584" })).toEqual(["x-EFFECTIVE-COST-TOTAL"]);
    expect(rules(file(good), { billedTotal: "1.203086" })).toEqual(["x-BILLED-COST-TOTAL"]);
  });

  it("fails on an empty file", () => {
    expect(rules(file([]))).toEqual(["FOCUS-ROWS"]);
  });
});
