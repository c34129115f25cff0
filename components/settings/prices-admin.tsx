"use client";
// The price book: active entries, an add/edit form, retire, and imports (LiteLLM JSON, built-in list
// prices). Every change is previewed first (the events it re-prices, per model and month) and applied
// only on Confirm.
import type { PriceView } from "@/lib/pricing/price-book";
import { useEffect, useRef, useState } from "react";
import { createColumnHelper } from "@tanstack/react-table";
import { DataTable } from "@/components/ui/data-table";
import { TableBox } from "@/components/ui/table-box";
import { useApiForm } from "@/components/ui/use-api-form";

export type Price = Omit<PriceView, "createdAt">;
const col = createColumnHelper<Price>();

type DiffRow = { provider: string; model: string; month: string; events: number; oldTotal: string; newTotal: string; unpricedToPriced: number; pricedToUnpriced: number; closed: boolean };
type Diff = { events: number; months: string[]; oldTotal: string; newTotal: string; unpricedToPriced: number; pricedToUnpriced: number; rows: DiffRow[]; closedMonths: string[] };
type ChangeResult = { applied: boolean; kind: string; created: Price[]; retired: Price[]; shortened: Price[]; skipped: { key: string; reason: string }[]; warnings: { key: string; message: string }[]; diff: Diff };
type Request = { method: "POST" | "PATCH" | "DELETE"; path: string; body?: Record<string, unknown> };
type Preview = { title: string; apply: Request; result: ChangeResult };

const RATES = [
  { key: "inputPerMTok", label: "Input $/MTok", short: "Input", required: true },
  { key: "cacheReadPerMTok", label: "Cache read $/MTok", short: "Cache read" },
  { key: "cacheWritePerMTok", label: "Cache write 5 min $/MTok", short: "Cache write 5m" },
  { key: "cacheWrite1hPerMTok", label: "Cache write 1 h $/MTok", short: "Cache write 1h" },
  { key: "outputPerMTok", label: "Output $/MTok", short: "Output", required: true },
  { key: "reasoningPerMTok", label: "Reasoning $/MTok", short: "Reasoning", placeholder: "= output" },
  { key: "toolOutputPerMTok", label: "Tool output $/MTok", short: "Tool output", placeholder: "= output" },
  { key: "perCallUsd", label: "Per call $", short: "Per call" },
] as const;
type RateKey = (typeof RATES)[number]["key"];
type FormKey = "provider" | "modelOrPattern" | "effectiveFrom" | "effectiveTo" | "source" | RateKey;
type FormState = Record<FormKey, string>;

const EMPTY: FormState = {
  provider: "",
  modelOrPattern: "",
  effectiveFrom: new Date().toISOString().slice(0, 10),
  effectiveTo: "",
  source: "",
  inputPerMTok: "",
  cacheReadPerMTok: "",
  cacheWritePerMTok: "",
  cacheWrite1hPerMTok: "",
  outputPerMTok: "",
  reasoningPerMTok: "",
  toolOutputPerMTok: "",
  perCallUsd: "",
};

/** "2026-03-01T00:00:00.000Z" -> "2026-03-01"; other times keep theirs. */
function showDate(iso: string | null): string {
  if (!iso) return "";
  return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso.replace("T", " ").replace(/:00\.000Z$/, " UTC").replace(/\.\d{3}Z$/, " UTC");
}
const dateField = (iso: string | null) => (iso ? (iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso) : "");

const usdFormat = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 6 });
/** Display only: exact amounts stay in the title. */
const usd = (s: string) => usdFormat.format(Number(s));

function formFromPrice(p: Price): FormState {
  return {
    provider: p.provider,
    modelOrPattern: p.model ?? p.modelPattern ?? "",
    effectiveFrom: dateField(p.effectiveFrom),
    effectiveTo: dateField(p.effectiveTo),
    source: p.source,
    inputPerMTok: p.inputPerMTok,
    cacheReadPerMTok: p.cacheReadPerMTok ?? "",
    cacheWritePerMTok: p.cacheWritePerMTok ?? "",
    cacheWrite1hPerMTok: p.cacheWrite1hPerMTok ?? "",
    outputPerMTok: p.outputPerMTok,
    reasoningPerMTok: p.reasoningPerMTok ?? "",
    toolOutputPerMTok: p.toolOutputPerMTok ?? "",
    perCallUsd: p.perCallUsd ?? "",
  };
}

/** The API's fields for the form's values; with `initial`, only what changed. */
function entryBody(f: FormState, initial?: FormState): Record<string, unknown> {
  const isPattern = f.modelOrPattern.includes("*");
  const all: Record<string, unknown> = {
    provider: f.provider,
    model: isPattern ? null : f.modelOrPattern,
    modelPattern: isPattern ? f.modelOrPattern : null,
    effectiveFrom: f.effectiveFrom,
    effectiveTo: f.effectiveTo || null,
    source: f.source,
  };
  for (const r of RATES) all[r.key] = f[r.key].trim() === "" ? (("required" in r && r.required) ? "" : null) : f[r.key].trim();
  if (!initial) return all;
  const changed: Record<string, unknown> = {};
  const keyOf: Record<string, FormKey> = { model: "modelOrPattern", modelPattern: "modelOrPattern" };
  for (const [k, v] of Object.entries(all)) {
    const formKey = keyOf[k] ?? (k as FormKey);
    if (f[formKey] !== initial[formKey]) changed[k] = v;
  }
  return changed;
}

export function PricesAdmin({ prices, history }: { prices: Price[]; history: boolean }) {
  // The form's values, the API's field errors, the error, the notice and pending come from the one form
  // hook; a preview is a dry run of the same call, so it never refreshes the page.
  const { values: form, setValue, setValues: setForm, fields, error, notice, pending: busy, submit, fail, clear } = useApiForm<FormState>(EMPTY);
  const [editing, setEditing] = useState<{ id: string; initial: FormState; label: string } | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [importFrom, setImportFrom] = useState(new Date().toISOString().slice(0, 10));
  // Rate relations no price list has are refused unless confirmed (lib/pricing/price-entry.ts rateRelationProblems).
  const [ratesConfirmed, setRatesConfirmed] = useState(false);
  const confirmation = ratesConfirmed ? { ratesConfirmed: true } : {};
  const formRef = useRef<HTMLFormElement>(null);

  const set = (k: FormKey) => (e: React.ChangeEvent<HTMLInputElement>) => setValue(k, e.target.value);

  async function askPreview(title: string, req: Request) {
    clear();
    const dry: Request = req.method === "DELETE" ? { ...req, path: `${req.path}?dryRun=1` } : { ...req, body: { ...req.body, dryRun: true } };
    const r = await submit<ChangeResult>(dry.path, dry.method, dry.body, { refresh: false });
    setPreview(r.ok ? { title, apply: req, result: r.data } : null);
  }

  async function confirm() {
    if (!preview) return;
    const r = await submit<ChangeResult>(preview.apply.path, preview.apply.method, preview.apply.body, {
      onSuccess: (data) => {
        const d = data.diff;
        return (
          `${preview.title}: done. ${data.created.length ? `${data.created.length} entr${data.created.length === 1 ? "y" : "ies"} added. ` : ""}` +
          `${data.retired.length ? `${data.retired.length} retired. ` : ""}` +
          (d.events ? `${d.events} events re-priced: ${usd(d.oldTotal)} → ${usd(d.newTotal)}.` : "No stored event changed.")
        );
      },
    });
    if (!r.ok) return;
    setPreview(null);
    setEditing(null);
    setForm(EMPTY);
    setRatesConfirmed(false);
  }

  function submitForm(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (editing) {
      void askPreview(`Edit ${editing.label}`, { method: "PATCH", path: `/api/v1/prices/${editing.id}`, body: { entry: { ...entryBody(form, editing.initial), ...confirmation } } });
    } else {
      void askPreview(`Add ${form.provider}/${form.modelOrPattern}`, { method: "POST", path: "/api/v1/prices", body: { entry: { ...entryBody(form), ...confirmation } } });
    }
  }

  function startEdit(p: Price) {
    const initial = formFromPrice(p);
    setEditing({ id: p.id!, initial, label: `${p.provider}/${p.model ?? p.modelPattern} v${p.version}` });
    setForm(initial);
    setPreview(null);
    clear();
    formRef.current?.scrollIntoView({ behavior: "smooth", block: "start" });
  }

  async function previewImport(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const file = (new FormData(e.currentTarget).get("file") as File | null) ?? null;
    if (!file || file.size === 0) return fail("Choose LiteLLM's model_prices_and_context_window.json first.");
    let data: unknown;
    try {
      data = JSON.parse(await file.text());
    } catch (err) {
      return fail(`${file.name} is not valid JSON: ${(err as Error).message}`);
    }
    await askPreview(`Import ${file.name}`, { method: "POST", path: "/api/v1/prices/import", body: { format: "litellm", data, effectiveFrom: importFrom } });
  }

  const fieldError = (name: string) => fields[`entry.${name}`];
  const err = (name: string) => (fieldError(name) ? <span className="mt-1 block text-xs text-red-700">{fieldError(name)}</span> : null);
  const input = "w-full rounded-md border border-slate-300 px-2 py-1.5";

  return (
    <div className="space-y-6">
      <div className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-amber-900" data-testid="pricing-rules">
        A price change re-prices the stored events it affects, after a preview. <strong>Billed costs</strong> (the provider&apos;s own
        figure sent with an event) <strong>are never changed</strong>, and <strong>closed months are locked</strong>: a change that
        would re-price an event in a month finance has closed is refused, and nothing changes.
      </div>
      {error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-700">
          {error}
          {Object.keys(fields).length ? " See the highlighted fields." : ""}
        </p>
      ) : null}
      {notice ? <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-emerald-800">{notice}</p> : null}

      {preview ? <PreviewPanel preview={preview} busy={busy} onConfirm={() => void confirm()} onCancel={() => setPreview(null)} /> : null}

      <form ref={formRef} onSubmit={submitForm} aria-label="Price entry" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="mb-3 font-semibold">{editing ? `Edit ${editing.label} (saved as a new version)` : "Add a price"}</h2>
        <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
          <label>
            <span className="mb-1 block text-xs font-medium text-slate-600">Provider</span>
            <input name="provider" value={form.provider} onChange={set("provider")} required placeholder="openai" className={input} />
            {err("provider")}
          </label>
          <label>
            <span className="mb-1 block text-xs font-medium text-slate-600">Model or pattern</span>
            <input name="modelOrPattern" value={form.modelOrPattern} onChange={set("modelOrPattern")} required placeholder="gpt-4o or gpt-4o-*" className={input} />
            {err("model")}
            {err("modelPattern")}
          </label>
          <label>
            <span className="mb-1 block text-xs font-medium text-slate-600">Effective from</span>
            <input name="effectiveFrom" type="date" value={form.effectiveFrom} onChange={set("effectiveFrom")} required className={input} />
            {err("effectiveFrom")}
          </label>
          <label>
            <span className="mb-1 block text-xs font-medium text-slate-600">Effective to</span>
            <input name="effectiveTo" type="date" value={form.effectiveTo} onChange={set("effectiveTo")} className={input} />
            {err("effectiveTo")}
          </label>
          {RATES.map((r) => (
            <label key={r.key}>
              <span className="mb-1 block text-xs font-medium text-slate-600">{r.label}</span>
              <input
                name={r.key}
                inputMode="decimal"
                value={form[r.key]}
                onChange={set(r.key)}
                required={"required" in r && r.required}
                placeholder={"placeholder" in r ? r.placeholder : r.key.startsWith("cache") ? "no rate" : ""}
                className={`${input} num`}
              />
              {err(r.key)}
            </label>
          ))}
          <label className="col-span-2 md:col-span-4">
            <span className="mb-1 block text-xs font-medium text-slate-600">Source</span>
            <input name="source" value={form.source} onChange={set("source")} required placeholder="where the price comes from: a pricing page, a contract" className={input} />
            {err("source")}
          </label>
          <label className="col-span-2 flex items-start gap-2 text-sm text-slate-700 md:col-span-4">
            <input type="checkbox" name="ratesConfirmed" checked={ratesConfirmed} onChange={(e) => setRatesConfirmed(e.target.checked)} className="mt-1" />
            <span>
              These rates are right even though they look unusual (a cache read dearer than input, or output 10× or more cheaper than input). Such
              rates are refused without this, since they are more often a typing or data error than a price.
            </span>
          </label>
        </div>
        <p className="mt-2 text-xs text-slate-500">
          Rates in USD per million tokens. A model containing * is a pattern (gpt-4o-*). An empty cache rate means none: events with
          such tokens stay unpriced rather than guessed. Reasoning and tool output default to the output rate.
          {editing ? " A later effective date keeps the current price before it." : ""}
        </p>
        <div className="mt-3 flex gap-2">
          <button type="submit" disabled={busy} className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700 disabled:opacity-50">
            Preview change
          </button>
          {editing ? (
            <button type="button" onClick={() => { setEditing(null); setForm(EMPTY); clear(); }} className="rounded-md border border-slate-300 px-3 py-1.5">
              Cancel edit
            </button>
          ) : null}
        </div>
      </form>

      <div className="flex flex-wrap items-end gap-6 rounded-lg border border-slate-200 bg-white p-4">
        <form onSubmit={(e) => void previewImport(e)} aria-label="Import LiteLLM prices" className="flex flex-wrap items-end gap-3">
          <label>
            <span className="mb-1 block text-xs font-medium text-slate-600">LiteLLM model_prices_and_context_window.json</span>
            <input name="file" type="file" accept=".json,application/json" className="text-sm" />
          </label>
          <label>
            <span className="mb-1 block text-xs font-medium text-slate-600">Imported prices effective from</span>
            <input type="date" value={importFrom} onChange={(e) => setImportFrom(e.target.value)} required className="rounded-md border border-slate-300 px-2 py-1.5" />
          </label>
          <button type="submit" disabled={busy} className="rounded-md border border-slate-300 px-3 py-1.5 font-medium hover:bg-slate-50 disabled:opacity-50">Preview import</button>
        </form>
        <button
          type="button"
          disabled={busy}
          onClick={() => void askPreview("Load missing built-in prices", { method: "POST", path: "/api/v1/prices/import", body: { format: "builtin" } })}
          className="rounded-md border border-slate-300 px-3 py-1.5 font-medium hover:bg-slate-50 disabled:opacity-50"
        >
          Load missing built-in prices
        </button>
      </div>

      <div>
        <div className="mb-2 flex items-center justify-between">
          <h2 className="font-semibold">{history ? "All versions, retired included" : "Active prices"}</h2>
          <a href={history ? "/settings/prices" : "/settings/prices?history=1"} className="text-sm text-slate-600 underline">
            {history ? "Show active prices only" : "Show retired versions too"}
          </a>
        </div>
        <DataTable
          data={prices}
          label="Prices"
          empty="No prices yet: add one, import LiteLLM's file or load the built-in list prices."
          initialSorting={[{ id: "model", desc: false }]}
          filter={{
            label: "Filter prices by provider or model",
            match: (p, q) => `${p.provider} ${p.model ?? p.modelPattern ?? ""} ${p.source}`.toLowerCase().includes(q),
          }}
          rowProps={(row) => ({ className: `align-top ${row.original.retiredAt ? "text-slate-500" : ""}` })}
          className="w-full text-left text-xs"
          headerClassName="uppercase tracking-wide text-slate-500"
          cellClassName="py-1.5 pr-3"
          headerCellClassName="py-2 pr-3"
          columns={[
            col.accessor((p) => `${p.provider} / ${p.model ?? p.modelPattern ?? ""}`, {
              id: "model",
              header: "Provider / model or pattern",
              meta: { className: "whitespace-nowrap" },
              cell: ({ row: { original: p } }) => (
                <>
                  <span className="text-slate-500">{p.provider} / </span>
                  <span className="font-mono">{p.model ?? p.modelPattern}</span>
                  <BillParts p={p} />
                </>
              ),
            }),
            ...RATES.map((r) =>
              col.accessor((p) => (p[r.key] === null ? -1 : Number(p[r.key])), {
                id: r.key,
                header: r.short,
                meta: { className: "num text-right", headerClassName: "text-right" },
                cell: ({ row: { original: p } }) =>
                  p[r.key] ?? (r.key === "reasoningPerMTok" || r.key === "toolOutputPerMTok" ? <span className="text-slate-500">= output</span> : <span className="text-slate-500" title="no rate">—</span>),
              }),
            ),
            col.accessor("effectiveFrom", { header: "From", meta: { className: "whitespace-nowrap" }, cell: ({ getValue }) => showDate(getValue()) }),
            col.accessor((p) => p.effectiveTo ?? "9999", { id: "effectiveTo", header: "To", meta: { className: "whitespace-nowrap" }, cell: ({ row }) => showDate(row.original.effectiveTo) || "—" }),
            col.accessor("version", { header: "Version", cell: ({ row: { original: p } }) => `v${p.version}${p.retiredAt ? ` (retired ${p.retiredAt.slice(0, 10)})` : ""}` }),
            col.accessor("source", { header: "Source", cell: ({ getValue }) => <div className="w-32 truncate" title={getValue()}>{getValue()}</div> }),
            col.display({
              id: "actions",
              header: "",
              meta: { className: "whitespace-nowrap text-right" },
              cell: ({ row: { original: p } }) =>
                p.retiredAt ? null : (
                  <>
                    <button type="button" onClick={() => startEdit(p)} className="mr-1 rounded-md border border-slate-300 px-2 py-0.5 hover:bg-slate-50">Edit</button>
                    <button
                      type="button"
                      onClick={() => void askPreview(`Retire ${p.provider}/${p.model ?? p.modelPattern} v${p.version}`, { method: "DELETE", path: `/api/v1/prices/${p.id}` })}
                      className="rounded-md border border-red-200 px-2 py-0.5 text-red-700 hover:bg-red-50"
                    >
                      Retire
                    </button>
                  </>
                ),
            }),
          ]}
        />
      </div>
    </div>
  );
}

function PreviewPanel({ preview, busy, onConfirm, onCancel }: { preview: Preview; busy: boolean; onConfirm: () => void; onCancel: () => void }) {
  const { result } = preview;
  const d = result.diff;
  const locked = d.closedMonths.length > 0;
  const isImport = result.kind === "import";
  const ref = useRef<HTMLElement>(null);
  // The preview opens above the form and the table: bring it into view, wherever the button was.
  useEffect(() => {
    ref.current?.scrollIntoView({ behavior: "smooth", block: "start" });
  }, [preview]);
  return (
    <section ref={ref} aria-label="Preview" className="rounded-lg border-2 border-slate-900 bg-white p-4">
      <h2 className="font-semibold">Preview: {preview.title}</h2>
      <p className="mt-1" data-testid="preview-summary">
        {d.events === 0
          ? "No stored event changes."
          : `${d.events} event${d.events === 1 ? "" : "s"} in ${d.months.length} month${d.months.length === 1 ? "" : "s"} change: ${usd(d.oldTotal)} → ${usd(d.newTotal)}.`}
        {d.unpricedToPriced ? ` ${d.unpricedToPriced} unpriced become priced.` : ""}
        {d.pricedToUnpriced ? ` ${d.pricedToUnpriced} priced become unpriced.` : ""}
      </p>
      {isImport ? (
        <p className="mt-1 text-slate-700">
          {result.created.length} entr{result.created.length === 1 ? "y" : "ies"} to add, {result.skipped.length} skipped
          {result.warnings.length ? `, ${result.warnings.length} warnings` : ""}.
        </p>
      ) : null}
      {locked ? (
        <p role="alert" className="mt-2 rounded-md bg-red-50 px-3 py-2 text-red-700">
          Closed month{d.closedMonths.length === 1 ? "" : "s"} {d.closedMonths.join(", ")}: finance has closed {d.closedMonths.length === 1 ? "it" : "them"}, so this
          change cannot be applied. Reopen the month, or choose an effective date after it.
        </p>
      ) : null}
      {d.rows.length ? (
        <TableBox className="mt-3">
        <table className="w-full text-left text-sm" aria-label="Re-pricing by model and month">
          <thead className="text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className="py-1 pr-4">Model</th><th className="py-1 pr-4">Month</th><th className="py-1 pr-4 text-right">Events</th>
              <th className="py-1 pr-4 text-right">Old total</th><th className="py-1 pr-4 text-right">New total</th>
              <th className="py-1 pr-4 text-right">Unpriced → priced</th><th className="py-1 pr-4 text-right">Priced → unpriced</th>
            </tr>
          </thead>
          <tbody>
            {d.rows.map((r) => (
              <tr key={`${r.provider}/${r.model}/${r.month}`} className={`border-t border-slate-100 ${r.closed ? "bg-red-50" : ""}`}>
                <td className="py-1 pr-4 font-mono">{r.provider}/{r.model}</td>
                <td className="py-1 pr-4">{r.month}{r.closed ? <span className="ml-1 font-medium text-red-700">closed</span> : null}</td>
                <td className="num py-1 pr-4 text-right">{r.events}</td>
                <td className="num py-1 pr-4 text-right" title={r.oldTotal}>{usd(r.oldTotal)}</td>
                <td className="num py-1 pr-4 text-right" title={r.newTotal}>{usd(r.newTotal)}</td>
                <td className="num py-1 pr-4 text-right">{r.unpricedToPriced}</td>
                <td className="num py-1 pr-4 text-right">{r.pricedToUnpriced}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </TableBox>
      ) : null}
      {isImport && result.skipped.length ? (
        <details className="mt-2 text-sm">
          <summary className="cursor-pointer text-slate-600">Skipped ({result.skipped.length})</summary>
          <ul className="mt-1 list-disc pl-5 text-slate-600">
            {result.skipped.slice(0, 200).map((s) => <li key={s.key}><span className="font-mono">{s.key}</span>: {s.reason}</li>)}
          </ul>
        </details>
      ) : null}
      <p className="mt-2 text-xs text-slate-500">Billed costs are never changed. Nothing has changed yet: Confirm applies the change and the re-pricing together.</p>
      <div className="mt-3 flex gap-2">
        <button type="button" onClick={onConfirm} disabled={busy || locked} className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700 disabled:opacity-50">
          Confirm
        </button>
        <button type="button" onClick={onCancel} className="rounded-md border border-slate-300 px-3 py-1.5">Cancel</button>
      </div>
    </section>
  );
}

/** The entry's parts beyond the token rates, in one line (edited through the API; see the README's pricing section). */
function BillParts({ p }: { p: Price }) {
  const parts: string[] = [];
  for (const t of p.tiers ?? []) parts.push(`above ${t.aboveTokens.toLocaleString("en-US")} tokens: ${t.inputPerMTok} in / ${t.outputPerMTok} out`);
  for (const [name, t] of Object.entries(p.serviceTiers ?? {})) parts.push(t.multiplier !== null ? `${name} × ${t.multiplier}` : `${name}: ${t.rates?.inputPerMTok} in / ${t.rates?.outputPerMTok} out`);
  for (const [kind, fee] of Object.entries(p.toolFees ?? {})) parts.push(`${kind} $${fee} per call`);
  const m = p.modalityRates;
  if (m?.audioInputPerMTok) parts.push(`audio in ${m.audioInputPerMTok}`);
  if (m?.audioOutputPerMTok) parts.push(`audio out ${m.audioOutputPerMTok}`);
  if (m?.imageInputPerMTok) parts.push(`image in ${m.imageInputPerMTok}`);
  if (!parts.length) return null;
  return (
    <div className="mt-0.5 max-w-56 whitespace-normal text-[11px] text-slate-500" data-testid="price-parts">
      {parts.join(" · ")}
    </div>
  );
}
