// Event files → raw events: the CSV header, strict number cells, line numbers, NDJSON, and errors
// mapped back to the file's lines and columns.
import { describe, expect, it } from "vitest";
import { parseEvent } from "@/lib/ingest/event-schema";
import { CSV_COLUMNS, csvRecordToEvent, fieldOf, formatOf, parseCsvEvents, parseHeader, parseNdjsonEvents, rowErrorsFor } from "@/lib/ingest/csv-row";

const HEADER = "id,timestamp,requestId,endpoint,provider,model,inputTokens,cacheReadTokens,outputTokens,costUsd";

describe("the CSV header", () => {
  it("takes the documented columns in any order, ignoring case and underscores", () => {
    expect(parseHeader(["timestamp", "ID", "request_id", "INPUT_TOKENS", "cacheWrite1hTokens"])).toEqual({
      ok: true,
      columns: ["timestamp", "id", "requestId", "inputTokens", "cacheWrite1hTokens"],
    });
    expect(parseHeader([...CSV_COLUMNS])).toEqual({ ok: true, columns: [...CSV_COLUMNS] });
  });

  it("names an unknown column and lists the known ones", () => {
    const r = parseHeader(["id", "timestamp", "tokens_in", "model"]);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toContain('unknown column "tokens_in"');
      expect(r.message).toContain("inputTokens");
    }
  });

  it("refuses a repeated column and a header without id or timestamp", () => {
    const twice = parseHeader(["id", "timestamp", "model", "Model"]);
    expect(twice.ok || twice.message).toMatch(/"model" appears more than once/);
    const noTs = parseHeader(["id", "model"]);
    expect(noTs.ok || noTs.message).toMatch(/no timestamp column/);
  });

  it("reports a file whose first row is data, not a header", () => {
    const f = parseCsvEvents("evt-1,2026-01-01T00:00:00Z,req-1\n");
    expect(f.fileError).toMatch(/unknown columns "evt-1", "2026-01-01T00:00:00Z", "req-1".*first row must be a header/);
    expect(f.rows).toEqual([]);
  });

  it("reports an empty file and a file that is not CSV", () => {
    expect(parseCsvEvents("").fileError).toMatch(/empty/);
    expect(parseCsvEvents('id,timestamp\n"evt-1,2026\n').fileError).toMatch(/not valid CSV.*Quote Not Closed/);
  });
});

describe("CSV rows", () => {
  it("become events with usage buckets, numbers for plain numbers and an exact costUsd string", () => {
    const f = parseCsvEvents(`${HEADER}\nevt-1,2026-03-02T10:00:00Z,req-1,chat.answer,openai,gpt-4o-mini,1200,200,300,0.000123456789\n`);
    expect(f.fileError).toBeNull();
    expect(f.rows).toEqual([
      {
        line: 2,
        event: {
          id: "evt-1",
          timestamp: "2026-03-02T10:00:00Z",
          requestId: "req-1",
          endpoint: "chat.answer",
          provider: "openai",
          model: "gpt-4o-mini",
          usage: { inputTokens: 1200, cacheReadTokens: 200, outputTokens: 300 },
          costUsd: "0.000123456789",
        },
      },
    ]);
    const parsed = parseEvent(f.rows[0]!.event, 0);
    expect(parsed.ok).toBe(true);
  });

  it("leaves empty cells out and trims spaces", () => {
    expect(csvRecordToEvent(["id", "timestamp", "team", "inputTokens", "latencyMs"], [" evt-2 ", "2026-03-02T10:00:00Z", "", "  ", " 12.5 "])).toEqual({
      id: "evt-2",
      timestamp: "2026-03-02T10:00:00Z",
      latencyMs: 12.5,
    });
  });

  it("leaves a cell that is not a plain number as text, so validation names the column", () => {
    const cells = (v: string) => csvRecordToEvent(["id", "timestamp", "requestId", "inputTokens", "attempt", "gpuSeconds"], ["e", "2026-03-02T10:00:00Z", "r", v, v, v]);
    expect(cells("1,200")).toMatchObject({ usage: { inputTokens: "1,200" }, attempt: "1,200", gpuSeconds: "1,200" });
    expect(cells("12k")).toMatchObject({ usage: { inputTokens: "12k" } });
    expect(cells("0x10")).toMatchObject({ usage: { inputTokens: "0x10" } });
    expect(cells("-3")).toMatchObject({ usage: { inputTokens: -3 }, attempt: -3 });
    expect(cells("1e3")).toMatchObject({ usage: { inputTokens: 1000 } });
    const bad = parseEvent(cells("12k"), 4);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map((e) => e.path)).toEqual(expect.arrayContaining(["events.4.usage.inputTokens", "events.4.attempt"]));
  });

  it("keeps costUsd as written, even when it looks like a number", () => {
    expect(csvRecordToEvent(["costUsd"], ["0.10"])).toEqual({ costUsd: "0.10" });
  });

  it("numbers rows by the file's lines, skipping blank lines and starting a multi-line cell at its first line", () => {
    const text = ["id,timestamp,requestId,endpoint", "a,2026-03-02T10:00:00Z,r1,x", "", 'b,2026-03-02T10:00:00Z,r2,"two', 'lines"', "c,2026-03-02T10:00:00Z,r3,y", ""].join("\n");
    const f = parseCsvEvents(text);
    expect(f.rows.map((r) => [r.line, (r.event as { id: string }).id])).toEqual([
      [2, "a"],
      [4, "b"],
      [6, "c"],
    ]);
    expect(f.rowCount).toBe(3);
  });

  it("handles a byte-order mark and CRLF line ends", () => {
    const f = parseCsvEvents("\uFEFFid,timestamp\r\nevt-1,2026-03-02T10:00:00Z\r\nevt-2,2026-03-02T10:00:00Z\r\n");
    expect(f.fileError).toBeNull();
    expect(f.rows.map((r) => r.line)).toEqual([2, 3]);
  });

  it("reports a row with the wrong number of cells on its line and goes on", () => {
    const f = parseCsvEvents("id,timestamp,model\nevt-1,2026-03-02T10:00:00Z,m\nevt-2,2026-03-02T10:00:00Z\nevt-3,2026-03-02T10:00:00Z,m\n");
    expect(f.rows.map((r) => r.line)).toEqual([2, 4]);
    expect(f.errors).toEqual([{ line: 3, id: "evt-2", field: null, message: "the row has 2 cells but the header has 3 columns" }]);
    expect(f.rowCount).toBe(3);
  });
});

describe("NDJSON", () => {
  it("reads one event per line, skipping blank lines, and reports a line that is not JSON", () => {
    const f = parseNdjsonEvents('\uFEFF{"id":"a"}\r\n\n{"id":"b"}\n{not json}\n');
    expect(f.rows).toEqual([
      { line: 1, event: { id: "a" } },
      { line: 3, event: { id: "b" } },
    ]);
    expect(f.errors).toHaveLength(1);
    expect(f.errors[0]).toMatchObject({ line: 4, field: null });
    expect(f.errors[0]!.message).toMatch(/not valid JSON/);
    expect(f.rowCount).toBe(3);
  });

  it("calls a file with no events an error", () => {
    expect(parseNdjsonEvents("\n\n").fileError).toMatch(/no events/);
  });
});

describe("mapping ingest errors back to the file", () => {
  it("names the column for CSV and the field path for NDJSON", () => {
    expect(fieldOf("events.3.usage.inputTokens", "csv")).toBe("inputTokens");
    expect(fieldOf("events.3.usage.inputTokens", "ndjson")).toBe("usage.inputTokens");
    expect(fieldOf("events.12.timestamp", "csv")).toBe("timestamp");
    expect(fieldOf("events.12", "csv")).toBeNull();
  });

  it("puts each rejection on the line of the batch row it refers to", () => {
    const batch = [
      { line: 7, event: {} },
      { line: 9, event: {} },
    ];
    const rejected = [{ index: 1, id: "evt-9", errors: [{ path: "events.1.usage.outputTokens", message: "bad" }, { path: "events.1.kind", message: "worse" }] }];
    expect(rowErrorsFor(rejected, batch, "csv")).toEqual([
      { line: 9, id: "evt-9", field: "outputTokens", message: "bad" },
      { line: 9, id: "evt-9", field: "kind", message: "worse" },
    ]);
  });

  it("tells the format from the file name", () => {
    expect(formatOf("Events.CSV")).toBe("csv");
    expect(formatOf("e.ndjson")).toBe("ndjson");
    expect(formatOf("e.jsonl")).toBe("ndjson");
    expect(formatOf("e.json")).toBeNull();
  });
});
