"use client";
// Enter each provider's invoice total and note for the month (an empty total removes it) and the
// reconciliation tolerance, or upload a CSV of them with the Upload button (the API checks the file).
import { useRef, useState } from "react";
import Decimal from "decimal.js";
import { useApiForm } from "@/components/ui/use-api-form";

/** A stored amount as the input shows it: at least cents ("9.3" → "9.30"), every stored digit kept. */
function amountText(v: string | null): string {
  if (v === null) return "";
  const d = new Decimal(v);
  return d.toFixed(Math.max(2, d.decimalPlaces()));
}

export function InvoicesForm({
  month,
  providers,
  tolerancePct,
  disabled,
}: {
  month: string;
  providers: { provider: string; invoicedCost: string | null; invoiceNote: string | null }[];
  tolerancePct: string;
  disabled: boolean;
}) {
  const { fields, error, notice, pending, submit, fail, clear, setNotice } = useApiForm();
  // Only the changed rows are sent, so the API's error paths (invoices.0.amountUsd…) count the rows
  // sent, not the providers shown: remember which provider each sent row was, to put its error under it.
  const [sent, setSent] = useState<string[]>([]);
  const [file, setFile] = useState<File | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const fieldError = (provider: string) => {
    const i = sent.indexOf(provider);
    if (i < 0) return undefined;
    return [fields[`invoices.${i}.provider`], fields[`invoices.${i}.amountUsd`], fields[`invoices.${i}`]].filter(Boolean).join(" ") || undefined;
  };

  async function save(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const text = (k: string) => String(form.get(k) ?? "").trim();
    const rows: { provider: string; amountUsd: string | null; note?: string }[] = providers.map((p) => ({
      provider: p.provider,
      amountUsd: text(`invoice:${p.provider}`) || null,
      note: text(`note:${p.provider}`),
    }));
    const extraName = text("newProvider");
    if (extraName) rows.push({ provider: extraName, amountUsd: text("newAmount") || null, note: text("newNote") });
    // A row is sent when its total differs from what the field started with, or its note does (with a total).
    const changed = rows.filter((r) => {
      const was = providers.find((p) => p.provider === r.provider);
      const amountChanged = (r.amountUsd ?? "") !== amountText(was?.invoicedCost ?? null);
      return amountChanged || (r.amountUsd !== null && (r.note ?? "") !== (was?.invoiceNote ?? ""));
    });
    clear();
    if (text("tolerancePct") !== tolerancePct) {
      const t = await submit("/api/v1/finance/settings", "PUT", { tolerancePct: text("tolerancePct") }, { onSuccess: () => "Saved." });
      if (!t.ok) return;
    }
    if (changed.length) {
      setSent(changed.map((r) => r.provider));
      await submit<{ saved: number; removed: number }>("/api/v1/finance/invoices", "PUT", { month, invoices: changed }, {
        onSuccess: (d) => `Saved ${d.saved} invoice total${d.saved === 1 ? "" : "s"}${d.removed ? `, removed ${d.removed}` : ""}.`,
      });
    } else setNotice("Saved.");
  }

  async function upload() {
    if (!file) return fail("Choose a CSV file first.");
    clear();
    setSent([]);
    const r = await submit<{ saved: number }>(`/api/v1/finance/invoices?month=${month}`, "PUT", await file.text(), {
      contentType: "text/csv",
      onSuccess: (d) => `Uploaded ${d.saved} invoice total${d.saved === 1 ? "" : "s"} from ${file.name}.`,
    });
    if (r.ok) {
      setFile(null);
      if (fileInput.current) fileInput.current.value = "";
    } else fail(`${file.name}: ${r.message}`);
  }

  const extraError = sent.filter((name) => !providers.some((p) => p.provider === name)).map(fieldError).filter(Boolean).join(" ") || undefined;
  const input = "w-36 rounded-md border border-slate-300 px-2 py-1.5 text-right";
  return (
    <form onSubmit={save} className="mt-4 space-y-3" aria-label="Invoices">
      {error ? <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-700">{error}</p> : null}
      {notice ? <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-emerald-800">{notice}</p> : null}
      <fieldset disabled={disabled} className="flex flex-wrap items-end gap-4">
        {providers.map((p) => (
          <div key={p.provider} className="flex items-end gap-2" data-testid={`invoice-field-${p.provider}`}>
            <label className="block">
              <span className="mb-1 block text-xs font-medium text-slate-600">{p.provider} invoice (USD)</span>
              <input name={`invoice:${p.provider}`} defaultValue={amountText(p.invoicedCost)} inputMode="decimal" className={input} aria-label={`Invoice total for ${p.provider}`} />
              {fieldError(p.provider) ? <span className="mt-1 block text-xs text-red-700">{fieldError(p.provider)}</span> : null}
            </label>
            <label className="block">
              <span className="mb-1 block text-xs font-medium text-slate-600">Note</span>
              <input name={`note:${p.provider}`} defaultValue={p.invoiceNote ?? ""} maxLength={500} className="w-28 rounded-md border border-slate-300 px-2 py-1.5" aria-label={`Invoice note for ${p.provider}`} />
            </label>
          </div>
        ))}
        <label className="block">
          <span className="mb-1 block text-xs font-medium text-slate-600">Other provider</span>
          <input name="newProvider" placeholder="provider" className="w-32 rounded-md border border-slate-300 px-2 py-1.5" />
        </label>
        <label className="block">
          <span className="mb-1 block text-xs font-medium text-slate-600">Its invoice (USD)</span>
          <input name="newAmount" inputMode="decimal" className={input} />
          {extraError ? <span className="mt-1 block text-xs text-red-700">{extraError}</span> : null}
        </label>
        <label className="block">
          <span className="mb-1 block text-xs font-medium text-slate-600">Its note</span>
          <input name="newNote" maxLength={500} className="w-28 rounded-md border border-slate-300 px-2 py-1.5" />
        </label>
        <label className="block">
          <span className="mb-1 block text-xs font-medium text-slate-600">Tolerance (%)</span>
          <input name="tolerancePct" defaultValue={tolerancePct} inputMode="decimal" className="w-20 rounded-md border border-slate-300 px-2 py-1.5 text-right" />
          {fields.tolerancePct ? <span className="mt-1 block text-xs text-red-700">{fields.tolerancePct}</span> : null}
        </label>
        <button type="submit" className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700 disabled:opacity-50">
          Save invoices
        </button>
      </fieldset>
      <fieldset disabled={disabled} className="flex flex-wrap items-end gap-2 text-sm">
        <label className="block min-w-0">
          <span className="mb-1 block text-xs font-medium text-slate-600">Or upload a CSV (columns provider, amount_usd, optional note)</span>
          <input
            ref={fileInput}
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
            aria-label="Invoices CSV file"
            className="max-w-full text-sm"
          />
        </label>
        <button type="button" onClick={upload} disabled={!file || pending} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium hover:bg-slate-50 disabled:opacity-50">
          Upload invoices
        </button>
      </fieldset>
      {disabled ? <p className="text-xs text-slate-500">The month is closed: reopen it to change its invoices.</p> : null}
    </form>
  );
}
