"use client";
// Upload monthly revenue per customer (and optionally per feature) from a CSV file: choose the file,
// press Upload. The file is read in the browser (lib/customers/revenue-csv.ts) and sent to
// PUT /api/v1/customer-revenue; a refused row is named by its line in the file.
import { useState } from "react";
import { useApiForm } from "@/components/ui/use-api-form";
import { parseRevenueCsv, revenueErrorsByLine } from "@/lib/customers/revenue-csv";
import type { RevenueResult } from "@/lib/customers/customers";
import { formatCount, formatUsd } from "@/lib/format";

export function RevenueUpload() {
  const { error, notice, pending, submit, fail, clear } = useApiForm();
  const [lineErrors, setLineErrors] = useState<string[]>([]);
  const [unknown, setUnknown] = useState<string[]>([]);

  async function upload(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    clear();
    setLineErrors([]);
    setUnknown([]);
    const file = (new FormData(e.currentTarget).get("file") as File | null) ?? null;
    if (!file || file.size === 0) return fail("Choose a CSV file first.");
    const parsed = parseRevenueCsv(await file.text());
    if (!parsed.ok) return fail(`${file.name}: ${parsed.error}`);
    const r = await submit<RevenueResult>("/api/v1/customer-revenue", "PUT", { rows: parsed.rows }, {
      onSuccess: (d) => {
        setUnknown(d.unknownCustomers);
        return `Saved ${formatCount(d.saved)} revenue row${d.saved === 1 ? "" : "s"} from ${file.name} for ${d.months.join(", ")}: ${formatUsd(d.totalUsd)} in all.`;
      },
    });
    if (!r.ok) {
      fail(`${file.name}: ${r.summary ?? r.message}`);
      setLineErrors(revenueErrorsByLine(r.fields, parsed.lines));
    }
  }

  return (
    <form onSubmit={upload} className="space-y-3 text-sm" aria-label="Upload revenue" data-testid="revenue-upload">
      <p className="text-slate-600">
        CSV with a header row: <code>month,customer_id,amount_usd</code> and optionally <code>feature</code> (camelCase <code>customerId</code>, <code>amountUsd</code> also work).
        One row per month and customer (or customer and feature); uploading a row again replaces it. Revenue of a closed month is refused.
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <input type="file" name="file" accept=".csv,text/csv" aria-label="Revenue CSV file" className="max-w-full text-sm" />
        <button type="submit" disabled={pending} className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700 disabled:opacity-50">
          {pending ? "Uploading…" : "Upload"}
        </button>
      </div>
      {error ? (
        <div role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-700">
          <p>{error}</p>
          {lineErrors.length ? (
            <ul className="mt-1 list-disc pl-5" data-testid="revenue-line-errors">
              {lineErrors.slice(0, 50).map((l) => <li key={l}>{l}</li>)}
              {lineErrors.length > 50 ? <li>… and {formatCount(lineErrors.length - 50)} more</li> : null}
            </ul>
          ) : null}
        </div>
      ) : null}
      {notice ? <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-emerald-800">{notice}</p> : null}
      {unknown.length ? (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-amber-900" data-testid="revenue-unknown">
          Saved, but no events name {unknown.length === 1 ? "this customer id" : `these ${unknown.length === 100 ? "(first 100) " : ""}customer ids`} yet: {unknown.join(", ")}. Check the ids match the events&apos; customerId.
        </p>
      ) : null}
    </form>
  );
}
