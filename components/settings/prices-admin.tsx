"use client";
// The price book: active entries, an add/edit form, retire, and imports (LiteLLM JSON, built-in list
// prices). Every change is previewed first (the events it re-prices, per model and month) and applied
// only on Confirm.
import type { PriceView } from "@/lib/pricing/price-book";
import { useRef, useState } from "react";
import { createColumnHelper } from "@tanstack/react-table";
import { DataTable } from "@/components/ui/data-table";
import { useApiForm } from "@/components/ui/use-api-form";
import { PreviewPanel, repricedNotice, usePreviewedChange } from "@/components/settings/price-change-preview";
import { ExtraPartsFields } from "@/components/settings/price-extra-parts";
import { emptyExtraParts, extraPartsBody, extraPartsOf, partsDetail, partsSummary, priceFormMessage, RATES_CONFIRM_LABEL, type ExtraParts } from "@/lib/pricing/price-form";

export type Price = Omit<PriceView, "createdAt">;
const col = createColumnHelper<Price>();

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
type FormState = Record<FormKey, string> & { extras: ExtraParts };

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
  extras: emptyExtraParts(),
};

/** "2026-03-01T00:00:00.000Z" -> "2026-03-01"; other times keep theirs. */
function showDate(iso: string | null): string {
  if (!iso) return "";
  return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso.replace("T", " ").replace(/:00\.000Z$/, " UTC").replace(/\.\d{3}Z$/, " UTC");
}
const dateField = (iso: string | null) => (iso ? (iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso) : "");

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
    extras: extraPartsOf(p),
  };
}

/**
 * The API's fields for the form's values; with `initial`, only what changed. The extra parts' rows are
 * turned into their JSON here; a name given twice is a problem the form reports itself.
 */
function entryBody(f: FormState, initial?: FormState): { ok: true; body: Record<string, unknown> } | { ok: false; problems: Record<string, string> } {
  const extras = extraPartsBody(f.extras);
  if (!extras.ok) return extras;
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
  if (!initial) return { ok: true, body: { ...all, ...extras.body } };
  const changed: Record<string, unknown> = {};
  const keyOf: Record<string, FormKey> = { model: "modelOrPattern", modelPattern: "modelOrPattern" };
  for (const [k, v] of Object.entries(all)) {
    const formKey = keyOf[k] ?? (k as FormKey);
    if (f[formKey] !== initial[formKey]) changed[k] = v;
  }
  const before = extraPartsBody(initial.extras);
  for (const [k, v] of Object.entries(extras.body)) if (!before.ok || JSON.stringify(before.body[k]) !== JSON.stringify(v)) changed[k] = v;
  return { ok: true, body: changed };
}

export function PricesAdmin({ prices, history }: { prices: Price[]; history: boolean }) {
  // The form's values, the API's field errors, the error, the notice and pending come from the one form
  // hook; a preview is a dry run of the same call, so it never refreshes the page.
  const { values: form, setValue, setValues: setForm, fields, error, notice, pending: busy, submit, fail, clear } = useApiForm<FormState>(EMPTY);
  const [editing, setEditing] = useState<{ id: string; initial: FormState; label: string } | null>(null);
  const { preview, ask: askPreview, confirm: applyPreview, cancel: cancelPreview } = usePreviewedChange({ submit, clear });
  const [importFrom, setImportFrom] = useState(new Date().toISOString().slice(0, 10));
  // Rate relations no price list has are refused unless confirmed (lib/pricing/price-entry.ts rateRelationProblems).
  const [ratesConfirmed, setRatesConfirmed] = useState(false);
  const confirmation = ratesConfirmed ? { ratesConfirmed: true } : {};
  const formRef = useRef<HTMLFormElement>(null);

  const set = (k: FormKey) => (e: React.ChangeEvent<HTMLInputElement>) => setValue(k, e.target.value);

  const confirm = () =>
    applyPreview(
      (data, p) =>
        `${p.title}: done. ${data.created.length ? `${data.created.length} entr${data.created.length === 1 ? "y" : "ies"} added. ` : ""}` +
        `${data.retired.length ? `${data.retired.length} retired. ` : ""}` +
        repricedNotice(data.diff),
      () => {
        setEditing(null);
        setForm(EMPTY);
        setRatesConfirmed(false);
      },
    );

  function submitForm(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const entry = entryBody(form, editing?.initial);
    if (!entry.ok) return fail("The price entry is not valid.", entry.problems);
    if (editing) {
      void askPreview(`Edit ${editing.label}`, { method: "PATCH", path: `/api/v1/prices/${editing.id}`, body: { entry: { ...entry.body, ...confirmation } } });
    } else {
      void askPreview(`Add ${form.provider}/${form.modelOrPattern}`, { method: "POST", path: "/api/v1/prices", body: { entry: { ...entry.body, ...confirmation } } });
    }
  }

  function startEdit(p: Price) {
    const initial = formFromPrice(p);
    setEditing({ id: p.id!, initial, label: `${p.provider}/${p.model ?? p.modelPattern} v${p.version}` });
    setForm(initial);
    cancelPreview();
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
  const err = (name: string) => (fieldError(name) ? <span className="mt-1 block text-xs text-red-700">{priceFormMessage(fieldError(name)!)}</span> : null);
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
          {priceFormMessage(error)}
          {Object.keys(fields).length ? " See the highlighted fields." : ""}
        </p>
      ) : null}
      {notice ? <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-emerald-800">{notice}</p> : null}

      {preview ? <PreviewPanel preview={preview} busy={busy} onConfirm={() => void confirm()} onCancel={cancelPreview} /> : null}

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
          <ExtraPartsFields value={form.extras} onChange={(next) => setValue("extras", next)} fields={fields} input={input} />
          <label className="col-span-2 flex items-start gap-2 text-sm text-slate-700 md:col-span-4">
            <input type="checkbox" name="ratesConfirmed" checked={ratesConfirmed} onChange={(e) => setRatesConfirmed(e.target.checked)} className="mt-1" />
            <span>
              {RATES_CONFIRM_LABEL}: tick to save rates that look unusual (a cache read dearer than input, or output 10× or more cheaper than input). Such
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

/** The entry's parts beyond the token rates in one line, the full detail on hover. */
function BillParts({ p }: { p: Price }) {
  const summary = partsSummary(p);
  if (!summary) return null;
  return (
    <div className="mt-0.5 max-w-56 whitespace-normal text-[11px] text-slate-500" data-testid="price-parts" title={partsDetail(p)}>
      {summary}
    </div>
  );
}
