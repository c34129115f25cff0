import { describe, expect, it } from "vitest";
import { parseRevenueCsv, revenueErrorsByLine } from "@/lib/customers/revenue-csv";

describe("parseRevenueCsv", () => {
  it("reads snake_case columns in any order, with an optional feature", () => {
    const r = parseRevenueCsv("customer_id,amount_usd,month,feature\ncus-1,120.50,2026-10,\ncus-2,0.001,2026-10,chat\n");
    expect(r).toEqual({
      ok: true,
      rows: [
        { month: "2026-10", customerId: "cus-1", amountUsd: "120.50" },
        { month: "2026-10", customerId: "cus-2", amountUsd: "0.001", feature: "chat" },
      ],
      lines: [2, 3],
    });
  });

  it("reads camelCase and differently cased headers, and a BOM", () => {
    const r = parseRevenueCsv("\uFEFFMonth,CustomerId,AmountUsd\r\n2026-09,acme,9000\r\n");
    expect(r.ok && r.rows).toEqual([{ month: "2026-09", customerId: "acme", amountUsd: "9000" }]);
  });

  it("keeps the file's line numbers past blank lines and multi-line quoted cells", () => {
    const r = parseRevenueCsv('month,customer_id,amount_usd\n\n2026-10,a,1\n2026-10,"b\nc",2\n\n2026-10,d,x\n');
    expect(r.ok && r.lines).toEqual([3, 4, 7]);
    expect(r.ok && r.rows[1]!.customerId).toBe("b\nc");
  });

  it("keeps amounts as text, never through a float", () => {
    const r = parseRevenueCsv("month,customer_id,amount_usd\n2026-10,a,0.1000000000000000055511\n");
    expect(r.ok && r.rows[0]!.amountUsd).toBe("0.1000000000000000055511");
  });

  it("refuses a file without the required columns, naming them", () => {
    const r = parseRevenueCsv("month,customer,amount\n2026-10,a,1\n");
    expect(r).toEqual({ ok: false, error: expect.stringContaining("month, customer_id and amount_usd") });
  });

  it("refuses a header without lines, and text that is not CSV", () => {
    expect(parseRevenueCsv("month,customer_id,amount_usd\n")).toEqual({ ok: false, error: "The file has no revenue lines below its header." });
    expect(parseRevenueCsv("").ok).toBe(false);
    const bad = parseRevenueCsv('month,customer_id,amount_usd\n2026-10,"a,1\n');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/^The file is not valid CSV/);
  });
});

describe("revenueErrorsByLine", () => {
  it("names the file line and the column of each API error path", () => {
    expect(revenueErrorsByLine({ "rows.2.amountUsd": "must be a decimal", "rows.0": "repeats", rows: "too many" }, [2, 4, 7])).toEqual([
      "line 7, amountUsd: must be a decimal",
      "line 2: repeats",
      "rows: too many",
    ]);
  });
});
