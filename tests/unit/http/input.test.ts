// The input hygiene helpers every route goes through (lib/http/input.ts).
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import {
  badUrlEncoding,
  canonicalDecimal,
  checkJson,
  checkPath,
  checkQuery,
  decodeUtf8,
  fieldName,
  findUnsafeString,
  firstInexactNumber,
  isCalendarDate,
  scanJsonText,
  numberRoundTrips,
  parseInstant,
  unsafeTextReason,
} from "@/lib/http/input";
import { MAX_GPU_SECONDS, MAX_LATENCY_MS, parseEvent } from "@/lib/ingest/event-schema";
import { MAX_TOKENS_PER_COUNT } from "@/lib/ingest/usage";

function refusal(fn: () => unknown): { status: number; code: string; message: string; path: string | undefined } {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const errors = err.details?.errors as { path: string }[] | undefined;
    return { status: err.status, code: err.code, message: err.message, path: errors?.[0]?.path };
  }
  throw new Error("expected a refusal");
}

describe("field names", () => {
  it("joins a path the way a JavaScript reader would write it", () => {
    expect(fieldName("body", ["events", 3, "requestId"])).toBe("body.events[3].requestId");
    expect(fieldName("query", ["endpoint"])).toBe("query.endpoint");
    expect(fieldName("path", ["id"])).toBe("path.id");
    expect(fieldName("body", ["metadata", "a b", 0])).toBe('body.metadata["a b"][0]');
    expect(fieldName("body", [])).toBe("body");
  });
});

describe("unstorable text", () => {
  it.each([
    ["a\u0000b", /NUL/],
    ["\ud800", /unpaired/],
    ["x\udfff", /unpaired/],
    ["\udc00\ud800", /unpaired/],
  ])("refuses %j", (s, reason) => {
    expect(unsafeTextReason(s)).toMatch(reason);
  });

  it.each(["", "plain", "🙂", "日本語", "\ufffd", "\uffff", "e\u0301", "\ud83d\ude00"])("accepts %j", (s) => {
    expect(unsafeTextReason(s)).toBeNull();
  });

  it("finds the first bad string or key anywhere in a JSON value, however deep", () => {
    expect(findUnsafeString({ events: [{ id: "ok" }, { id: "ok" }, { id: "ok" }, { requestId: "r\u0000" }] })).toMatchObject({ path: ["events", 3, "requestId"], isKey: false });
    expect(findUnsafeString({ metadata: { "\ud800": 1 } })).toMatchObject({ path: ["metadata", "\ud800"], isKey: true });
    let deep: unknown = "\u0000";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findUnsafeString(deep)?.path).toHaveLength(100_000);
    expect(findUnsafeString({ a: ["fine", 1, null, true, { b: "🙂" }] })).toBeNull();
  });

  it("names the field in a 400 when a JSON body holds one", () => {
    const text = '{"events":[{},{},{},{"requestId":"a\\u0000b"}]}';
    const r = refusal(() => checkJson(text, JSON.parse(text)));
    expect(r).toMatchObject({ status: 400, code: "invalid_request", path: "body.events[3].requestId" });
    expect(r.message).toMatch(/^body\.events\[3\]\.requestId contains a NUL/);
    const surrogate = '{"text":"\\ud800"}';
    expect(refusal(() => checkJson(surrogate, JSON.parse(surrogate)))).toMatchObject({ status: 400, path: "body.text" });
  });
});

describe("JSON numbers", () => {
  it.each(["0", "-0", "1", "0.1", "0.30000000000000004", "1e21", "1.5e-7", "123456789012345", "9007199254740991", "9007199254740992", "1e308", "-1", "12.50"])(
    "%s survives a round trip",
    (literal) => expect(numberRoundTrips(literal)).toBe(true),
  );

  it.each(["9007199254740993", "123456789012345678901234567890", "0.1000000000000000000001", "1e999", "-1e400", "1.00000000000000001"])(
    "%s does not",
    (literal) => expect(numberRoundTrips(literal)).toBe(false),
  );

  it("compares decimals by value, not by spelling", () => {
    expect(canonicalDecimal("1.50")).toBe(canonicalDecimal("15e-1"));
    expect(canonicalDecimal("0.000")).toBe("0");
    expect(canonicalDecimal("x")).toBeNull();
  });

  it("skips digits inside strings and finds the first inexact literal", () => {
    expect(firstInexactNumber('{"id":"9007199254740993123","costUsd":"9007199254740993"}')).toBeNull();
    expect(firstInexactNumber('{"a":1,"b":9007199254740993,"c":1e999}')).toBe("9007199254740993");
    expect(firstInexactNumber('{"s":"\\"","n":0.1000000000000000000001}')).toBe("0.1000000000000000000001");
  });

  it("finds inexact literals in every position a number can take, and none inside strings", () => {
    expect(firstInexactNumber("9007199254740993")).toBe("9007199254740993"); // a bare top-level number
    expect(firstInexactNumber("[1, \n  -9007199254740993]")).toBe("-9007199254740993"); // after "," and whitespace
    expect(firstInexactNumber('{"a":[12345678.123456789]}')).toBe("12345678.123456789"); // digits on both sides of the point
    expect(firstInexactNumber('{"a":2e-400}')).toBe("2e-400"); // an exponent that underflows
    expect(firstInexactNumber('{"a":1.5E+3,"b":123456789012345}')).toBeNull(); // exact with an exponent; 15 digits
    expect(firstInexactNumber(String.raw`{"k":"\\","n":1e999}`)).toBe("1e999"); // an escaped backslash, then the closing quote
  });

  it("sends a body to the string walk only when its text could spell unstorable text", () => {
    expect(scanJsonText('{"a":"plain","b":["ü 🙂"]}').mayHoldUnsafeText).toBe(true); // a raw pair: walked, and found fine
    expect(scanJsonText('{"a":"plain","b":[1,2]}').mayHoldUnsafeText).toBe(false);
    expect(scanJsonText(String.raw`{"a":"\\u0000"}`).mayHoldUnsafeText).toBe(false); // a backslash, then the text "u0000"
    for (const text of [String.raw`{"a":"\u0000"}`, String.raw`{"a":"\uD83D"}`, String.raw`{"\udfff":1}`, String.raw`{"a":"\u0000","n":12345678901234567}`]) {
      expect(scanJsonText(text).mayHoldUnsafeText).toBe(true);
      expect(findUnsafeString(JSON.parse(text))).not.toBeNull();
    }
    const text = String.raw`{"events":[{"id":"a"},{"id":"b\u0000"}]}`;
    expect(refusal(() => checkJson(text, JSON.parse(text)))).toMatchObject({ status: 400, path: "body.events[1].id" });
  });

  it("refuses money sent as an inexact number, asking for a decimal string and naming the field", () => {
    const text = '{"events":[{"id":"a","costUsd":9007199254740993}]}';
    const r = refusal(() => checkJson(text, JSON.parse(text)));
    expect(r).toMatchObject({ status: 400, path: "body.events[0].costUsd" });
    expect(r.message).toMatch(/send it as a decimal string/);
    expect(r.message).toMatch(/9007199254740992/);
    const ok = '{"events":[{"id":"a","costUsd":"9007199254740993","latencyMs":12.5}]}';
    expect(() => checkJson(ok, JSON.parse(ok))).not.toThrow();
  });
});

describe("UTF-8", () => {
  it("refuses invalid bytes instead of turning them into U+FFFD", () => {
    expect(refusal(() => decodeUtf8(new Uint8Array([0x22, 0xff, 0x22])))).toMatchObject({ status: 400, code: "invalid_encoding" });
    expect(refusal(() => decodeUtf8(new Uint8Array([0xed, 0xa0, 0x80])))).toMatchObject({ status: 400 }); // an encoded lone surrogate
    expect(decodeUtf8(new TextEncoder().encode("é🙂"))).toBe("é🙂");
  });
});

describe("URLs", () => {
  it("refuses a query parameter that is not percent-encoded UTF-8 or holds NUL, naming it", () => {
    expect(refusal(() => checkQuery("http://h/api/v1/incidents?status=open&endpoint=%ff"))).toMatchObject({ status: 400, path: "query.endpoint" });
    expect(refusal(() => checkQuery("http://h/api/v1/incidents?endpoint=a%00b"))).toMatchObject({ status: 400, path: "query.endpoint" });
    expect(refusal(() => checkQuery("http://h/x?from=%ED%A0%80"))).toMatchObject({ path: "query.from" });
    // Next.js re-encodes the query it hands over: %ff arrives as U+FFFD, refused as the bad encoding it was.
    expect(refusal(() => checkQuery("http://h/x?endpoint=a%EF%BF%BD"))).toMatchObject({ status: 400, path: "query.endpoint" });
    expect(() => checkQuery("http://h/x?endpoint=chat.answer&q=%C3%A9+x&flag")).not.toThrow();
  });

  it("refuses a path parameter with NUL and a path segment that does not decode", () => {
    expect(refusal(() => checkPath("http://h/api/v1/requests/a%00", { requestId: "a\u0000" }))).toMatchObject({ status: 400, path: "path.requestId" });
    expect(refusal(() => checkPath("http://h/api/v1/requests/%ff", { requestId: "%ff" }))).toMatchObject({ status: 400, path: "path.requestId" });
    expect(() => checkPath("http://h/api/v1/requests/r%C3%A9", { requestId: "ré" })).not.toThrow();
  });

  it("finds bad percent-encoding before routing (the proxy's check), and only that", () => {
    expect(badUrlEncoding("http://h/api/v1/requests/%ff")?.field).toBe("path");
    expect(badUrlEncoding("http://h/review/%zz")).not.toBeNull();
    expect(badUrlEncoding("http://h/api/v1/quality?from=%ff")?.field).toBe("query.from");
    expect(badUrlEncoding("http://h/api/v1/requests/%00")).toBeNull(); // NUL is the route's to name
    expect(badUrlEncoding("http://h/api/v1/requests/plain?x=1")).toBeNull();
  });
});

describe("dates", () => {
  it.each(["2026-02-28", "2024-02-29", "2000-02-29", "2026-12-31"])("%s is a calendar date", (s) => expect(isCalendarDate(s)).toBe(true));
  it.each(["2026-02-30", "2026-02-29", "1900-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-2-1", "x", "", "2026-01-01T00:00:00Z"])(
    "%j is not",
    (s) => expect(isCalendarDate(s)).toBe(false),
  );

  it("reads instants strictly: dates at midnight UTC, date-times with or without a zone", () => {
    expect(parseInstant("2026-11-01")?.toISOString()).toBe("2026-11-01T00:00:00.000Z");
    expect(parseInstant("2026-11-01T09:30:00Z")?.toISOString()).toBe("2026-11-01T09:30:00.000Z");
    expect(parseInstant("2026-11-01T10:30:00.250+01:00")?.toISOString()).toBe("2026-11-01T09:30:00.250Z");
    expect(parseInstant("2026-11-01T09:30")?.toISOString()).toBe("2026-11-01T09:30:00.000Z");
    for (const bad of ["2026-02-30", "2026-13-01", "x", "2026-11-01T24:00:00Z", "2026-11-01T09:60:00Z", "2026-11-01T09:00:00+25:00", "1e308", "-1", "0999-01-01"]) {
      expect(parseInstant(bad), bad).toBeNull();
    }
  });
});

describe("physical bounds on counts", () => {
  const event = (extra: Record<string, unknown>) => ({ id: "e1", timestamp: "2026-11-01T09:00:00Z", requestId: "r1", ...extra });
  const errorsOf = (raw: unknown) => {
    const r = parseEvent(raw, 0);
    return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
  };

  it("refuses gpuSeconds, latencyMs and token counts past their bounds, and accepts them at the bound", () => {
    expect(errorsOf({ ...event({ kind: "gpu", pool: "a100", gpuSeconds: 1e308 }), requestId: "r1" }).join()).toMatch(/events\.0\.gpuSeconds: gpuSeconds must be at most 3,600,000/);
    expect(errorsOf(event({ kind: "gpu", pool: "a100", gpuSeconds: MAX_GPU_SECONDS }))).toEqual([]);
    expect(errorsOf(event({ latencyMs: MAX_LATENCY_MS + 1 })).join()).toMatch(/latencyMs must be at most 86,400,000/);
    expect(errorsOf(event({ latencyMs: MAX_LATENCY_MS }))).toEqual([]);
    expect(errorsOf(event({ usage: { inputTokens: MAX_TOKENS_PER_COUNT + 1 } })).join()).toMatch(/inputTokens .* no model call uses/);
    expect(errorsOf(event({ usage: { inputTokens: MAX_TOKENS_PER_COUNT } }))).toEqual([]);
  });
});
