"use client";
// Contracts: negotiated discounts, a percentage off list price for a provider or one of its models over a
// date range. Listed with their status; adding or ending one is previewed first (the events it re-prices,
// per model and month, and any closed month that refuses it) and applied only on Confirm, like a price.
import type { ListedContract } from "@/lib/pricing/page-data";
import { createColumnHelper } from "@tanstack/react-table";
import { DataTable } from "@/components/ui/data-table";
import { useApiForm } from "@/components/ui/use-api-form";
import { PreviewPanel, repricedNotice, usePreviewedChange } from "@/components/settings/price-change-preview";
import { discountText } from "@/lib/pricing/price-form";

const col = createColumnHelper<ListedContract>();

type FormState = { provider: string; model: string; percentOff: string; effectiveFrom: string; effectiveTo: string; note: string };
const EMPTY: FormState = { provider: "", model: "", percentOff: "", effectiveFrom: new Date().toISOString().slice(0, 10), effectiveTo: "", note: "" };

/** A contract's dates: midnight UTC as a bare date. */
const day = (iso: string | null) => (iso ? (iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso.replace("T", " ").slice(0, 16) + " UTC") : "");
const scopeOf = (c: { provider: string; model: string | null }) => `${c.provider} / ${c.model ?? "all models"}`;

const STATUS_CLASS: Record<ListedContract["status"], string> = {
  active: "bg-emerald-50 text-emerald-800",
  upcoming: "bg-sky-50 text-sky-800",
  ended: "bg-slate-100 text-slate-600",
  retired: "bg-slate-100 text-slate-500",
};

export function ContractsAdmin({ contracts, history }: { contracts: ListedContract[]; history: boolean }) {
  const { values: form, setValue, setValues: setForm, fields, error, notice, pending: busy, submit, clear } = useApiForm<FormState>(EMPTY);
  const { preview, ask: askPreview, confirm: applyPreview, cancel } = usePreviewedChange({ submit, clear });
  const set = (k: keyof FormState) => (e: React.ChangeEvent<HTMLInputElement>) => setValue(k, e.target.value);

  const confirm = () =>
    applyPreview(
      (data, p) => {
        const added = data.contracts?.created.length ?? 0;
        const ended = data.contracts?.retired.length ?? 0;
        return `${p.title}: done. ${added ? "Contract added. " : ""}${ended ? "Contract ended. " : ""}${repricedNotice(data.diff)}`;
      },
      (p) => {
        if (p.apply.method === "POST") setForm(EMPTY);
      },
    );

  function submitForm(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const contract = {
      provider: form.provider,
      model: form.model.trim() === "" ? null : form.model,
      percentOff: form.percentOff.trim(),
      effectiveFrom: form.effectiveFrom,
      effectiveTo: form.effectiveTo || null,
      note: form.note,
    };
    void askPreview(`Add ${form.percentOff.trim()}% off ${scopeOf({ provider: form.provider.trim(), model: contract.model?.trim() ?? null })}`, {
      method: "POST",
      path: "/api/v1/contracts",
      body: { contract },
    });
  }

  const err = (name: keyof FormState) => (fields[`contract.${name}`] ? <span className="mt-1 block text-xs text-red-700">{fields[`contract.${name}`]}</span> : null);
  const label = "mb-1 block text-xs font-medium text-slate-600";
  const input = "w-full rounded-md border border-slate-300 px-2 py-1.5";

  return (
    <section aria-labelledby="contracts-heading" className="mt-8 space-y-4">
      <div>
        <h2 id="contracts-heading" className="font-semibold">Contracts</h2>
        <p className="mt-1 text-sm text-slate-600">
          A negotiated discount: a percentage off the list price of a provider (all its models) or of one model, over a date range. It applies to
          estimated costs, never to billed costs (the provider&apos;s bill already has it) nor to GPU costs. A model&apos;s own contract beats its
          provider&apos;s.
        </p>
      </div>
      {error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-700">
          {error}
        </p>
      ) : null}
      {notice ? <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-emerald-800">{notice}</p> : null}
      {preview ? <PreviewPanel name="Contract preview" preview={preview} busy={busy} onConfirm={() => void confirm()} onCancel={cancel} /> : null}

      <form onSubmit={submitForm} aria-label="Contract" className="rounded-lg border border-slate-200 bg-white p-4">
        <h3 className="mb-3 font-semibold">Add a contract</h3>
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 md:grid-cols-3">
          <label className="min-w-0">
            <span className={label}>Provider: as events send it</span>
            <input name="provider" value={form.provider} onChange={set("provider")} required placeholder="anthropic" className={input} />
            {err("provider")}
          </label>
          <label className="min-w-0">
            <span className={label}>Model: leave empty for all models</span>
            <input name="model" value={form.model} onChange={set("model")} placeholder="all models" className={input} />
            {err("model")}
          </label>
          <label className="min-w-0">
            <span className={label}>Discount %: above 0 and below 100</span>
            <input name="percentOff" inputMode="decimal" value={form.percentOff} onChange={set("percentOff")} required placeholder="20" className={`${input} num`} />
            {err("percentOff")}
          </label>
          <label className="min-w-0">
            <span className={label}>From: the first day it applies (UTC)</span>
            <input name="effectiveFrom" type="date" value={form.effectiveFrom} onChange={set("effectiveFrom")} required className={input} />
            {err("effectiveFrom")}
          </label>
          <label className="min-w-0">
            <span className={label}>To: the day it stops; empty while it runs</span>
            <input name="effectiveTo" type="date" value={form.effectiveTo} onChange={set("effectiveTo")} className={input} />
            {err("effectiveTo")}
          </label>
          <label className="min-w-0">
            <span className={label}>Note: where the terms come from</span>
            <input name="note" value={form.note} onChange={set("note")} placeholder="order form 2026-04" className={input} />
            {err("note")}
          </label>
        </div>
        <div className="mt-3">
          <button type="submit" disabled={busy} className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700 disabled:opacity-50">
            Preview contract
          </button>
        </div>
      </form>

      <DataTable
        data={contracts}
        label="Contracts"
        empty={history ? "No contracts yet." : "No contracts in force: add one above (history shows retired ones)."}
        initialSorting={[{ id: "scope", desc: false }]}
        rowProps={(row) => ({ className: `align-top ${row.original.status === "retired" || row.original.status === "ended" ? "text-slate-500" : ""}` })}
        className="w-full text-left text-xs"
        headerClassName="uppercase tracking-wide text-slate-500"
        cellClassName="py-1.5 pr-3"
        headerCellClassName="py-2 pr-3"
        columns={[
          col.accessor((c) => scopeOf(c), {
            id: "scope",
            header: "Provider / model",
            cell: ({ row: { original: c } }) => (
              <>
                <span className="text-slate-500">{c.provider} / </span>
                {c.model ? <span className="font-mono">{c.model}</span> : <span>all models</span>}
              </>
            ),
          }),
          col.accessor((c) => Number(c.percentOff), { id: "percentOff", header: "Discount", meta: { className: "num text-right", headerClassName: "text-right" }, cell: ({ row }) => discountText(row.original.percentOff) }),
          col.accessor("effectiveFrom", { header: "From", meta: { className: "whitespace-nowrap" }, cell: ({ getValue }) => day(getValue()) }),
          col.accessor((c) => c.effectiveTo ?? "9999", { id: "effectiveTo", header: "To", meta: { className: "whitespace-nowrap" }, cell: ({ row }) => day(row.original.effectiveTo) || "—" }),
          col.accessor("status", {
            header: "Status",
            cell: ({ row: { original: c } }) => <span className={`rounded px-1.5 py-0.5 ${STATUS_CLASS[c.status]}`}>{c.status}</span>,
          }),
          col.accessor("note", { header: "Note", cell: ({ getValue }) => <div className="max-w-48 truncate" title={getValue()}>{getValue() || "—"}</div> }),
          col.display({
            id: "actions",
            header: "",
            meta: { className: "whitespace-nowrap text-right" },
            cell: ({ row: { original: c } }) =>
              c.status === "retired" ? null : (
                <button
                  type="button"
                  disabled={busy}
                  onClick={() => void askPreview(`End ${discountText(c.percentOff)} off ${scopeOf(c)}`, { method: "DELETE", path: `/api/v1/contracts/${c.id}` })}
                  className="rounded-md border border-red-200 px-2 py-0.5 text-red-700 hover:bg-red-50 disabled:opacity-50"
                >
                  End
                </button>
              ),
          }),
        ]}
      />
    </section>
  );
}
