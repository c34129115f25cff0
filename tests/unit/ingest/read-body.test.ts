// Splitting an ingest body into events: NDJSON lines are held to the same rules as a JSON body, with the
// whole-body quick pass deciding whether any line needs the per-line check.
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { parseIngestBody } from "@/lib/ingest/read-body";

const NDJSON = "application/x-ndjson";
const line = (id: string, extra = "") => `{"id":"${id}","timestamp":"2026-11-01T09:00:00Z","requestId":"r","kind":"tool"${extra}}`;

function refusalPath(text: string): string | undefined {
  try {
    parseIngestBody(text, NDJSON, 1000);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    expect(err.status).toBe(400);
    return (err.details?.errors as { path: string }[] | undefined)?.[0]?.path;
  }
  throw new Error("expected a refusal");
}

describe("NDJSON bodies", () => {
  it("takes clean lines as they are, and a malformed line as a per-row error", () => {
    const batch = parseIngestBody(`${line("a")}\n\n{not json\r\n${line("b", ',"costUsd":"0.1"')}\n`, NDJSON, 1000);
    expect(batch.events).toHaveLength(3);
    expect(batch.events[1]).toBeUndefined();
    expect(batch.rejected.map((r) => r.index)).toEqual([1]);
  });

  it("refuses the body when a later line holds an inexact number or unstorable text, naming that line", () => {
    expect(refusalPath(`${line("a")}\n${line("b")}\n${line("c", ',"costUsd":9007199254740993')}\n`)).toBe("body.events[2].costUsd");
    expect(refusalPath(`${line("a")}\n${line("b\\u0000")}\n`)).toBe("body.events[1].id");
    expect(refusalPath(`${line("a")}\n${line("b", ',"metadata":{"k":"\\udc00"}')}\n`)).toBe("body.events[1].metadata.k");
    // A bare number on a line of its own is found too (the quick pass looks at the start of every line).
    expect(refusalPath(`${line("a")}\n12345678901234567890\n`)).toBe("body.events[1]");
  });
});
