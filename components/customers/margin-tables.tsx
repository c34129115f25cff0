// The customer pages' tables, server-safe: margin per plan or feature, and a page of customers. Money
// through lib/format.ts, one precision per column: totals rounded, per-request figures rounded to their
// own scale; a figure without revenue says "no revenue", never 100 %.
import Decimal from "decimal.js";
import Link from "next/link";
import { formatCount, formatRatio, formatUsd } from "@/lib/format";
import type { CustomerLine, GroupMargin } from "@/lib/customers/margin";
import { TableBox } from "@/components/ui/table-box";

export const th = "px-3 py-2 font-medium";
export const td = "num px-3 py-1.5 text-right whitespace-nowrap";
export const thead = "bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500";

/** A percentage given in percent ("12.34") as "12.3%"; null as `missing`. */
export function percent(v: string | null, missing = "no revenue"): string {
  return v === null ? missing : formatRatio(new Decimal(v).div(100).toFixed(), { missing });
}

export function customerHref(month: string, id: string): string {
  return `/customers/${month}/${encodeURIComponent(id)}`;
}

/** "assumed" beside a revenue that is (partly) requests × a plan's assumed rate. */
export function AssumedMark({ revenue, assumedRevenue }: { revenue: string | null; assumedRevenue: string | null }) {
  if (assumedRevenue === null || revenue === null) return null;
  const all = new Decimal(assumedRevenue).equals(revenue);
  return (
    <span className="ml-1 rounded bg-sky-100 px-1 text-xs text-sky-900" title={all ? "Requests × the plan's assumed revenue per request: no revenue was uploaded" : `${formatUsd(assumedRevenue)} of it is assumed (requests × a plan's revenue per request)`}>
      {all ? "assumed" : "part assumed"}
    </span>
  );
}

function RevenueCells({ revenue, assumedRevenue, margin, marginPct, costSharePct }: { revenue: string | null; assumedRevenue: string | null; margin: string | null; marginPct: string | null; costSharePct: string | null }) {
  if (revenue === null) return <><td className={`${td} text-slate-500`} colSpan={4}>no revenue</td></>;
  const zero = new Decimal(revenue).isZero();
  return (
    <>
      <td className={td}>{formatUsd(revenue)}<AssumedMark revenue={revenue} assumedRevenue={assumedRevenue} /></td>
      <td className={`${td} ${margin !== null && new Decimal(margin).isNegative() ? "text-red-700" : ""}`}>{formatUsd(margin)}</td>
      <td className={td}>{zero ? <span className="text-slate-500" title="Revenue is zero: a share of it cannot exist">n/a (revenue $0)</span> : percent(marginPct)}</td>
      <td className={td}>{zero ? <span className="text-slate-500">n/a</span> : percent(costSharePct)}</td>
    </>
  );
}

export function GroupTable({ what, rows, testId }: { what: string; rows: GroupMargin[]; testId: string }) {
  return (
    <TableBox>
      <table className="w-full text-sm" data-testid={testId}>
        <thead className={thead}>
          <tr>
            <th className={th}>{what}</th>
            <th className={`${th} text-right`}>Customers</th>
            <th className={`${th} text-right`}>With revenue</th>
            <th className={`${th} text-right`}>Requests</th>
            <th className={`${th} text-right`}>AI cost</th>
            <th className={`${th} text-right`}>Per request</th>
            <th className={`${th} text-right`}>Revenue</th>
            <th className={`${th} text-right`} title="Revenue − the AI cost of the customers with revenue">Margin</th>
            <th className={`${th} text-right`}>Margin %</th>
            <th className={`${th} text-right`}>Cost share</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr><td className="px-3 py-2 text-slate-500" colSpan={10}>No customer cost or revenue this month.</td></tr>
          ) : null}
          {rows.map((r) => (
            <tr key={r.key ?? "(none)"} className="border-t border-slate-100">
              <td className="px-3 py-1.5">{r.key ?? <span className="text-slate-500">(none)</span>}</td>
              <td className={td}>{formatCount(r.customers)}</td>
              <td className={td}>{formatCount(r.customersWithRevenue)}</td>
              <td className={td}>{formatCount(r.requests)}</td>
              <td className={td}>{formatUsd(r.cost)}</td>
              <td className={td}>{formatUsd(r.costPerRequest, { missing: "n/a (no requests)" })}</td>
              <RevenueCells {...r} />
            </tr>
          ))}
        </tbody>
      </table>
    </TableBox>
  );
}

export function CustomerTable({ month, lines, testId, empty }: { month: string; lines: CustomerLine[]; testId: string; empty: string }) {
  return (
    <TableBox>
      <table className="w-full text-sm" data-testid={testId}>
        <thead className={thead}>
          <tr>
            <th className={th}>Customer</th>
            <th className={th}>Plan</th>
            <th className={`${th} text-right`}>Requests</th>
            <th className={`${th} text-right`}>AI cost</th>
            <th className={`${th} text-right`}>Per request</th>
            <th className={`${th} text-right`}>Revenue</th>
            <th className={`${th} text-right`}>Margin</th>
            <th className={`${th} text-right`}>Margin %</th>
            <th className={`${th} text-right`}>Cost share</th>
          </tr>
        </thead>
        <tbody>
          {lines.length === 0 ? <tr><td className="px-3 py-2 text-slate-500" colSpan={9}>{empty}</td></tr> : null}
          {lines.map((l) => (
            <tr key={l.customerId} className={`border-t border-slate-100 ${l.underWater ? "bg-red-50" : ""}`} data-customer={l.customerId}>
              <td className="max-w-64 truncate px-3 py-1.5">
                <Link href={customerHref(month, l.customerId)} className="text-blue-700 hover:underline">{l.name ?? l.customerId}</Link>
                {l.name ? <span className="ml-1 text-xs text-slate-600">{l.customerId}</span> : null}
                {l.underWater ? <span className="ml-1 rounded bg-red-100 px-1 text-xs text-red-800">under water</span> : null}
                {l.unknown ? <span className="ml-1 rounded bg-amber-100 px-1 text-xs text-amber-900" title="Revenue was uploaded for an id no event names">no events</span> : null}
              </td>
              <td className="px-3 py-1.5">{l.plan ?? <span className="text-slate-600">(none)</span>}</td>
              <td className={td}>{formatCount(l.requests)}</td>
              <td className={td}>{formatUsd(l.cost)}</td>
              <td className={td}>{formatUsd(l.costPerRequest, { missing: "n/a (no requests)" })}</td>
              <RevenueCells {...l} />
            </tr>
          ))}
        </tbody>
      </table>
    </TableBox>
  );
}
