// The finance month page's reconciliation: computed against what each provider invoiced for the month.
import { formatCount, formatPct, formatUsd } from "@/lib/format";
import type { Reconciliation } from "@/lib/finance/reconciliation";
import { Card } from "@/components/ui/card";
import { TableBox } from "@/components/ui/table-box";
import { InvoicesForm } from "@/components/finance/invoices-form";

const STATUS_LABEL = { within: "Within tolerance", over: "Computed above invoice", under: "Computed below invoice", no_invoice: "No invoice entered" } as const;
const STATUS_CLASS = { within: "bg-emerald-100 text-emerald-900", over: "bg-amber-100 text-amber-900", under: "bg-amber-100 text-amber-900", no_invoice: "bg-slate-100 text-slate-700" } as const;

const th = "px-3 py-2 font-medium";
const td = "num px-3 py-1.5 text-right";

export function ReconciliationSection({ reconciliation, month, canWrite, closed }: { reconciliation: Reconciliation; month: string; canWrite: boolean; closed: boolean }) {
  return (
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
              </tr>
            </thead>
            <tbody>
              {reconciliation.lines.map((l) => (
                <tr key={l.provider} className="border-t border-slate-100">
                  <td className="px-3 py-1.5">{l.provider}</td>
                  <td className={td}>{formatCount(l.billedEvents)}</td>
                  <td className={td}>{formatUsd(l.billedCost)}</td>
                  <td className={td}>{formatCount(l.estimatedEvents)}</td>
                  <td className={td}>{formatUsd(l.estimatedCost)}</td>
                  <td className={td}>{formatCount(l.unpricedEvents)}</td>
                  <td className={`${td} font-medium`}>{formatUsd(l.computedCost)}</td>
                  <td className={td}>{formatUsd(l.invoicedCost)}</td>
                  <td className={td}>{l.varianceUsd === null ? "—" : `${formatUsd(l.varianceUsd)} (${formatPct(l.variancePct)})`}</td>
                  <td className="px-3 py-1.5"><span className={`rounded px-1.5 py-0.5 text-xs ${STATUS_CLASS[l.status]}`}>{STATUS_LABEL[l.status]}</span></td>
                </tr>
              ))}
            </tbody>
          </table>
          </TableBox>
          {canWrite ? (
            <InvoicesForm
              month={month}
              providers={reconciliation.lines.filter((l) => l.provider !== "(no provider)").map((l) => ({ provider: l.provider, invoicedCost: l.invoicedCost }))}
              tolerancePct={reconciliation.tolerancePct}
              disabled={closed}
            />
          ) : null}
        </Card>
  );
}
