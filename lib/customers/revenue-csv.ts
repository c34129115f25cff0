// An uploaded revenue file: CSV with a header row naming `month`, `customer_id` and `amount_usd` (or
// customerId / amountUsd, any case), and optionally `feature`; one revenue row per line. Shared by the
// customers page (in the browser) and `cost-review revenue import` (in Node), so it imports nothing of
// Node. Cells stay strings: PUT /api/v1/customer-revenue (revenueUploadSchema) validates them exactly.
import { parse as parseCsv } from "csv-parse/browser/esm/sync";

export type RevenueCsvRow = { month: string; customerId: string; amountUsd: string; feature?: string };

export type RevenueCsvResult =
  | {
      ok: true;
      rows: RevenueCsvRow[];
      /** The file line (from 1, counting the header) of each row, by index: rows.N is on lines[N]. */
      lines: number[];
    }
  | { ok: false; error: string };

const norm = (h: string) => h.toLowerCase().replace(/[_\s-]/g, "");

export function parseRevenueCsv(text: string): RevenueCsvResult {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text, { skip_empty_lines: true, trim: true, bom: true, info: true, relax_column_count: true }) as unknown as typeof records;
  } catch (e) {
    return { ok: false, error: `The file is not valid CSV: ${(e as Error).message}` };
  }
  const header = (records[0]?.record ?? []).map(norm);
  const at = (name: string) => header.indexOf(name);
  const [m, c, a, f] = [at("month"), at("customerid"), at("amountusd"), at("feature")];
  if (m < 0 || c < 0 || a < 0) return { ok: false, error: "The first line must name the columns month, customer_id and amount_usd (and optionally feature)." };
  const body = records.slice(1);
  if (body.length === 0) return { ok: false, error: "The file has no revenue lines below its header." };
  const rows = body.map(({ record: r }) => ({
    month: r[m] ?? "",
    customerId: r[c] ?? "",
    amountUsd: r[a] ?? "",
    ...(f >= 0 && r[f] ? { feature: r[f] } : {}),
  }));
  // info.lines is the line a record ends on; a quoted cell's own line breaks put its start that many lines earlier.
  const lines = body.map(({ record, info }) => info.lines - record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0));
  return { ok: true, rows, lines };
}

/** The API's error paths (rows.3.amountUsd) in the file's own terms ("line 5, amountUsd"). */
export function revenueErrorsByLine(fields: Record<string, string>, lines: readonly number[]): string[] {
  return Object.entries(fields).map(([path, message]) => {
    const hit = /^rows\.(\d+)(?:\.(.+))?$/.exec(path);
    if (!hit) return `${path}: ${message}`;
    const line = lines[Number(hit[1])];
    return `line ${line ?? Number(hit[1]) + 2}${hit[2] ? `, ${hit[2]}` : ""}: ${message}`;
  });
}
