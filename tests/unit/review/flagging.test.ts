import Decimal from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { changeBetween, hasVolume, isFlagged, reachesThreshold, thresholdFor, type FlagRule, countFlags, flaggedCohorts, needsReview } from "@/lib/review/flagging";
import { roseBeyond } from "@/lib/releases/variance";

const rule = (over: Partial<FlagRule> = {}): FlagRule => ({ thresholdPct: "10", minRequests: 50, perEndpoint: new Map([["search", "25"]]), ...over });

describe("thresholdFor", () => {
  it("takes the endpoint's own threshold where set, else the organisation's", () => {
    expect(thresholdFor(rule(), "search")).toBe("25");
    expect(thresholdFor(rule(), "chat")).toBe("10");
    expect(thresholdFor(rule(), null)).toBe("10");
  });

  it("gives one spelling of a threshold whichever way it was stored", () => {
    expect(thresholdFor(rule({ thresholdPct: "12.50", perEndpoint: new Map([["search", "15.00"]]) }), "search")).toBe("15");
    expect(thresholdFor(rule({ thresholdPct: "12.50" }), "chat")).toBe("12.5");
  });
});

describe("isFlagged", () => {
  it("flags a move exactly at the threshold and not 0.01 below, either way", () => {
    expect(isFlagged(rule(), { endpoint: "chat", changePct: "10.00", requests: 50 })).toBe(true);
    expect(isFlagged(rule(), { endpoint: "chat", changePct: "9.99", requests: 50 })).toBe(false);
    expect(isFlagged(rule(), { endpoint: "chat", changePct: "-10.00", requests: 50 })).toBe(true);
    expect(isFlagged(rule(), { endpoint: "chat", changePct: "-9.99", requests: 50 })).toBe(false);
  });

  it("applies the endpoint's own threshold instead of the organisation's", () => {
    expect(isFlagged(rule(), { endpoint: "search", changePct: "24.99", requests: 500 })).toBe(false);
    expect(isFlagged(rule(), { endpoint: "search", changePct: "25.00", requests: 500 })).toBe(true);
    // The same move on an endpoint without its own threshold is judged against the organisation's 10%.
    expect(isFlagged(rule(), { endpoint: "chat", changePct: "24.99", requests: 500 })).toBe(true);
    // An own threshold below the organisation's flags smaller moves.
    expect(isFlagged(rule({ perEndpoint: new Map([["chat", "5"]]) }), { endpoint: "chat", changePct: "5", requests: 50 })).toBe(true);
  });

  it("needs the minimum volume this week: one request fewer is not judged", () => {
    expect(isFlagged(rule(), { endpoint: "chat", changePct: "80", requests: 49 })).toBe(false);
    expect(isFlagged(rule(), { endpoint: "chat", changePct: "80", requests: 50 })).toBe(true);
    expect(isFlagged(rule({ minRequests: 0 }), { endpoint: "chat", changePct: "80", requests: 0 })).toBe(true);
    expect(hasVolume(rule(), 49)).toBe(false);
    expect(hasVolume(rule(), 50)).toBe(true);
  });

  it("never flags a row without a change (no previous week)", () => {
    expect(isFlagged(rule({ minRequests: 0 }), { endpoint: "chat", changePct: null, requests: 1000 })).toBe(false);
  });

  it("agrees with |change| ≥ threshold for any change and threshold", () => {
    const pct = fc.integer({ min: -100_000, max: 100_000 }).map((n) => new Decimal(n).div(100).toFixed(2));
    fc.assert(
      fc.property(pct, fc.integer({ min: 1, max: 1000 }), (change, t) => {
        const r = rule({ thresholdPct: String(t), perEndpoint: new Map() });
        expect(isFlagged(r, { endpoint: "x", changePct: change, requests: 50 })).toBe(new Decimal(change).abs().gte(t));
      }),
    );
  });
});

describe("the release check's rise", () => {
  it("counts only a rise, exactly at the threshold", () => {
    expect(reachesThreshold("10", "10", "rise")).toBe(true);
    expect(reachesThreshold("9.99", "10", "rise")).toBe(false);
    expect(reachesThreshold("-50", "10", "rise")).toBe(false);
    expect(reachesThreshold("-50", "10")).toBe(true);
  });

  it("computes the change exactly and refuses a missing or zero baseline", () => {
    expect(changeBetween("0.01", "0.011")?.toFixed()).toBe("10");
    expect(changeBetween("0", "1")).toBeNull();
    expect(changeBetween(null, "1")).toBeNull();
    expect(changeBetween("1", null)).toBeNull();
  });

  it("is the same rule as the release variance check's roseBeyond", () => {
    expect(roseBeyond("0.01", "0.011", thresholdFor(rule(), "chat"))).toBe(true);
    expect(roseBeyond("0.01", "0.0109", thresholdFor(rule(), "chat"))).toBe(false);
    expect(roseBeyond("0.01", "0.0125", thresholdFor(rule(), "search"))).toBe(true);
    expect(roseBeyond("0.01", "0.012499", thresholdFor(rule(), "search"))).toBe(false);
  });
});

describe("countFlags", () => {
  it("counts every flagged row, endpoint or cohort, and an endpoint flagged only through a cohort needs review", () => {
    const rows = [
      { flagged: true, subRows: [{ flagged: true }, { flagged: false }] },
      // Like search.query: the endpoint's mean stayed put, its acme cohort moved.
      { flagged: false, subRows: [{ flagged: true }, { flagged: false }] },
      { flagged: false, subRows: [{ flagged: false }] },
      { flagged: true },
    ];
    expect(countFlags(rows)).toEqual({ flagged: 4, endpoints: 3, cohorts: 2 });
    expect(rows.map(needsReview)).toEqual([true, true, false, true]);
    expect(rows.map(flaggedCohorts)).toEqual([1, 1, 0, 0]);
  });
});
