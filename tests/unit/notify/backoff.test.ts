// Retry timing: exponential back-off with jitter, capped; a receiver's Retry-After in seconds or as a date.
import { describe, expect, it } from "vitest";
import { backoffMs, nextDelayMs } from "@/lib/notify/backoff";

const policy = { baseMs: 1000, maxMs: 60_000 };

describe("backoffMs", () => {
  it("doubles with each failure, between half and all of the step", () => {
    for (const [failures, step] of [[1, 1000], [2, 2000], [3, 4000], [5, 16_000]] as const) {
      expect(backoffMs(failures, policy, 0)).toBe(step / 2);
      expect(backoffMs(failures, policy, 0.999999)).toBe(step);
      const mid = backoffMs(failures, policy, 0.5);
      expect(mid).toBe((step * 3) / 4);
    }
  });

  it("never waits longer than the cap, however many failures", () => {
    expect(backoffMs(7, policy, 0.999999)).toBe(60_000);
    expect(backoffMs(1000, policy, 0.999999)).toBe(60_000);
    expect(backoffMs(1000, policy, 0)).toBe(30_000);
  });

  it("spreads messages that failed together (jitter)", () => {
    const waits = new Set(Array.from({ length: 50 }, () => backoffMs(4, policy)));
    expect(waits.size).toBeGreaterThan(10);
    for (const w of waits) {
      expect(w).toBeGreaterThanOrEqual(4000);
      expect(w).toBeLessThanOrEqual(8000);
    }
  });
});

describe("nextDelayMs", () => {
  it("waits for Retry-After when the receiver asks for longer than the back-off, else the back-off", () => {
    expect(nextDelayMs(1, policy, 30_000, 0)).toBe(30_000);
    expect(nextDelayMs(1, policy, 100, 0)).toBe(500);
    expect(nextDelayMs(1, policy, null, 0)).toBe(500);
  });
});
