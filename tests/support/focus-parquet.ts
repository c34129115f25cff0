// Reads a FOCUS Parquet file back (with hyparquet) as the conformance check's table: the header in file order,
// then each row's cells as text, as the CSV writes them: a DECIMAL as its exact decimal (the unscaled integer
// read from the file's bytes, not through hyparquet's floating-point conversion), a TIMESTAMP as
// YYYY-MM-DDTHH:mm:ss[.sss]Z (a fraction, which FOCUS does not allow, is kept so the check sees it), a string
// as it is, a null as null.
import Decimal from "decimal.js";
import { parquetMetadata, parquetReadObjects, type FileMetaData, type SchemaElement } from "hyparquet";
import type { FocusTable } from "./focus-conformance";

/** Big-endian two's complement bytes → the integer. */
export function unscaled(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return bytes.length > 0 && bytes[0]! & 0x80 ? v - (1n << BigInt(8 * bytes.length)) : v;
}

/** The unscaled integer of a DECIMAL with `scale` → its exact decimal text ("-0.00015"). */
export function decimalText(u: bigint, scale: number): string {
  const digits = (u < 0n ? -u : u).toString().padStart(scale + 1, "0");
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return new Decimal(`${u < 0n ? "-" : ""}${text}`).toFixed();
}

export type ParquetFocus = FocusTable & { metadata: FileMetaData; columns: SchemaElement[] };

export async function readFocusParquet(file: ArrayBuffer): Promise<ParquetFocus> {
  const metadata = parquetMetadata(file);
  const columns = metadata.schema.slice(1);
  const scales = new Map<string, number>();
  // Read DECIMAL columns as their raw bytes: hyparquet turns a DECIMAL into a float, which is not exact.
  const raw: FileMetaData = {
    ...metadata,
    schema: metadata.schema.map((e) => {
      if (e.converted_type !== "DECIMAL") return e;
      scales.set(e.name, e.scale ?? 0);
      const { converted_type: _c, logical_type: _l, ...bytes } = e;
      return bytes;
    }),
  };
  const objects = await parquetReadObjects({ file, metadata: raw });
  const header = columns.map((c) => c.name);
  const rows = objects.map((o) =>
    header.map((name): string | null => {
      const v: unknown = o[name];
      if (v === null || v === undefined) return null;
      const scale = scales.get(name);
      if (scale !== undefined) {
        if (!(v instanceof Uint8Array)) throw new Error(`${name}: a DECIMAL read as ${typeof v}, not bytes`);
        return decimalText(unscaled(v), scale);
      }
      if (v instanceof Date) return v.toISOString().replace(/\.000Z$/, "Z");
      if (typeof v === "string") return v;
      throw new Error(`${name}: unexpected value ${String(v)} (${typeof v})`);
    }),
  );
  return { header, rows, metadata, columns };
}
