import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { csvCell, csvLine } from "@/lib/finance/csv";
import { addMonths, currentMonth, lastCompleteMonth, parseMonth } from "@/lib/finance/months";

describe("finance months", () => {
  it("parses YYYY-MM into its first day and the next month's first day", () => {
    expect(parseMonth("2026-10")).toEqual({ label: "2026-10", start: "2026-10-01", end: "2026-11-01" });
    expect(parseMonth("2026-12")).toEqual({ label: "2026-12", start: "2026-12-01", end: "2027-01-01" });
    for (const bad of ["2026-13", "2026-00", "2026-1", "26-10", "2026-10-01", ""]) expect(parseMonth(bad)).toBeNull();
  });

  it("steps across year boundaries", () => {
    expect(addMonths("2026-01", -1)).toBe("2025-12");
    expect(addMonths("2025-12", 1)).toBe("2026-01");
    expect(addMonths("2026-05", -17)).toBe("2024-12");
  });

  it("takes the month in the organisation's time zone", () => {
    const at = new Date("2026-10-31T23:30:00Z");
    expect(currentMonth(at, "UTC")).toBe("2026-10");
    expect(currentMonth(at, "Europe/Berlin")).toBe("2026-11");
    expect(lastCompleteMonth(at, "Europe/Berlin")).toBe("2026-10");
    expect(lastCompleteMonth(at, "America/New_York")).toBe("2026-09");
  });
});

describe("CSV cells", () => {
  it("quotes what needs quoting and round-trips through a CSV parser", () => {
    const cells = ["plain", 'with "quotes"', "a,b", "line\nbreak", null, 12.5];
    const [row] = parse(csvLine(cells)) as string[][];
    expect(row).toEqual(["plain", 'with "quotes"', "a,b", "line\nbreak", "", "12.5"]);
  });

  it("defuses spreadsheet formulas in text columns only", () => {
    expect(csvCell("=HYPERLINK(1)", { text: true })).toBe("'=HYPERLINK(1)");
    expect(csvCell("-12.5", { text: false })).toBe("-12.5");
    expect(csvCell("@team", { text: true })).toBe("'@team");
  });
});

describe("invoice upload", () => {
  it("reads provider, amount and note by header name", async () => {
    const { parseInvoiceCsv } = await import("@/lib/finance/invoice-csv");
    expect(parseInvoiceCsv("note,Provider,amount_usd\nINV-1,openai,1234.56\n,anthropic,\"1,000.5\"\n")).toEqual({
      ok: true,
      invoices: [
        { provider: "openai", amountUsd: "1234.56", note: "INV-1" },
        { provider: "anthropic", amountUsd: "1000.5" },
      ],
    });
    expect(parseInvoiceCsv("vendor,total\nopenai,1")).toMatchObject({
      ok: false,
      field: "header",
      error: "The file needs the columns provider, amount_usd (and optionally note); missing both: provider, amount_usd; its header has: vendor,total",
    });
    expect(parseInvoiceCsv("provider,amount_usd\n")).toMatchObject({ ok: false, field: "file" });
  });

  it("names the missing columns and the separator a spreadsheet export used, never csv-parse's record-length message", async () => {
    const { parseInvoiceCsv } = await import("@/lib/finance/invoice-csv");
    const semi = parseInvoiceCsv("provider;amount_usd;note\nopenai;12,50;INV-1\nanthropic;3;x,y\n");
    expect(semi).toMatchObject({ ok: false, field: "header" });
    const message = (semi as { error: string }).error;
    expect(message).toContain("missing both: provider, amount_usd; its header has: provider;amount_usd;note — is it comma-separated?");
    expect(message).toContain("semicolons");
    expect(message).not.toMatch(/Invalid Record Length/i);
    expect((parseInvoiceCsv("provider\topenai\n") as { error: string }).error).toContain("tabs");
    expect(parseInvoiceCsv("provider,total\nopenai,1\n")).toMatchObject({ ok: false, error: expect.stringContaining("missing: amount_usd; its header has: provider,total") });
    // An unquoted comma in a value: the line is named, with the header's column count.
    const uneven = parseInvoiceCsv("provider,amount_usd\nopenai,1\nanthropic,1,000.50\n");
    expect(uneven).toEqual({ ok: false, field: "line 3", error: expect.stringMatching(/^Line 3 has 3 fields; the header has 2 \(provider, amount_usd\)/) });
  });
});
