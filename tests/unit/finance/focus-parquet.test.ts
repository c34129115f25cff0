// The FOCUS Parquet file (lib/finance/focus-parquet.ts): decimals are exact DECIMAL(38, 20) (large values,
// negative adjustments, twenty decimal places, trailing zeros), a value that does not fit fails rather than
// rounds, and rows written in row groups read back (hyparquet) cell for cell, typed, and pass the conformance check.
import { describe, expect, it } from "vitest";
import { FOCUS_COLUMNS, focusCells, type FocusRow } from "@/lib/finance/focus";
import { focusDecimal, focusParquetChunks } from "@/lib/finance/focus-parquet";
import { checkFocus, FOCUS_ROW_COMMON } from "../../support/focus-conformance";
import { decimalText, readFocusParquet, unscaled } from "../../support/focus-parquet";

const E20 = 10n ** 20n;

describe("focusDecimal: an exact decimal as the unscaled integer of DECIMAL(38, 20)", () => {
  it.each([
    ["0", 0n],
    ["-0", 0n],
    ["0.000000000000", 0n],
    ["1", E20],
    ["007.5", 75n * 10n ** 19n],
    // PostgreSQL's text keeps the NUMERIC's scale: trailing zeros are not digits of the value.
    ["0.000150000000", 15n * 10n ** 15n],
    ["1.000000000000000000000000000000", E20],
    // a negative adjustment (the rounding row)
    ["-0.000000000000123", -123n * 10n ** 5n],
    ["-12.34567890123456789012", -1234567890123456789012n],
    // twenty decimal places: a GPU pool-hour share, a contract's unit price
    ["0.33333333333333333333", 33333333333333333333n],
    ["0.00000000000000000001", 1n],
    // the largest of each sign: 18 integer digits and 20 decimal places, 38 digits in all
    ["999999999999999999.99999999999999999999", 10n ** 38n - 1n],
    ["-999999999999999999.99999999999999999999", -(10n ** 38n - 1n)],
    ["123456789012345678", 123456789012345678n * E20],
  ])("%s", (text, expected) => {
    expect(focusDecimal(text, "BilledCost")).toBe(expected);
  });

  it.each([
    ["0.000000000000000000001", /21 decimal places.*does not round/],
    ["-0.123456789012345678901", /21 decimal places/],
    ["1000000000000000000", /19 integer digits/],
    ["-1000000000000000000.5", /19 integer digits/],
    ["1e5", /not a decimal/],
    ["+1", /not a decimal/],
    [".5", /not a decimal/],
    ["", /not a decimal/],
    ["NaN", /not a decimal/],
  ])("%s fails, never rounds", (text, message) => {
    expect(() => focusDecimal(text, "EffectiveCost")).toThrow(message);
  });

  it("the test's reader turns the bytes back into the same decimal (two's complement, big-endian)", () => {
    expect(unscaled(new Uint8Array([0xff, 0xff]))).toBe(-1n);
    expect(unscaled(new Uint8Array([0x00, 0x80]))).toBe(128n);
    expect(unscaled(new Uint8Array([0x80, 0x00]))).toBe(-32768n);
    expect(decimalText(-15n * 10n ** 15n, 20)).toBe("-0.00015");
    expect(decimalText(10n ** 38n - 1n, 20)).toBe("999999999999999999.99999999999999999999");
    expect(decimalText(5n, 0)).toBe("5");
  });
});

const base: FocusRow = {
  ...FOCUS_ROW_COMMON,
  // Text that looks like a formula and text that needs quoting, which the CSV guards and Parquet keeps.
  Tags: '{"team":"=search","feature":"chat, \\"beta\\""}',
  SkuId: "gpt",
  x_CostSource: "estimated",
};
const usage = (cost: string, quantity: string, price: string, consumed: string): FocusRow => ({
  ...base,
  ChargeCategory: "Usage",
  ChargeDescription: `gpt: input tokens at ${price} USD per 1M tokens`,
  PricingCategory: "Standard",
  PricingQuantity: quantity,
  PricingUnit: "1M Tokens",
  ListUnitPrice: price,
  ContractedUnitPrice: price,
  ListCost: cost,
  ContractedCost: cost,
  BilledCost: cost,
  EffectiveCost: cost,
  ConsumedQuantity: consumed,
  ConsumedUnit: "Tokens",
  SkuMeter: "Input tokens",
  SkuPriceId: "7",
});
const rounding: FocusRow = {
  ...base,
  ChargeCategory: "Adjustment",
  ChargeDescription: "gpt: rounding of the stored event costs to 12 decimals",
  ListCost: "-0.000000000000000000030000",
  ContractedCost: "-0.000000000000000000030000",
  BilledCost: "-0.000000000000000000030000",
  EffectiveCost: "-0.000000000000000000030000",
};

async function* batches(...days: FocusRow[][]): AsyncGenerator<FocusRow[]> {
  for (const d of days) yield d;
}

async function bytesOf(chunks: AsyncGenerator<Uint8Array>): Promise<{ buffer: ArrayBuffer; chunks: number }> {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return { buffer: out.buffer, chunks: parts.length };
}

describe("the FOCUS Parquet file", () => {
  const day1 = [
    usage("0.003085000000", "0.001234", "2.5", "1234"),
    usage("1234567890.5", "493827156.2", "2.5", "493827156200"),
    rounding,
  ];
  const day2 = [usage("0.00000000000000000007", "0.00000000000000000002", "3.5", "0.00000000000002"), {
    ...rounding,
    ChargeDescription: "négatif, \"quoted\"\r\nline",
    // 38 digits, negative: the largest magnitude the column holds
    EffectiveCost: "-987654321098765432.10987654321098765432",
  }];

  it("reads back cell for cell (decimals exact, timestamps in UTC, nulls null) in row groups of the size asked, and passes the conformance check", async () => {
    const { buffer, chunks } = await bytesOf(focusParquetChunks(batches(day1, day2), { rowGroupSize: 2 }));
    expect(new TextDecoder().decode(new Uint8Array(buffer, 0, 4))).toBe("PAR1");
    const file = await readFocusParquet(buffer);
    // Two rows per group across the days' batches: 2 + 2 + 1, each group handed on before the next (and the footer).
    expect(file.metadata.row_groups.map((g) => Number(g.num_rows))).toEqual([2, 2, 1]);
    expect(chunks).toBe(3);
    expect(file.header).toEqual(FOCUS_COLUMNS);

    const expected = [...day1, ...day2].map((r) => focusCells(r).map((c, i) => (c !== null && FOCUS_COLUMNS[i]!.match(/Cost$|Price$|Quantity$/) ? decimalText(focusDecimal(c, "x"), 20) : c)));
    expect(file.rows).toEqual(expected);
    expect(file.rows[1]![FOCUS_COLUMNS.indexOf("BilledCost")]).toBe("1234567890.5");
    expect(file.rows[2]![FOCUS_COLUMNS.indexOf("BilledCost")]).toBe("-0.00000000000000000003");
    expect(file.rows[3]![FOCUS_COLUMNS.indexOf("BilledCost")]).toBe("0.00000000000000000007");
    expect(file.rows[4]![FOCUS_COLUMNS.indexOf("EffectiveCost")]).toBe("-987654321098765432.10987654321098765432");
    expect(file.rows[2]![FOCUS_COLUMNS.indexOf("PricingQuantity")]).toBeNull();
    expect(file.rows[0]![FOCUS_COLUMNS.indexOf("ChargeClass")]).toBeNull();
    expect(checkFocus(file, { productTolerance: 0 })).toEqual([]);
  });

  it("types each column as FOCUS does: DECIMAL(38, 20), TIMESTAMP in UTC, UTF8 strings, every column nullable", async () => {
    const { columns } = await readFocusParquet((await bytesOf(focusParquetChunks(batches(day1)))).buffer);
    const of = (name: string) => columns.find((c) => c.name === name)!;
    for (const c of ["BilledCost", "EffectiveCost", "ListCost", "ContractedCost", "ListUnitPrice", "ContractedUnitPrice", "PricingQuantity", "ConsumedQuantity"]) {
      expect(of(c)).toMatchObject({ type: "FIXED_LEN_BYTE_ARRAY", type_length: 16, precision: 38, scale: 20, logical_type: { type: "DECIMAL", precision: 38, scale: 20 } });
    }
    for (const c of ["BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd"]) {
      expect(of(c)).toMatchObject({ type: "INT64", logical_type: { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "MILLIS" } });
    }
    for (const c of ["Tags", "x_CostSource", "ChargeDescription", "BillingCurrency"]) expect(of(c)).toMatchObject({ type: "BYTE_ARRAY", converted_type: "UTF8" });
    for (const c of columns) expect(c.repetition_type).toBe("OPTIONAL");
  });

  it("an empty month is a valid file with the columns and no rows", async () => {
    const file = await readFocusParquet((await bytesOf(focusParquetChunks(batches()))).buffer);
    expect(file.header).toEqual(FOCUS_COLUMNS);
    expect(file.rows).toEqual([]);
  });

  it("a value the file cannot hold exactly fails the download rather than being rounded", async () => {
    const tooPrecise = usage("0.000000000000000000001", "0.001234", "2.5", "1234");
    await expect(bytesOf(focusParquetChunks(batches(day1, [tooPrecise])))).rejects.toThrow(/BilledCost 0.000000000000000000001 has 21 decimal places/);
  });
});
