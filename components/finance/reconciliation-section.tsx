// The finance month page's reconciliation: computed against what each provider invoiced for the month,
// then per UTC day and model against the providers' own cost reports, with the month's dark spend.
import { formatCount, formatPct, formatUsd } from "@/lib/format";
import type { Reconciliation } from "@/lib/finance/reconciliation";
import type { DailyReconciliation } from "@/lib/finance/provider-costs/reconcile";
import { Card } from "@/components/ui/card";
import { TableBox } from "@/components/ui/table-box";
import { InvoicesForm } from "@/components/finance/invoices-form";
import { ProviderCostsUpload } from "@/components/finance/provider-costs-upload";
import { DailyReconciliationTable } from "@/components/finance/daily-reconciliation-table";

const STATUS_LABEL = {
  within: "Within tolerance",
  over: "Computed above invoice",
  under: "Computed below invoice",
  no_invoice: "No invoice entered",
  not_invoiced: "No invoice to meet",
} as const;
const STATUS_CLASS = {
  within: "bg-emerald-100 text-emerald-900",
  over: "bg-amber-100 text-amber-900",
  under: "bg-amber-100 text-amber-900",
  no_invoice: "bg-slate-100 text-slate-700",
  not_invoiced: "border border-slate-200 bg-white text-slate-700",
} as const;

const th = "px-3 py-2 font-medium";
const td = "num px-3 py-1.5 text-right";
const TOP_DARK = 5;

const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;

function DarkSpend({ daily }: { daily: DailyReconciliation }) {
  const d = daily.darkSpend;
  const top = daily.lines.filter((l) => l.status === "dark_spend").slice(0, TOP_DARK);
  if (d.lines === 0) {
    return (
      <p className="mb-3 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900" data-testid="month-dark-spend">
        No dark spend: every day and model the imported reports bill has events.
      </p>
    );
  }
  return (
    <div className="mb-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-950" data-testid="month-dark-spend">
      <ul className="space-y-1">
        {d.providers.map((p) => (
          <li key={p.provider} className="font-medium">
            {`${formatUsd(p.totalCost)} reported by ${p.provider} on ${plural(p.days, "day")} with no events: an uninstrumented service or key?`}
          </li>
        ))}
      </ul>
      <p className="mt-2 text-xs text-red-900">
        {d.lines > top.length ? `The largest ${top.length} of ${plural(d.lines, "dark line")}` : plural(d.lines, "dark line")}:{" "}
        {top.map((l, i) => (
          <span key={`${l.provider}/${l.day}/${l.model ?? ""}`} className="num">
            {`${i ? "; " : ""}${l.day} ${l.provider} ${l.model ?? "(no model)"} ${formatUsd(l.reportedCost)}`}
          </span>
        ))}
        .
      </p>
    </div>
  );
}

export function ReconciliationSection({
  reconciliation,
  daily,
  month,
  canWrite,
  closed,
}: {
  reconciliation: Reconciliation;
  daily: DailyReconciliation;
  month: string;
  canWrite: boolean;
  closed: boolean;
}) {
  return (
    <>
      <Card title="Reconciliation with provider invoices" className="mb-4">
        <p className="mb-3 max-w-4xl text-sm text-slate-600">
          Computed = the provider&apos;s direct cost in the month: billed (the provider&apos;s own figure on the event) plus estimated (from the price book).
          GPU shares and overhead are not on a provider&apos;s invoice. Variance = computed − invoiced; within tolerance when |variance| ≤ {reconciliation.tolerancePct}% of the invoice.
        </p>
        <TableBox>
          <table className="w-full text-sm" data-testid="reconciliation-table">
            <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className={th}>Provider</th>
                <th className={`${th} text-right`}>Billed events</th>
                <th className={`${th} text-right`}>Billed cost</th>
                <th className={`${th} text-right`}>Estimated events</th>
                <th className={`${th} text-right`}>Estimated cost</th>
                <th className={`${th} text-right`}>Unpriced events</th>
                <th className={`${th} text-right`}>Computed</th>
                <th className={`${th} text-right`}>Invoiced</th>
                <th className={`${th} text-right`}>Variance</th>
                <th className={th}>Status</th>
                <th className={th}>Invoice note</th>
              </tr>
            </thead>
            <tbody>
              {reconciliation.lines.map((l) => (
                <tr key={l.provider} className="border-t border-slate-100">
                  <td className="whitespace-nowrap px-3 py-1.5">{l.provider}</td>
                  <td className={td}>{formatCount(l.billedEvents)}</td>
                  <td className={td}>{formatUsd(l.billedCost)}</td>
                  <td className={td}>{formatCount(l.estimatedEvents)}</td>
                  <td className={td}>{formatUsd(l.estimatedCost)}</td>
                  <td className={td}>{formatCount(l.unpricedEvents)}</td>
                  <td className={`${td} font-medium`}>{formatUsd(l.computedCost)}</td>
                  <td className={td}>{formatUsd(l.invoicedCost)}</td>
                  <td className={td}>{l.varianceUsd === null ? "—" : `${formatUsd(l.varianceUsd)} (${formatPct(l.variancePct)})`}</td>
                  <td className="px-3 py-1.5">
                    <span className={`whitespace-nowrap rounded px-1.5 py-0.5 text-xs ${STATUS_CLASS[l.status]}`}>{STATUS_LABEL[l.status]}</span>
                  </td>
                  <td className="max-w-48 truncate px-3 py-1.5 text-slate-600" title={l.invoiceNote ?? undefined}>{l.invoiceNote || ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableBox>
        {canWrite ? (
          <InvoicesForm
            month={month}
            providers={reconciliation.lines
              .filter((l) => l.status !== "not_invoiced")
              .map((l) => ({ provider: l.provider, invoicedCost: l.invoicedCost, invoiceNote: l.invoiceNote }))}
            tolerancePct={reconciliation.tolerancePct}
            disabled={closed}
          />
        ) : null}
      </Card>

      <Card title="Reconciliation with provider cost reports" className="mb-4">
        <p className="mb-3 max-w-4xl text-sm text-slate-600">
          Per UTC day and model: computed from the events (billed, estimated or what could be priced) against the provider&apos;s own cost report
          for that day, on the days a report was imported ({plural(daily.reportedDays, "provider day")} this month). Largest unexplained gap first;
          within tolerance when |variance| ≤ {daily.tolerancePct}% of the reported cost.
        </p>
        {daily.reportedDays === 0 ? (
          <p className="mb-3 text-sm text-slate-600" data-testid="daily-reconciliation-empty">
            No provider cost report has been imported for {month} yet{canWrite ? ": upload one below, or pull it with the CLI (see the README)." : "."}
          </p>
        ) : (
          <>
            <DarkSpend daily={daily} />
            <DailyReconciliationTable lines={daily.lines} totals={daily.totals} />
          </>
        )}
        {canWrite ? <ProviderCostsUpload /> : null}
      </Card>
    </>
  );
}
