// Retry timing: exponential back-off with jitter, capped; a receiver's Retry-After in seconds or as a date.
import { describe, expect, it } from "vitest";
import { backoffMs, MAX_RETRY_AFTER_MS, nextDelayMs, parseRetryAfter } from "@/lib/notify/backoff";

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

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-11-30T10:00:00Z");
  it("reads delay-seconds", () => {
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
  });
  it("reads an HTTP date, relative to now; one in the past is no wait", () => {
    expect(parseRetryAfter("Mon, 30 Nov 2026 10:01:30 GMT", now)).toBe(90_000);
    expect(parseRetryAfter("Mon, 30 Nov 2026 09:00:00 GMT", now)).toBe(0);
  });
  it("ignores what it cannot read, and caps a wait at a day", () => {
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter("", now)).toBeNull();
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter("-5", now)).toBeNull();
    expect(parseRetryAfter("1.5", now)).toBeNull();
    expect(parseRetryAfter("99999999", now)).toBe(MAX_RETRY_AFTER_MS);
  });
});

describe("nextDelayMs", () => {
  it("waits for Retry-After when the receiver asks for longer than the back-off, else the back-off", () => {
    expect(nextDelayMs(1, policy, 30_000, 0)).toBe(30_000);
    expect(nextDelayMs(1, policy, 100, 0)).toBe(500);
    expect(nextDelayMs(1, policy, null, 0)).toBe(500);
  });
});
