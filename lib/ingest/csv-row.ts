// Event files (CSV or NDJSON) → raw ingest events, each with the file line it came from. Shared by
// the upload page (in the browser) and `cost-review ingest` (in Node), so it imports nothing of Node.
/*
 * CSV: a header row is required; it names the columns, in any order, from this list:
 *
 *   id,timestamp,requestId,endpoint,feature,team,cohort,customerId,kind,provider,model,
 *   inputTokens,cacheReadTokens,cacheWriteTokens,cacheWrite1hTokens,outputTokens,reasoningTokens,toolOutputTokens,
 *   costUsd,status,attempt,latencyMs,pool,gpuSeconds
 *
 * Each column is the ingest event field of the same name; the token columns fill `usage` (disjoint
 * buckets, as in the API). Header names also match ignoring case and underscores (request_id,
 * INPUT_TOKENS). `id` and `timestamp` are required columns; a column not in the list is an error
 * that names it. Cells: leading and trailing spaces are ignored and an empty cell means "absent".
 * Token counts, attempt, latencyMs and gpuSeconds are parsed as numbers only when the whole cell is
 * a plain number ("1200", "0.5", "-3"); anything else ("1,200", "12k") is left as text so that
 * validation rejects the row naming the column. costUsd stays text: it is an exact decimal and must
 * not pass through a binary float.
 *
 * NDJSON (.ndjson, .jsonl): one event per line, exactly as POST /api/v1/events takes it; blank lines
 * are skipped; a line that is not JSON is an error on that line.
 *
 * Line numbers are the file's own, from 1, counting the header; a CSV record whose quoted cell
 * spans several lines is reported at its first line.
 */
import { parse as parseCsv } from "csv-parse/browser/esm/sync";
import type { RejectedRow } from "@/lib/ingest/store-events";
import { USAGE_BUCKETS } from "@/lib/ingest/usage";

export const CSV_COLUMNS = [
  "id",
  "timestamp",
  "requestId",
  "endpoint",
  "feature",
  "team",
  "cohort",
  "customerId",
  "kind",
  "provider",
  "model",
  ...USAGE_BUCKETS,
  "costUsd",
  "status",
  "attempt",
  "latencyMs",
  "pool",
  "gpuSeconds",
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

const USAGE_COLUMNS = new Set<CsvColumn>(USAGE_BUCKETS);
const NUMBER_COLUMNS = new Set<CsvColumn>([...USAGE_COLUMNS, "attempt", "latencyMs", "gpuSeconds"]);
const REQUIRED_COLUMNS: CsvColumn[] = ["id", "timestamp"];
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/;

export type FileFormat = "csv" | "ndjson";
/** One event read from the file and the line it starts on. */
export type SourceRow = { line: number; event: unknown };
/** A row the file or the server refused: the file line, the event id if known, the column or field, and why. */
export type RowError = { line: number; id: string | null; field: string | null; message: string };

export type ParsedFile = {
  format: FileFormat;
  /** CSV: the header's columns, in file order. */
  columns: CsvColumn[] | null;
  /** Events to send, in file order. */
  rows: SourceRow[];
  /** Rows that could not be read into an event (never sent). */
  errors: RowError[];
  /** The whole file is unusable (bad header, unclosed quote): nothing is sent. */
  fileError: string | null;
  /** Data rows in the file: rows plus errors. */
  rowCount: number;
};

/** The format a file name implies, or null. */
export function formatOf(fileName: string): FileFormat | null {
  const lower = fileName.toLowerCase();
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".ndjson") || lower.endsWith(".jsonl")) return "ndjson";
  return null;
}

export function parseEventsFile(text: string, format: FileFormat): ParsedFile {
  return format === "csv" ? parseCsvEvents(text) : parseNdjsonEvents(text);
}

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");
const BY_SQUASHED = new Map<string, CsvColumn>(CSV_COLUMNS.map((c) => [squash(c), c]));

/** The header's cells as columns, or the reason the header is unusable. */
export function parseHeader(cells: readonly string[]): { ok: true; columns: CsvColumn[] } | { ok: false; message: string } {
  const columns: CsvColumn[] = [];
  const unknown: string[] = [];
  const seen = new Set<CsvColumn>();
  const problems: string[] = [];
  for (const cell of cells) {
    const name = cell.trim();
    const column = BY_SQUASHED.get(squash(name));
    if (!column || name === "") {
      unknown.push(name);
      continue;
    }
    if (seen.has(column)) problems.push(`column "${column}" appears more than once`);
    seen.add(column);
    columns.push(column);
  }
  if (unknown.length) {
    const list = unknown.map((u) => (u === "" ? "(an empty header cell)" : `"${u}"`)).join(", ");
    problems.unshift(
      `unknown column${unknown.length > 1 ? "s" : ""} ${list}. The first row must be a header naming the columns; the known columns are ${CSV_COLUMNS.join(", ")}`,
    );
  }
  const missing = REQUIRED_COLUMNS.filter((c) => !seen.has(c));
  if (missing.length && !unknown.length) problems.push(`the header has no ${missing.join(" or ")} column: every row needs ${missing.join(" and ")}`);
  if (problems.length) return { ok: false, message: `The CSV header is not usable: ${problems.join("; ")}.` };
  return { ok: true, columns };
}

/** One CSV record → a raw event; absent cells are left out, and only plain numbers become numbers. */
export function csvRecordToEvent(columns: readonly CsvColumn[], cells: readonly string[]): Record<string, unknown> {
  const event: Record<string, unknown> = {};
  const usage: Record<string, unknown> = {};
  columns.forEach((column, i) => {
    const cell = (cells[i] ?? "").trim();
    if (cell === "") return;
    let value: unknown = cell;
    if (NUMBER_COLUMNS.has(column) && PLAIN_NUMBER.test(cell) && Number.isFinite(Number(cell))) value = Number(cell);
    if (USAGE_COLUMNS.has(column)) usage[column] = value;
    else event[column] = value;
  });
  if (Object.keys(usage).length) event.usage = usage;
  return event;
}

type CsvRecord = { record: string[]; info: { lines: number; error?: { message: string } } };

export function parseCsvEvents(text: string): ParsedFile {
  const result: ParsedFile = { format: "csv", columns: null, rows: [], errors: [], fileError: null, rowCount: 0 };
  let records: CsvRecord[];
  try {
    records = parseCsv(text, {
      bom: true,
      trim: true,
      info: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      relax_column_count: true,
    }) as unknown as CsvRecord[];
  } catch (err) {
    result.fileError = `The file is not valid CSV: ${(err as Error).message}.`;
    return result;
  }
  const [header, ...data] = records;
  if (!header) {
    result.fileError = "The file is empty: it needs a header row naming the columns and one row per event.";
    return result;
  }
  const parsedHeader = parseHeader(header.record);
  if (!parsedHeader.ok) {
    result.fileError = parsedHeader.message;
    return result;
  }
  const columns = parsedHeader.columns;
  result.columns = columns;
  for (const { record, info } of data) {
    // info.lines is the record's last line; a quoted cell with line breaks started earlier.
    const breaks = record.reduce((n, cell) => n + (cell.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
    const line = info.lines - breaks;
    if (record.length !== columns.length) {
      const idAt = columns.indexOf("id");
      result.errors.push({
        line,
        id: (idAt >= 0 ? record[idAt]?.trim() : undefined) || null,
        field: null,
        message: `the row has ${record.length} cell${record.length === 1 ? "" : "s"} but the header has ${columns.length} columns`,
      });
      continue;
    }
    result.rows.push({ line, event: csvRecordToEvent(columns, record) });
  }
  result.rowCount = result.rows.length + result.errors.length;
  return result;
}

export function parseNdjsonEvents(text: string): ParsedFile {
  const result: ParsedFile = { format: "ndjson", columns: null, rows: [], errors: [], fileError: null, rowCount: 0 };
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  lines.forEach((content, i) => {
    if (!content.trim()) return;
    try {
      result.rows.push({ line: i + 1, event: JSON.parse(content) as unknown });
    } catch (err) {
      result.errors.push({ line: i + 1, id: null, field: null, message: `the line is not valid JSON: ${(err as Error).message}` });
    }
  });
  result.rowCount = result.rows.length + result.errors.length;
  if (result.rowCount === 0) result.fileError = "The file has no events: NDJSON has one JSON event per line.";
  return result;
}

/**
 * The field an ingest error path names, as the file names it: "events.3.usage.inputTokens" is the
 * column inputTokens in a CSV and usage.inputTokens in NDJSON; null for the event as a whole.
 */
export function fieldOf(path: string, format: FileFormat): string | null {
  const field = path.replace(/^events\.\d+\.?/, "");
  if (field === "") return null;
  if (format === "csv") {
    const bucket = /^usage\.(\w+)/.exec(field)?.[1];
    if (bucket && USAGE_COLUMNS.has(bucket as CsvColumn)) return bucket;
  }
  return field;
}

/** The server's rejections of one batch, turned into file lines (index i is batch[i]). */
export function rowErrorsFor(rejected: readonly RejectedRow[], batch: readonly SourceRow[], format: FileFormat): RowError[] {
  return rejected.flatMap((row) => {
    const line = batch[row.index]?.line ?? 0;
    const errors = row.errors.length ? row.errors : [{ path: `events.${row.index}`, message: "the event was rejected" }];
    return errors.map((e) => ({ line, id: row.id, field: fieldOf(e.path, format), message: e.message }));
  });
}
