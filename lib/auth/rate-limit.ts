// A token bucket per API key (in this process): bursts are fine, a sustained flood gets 429 with
// Retry-After. Limits are per app instance.
import { AppError } from "@/lib/errors";

type Bucket = { tokens: number; at: number };
const buckets = new Map<string, Bucket>();

export function takeToken(key: string, perMinute: number, now = Date.now()): { ok: true } | { ok: false; retryAfter: number } {
  if (perMinute <= 0) return { ok: true };
  const capacity = perMinute; // a full minute's worth may arrive at once
  const ratePerMs = perMinute / 60_000;
  const b = buckets.get(key) ?? { tokens: capacity, at: now };
  b.tokens = Math.min(capacity, b.tokens + (now - b.at) * ratePerMs);
  b.at = now;
  buckets.set(key, b);
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return { ok: true };
  }
  return { ok: false, retryAfter: Math.max(1, Math.ceil((1 - b.tokens) / ratePerMs / 1000)) };
}

export function enforceRateLimit(key: string, perMinute: number): void {
  const r = takeToken(key, perMinute);
  if (!r.ok) {
    throw new AppError("rate_limited", 429, `Too many requests for this API key; retry after ${r.retryAfter} s.`, { retryAfter: r.retryAfter });
  }
}
