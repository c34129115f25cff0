// Slow password hashing with scrypt (node:crypto): no native add-on to build, tunable cost.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { AppError } from "@/lib/errors";

const scrypt = (pw: string, salt: Buffer, len: number, opts: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(pw, salt, len, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );

/**
 * OWASP's current recommendation for scrypt: N=2^17, r=8, p=1 (128 MiB and a few hundred ms per hash).
 * A hash stored with weaker parameters still verifies, and is replaced on the next successful sign-in.
 */
export const SCRYPT_PARAMS = { N: 2 ** 17, r: 8, p: 1 } as const;
const KEYLEN = 32;
const maxmem = (n: number, r: number) => 128 * n * r * 2;

export const MIN_PASSWORD_LENGTH = 10;

// Each hash takes 128 MiB and a core for a few hundred ms: at most this many run at once, and at most
// QUEUE_MAX wait for a turn; beyond that a sign-in is refused with 503 instead of exhausting the machine.
const CONCURRENT_HASHES = 2;
const QUEUE_MAX = 64;
let running = 0;
const waiting: (() => void)[] = [];

/** Runs `fn` while holding one of the few password-hashing slots. */
export async function withHashSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= CONCURRENT_HASHES) {
    if (waiting.length >= QUEUE_MAX) {
      throw new AppError("busy", 503, "Too many sign-ins at once; try again in a few seconds.", { retryAfter: 5 });
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else {
    running += 1;
  }
  try {
    return await fn();
  } finally {
    const next = waiting.shift();
    if (next) next(); // the slot passes straight to the next in line
    else running -= 1;
  }
}

export async function hashPassword(password: string): Promise<string> {
  const { N, r, p } = SCRYPT_PARAMS;
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize("NFKC"), salt, KEYLEN, { N, r, p, maxmem: maxmem(N, r) });
  return `scrypt$${N}$${r}$${p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

function parse(stored: string): { n: number; r: number; p: number; salt: Buffer; key: Buffer } | null {
  const [alg, n, r, p, saltB64, keyB64] = stored.split("$");
  if (alg !== "scrypt" || !n || !r || !p || !saltB64 || !keyB64) return null;
  const [N, R, P] = [Number(n), Number(r), Number(p)];
  // Refuse parameters nobody stored on purpose (and that would make scrypt throw or run for minutes).
  if (![N, R, P].every(Number.isSafeInteger) || N < 2 || (N & (N - 1)) !== 0 || N > 2 ** 20 || R < 1 || R > 32 || P < 1 || P > 16) return null;
  return { n: N, r: R, p: P, salt: Buffer.from(saltB64, "base64url"), key: Buffer.from(keyB64, "base64url") };
}

export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  if (!stored) return false;
  const h = parse(stored);
  if (!h || h.key.length === 0) return false;
  const key = await scrypt(password.normalize("NFKC"), h.salt, h.key.length, { N: h.n, r: h.r, p: h.p, maxmem: maxmem(h.n, h.r) });
  return key.length === h.key.length && timingSafeEqual(key, h.key);
}

/** True when a stored hash uses weaker parameters than today's (it is re-hashed on the next sign-in). */
export function needsRehash(stored: string): boolean {
  const h = parse(stored);
  if (!h) return false;
  return h.n < SCRYPT_PARAMS.N || h.r < SCRYPT_PARAMS.r || h.p < SCRYPT_PARAMS.p || h.key.length < KEYLEN;
}
