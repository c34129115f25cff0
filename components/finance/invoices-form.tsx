"use client";
// Enter each provider's invoice total for the month (empty removes it) and the reconciliation tolerance.
import { useState } from "react";
import { useApiForm } from "@/components/ui/use-api-form";
import { parseInvoiceCsv } from "@/lib/finance/invoice-csv";

export function InvoicesForm({
  month,
  providers,
  tolerancePct,
  disabled,
}: {
  month: string;
  providers: { provider: string; invoicedCost: string | null }[];
  tolerancePct: string;
  disabled: boolean;
}) {
  const { fields, error, notice, submit, fail, clear, setNotice } = useApiForm();
  // Only the changed rows are sent, so the API's error paths (invoices.0.amountUsd…) count the rows
  // sent, not the providers shown: remember which provider each sent row was, to put its error under it.
  const [sent, setSent] = useState<string[]>([]);
  const fieldError = (provider: string) => {
    const i = sent.indexOf(provider);
    if (i < 0) return undefined;
    return [fields[`invoices.${i}.provider`], fields[`invoices.${i}.amountUsd`], fields[`invoices.${i}`]].filter(Boolean).join(" ") || undefined;
  };

  async function save(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const text = (k: string) => String(form.get(k) ?? "").trim();
    const rows = providers.map((p) => ({ provider: p.provider, amountUsd: text(`invoice:${p.provider}`) || null }));
    const extraName = text("newProvider");
    if (extraName) rows.push({ provider: extraName, amountUsd: text("newAmount") || null });
    const changed = rows.filter((r) => r.amountUsd !== (providers.find((p) => p.provider === r.provider)?.invoicedCost ?? null));
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

  async function upload(e: React.ChangeEvent<HTMLInputElement>) {
    const file = e.currentTarget.files?.[0];
    e.currentTarget.value = "";
    if (!file) return;
    clear();
    const parsed = parseInvoiceCsv(await file.text());
    if (!parsed.ok) return fail(parsed.error);
    setSent([]);
    const r = await submit<{ saved: number }>("/api/v1/finance/invoices", "PUT", { month, invoices: parsed.invoices }, {
      onSuccess: (d) => `Uploaded ${d.saved} invoice total${d.saved === 1 ? "" : "s"} from ${file.name}.`,
    });
    // The CSV's rows are not the form's fields: their errors are named by file line instead.
    if (!r.ok) fail(`${file.name}: ${r.message} ${Object.entries(r.fields).map(([k, v]) => `${k.replace(/^invoices\.(\d+)/, (_, i: string) => `line ${Number(i) + 2}`)}: ${v}`).join("; ")}`);
  }

  const extraError = sent.filter((name) => !providers.some((p) => p.provider === name)).map(fieldError).filter(Boolean).join(" ") || undefined;
  const input = "w-36 rounded-md border border-slate-300 px-2 py-1.5 text-right";
  return (
    <form onSubmit={save} className="mt-4 space-y-3" aria-label="Invoices">
      {error ? <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-700">{error}</p> : null}
      {notice ? <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-emerald-800">{notice}</p> : null}
      <fieldset disabled={disabled} className="flex flex-wrap items-end gap-4">
        {providers.map((p) => (
          <label key={p.provider} className="block" data-testid={`invoice-field-${p.provider}`}>
            <span className="mb-1 block text-xs font-medium text-slate-600">{p.provider} invoice (USD)</span>
            <input name={`invoice:${p.provider}`} defaultValue={p.invoicedCost ?? ""} inputMode="decimal" className={input} aria-label={`Invoice total for ${p.provider}`} />
            {fieldError(p.provider) ? <span className="mt-1 block text-xs text-red-700">{fieldError(p.provider)}</span> : null}
          </label>
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
          <span className="mb-1 block text-xs font-medium text-slate-600">Tolerance (%)</span>
          <input name="tolerancePct" defaultValue={tolerancePct} inputMode="decimal" className="w-20 rounded-md border border-slate-300 px-2 py-1.5 text-right" />
          {fields.tolerancePct ? <span className="mt-1 block text-xs text-red-700">{fields.tolerancePct}</span> : null}
        </label>
        <button type="submit" className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700 disabled:opacity-50">
          Save invoices
        </button>
      </fieldset>
      <label className="block text-sm">
        <span className="mb-1 block text-xs font-medium text-slate-600">Or upload a CSV (columns provider, amount_usd, optional note)</span>
        <input type="file" accept=".csv,text/csv" onChange={upload} disabled={disabled} aria-label="Upload invoices" className="text-sm" />
      </label>
      {disabled ? <p className="text-xs text-slate-500">The month is closed: reopen it to change its invoices.</p> : null}
    </form>
  );
}
