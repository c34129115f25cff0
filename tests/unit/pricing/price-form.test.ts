// The price form's rows for the entry's extra parts: an entry's parts survive the trip to rows and back
// to the API's JSON unchanged (as the API's own schema reads them), blank rows drop out, tool fees are
// typed per 1,000 calls and stored per call exactly, names given twice are caught, the list's summary
// line, and API messages in the form's words.
import { describe, expect, it } from "vitest";
import { validate } from "@/lib/http/validation";
import { contractStatus } from "@/lib/pricing/contracts";
import { contractChangeSchema } from "@/lib/pricing/schemas";
import { parsePriceEntry } from "@/lib/pricing/price-entry";
import {
  blankServiceTier,
  blankTier,
  blankToolFee,
  discountText,
  emptyExtraParts,
  errorsUnder,
  extraPartsBody,
  extraPartsOf,
  partsDetail,
  partsSummary,
  perCall,
  perThousandCalls,
  priceFormMessage,
} from "@/lib/pricing/price-form";

const base = { provider: "acme", model: "m1", effectiveFrom: "2026-01-01T00:00:00Z", inputPerMTok: "1.25", outputPerMTok: "10", source: "test" };
const full = parsePriceEntry({
  ...base,
  tiers: [
    { aboveTokens: 200000, inputPerMTok: "2.5", cacheReadPerMTok: "0.625", outputPerMTok: "15", modalityRates: { audioInputPerMTok: "3" } },
    { aboveTokens: 1000000, inputPerMTok: "5", outputPerMTok: "22.5" },
  ],
  serviceTiers: { flex: { rates: { inputPerMTok: "0.625", cacheReadPerMTok: "0.0625", outputPerMTok: "5" } }, priority: { multiplier: "1.75" } },
  toolFees: { webSearch: "0.01", fileSearch: "0.0025" },
  modalityRates: { audioInputPerMTok: "40", audioOutputPerMTok: "80" },
});

describe("extra parts as form rows", () => {
  it("turns an entry's parts into rows and back into the same parts, as the API's schema reads them", () => {
    const rows = extraPartsOf(full);
    expect(rows.tiers.map((t) => t.aboveTokens)).toEqual(["200000", "1000000"]);
    expect(rows.tiers[0]!.cacheWritePerMTok).toBe("");
    expect(rows.serviceTiers.map((t) => [t.name, t.mode])).toEqual([["flex", "rates"], ["priority", "multiplier"]]);
    expect(rows.toolFees).toEqual([{ kind: "webSearch", perThousand: "10" }, { kind: "fileSearch", perThousand: "2.5" }]);
    expect(rows.modality).toEqual({ audioInputPerMTok: "40", audioOutputPerMTok: "80", imageInputPerMTok: "" });
    const body = extraPartsBody(rows);
    if (!body.ok) throw new Error("expected a body");
    const back = parsePriceEntry({ ...base, ...body.body });
    expect({ tiers: back.tiers, serviceTiers: back.serviceTiers, toolFees: back.toolFees, modalityRates: back.modalityRates }).toEqual({
      tiers: full.tiers,
      serviceTiers: full.serviceTiers,
      toolFees: full.toolFees,
      modalityRates: full.modalityRates,
    });
  });

  it("sends null for empty parts and drops rows left blank", () => {
    const rows = { ...emptyExtraParts(), tiers: [blankTier()], serviceTiers: [blankServiceTier()], toolFees: [blankToolFee()] };
    expect(extraPartsBody(rows)).toEqual({ ok: true, body: { tiers: null, serviceTiers: null, toolFees: null, modalityRates: null } });
  });

  it("reads thresholds with separators and passes what is not a number on for the API to name", () => {
    const rows = { ...emptyExtraParts(), tiers: [{ ...blankTier(), aboveTokens: "200,000", inputPerMTok: "2", outputPerMTok: "4" }, { ...blankTier(), aboveTokens: "lots", inputPerMTok: "1" }] };
    const body = extraPartsBody(rows);
    if (!body.ok) throw new Error("expected a body");
    const tiers = body.body.tiers as { aboveTokens: unknown; outputPerMTok: unknown; cacheReadPerMTok: unknown }[];
    expect(tiers.map((t) => t.aboveTokens)).toEqual([200000, "lots"]);
    // A required rate left empty is sent as "" so the API names it; an optional one is null.
    expect(tiers[1]!.outputPerMTok).toBe("");
    expect(tiers[1]!.cacheReadPerMTok).toBeNull();
    expect(() => parsePriceEntry({ ...base, ...body.body })).toThrow(/aboveTokens must be a whole number of tokens/);
  });

  it("converts tool fees between per 1,000 calls and per call exactly", () => {
    expect(perCall("10")).toBe("0.01");
    expect(perCall("0.1")).toBe("0.0001");
    expect(perCall("3")).toBe("0.003");
    expect(perThousandCalls("0.0001")).toBe("0.1");
    expect(perThousandCalls("0.03")).toBe("30");
    expect(perCall(" ten ")).toBe("ten");
  });

  it("catches a service tier or a tool kind given twice, by the path the API would use", () => {
    const rows = {
      ...emptyExtraParts(),
      serviceTiers: [{ ...blankServiceTier(), name: "flex", multiplier: "0.5" }, { ...blankServiceTier(), name: "flex", multiplier: "0.6" }],
      toolFees: [{ kind: "webSearch", perThousand: "10" }, { kind: "webSearch", perThousand: "25" }],
    };
    expect(extraPartsBody(rows)).toEqual({
      ok: false,
      problems: { "entry.serviceTiers.flex": 'service tier "flex" is listed twice', "entry.toolFees.webSearch": 'tool kind "webSearch" is listed twice' },
    });
  });
});

describe("the list's summary", () => {
  it("says the parts in one line, and in full on hover", () => {
    expect(partsSummary(full)).toBe("2 tiers · flex, priority · web search $10.00/1k · file search $2.50/1k · audio in $40.00/1M · audio out $80.00/1M");
    expect(partsDetail(full)).toBe(
      "above 200,000 tokens: $2.50 in / $15.00 out; above 1,000,000 tokens: $5.00 in / $22.50 out; flex: $0.625 in / $5.00 out; priority × 1.75; " +
        "web search $0.01 per call; file search $0.0025 per call; audio in $40.00 per 1M; audio out $80.00 per 1M",
    );
    expect(partsSummary(parsePriceEntry(base))).toBe("");
  });

  it("shows a contract's discount exactly", () => {
    expect(discountText("20")).toBe("20%");
    expect(discountText("12.5")).toBe("12.5%");
    expect(discountText("33.333")).toBe("33.333%");
  });
});

describe("messages in the form's words", () => {
  it("points at the form's box instead of the API field", () => {
    const api = "a cache read (1.5 per 1M) costs more than uncached input (1): check the rates, or confirm them with ratesConfirmed: true";
    expect(priceFormMessage(api)).toBe("a cache read (1.5 per 1M) costs more than uncached input (1): check the rates, or tick 'These rates are deliberate' to save them");
    expect(priceFormMessage("source is required")).toBe("source is required");
  });

  it("finds a row's errors by path, and only that row's", () => {
    const fields = { "entry.tiers.0": "two tiers", "entry.tiers.0.inputPerMTok": "rate must not be negative", "entry.tiers.10.inputPerMTok": "other", "entry.source": "x" };
    expect(errorsUnder(fields, "entry.tiers.0")).toEqual([
      { at: "", message: "two tiers" },
      { at: "inputPerMTok", message: "rate must not be negative" },
    ]);
  });
});

describe("contract status", () => {
  const now = new Date("2026-06-15T00:00:00Z");
  const c = (effectiveFrom: string, effectiveTo: string | null, retiredAt: string | null = null) => ({ effectiveFrom, effectiveTo, retiredAt });
  it("is retired, ended, upcoming or active", () => {
    expect(contractStatus(c("2026-01-01T00:00:00Z", null, "2026-02-01T00:00:00Z"), now)).toBe("retired");
    expect(contractStatus(c("2026-01-01T00:00:00Z", "2026-06-15T00:00:00Z"), now)).toBe("ended");
    expect(contractStatus(c("2026-07-01T00:00:00Z", null), now)).toBe("upcoming");
    expect(contractStatus(c("2026-06-15T00:00:00Z", "2026-06-16T00:00:00Z"), now)).toBe("active");
  });
});

describe("the contract API's refusals", () => {
  it("name the contract form's fields and say what to do", () => {
    let caught: unknown;
    try {
      validate(contractChangeSchema, { contract: { provider: "", percentOff: "100", effectiveFrom: "2026-01-01" } }, "request body");
    } catch (e) {
      caught = e;
    }
    const err = caught as { status: number; message: string; details: { summary: string; errors: { path: string; message: string }[] } };
    expect(err.status).toBe(400);
    expect(err.details.summary).toBe("The contract is not valid");
    expect(err.details.errors).toEqual([
      { path: "contract.provider", message: "Provider: required" },
      { path: "contract.percentOff", message: "Discount %: percentOff must be above 0 and below 100" },
    ]);
  });
});
