import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import Decimal from "decimal.js";
import { requirePage } from "@/lib/auth/session";
import { can } from "@/lib/auth/principal";
import { formatCount, formatUsd, formatUtc } from "@/lib/format";
import { parseMonth } from "@/lib/finance/months";
import { customerIdValue } from "@/lib/customers/schemas";
import { customerPageData } from "@/lib/customers/page-data";
import { PageHeader } from "@/components/ui/page-header";
import { Headline } from "@/components/ui/headline";
import { Card } from "@/components/ui/card";
import { TableBox } from "@/components/ui/table-box";
import { AssumedMark, customerHref, percent, td, th, thead } from "@/components/customers/margin-tables";
import { CustomerHistoryChart } from "@/components/customers/history-chart";
import { CustomerForm } from "@/components/customers/customer-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Customer" };


export default async function CustomerPage({ params }: { params: Promise<{ month: string; id: string }> }) {
  const { month, id: raw } = await params;
  const user = await requirePage("finance.read", `/customers/${month}/${raw}`);
  const m = parseMonth(month);
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    notFound();
  }
  const id = customerIdValue.safeParse(decoded);
  if (!m || !id.success) notFound();
  const data = await customerPageData(id.data, m);
  const c = data.customer;
  if (!c) notFound();
  const canWrite = can({ kind: "user", user }, "finance.write");
  const f = c.figures;
  const btn = "rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50";
  const revenue = f?.revenue ?? null;
  const zeroRevenue = revenue !== null && new Decimal(revenue).isZero();
  const vsPlan = f?.costPerRequest && c.planCostPerRequest && !new Decimal(c.planCostPerRequest).isZero()
    ? `${new Decimal(f.costPerRequest).div(c.planCostPerRequest).toFixed(2)}× the ${c.plan} plan's ${formatUsd(c.planCostPerRequest)}`
    : c.plan === null ? "n/a: no plan to compare with" : "n/a: the plan had no requests";

  return (
    <>
      <PageHeader
        title={`${c.name ?? c.customerId} · ${data.month}`}
        description={`${c.name ? `${c.customerId} · ` : ""}plan ${c.plan ?? "(none)"}${c.planSetByHand ? " (set by hand)" : c.plan ? " (from its events' cohort)" : ""}${c.firstSeen ? ` · seen ${formatUtc(c.firstSeen).slice(0, 10)} … ${formatUtc(c.lastSeen).slice(0, 10)}` : " · no events yet"}`}
        actions={
          <>
            <Link href={`/customers/${data.month}`} className={btn}>All customers</Link>
            <Link href={customerHref(data.previousMonth, c.customerId)} className={btn}>← {data.previousMonth}</Link>
            <Link href={customerHref(data.nextMonth, c.customerId)} className={btn}>{data.nextMonth} →</Link>
          </>
        }
      />
      {f?.underWater ? <p className="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="customer-under-water">Under water in {data.month}: AI cost {formatUsd(f.cost)} is above revenue {formatUsd(f.revenue)}.</p> : null}
      <section aria-label="The customer's month" className="mb-4 grid grid-cols-2 gap-3 md:grid-cols-5">
        <Headline testId="customer-cost" label="AI cost" value={formatUsd(f?.cost ?? "0")} />
        <Headline testId="customer-requests" label="Requests" value={formatCount(f?.requests ?? 0)} />
        <Headline testId="customer-cpr" label="Per request" value={formatUsd(f?.costPerRequest, { missing: "n/a" })} detail={f?.costPerRequest ? vsPlan : "n/a: no requests this month"} />
        <Headline testId="customer-revenue" label="Revenue" value={revenue === null ? "no revenue" : formatUsd(revenue)}
          detail={revenue === null ? "none uploaded for this month" : f?.revenueSource === "assumed" ? `assumed: ${formatCount(f.requests)} requests × ${formatUsd(f.assumedRevenuePerRequest)} (the plan's rate)` : undefined} />
        <Headline testId="customer-margin" label="Margin" value={revenue === null ? "no revenue" : formatUsd(f?.margin)}
          detail={revenue === null ? undefined : zeroRevenue ? "n/a %: revenue is $0" : `${percent(f?.marginPct ?? null)} · AI cost ${percent(f?.costSharePct ?? null)} of revenue`} />
      </section>

      <Card title="By feature" className="mb-4">
        <TableBox>
          <table className="w-full text-sm" data-testid="customer-features">
            <thead className={thead}>
              <tr>
                <th className={th}>Feature</th>
                <th className={`${th} text-right`}>Requests</th>
                <th className={`${th} text-right`}>AI cost</th>
                <th className={`${th} text-right`}>Per request</th>
                <th className={`${th} text-right`}>Revenue</th>
                <th className={`${th} text-right`}>Margin</th>
                <th className={`${th} text-right`}>Margin %</th>
              </tr>
            </thead>
            <tbody>
              {c.byFeature.length === 0 ? <tr><td className="px-3 py-2 text-slate-500" colSpan={7}>No cost this month.</td></tr> : null}
              {c.byFeature.map((r) => (
                <tr key={r.feature ?? "(none)"} className="border-t border-slate-100">
                  <td className="px-3 py-1.5">{r.feature ?? <span className="text-slate-500">(none)</span>}</td>
                  <td className={td}>{formatCount(r.requests)}</td>
                  <td className={td}>{formatUsd(r.cost)}</td>
                  <td className={td}>{formatUsd(r.costPerRequest, { missing: "n/a (no requests)" })}</td>
                  {r.revenue === null ? <td className={`${td} text-slate-500`} colSpan={3}>no revenue for this feature</td> : (
                    <>
                      <td className={td}>{formatUsd(r.revenue)}<AssumedMark revenue={r.revenue} assumedRevenue={r.assumedRevenue} /></td>
                      <td className={td}>{formatUsd(r.margin)}</td>
                      <td className={td}>{percent(r.marginPct, "n/a (revenue $0)")}</td>
                    </>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </TableBox>
        <p className="mt-2 text-xs text-slate-500">Revenue per feature exists only where it was uploaded with a feature (or, without any uploaded revenue this month, is assumed from the plan&apos;s rate); the customer&apos;s whole revenue is in the figures above.</p>
      </Card>

      <Card title="Twelve months: AI cost and revenue" className="mb-4">
        <CustomerHistoryChart history={c.history} />
      </Card>

      {canWrite && c.firstSeen ? (
        <Card title="Name and plan" className="mb-4">
          <CustomerForm id={c.customerId} name={c.name} plan={c.planSetByHand ? c.plan : null} lastCohort={c.lastCohort} />
        </Card>
      ) : null}
    </>
  );
}
