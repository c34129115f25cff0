// A Retry-After header, read one way for every client here that retries: notification delivery
// (lib/notify), the provider cost pulls (lib/finance/provider-costs) and the event uploader (lib/ingest).

/** The longest Retry-After honoured: a server asking for longer is tried again after a day. */
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * A Retry-After header (delay-seconds, or an HTTP date: RFC 9110 §10.2.3) as milliseconds from `now`;
 * null when absent or unreadable. A date in the past reads as 0; anything over a day as a day.
 */
export function parseRetryAfter(header: string | null | undefined, now: number = Date.now()): number | null {
  if (header == null) return null;
  const v = header.trim();
  if (v === "") return null;
  if (/^\d+$/.test(v)) return Math.min(Number(v) * 1000, MAX_RETRY_AFTER_MS);
  const at = Date.parse(v);
  if (Number.isNaN(at) || !/[a-z]/i.test(v)) return null;
  return Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS);
}
