// Holding rollup refreshes back during a backfill: the arrival rate the scheduler reads, and its rule.
import { describe, expect, it } from "vitest";
import { msSinceIngest, noteIngested, recentIngestRate } from "@/lib/ingest/activity";
import { followsBurst, shouldDeferRefresh, shouldRest } from "@/lib/rollups/scheduler";

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
  const base = { nowMs: 10_000, restUntilMs: 25_000, msSinceIngest: 40 };

  it("rests after a long refresh while events keep arriving", () => {
    expect(shouldRest(base)).toBe(true);
    // A gap between one client's batches is not the end of a burst.
    expect(shouldRest({ ...base, msSinceIngest: 499 })).toBe(true);
  });

  it("stops resting when the rest is over", () => {
    expect(shouldRest({ ...base, nowMs: 25_000 })).toBe(false);
  });

  it("does not rest once events have stopped for half a second: the catch-up runs at once", () => {
    expect(shouldRest({ ...base, msSinceIngest: 500 })).toBe(false);
    expect(shouldRest({ ...base, msSinceIngest: Infinity })).toBe(false);
  });
});

describe("followsBurst", () => {
  const base = { was: false, ratePerSecond: 25_000, followAbove: 1_000, refreshing: false };

  it("starts following when events arrive faster than the threshold, whether or not this tick refreshes", () => {
    expect(followsBurst(base)).toBe(true);
    expect(followsBurst({ ...base, refreshing: true })).toBe(true);
    expect(followsBurst({ ...base, ratePerSecond: 1_000 })).toBe(false);
    expect(followsBurst({ ...base, ratePerSecond: 1_001 })).toBe(true);
  });

  it("keeps following through rests and holds until a refresh starts after the burst", () => {
    // Resting after a refresh while the burst's last seconds leave the rate window: still following.
    expect(followsBurst({ ...base, was: true, ratePerSecond: 300 })).toBe(true);
    expect(followsBurst({ ...base, was: true, ratePerSecond: 0 })).toBe(true);
    // The refresh that takes in the tail ends it: the interval again afterwards.
    expect(followsBurst({ ...base, was: true, ratePerSecond: 0, refreshing: true })).toBe(false);
    expect(followsBurst({ ...base, was: true, ratePerSecond: 300, refreshing: true })).toBe(false);
    // One that starts while the burst goes on keeps it.
    expect(followsBurst({ ...base, was: true, refreshing: true })).toBe(true);
  });

  it("never follows when the threshold is 0", () => {
    expect(followsBurst({ ...base, followAbove: 0 })).toBe(false);
    expect(followsBurst({ ...base, followAbove: 0, refreshing: true })).toBe(false);
  });
});

describe("msSinceIngest", () => {
  it("counts from the latest stored batch, not from an earlier one noted late", () => {
    const t = Date.UTC(2032, 0, 1);
    noteIngested(1_000, t);
    expect(msSinceIngest(t + 300)).toBe(300);
    noteIngested(1_000, t - 5_000); // an earlier clock reading: the latest stays
    expect(msSinceIngest(t + 700)).toBe(700);
    noteIngested(0, t + 800); // nothing stored: not activity
    expect(msSinceIngest(t + 900)).toBe(900);
  });
});
