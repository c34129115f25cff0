// An uploaded invoice file: CSV with a header row naming `provider` and `amount_usd` (or `amountUsd`),
// and optionally `note`; one provider per line. Amounts stay strings: the invoices schema validates them
// exactly. PUT /api/v1/finance/invoices?month=YYYY-MM takes the file as a text/csv body (invoicesFromCsv).
//
// Decisions:
// - The header is checked before any line: a missing column is named, with what the header has, and a
//   hint when the file is separated by something other than commas (a spreadsheet's ";" export, a tab).
// - An amount with thousands separators ("1,234.50", quoted) is read without them; any other text is
//   left to the schema, which names it.
// - A line with more or fewer fields than the header is named by its file line, never csv-parse's
//   "Invalid Record Length" message.
import { parse as parseCsv } from "csv-parse/browser/esm/sync";
import { AppError, badRequest } from "@/lib/errors";
import { assertSafeStrings } from "@/lib/http/input";
import { validate } from "@/lib/http/validation";
import { invoicesSchema, type InvoicesInput } from "@/lib/finance/schemas";

export type InvoiceCsvResult =
  | { ok: true; invoices: { provider: string; amountUsd: string; note?: string }[] }
  | { ok: false; error: string; field: string };

const REQUIRED = ["provider", "amount_usd"] as const;

function separatorHint(headerLine: string): string {
  if (headerLine.includes(",")) return "";
  if (headerLine.includes(";")) return " — is it comma-separated? It looks separated by semicolons: export it as CSV with commas.";
  if (headerLine.includes("\t")) return " — is it comma-separated? It looks separated by tabs: export it as CSV with commas.";
  return " — is it comma-separated?";
}

/** "1,234.50" as a spreadsheet writes it → "1234.50"; anything else is left for the schema to judge. */
function withoutGrouping(amount: string): string {
  return /^\d{1,3}(,\d{3})+(\.\d+)?$/.test(amount) ? amount.replace(/,/g, "") : amount;
}

export function parseInvoiceCsv(text: string): InvoiceCsvResult {
  let rows: string[][];
  try {
    rows = parseCsv(text, { skip_empty_lines: true, trim: true, bom: true, relax_column_count: true, info: false }) as string[][];
  } catch (e) {
    return { ok: false, field: "file", error: `The file is not valid CSV: ${(e as Error).message}` };
  }
  const headerLine = (text.replace(/^\uFEFF/, "").split(/\r?\n/).find((l) => l.trim() !== "") ?? "").trim();
  const header = (rows[0] ?? []).map((h) => h.toLowerCase());
  const p = header.indexOf("provider");
  const a = header.findIndex((h) => h === "amount_usd" || h === "amountusd");
  const n = header.indexOf("note");
  if (p < 0 || a < 0) {
    const missing = REQUIRED.filter((c, i) => (i === 0 ? p : a) < 0);
    const has = headerLine === "" ? "the file is empty" : `its header has: ${headerLine.slice(0, 200)}`;
    return {
      ok: false,
      field: "header",
      error: `The file needs the columns ${REQUIRED.join(", ")} (and optionally note); ${missing.length === 1 ? "missing" : "missing both"}: ${missing.join(", ")}; ${has}${separatorHint(headerLine)}`,
    };
  }
  const uneven = rows.findIndex((r, i) => i > 0 && r.length !== header.length);
  if (uneven > 0) {
    return { ok: false, field: `line ${uneven + 1}`, error: `Line ${uneven + 1} has ${rows[uneven]!.length} fields; the header has ${header.length} (${header.join(", ")}). Put quotes around a value that holds a comma.` };
  }
  const invoices = rows.slice(1).map((r) => ({ provider: r[p] ?? "", amountUsd: withoutGrouping(r[a] ?? ""), ...(n >= 0 && r[n] ? { note: r[n] } : {}) }));
  if (invoices.length === 0) return { ok: false, field: "file", error: "The file has no invoice lines below its header." };
  return { ok: true, invoices };
}

/**
 * The invoices of an uploaded CSV for the month, validated as the JSON body is; a 400 otherwise, its
 * field errors named by file line ("line 3.amountUsd") rather than by position in the list.
 */
export function invoicesFromCsv(text: string, month: string | undefined): InvoicesInput {
  if (!month) throw badRequest("Name the month: PUT /api/v1/finance/invoices?month=YYYY-MM with the CSV as the body.", [{ path: "month", message: "is required with a CSV body" }]);
  const parsed = parseInvoiceCsv(text);
  if (!parsed.ok) throw badRequest(parsed.error, [{ path: parsed.field, message: parsed.error }]);
  assertSafeStrings(parsed.invoices, "invoices");
  try {
    return validate(invoicesSchema, { month, invoices: parsed.invoices }, "invoice file");
  } catch (e) {
    if (!(e instanceof AppError) || !e.details?.errors) throw e;
    const byLine = (path: string) => path.replace(/^invoices\.(\d+)/, (_, i: string) => `line ${Number(i) + 2}`);
    const errors = e.details.errors.map((f) => ({ path: byLine(f.path), message: f.message }));
    throw new AppError(e.code, e.status, `The invoice file is not valid: ${errors.map((f) => `${f.path}: ${f.message}`).join("; ")}`, { ...e.details, errors, summary: "The invoice file is not valid" });
  }
}
