// Input hygiene at the boundary: every string that reaches a handler from a path, a query or a JSON
// body is well-formed Unicode without NUL (PostgreSQL text cannot hold NUL, and an unpaired surrogate
// would silently become U+FFFD), bodies are valid UTF-8, JSON numbers mean exactly what they say,
// and calendar dates are real dates. A violation is a 400 that names the field; nothing is cleaned.
import { AppError } from "@/lib/errors";

export const invalidInput = (field: string, message: string) =>
  new AppError("invalid_request", 400, `${field} ${message}`, { errors: [{ path: field, message }] });

const SURROGATE = /[\ud800-\udfff]/;
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** What makes a string unstorable ("a NUL character", "an unpaired surrogate"), or null when it is fine. */
export function unsafeTextReason(s: string): string | null {
  if (s.includes("\u0000")) return "a NUL character (U+0000)";
  // The plain class scan first: nearly all text has no surrogates at all.
  if (SURROGATE.test(s) && UNPAIRED_SURROGATE.test(s)) return "an unpaired UTF-16 surrogate (invalid Unicode)";
  return null;
}

export function storableText(s: string): boolean {
  return unsafeTextReason(s) === null;
}

/** body + ["events", 3, "requestId"] → body.events[3].requestId */
export function fieldName(prefix: string, path: ReadonlyArray<string | number>): string {
  let out = prefix;
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(p)) out += out ? `.${p}` : p;
    else out += `[${JSON.stringify(p.slice(0, 40))}]`;
  }
  return out;
}

type Frame = { value: unknown; key: string | number | null; parent: Frame | null };

function pathOf(frame: Frame): (string | number)[] {
  const path: (string | number)[] = [];
  for (let f: Frame | null = frame; f && f.key !== null; f = f.parent) path.push(f.key);
  return path.reverse();
}

/** The first string (or object key) in a parsed JSON value that holds NUL or an unpaired surrogate. */
export function findUnsafeString(value: unknown): { path: (string | number)[]; reason: string; isKey: boolean } | null {
  // Iterative: JSON.parse accepts nesting far deeper than the call stack.
  const stack: Frame[] = [{ value, key: null, parent: null }];
  while (stack.length) {
    const frame = stack.pop()!;
    const v = frame.value;
    if (typeof v === "string") {
      const reason = unsafeTextReason(v);
      if (reason) return { path: pathOf(frame), reason, isKey: false };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], key: i, parent: frame });
    } else if (v !== null && typeof v === "object") {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const k = keys[i]!;
        const reason = unsafeTextReason(k);
        if (reason) return { path: [...pathOf(frame), k], reason, isKey: true };
        stack.push({ value: (v as Record<string, unknown>)[k], key: k, parent: frame });
      }
    }
  }
  return null;
}

export function assertSafeStrings(value: unknown, prefix: string): void {
  const bad = findUnsafeString(value);
  if (!bad) return;
  const field = fieldName(prefix, bad.path);
  throw invalidInput(field, `${bad.isKey ? "is a key that contains" : "contains"} ${bad.reason}; such text cannot be stored. Remove it and send the request again.`);
}

const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Bytes → text, refusing invalid UTF-8 with a 400 rather than turning it into U+FFFD. */
export function decodeUtf8(bytes: Uint8Array, what = "The request body"): string {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    throw new AppError("invalid_encoding", 400, `${what} is not valid UTF-8. Send text encoded as UTF-8.`);
  }
}

// ---- JSON numbers ---------------------------------------------------------------------------------

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** A decimal literal in a canonical form ("-123e-2"), so two spellings of one value compare equal. */
export function canonicalDecimal(literal: string): string | null {
  const m = DECIMAL.exec(literal);
  if (!m) return null;
  const [, sign, int, frac = "", exp = "0"] = m;
  let digits = (int! + frac).replace(/^0+/, "");
  if (digits === "") return "0";
  let e = Number(exp) - frac.length;
  const trimmed = digits.replace(/0+$/, "");
  e += digits.length - trimmed.length;
  digits = trimmed;
  return `${sign}${digits}e${e}`;
}

/** Whether a JSON number literal means exactly the number a double gives back (1e999, 2^53+1 and 0.1000000000000000001 do not). */
export function numberRoundTrips(literal: string): boolean {
  const n = Number(literal);
  if (!Number.isFinite(n)) return false;
  // Up to 15 significant digits and a modest exponent always survive the trip.
  if (literal.length <= 15 && !/[eE]/.test(literal)) return true;
  return canonicalDecimal(literal) === canonicalDecimal(String(n));
}

/**
 * One pass over JSON text (already parsed, so well-formed): the first number literal that a double
 * cannot hold exactly, and whether any string could hold unstorable text. Parsed strings can only hold
 * NUL or a lone surrogate if the text spells one as an escape (\u0000, \uD800-\uDFFF) or holds a raw
 * surrogate (text decoded from strict UTF-8 never holds a lone one, but an emoji's pair is flagged too).
 * Ingest bodies are large, so this is a hand-written scan rather than regular expressions and a walk.
 */
export function scanJsonText(text: string): { inexact: string | null; mayHoldUnsafeText: boolean } {
  let mayHoldUnsafeText = false;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 34) break;
        if (d === 92 /* \ */) {
          if (text.charCodeAt(i + 1) === 117 /* u */) {
            const h = text.charCodeAt(i + 2) | 0x20; // lower-cased hex digit
            if ((h === 100 /* d */ && isSurrogateNibble(text.charCodeAt(i + 3) | 0x20)) || text.startsWith("0000", i + 2)) mayHoldUnsafeText = true;
          }
          i += 2;
          continue;
        }
        if (d === 0 || (d >= 0xd800 && d <= 0xdfff)) mayHoldUnsafeText = true;
        i++;
      }
      i++;
    } else if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      const start = i;
      let plain = true; // digits only (and a sign or a point): no exponent
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d >= 48 && d <= 57) i++;
        else if (d === 46 /* . */) i++;
        else if (d === 101 || d === 69 || d === 43 || d === 45) {
          plain = false;
          i++;
        } else break;
      }
      // Up to 15 characters without an exponent always survive the trip through a double.
      if (!plain || i - start > 15) {
        const literal = text.slice(start, i);
        if (!numberRoundTrips(literal)) return { inexact: literal, mayHoldUnsafeText };
      }
    } else {
      if (c === 0 || (c >= 0xd800 && c <= 0xdfff)) mayHoldUnsafeText = true;
      i++;
    }
  }
  return { inexact: null, mayHoldUnsafeText };
}

/** 8 to f: the second hex digit of a surrogate escape (\uD800-\uDFFF). */
function isSurrogateNibble(lower: number): boolean {
  return lower === 56 || lower === 57 || (lower >= 97 && lower <= 102);
}

// Native regular-expression passes decide whether the scan is needed at all; in nearly every body neither
// matches. A number outside a string follows the start, ":", "[" or ","; a string that looks like one
// ("id":"x,12345678901234567") only costs the exact scan.
const MAY_BE_INEXACT = /(?:^|[:[,])\s*-?(?:\d+\.?\d*[eE]|(?:\d\.?){16})/m;
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const MAY_HOLD_UNSAFE_TEXT = /\\u(?:0000|[dD][89a-fA-F])|[\u0000\ud800-\udfff]/;

/** scanJsonText's answer, with the exact scan only where a quick pass finds a candidate. */
export function checkJsonText(text: string): { inexact: string | null; mayHoldUnsafeText: boolean } {
  if (MAY_BE_INEXACT.test(text)) return scanJsonText(text);
  return { inexact: null, mayHoldUnsafeText: MAY_HOLD_UNSAFE_TEXT.test(text) };
}

/** False when no line of the text can hold an inexact number or unstorable text, so no line needs checkJson. */
export function jsonTextMayNeedCheck(text: string): boolean {
  return MAY_BE_INEXACT.test(text) || MAY_HOLD_UNSAFE_TEXT.test(text);
}

/** The first number literal in JSON text that a double cannot hold exactly, or null. */
export function firstInexactNumber(text: string): string | null {
  return checkJsonText(text).inexact;
}

/** Where a number equal to `n` sits in the parsed value (to name the field of an inexact literal). */
function findNumber(value: unknown, n: number): (string | number)[] | null {
  const stack: Frame[] = [{ value, key: null, parent: null }];
  while (stack.length) {
    const frame = stack.pop()!;
    const v = frame.value;
    if (typeof v === "number" && (v === n || (Number.isNaN(n) && Number.isNaN(v)))) return pathOf(frame);
    if (Array.isArray(v)) for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], key: i, parent: frame });
    else if (v !== null && typeof v === "object") {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) stack.push({ value: (v as Record<string, unknown>)[keys[i]!], key: keys[i]!, parent: frame });
    }
  }
  return null;
}

/**
 * The checks every parsed JSON body goes through: no number that a double would round (money sent as
 * 2^53+1 or with 20 digits must come as a decimal string), no NUL or unpaired surrogate in any string or key.
 */
export function checkJson(text: string, value: unknown, prefix = "body"): void {
  const { inexact, mayHoldUnsafeText } = checkJsonText(text);
  if (inexact !== null) {
    const at = findNumber(value, Number(inexact));
    const field = at ? fieldName(prefix, at) : prefix;
    const shown = inexact.length > 40 ? `${inexact.slice(0, 40)}…` : inexact;
    throw invalidInput(
      field,
      `is the number ${shown}, which does not survive a round trip through a double (it would be stored as ${String(Number(inexact))}); send it as a decimal string, e.g. "${shown}".`,
    );
  }
  if (mayHoldUnsafeText) assertSafeStrings(value, prefix);
}

// ---- URLs -------------------------------------------------------------------------------------------

function decodeComponent(raw: string, field: () => string, checkText = true): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    throw invalidInput(field(), "is not valid percent-encoding of UTF-8 text (for example %ff); encode the value as UTF-8 and percent-encode its bytes.");
  }
  const reason = checkText ? unsafeTextReason(decoded) : null;
  if (reason) throw invalidInput(field(), `contains ${reason}; such text cannot be stored or searched. Remove it and send the request again.`);
  return decoded;
}

/**
 * Every query parameter percent-decodes to storable UTF-8 text. Next.js hands route handlers a query it
 * has already decoded and re-encoded (%ff arrives as U+FFFD, the replacement character), so U+FFFD in a
 * query value is refused as the bad encoding it stands for.
 */
export function checkQuery(url: string, checkText = true): void {
  const q = url.indexOf("?");
  if (q < 0) return;
  const hash = url.indexOf("#", q);
  const search = url.slice(q + 1, hash < 0 ? undefined : hash);
  if (!search) return;
  for (const part of search.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const rawName = (eq < 0 ? part : part.slice(0, eq)).replace(/\+/g, " ");
    const rawValue = eq < 0 ? "" : part.slice(eq + 1).replace(/\+/g, " ");
    let shownName = rawName;
    try {
      shownName = decodeURIComponent(rawName);
    } catch {
      /* named as sent */
    }
    const field = () => fieldName("query", [shownName.slice(0, 60)]);
    for (const raw of [rawName, rawValue]) {
      const decoded = decodeComponent(raw, field, checkText);
      if (checkText && decoded.includes("\ufffd")) {
        throw invalidInput(field(), "is not valid percent-encoding of UTF-8 text (for example %ff, which arrives as U+FFFD); encode the value as UTF-8 and percent-encode its bytes.");
      }
    }
  }
}

/**
 * The first part of a URL (a path segment or a query parameter) that is not percent-encoded UTF-8, as a
 * 400's field and message; null when the URL is fine. Checked before routing, where Next.js would fail
 * to decode a route parameter (a plain-text 500) or turn %ff into U+FFFD.
 */
export function badUrlEncoding(url: string): { field: string; message: string } | null {
  if (!url.includes("%")) return null;
  try {
    const q = url.indexOf("?");
    const pathname = new URL(url, "http://x").pathname;
    for (const seg of pathname.split("/")) if (seg.includes("%")) decodeComponent(seg, () => "path", false);
    if (q >= 0) checkQuery(url, false);
    return null;
  } catch (err) {
    if (err instanceof AppError) return { field: String((err.details?.errors as { path: string }[] | undefined)?.[0]?.path ?? "path"), message: err.message };
    throw err;
  }
}

/** Every path segment percent-decodes to storable text, and so does every route parameter. */
export function checkPath(url: string, params: Record<string, string | string[] | undefined>): void {
  for (const [name, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      const reason = unsafeTextReason(v);
      if (reason) throw invalidInput(fieldName("path", [name]), `contains ${reason}; no object has such a name.`);
    }
  }
  let pathname: string;
  try {
    pathname = new URL(url, "http://x").pathname;
  } catch {
    return;
  }
  const segments = pathname.split("/");
  for (const seg of segments) {
    if (!seg.includes("%")) continue;
    // Name the route parameter the segment feeds when there is one.
    const name = Object.entries(params).find(([, v]) => v === seg || (typeof v === "string" && (v.includes("\ufffd") || v.includes("%"))))?.[0];
    decodeComponent(seg, () => (name ? fieldName("path", [name]) : "path"));
  }
}

// ---- dates --------------------------------------------------------------------------------------------

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

function realDate(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= (m === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[m - 1]!);
}

/** "2026-02-28" yes; "2026-02-30", "2026-13-01", "2026-2-1" and "x" no. */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return !!m && realDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A calendar date (midnight UTC) or an ISO 8601 date-time; without a zone it is read as UTC. Null
 * when it is not a real date and time (Date.parse would roll 30 February over into March).
 */
export function parseInstant(s: string): Date | null {
  const m = INSTANT.exec(s.trim());
  if (!m) return null;
  const [, y, mo, d, h = "00", mi = "00", sec = "00", frac = "", zone = "Z"] = m;
  if (!realDate(Number(y), Number(mo), Number(d)) || Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) return null;
  let offset = 0;
  if (zone !== "Z" && zone !== "z") {
    const digits = zone.slice(1).replace(":", "");
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2, 4));
    if (oh > 23 || om > 59) return null;
    offset = (zone.startsWith("-") ? -1 : 1) * (oh * 60 + om);
  }
  const ms = frac ? Math.floor(Number(`0${frac}`) * 1000) : 0;
  const t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec), ms) - offset * 60_000;
  const year = Number(y);
  if (year < 1000) return null;
  return new Date(t);
}
