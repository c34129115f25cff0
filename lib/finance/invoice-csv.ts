// An uploaded invoice file: CSV with a header row naming `provider` and `amount_usd` (or `amountUsd`),
// and optionally `note`; one provider per line. Amounts stay strings: the API validates them exactly.
import { parse as parseCsv } from "csv-parse/browser/esm/sync";

export type InvoiceCsvResult =
  | { ok: true; invoices: { provider: string; amountUsd: string; note?: string }[] }
  | { ok: false; error: string };

export function parseInvoiceCsv(text: string): InvoiceCsvResult {
  let rows: string[][];
  try {
    rows = parseCsv(text, { skip_empty_lines: true, trim: true, bom: true }) as string[][];
  } catch (e) {
    return { ok: false, error: `The file is not valid CSV: ${(e as Error).message}` };
  }
  const header = (rows[0] ?? []).map((h) => h.toLowerCase());
  const p = header.indexOf("provider");
  const a = header.findIndex((h) => h === "amount_usd" || h === "amountusd");
  const n = header.indexOf("note");
  if (p < 0 || a < 0) return { ok: false, error: "The first line must name the columns provider and amount_usd (and optionally note)." };
  const invoices = rows.slice(1).map((r) => ({ provider: r[p] ?? "", amountUsd: r[a] ?? "", ...(n >= 0 && r[n] ? { note: r[n] } : {}) }));
  if (invoices.length === 0) return { ok: false, error: "The file has no invoice lines below its header." };
  return { ok: true, invoices };
}
