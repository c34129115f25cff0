"use client";
// The preview of a price-book change (a price, an import, a contract): the dry run's re-pricing per model
// and month, closed months that refuse it, and Confirm / Cancel. Used by every form of Settings → Prices.
import type { PriceView } from "@/lib/pricing/price-book";
import type { ContractView } from "@/lib/pricing/contracts";
import { useEffect, useRef, useState } from "react";
import { TableBox } from "@/components/ui/table-box";
import { formatUsd } from "@/lib/format";
import type { useApiForm } from "@/components/ui/use-api-form";

type Price = Omit<PriceView, "createdAt">;
type DiffRow = { provider: string; model: string; month: string; events: number; oldTotal: string; newTotal: string; unpricedToPriced: number; pricedToUnpriced: number; closed: boolean };
type Diff = { events: number; months: string[]; oldTotal: string; newTotal: string; unpricedToPriced: number; pricedToUnpriced: number; rows: DiffRow[]; closedMonths: string[] };
export type ChangeResult = {
  applied: boolean;
  kind: string;
  created: Price[];
  retired: Price[];
  shortened: Price[];
  skipped: { key: string; reason: string }[];
  warnings: { key: string; message: string }[];
  diff: Diff;
  contracts?: { created: ContractView[]; retired: ContractView[] };
};
export type ChangeRequest = { method: "POST" | "PATCH" | "DELETE"; path: string; body?: Record<string, unknown> };
export type Preview = { title: string; apply: ChangeRequest; result: ChangeResult };

/** The same call as a dry run: ?dryRun=1 for a DELETE, "dryRun": true in the body otherwise. */
export function dryRunOf(req: ChangeRequest): ChangeRequest {
  return req.method === "DELETE" ? { ...req, path: `${req.path}?dryRun=1` } : { ...req, body: { ...req.body, dryRun: true } };
}

/**
 * A change previewed before it is applied, through a form's useApiForm: `ask` runs the dry run and shows its
 * preview; `confirm` applies it, says `notice` of the answer, then runs `after` (to reset the form).
 */
export function usePreviewedChange(form: Pick<ReturnType<typeof useApiForm>, "submit" | "clear">) {
  const [preview, setPreview] = useState<Preview | null>(null);
  async function ask(title: string, req: ChangeRequest) {
    form.clear();
    const dry = dryRunOf(req);
    const r = await form.submit<ChangeResult>(dry.path, dry.method, dry.body, { refresh: false });
    setPreview(r.ok ? { title, apply: req, result: r.data } : null);
  }
  async function confirm(notice: (data: ChangeResult, p: Preview) => string, after: (p: Preview) => void) {
    if (!preview) return;
    const p = preview;
    const r = await form.submit<ChangeResult>(p.apply.path, p.apply.method, p.apply.body, { onSuccess: (data) => notice(data, p) });
    if (!r.ok) return;
    setPreview(null);
    after(p);
  }
  return { preview, ask, confirm, cancel: () => setPreview(null) };
}

/** What an applied change re-priced, for the form's notice. */
export function repricedNotice(d: Diff): string {
  return d.events ? `${d.events} events re-priced: ${formatUsd(d.oldTotal)} → ${formatUsd(d.newTotal)}.` : "No stored event changed.";
}

export function PreviewPanel({
  preview,
  busy,
  onConfirm,
  onCancel,
  name = "Preview",
}: {
  preview: Preview;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  /** The region's accessible name, when a page has more than one kind of preview. */
  name?: string;
}) {
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
    <section ref={ref} aria-label={name} className="rounded-lg border-2 border-slate-900 bg-white p-4">
      <h2 className="font-semibold">Preview: {preview.title}</h2>
      <p className="mt-1" data-testid="preview-summary">
        {d.events === 0
          ? "No stored event changes."
          : `${d.events} event${d.events === 1 ? "" : "s"} in ${d.months.length} month${d.months.length === 1 ? "" : "s"} change: ${formatUsd(d.oldTotal)} → ${formatUsd(d.newTotal)}.`}
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
                <td className="num py-1 pr-4 text-right" title={r.oldTotal}>{formatUsd(r.oldTotal)}</td>
                <td className="num py-1 pr-4 text-right" title={r.newTotal}>{formatUsd(r.newTotal)}</td>
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
