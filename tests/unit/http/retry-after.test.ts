// Retry-After, read one way by every client that retries (notifications, provider cost pulls, the uploader).
import { describe, expect, it } from "vitest";
import { MAX_RETRY_AFTER_MS, parseRetryAfter } from "@/lib/http/retry-after";

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
