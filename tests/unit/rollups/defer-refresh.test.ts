// Holding rollup refreshes back during a backfill: the arrival rate the scheduler reads, and its rule.
import { describe, expect, it } from "vitest";
import { noteIngested, recentIngestRate } from "@/lib/ingest/activity";
import { shouldDeferRefresh, shouldRest } from "@/lib/rollups/scheduler";

describe("recentIngestRate", () => {
  // Far from the other tests' clock, so the shared ring starts empty for this one.
  const t0 = Date.UTC(2031, 0, 1);

  it("averages the events of the last ten seconds and forgets older ones", () => {
    expect(recentIngestRate(t0)).toBe(0);
    noteIngested(5_000, t0);
    noteIngested(5_000, t0 + 400); // same second
    noteIngested(10_000, t0 + 3_000);
    expect(recentIngestRate(t0 + 3_500)).toBe(2_000);
    // Ten seconds after the first second, its 10,000 events have left the window.
    expect(recentIngestRate(t0 + 10_000)).toBe(1_000);
    expect(recentIngestRate(t0 + 13_000)).toBe(0);
    // A slot is reused for a later second without adding the old count.
    noteIngested(70, t0 + 20_000);
    expect(recentIngestRate(t0 + 20_100)).toBe(7);
  });

  it("averages over a shorter window when asked, so the end of a burst shows within seconds", () => {
    const t = t0 + 50_000;
    noteIngested(30_000, t);
    noteIngested(30_000, t + 1_000);
    // The burst's last batch was two seconds ago: over three seconds it still counts, over ten it lingers.
    expect(recentIngestRate(t + 2_000, 3)).toBe(20_000);
    expect(recentIngestRate(t + 4_000, 3)).toBe(0);
    expect(recentIngestRate(t + 4_000)).toBe(6_000);
    // The window is one to ten seconds.
    expect(recentIngestRate(t + 1_000, 0)).toBe(30_000);
    expect(recentIngestRate(t + 1_000, 60)).toBe(6_000);
  });

  it("ignores nothing-stored batches", () => {
    const t = t0 + 100_000;
    noteIngested(0, t);
    noteIngested(-3, t);
    expect(recentIngestRate(t)).toBe(0);
  });
});

describe("shouldDeferRefresh", () => {
  const base = { ratePerSecond: 20_000, deferAbove: 2_000, sinceLastRefreshMs: 30_000, maxDeferSeconds: 120 };

  it("holds back while events arrive faster than the threshold and the figures are recent", () => {
    expect(shouldDeferRefresh(base)).toBe(true);
  });

  it("refreshes at the normal pace below the threshold", () => {
    expect(shouldDeferRefresh({ ...base, ratePerSecond: 2_000 })).toBe(false);
    expect(shouldDeferRefresh({ ...base, ratePerSecond: 150 })).toBe(false);
  });

  it("never holds back longer than the maximum delay", () => {
    expect(shouldDeferRefresh({ ...base, sinceLastRefreshMs: 119_999 })).toBe(true);
    expect(shouldDeferRefresh({ ...base, sinceLastRefreshMs: 120_000 })).toBe(false);
  });

  it("is off when either setting is 0", () => {
    expect(shouldDeferRefresh({ ...base, maxDeferSeconds: 0 })).toBe(false);
    expect(shouldDeferRefresh({ ...base, deferAbove: 0 })).toBe(false);
  });
});

describe("shouldRest", () => {
  const base = { nowMs: 10_000, restUntilMs: 25_000, ratePerSecond: 300 };

  it("rests after a long refresh while events keep arriving", () => {
    expect(shouldRest(base)).toBe(true);
    expect(shouldRest({ ...base, ratePerSecond: 40_000 })).toBe(true);
  });

  it("stops resting when the rest is over", () => {
    expect(shouldRest({ ...base, nowMs: 25_000 })).toBe(false);
  });

  it("does not rest once events have stopped: the catch-up runs at once", () => {
    expect(shouldRest({ ...base, ratePerSecond: 0 })).toBe(false);
  });
});
