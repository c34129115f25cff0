import { describe, expect, it } from "vitest";
import { takeToken } from "@/lib/auth/rate-limit";

describe("the per-key rate limit", () => {
  it("allows a minute's worth at once, then refuses with a Retry-After until tokens refill", () => {
    const t0 = 1_000_000;
    for (let i = 0; i < 60; i++) expect(takeToken("k1", 60, t0).ok).toBe(true);
    const refused = takeToken("k1", 60, t0);
    expect(refused).toEqual({ ok: false, retryAfter: 1 });
    expect(takeToken("k1", 60, t0 + 1000).ok).toBe(true);
    expect(takeToken("k1", 60, t0 + 1000).ok).toBe(false);
  });

  it("keeps keys apart and is off at 0", () => {
    for (let i = 0; i < 5; i++) takeToken("k2", 5, 0);
    expect(takeToken("k2", 5, 0).ok).toBe(false);
    expect(takeToken("k3", 5, 0).ok).toBe(true);
    for (let i = 0; i < 100; i++) expect(takeToken("k4", 0, 0).ok).toBe(true);
  });
});
