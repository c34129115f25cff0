"use client";
// Upload a provider's own cost report (the JSON OpenAI's organisation Costs API or Anthropic's Admin API
// cost report returns: one page, an array of pages, or {provider, pages}) to POST /api/v1/finance/provider-costs.
import { useRef, useState } from "react";
import { useApiForm } from "@/components/ui/use-api-form";
import { formatCount, formatUsd } from "@/lib/format";

type Imported = { provider: string; days: number; lines: number; totalUsd: string; from: string | null; to: string | null };

export function ProviderCostsUpload() {
  const { error, notice, pending, submit, fail, clear } = useApiForm(undefined, { showsFieldErrors: false });
  const [provider, setProvider] = useState<"" | "openai" | "anthropic">("");
  const [file, setFile] = useState<File | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  async function upload() {
    if (!file) return fail("Choose the cost report file first.");
    if (!provider) return fail("Choose the provider whose cost report this is.");
    clear();
    let json: unknown;
    try {
      json = JSON.parse(await file.text());
    } catch {
      return fail(`${file.name} is not JSON: a provider cost report is the JSON the OpenAI Costs API or the Anthropic cost report returns.`);
    }
    const pages = json && typeof json === "object" && !Array.isArray(json) && "pages" in json ? (json as { pages: unknown }).pages : Array.isArray(json) ? json : [json];
    const r = await submit<Imported>("/api/v1/finance/provider-costs", "POST", { provider, pages }, {
      onSuccess: (d) =>
        d.lines === 0
          ? `${file.name} holds no cost lines: nothing was imported.`
          : `Imported ${formatCount(d.lines)} ${provider} cost line${d.lines === 1 ? "" : "s"} covering ${formatCount(d.days)} day${d.days === 1 ? "" : "s"} (${d.from === d.to ? d.from : `${d.from} … ${d.to}`}), ${formatUsd(d.totalUsd)} in all.`,
    });
    if (r.ok) {
      setFile(null);
      if (fileInput.current) fileInput.current.value = "";
    } else fail(`${file.name}: ${r.message}`);
  }

  return (
    <form onSubmit={(e) => { e.preventDefault(); void upload(); }} className="mt-4 space-y-2 text-sm" aria-label="Provider cost report">
      {error ? <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-700">{error}</p> : null}
      {notice ? <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-emerald-800" data-testid="provider-costs-result">{notice}</p> : null}
      <div className="flex flex-wrap items-end gap-3">
        <label className="block">
          <span className="mb-1 block text-xs font-medium text-slate-600">Provider</span>
          <select value={provider} onChange={(e) => setProvider(e.currentTarget.value as typeof provider)} className="rounded-md border border-slate-300 px-2 py-1.5" aria-label="Report provider">
            <option value="">Choose…</option>
            <option value="openai">OpenAI (organisation Costs API)</option>
            <option value="anthropic">Anthropic (Admin API cost report)</option>
          </select>
        </label>
        <label className="block min-w-0">
          <span className="mb-1 block text-xs font-medium text-slate-600">Cost report (JSON)</span>
          <input
            ref={fileInput}
            type="file"
            accept=".json,application/json"
            onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
            aria-label="Cost report file"
            className="max-w-full text-sm"
          />
        </label>
        <button type="submit" disabled={!file || !provider || pending} className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700 disabled:opacity-50">
          Upload report
        </button>
      </div>
      <p className="text-xs text-slate-500">The days the report covers replace what was imported for them, so uploading the same report again never doubles it.</p>
    </form>
  );
}
