// The FOCUS dataset of a month as a Parquet file: the same rows and columns as the CSV (focusRows and
// FOCUS_SCHEMA in focus.ts), typed. Decimals are DECIMAL(38, 20) (exact: a value that does not fit is an error,
// never rounded), date-times TIMESTAMP (UTC, milliseconds), strings UTF8 (Tags the JSON text), nulls null.
//
// Why scale 20: stored costs are NUMERIC(30,12); a token class's cost is tokens × rate × 10^-6, so a rate with
// up to 14 decimal places stays within 20; GPU hours and a contract's unit price are rounded to 20 decimals in
// the query. That leaves 18 integer digits, far above any cost (amounts are bounded at 10^15).
//
// Written in row groups of FOCUS_ROW_GROUP rows: the rows of one group (and its encoded bytes) are the most held
// at once; each group's bytes are handed on before the next is built. 10,000 rather than a larger group: at
// 330,000 rows the writer's peak memory grows with the group (about 8 MB per 1,000 rows: 300–340 MB peak RSS at
// 10,000, 590 MB at 50,000, 1.1 GB in one group) and so does its garbage collection (13–14 s against 21 s),
// while the file's size is the same.
import type pg from "pg";
import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import type { SchemaElement } from "hyparquet-writer";
import { AppError } from "@/lib/errors";
import { FOCUS_SCHEMA, focusRows, type FocusColumnType, type FocusRow } from "@/lib/finance/focus";
import type { Month } from "@/lib/finance/months";

export const FOCUS_DECIMAL = { precision: 38, scale: 20 } as const;
export const FOCUS_ROW_GROUP = 10_000;
export const PARQUET_CONTENT_TYPE = "application/vnd.apache.parquet";

/** 16 bytes hold every unscaled value of 38 digits (two's complement, big-endian). */
const DECIMAL_BYTES = 16;

const ELEMENT: Record<FocusColumnType, Omit<SchemaElement, "name">> = {
  decimal: {
    type: "FIXED_LEN_BYTE_ARRAY",
    type_length: DECIMAL_BYTES,
    converted_type: "DECIMAL",
    precision: FOCUS_DECIMAL.precision,
    scale: FOCUS_DECIMAL.scale,
    logical_type: { type: "DECIMAL", precision: FOCUS_DECIMAL.precision, scale: FOCUS_DECIMAL.scale },
  },
  datetime: { type: "INT64", converted_type: "TIMESTAMP_MILLIS", logical_type: { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "MILLIS" } },
  string: { type: "BYTE_ARRAY", converted_type: "UTF8", logical_type: { type: "STRING" } },
};

/** The file's schema: the root, then every FOCUS column in order, each optional (a null cell is a null). */
export const FOCUS_PARQUET_SCHEMA: SchemaElement[] = [
  { name: "root", num_children: FOCUS_SCHEMA.length },
  ...FOCUS_SCHEMA.map((c): SchemaElement => ({ name: c.name, repetition_type: "OPTIONAL", ...ELEMENT[c.type] })),
];

const DECIMAL_TEXT = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * An exact decimal (PostgreSQL's text of a NUMERIC: "-0.000150000000") → the unscaled integer of
 * DECIMAL(38, 20) (-15000000000000000n). Trailing zeros of the fraction are not digits of the value; a value
 * with more than 20 significant decimal places, or more than 18 integer digits, throws rather than round.
 */
export function focusDecimal(text: string, column: string): bigint {
  const m = DECIMAL_TEXT.exec(text);
  if (!m) throw focusParquetError(`${column} "${text.slice(0, 60)}" is not a decimal`);
  const fraction = (m[3] ?? "").replace(/0+$/, "");
  const { precision, scale } = FOCUS_DECIMAL;
  if (fraction.length > scale) throw focusParquetError(`${column} ${text} has ${fraction.length} decimal places; the Parquet file holds ${scale} exactly and does not round`);
  const integer = m[2]!.replace(/^0+/, "");
  if (integer.length > precision - scale) throw focusParquetError(`${column} ${text} has ${integer.length} integer digits; DECIMAL(${precision}, ${scale}) holds ${precision - scale}`);
  const unscaled = BigInt(integer + fraction.padEnd(scale, "0"));
  return m[1] ? -unscaled : unscaled;
}

function focusParquetError(message: string): AppError {
  return new AppError("focus_parquet_value", 500, `The FOCUS Parquet file cannot hold a value exactly: ${message}. Download the FOCUS CSV, which holds every value as text.`);
}

/** A cell as the Parquet column takes it: a decimal's unscaled bigint, a date-time's milliseconds, a string. */
function parquetValue(type: FocusColumnType, column: string, cell: string | null | undefined): bigint | string | null {
  if (cell === null || cell === undefined) return null;
  if (type === "decimal") return focusDecimal(cell, column);
  if (type === "datetime") {
    const ms = Date.parse(cell);
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(cell) || Number.isNaN(ms)) throw focusParquetError(`${column} "${cell}" is not a UTC date-time`);
    return BigInt(ms);
  }
  return cell;
}

/** Hands on what has been written so far and starts again, so only the group being written is buffered. */
class ChunkWriter extends ByteWriter {
  take(): Uint8Array {
    const bytes = this.getBytes().slice();
    this.index = 0;
    return bytes;
  }
}

/** Rows (in batches, as focusRows yields them) → the Parquet file's bytes, a row group at a time. */
export async function* focusParquetChunks(batches: AsyncIterable<FocusRow[]>, { rowGroupSize = FOCUS_ROW_GROUP }: { rowGroupSize?: number } = {}): AsyncGenerator<Uint8Array> {
  const out = new ChunkWriter(1 << 20);
  const writer = new ParquetWriter({ writer: out, schema: FOCUS_PARQUET_SCHEMA, codec: "SNAPPY", createdBy: "Cost Review (hyparquet-writer)" });
  const writeGroup = (rows: FocusRow[]) =>
    writer.write({
      rowGroupSize: rows.length,
      columnData: FOCUS_SCHEMA.map((c) => ({ name: c.name, data: rows.map((r) => parquetValue(c.type, c.name, r[c.name])) })),
    });
  let group: FocusRow[] = [];
  for await (const batch of batches) {
    for (const row of batch) {
      group.push(row);
      if (group.length === rowGroupSize) {
        await writeGroup(group);
        group = [];
        yield out.take();
      }
    }
  }
  if (group.length > 0) await writeGroup(group);
  await writer.finish();
  yield out.take();
}

/** The month's FOCUS file as Parquet (application/vnd.apache.parquet), streamed a row group at a time. */
export function focusParquet(db: pg.Pool, month: Month, tz: string): AsyncGenerator<Uint8Array> {
  return focusParquetChunks(focusRows(db, month, tz));
}
