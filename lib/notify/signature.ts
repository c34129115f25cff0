// The webhook signature. Every webhook request carries
//   Cost-Review-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed with the channel's secret>
// A receiver recomputes the HMAC over the raw body it received and checks that t is recent (replay-safe):
// verifySignature below does both, and the README shows it in a receiver.
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "Cost-Review-Signature";
/** How old (or how far in the future) a signature's timestamp may be: five minutes. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

const hmac = (secret: string, t: number, body: string) => createHmac("sha256", secret).update(`${t}.${body}`, "utf8").digest("hex");

/** The header value for `body` (the exact bytes sent, as a string) signed at `t` (unix seconds). */
export function signatureHeader(secret: string, body: string, t: number = Math.floor(Date.now() / 1000)): string {
  return `t=${t},v1=${hmac(secret, t, body)}`;
}

export type VerifyOptions = {
  /** Seconds a timestamp may differ from now (default 300). */
  toleranceSeconds?: number;
  /** Now, in unix seconds (default: the clock). */
  now?: number;
};

/**
 * Whether `header` (the Cost-Review-Signature value) signs `body` (the raw request body) with `secret`,
 * at a time within the tolerance of now. Several v1= entries are allowed (any one matching will do);
 * comparison is in constant time.
 */
export function verifySignature(secret: string, body: string, header: string | null | undefined, opts: VerifyOptions = {}): boolean {
  if (!header || !secret) return false;
  let t: number | null = null;
  const sigs: string[] = [];
  for (const part of header.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (k === "t" && /^\d{1,12}$/.test(v)) t = Number(v);
    else if (k === "v1" && /^[0-9a-f]{64}$/i.test(v)) sigs.push(v.toLowerCase());
  }
  if (t === null || sigs.length === 0) return false;
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - t) > (opts.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) return false;
  const expected = Buffer.from(hmac(secret, t, body), "hex");
  return sigs.some((s) => timingSafeEqual(Buffer.from(s, "hex"), expected));
}
