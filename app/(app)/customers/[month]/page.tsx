import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePage } from "@/lib/auth/session";
import { can } from "@/lib/auth/principal";
import { formatCount, formatPoints, formatUsd } from "@/lib/format";
import { parseMonth } from "@/lib/finance/months";
import { CUSTOMER_SORTS, customerListQuery, type CustomerSort } from "@/lib/customers/schemas";
import { customersPageData } from "@/lib/customers/page-data";
import { PageHeader } from "@/components/ui/page-header";
import { Headline } from "@/components/ui/headline";
import { Card } from "@/components/ui/card";
import { TableBox } from "@/components/ui/table-box";
import { CustomerTable, GroupTable, customerHref, percent, td, th, thead } from "@/components/customers/margin-tables";
import { ConcentrationChart } from "@/components/customers/concentration-chart";
import { RevenueUpload } from "@/components/customers/revenue-upload";
import { PlanRatesForm } from "@/components/customers/plan-rates-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Customers" };

type Search = Record<string, string | string[] | undefined>;

const SORT_LABEL: Record<CustomerSort, string> = { cost: "AI cost, highest first", margin: "Margin, lowest first", requests: "Requests, most first", costPerRequest: "Cost per request, highest first" };


export default async function CustomersMonthPage({ params, searchParams }: { params: Promise<{ month: string }>; searchParams: Promise<Search> }) {
  const { month } = await params;
  const user = await requirePage("finance.read", `/customers/${month}`);
  if (!parseMonth(month)) notFound();
  const sp = await searchParams;
  const one = (k: string) => (typeof sp[k] === "string" && sp[k] !== "" ? (sp[k] as string) : undefined);
  // A hand-edited address with a bad sort or page falls back to the defaults rather than failing.
  const parsed = customerListQuery.safeParse({ month, q: one("q"), sort: one("sort"), page: one("page") });
  const query = parsed.success ? parsed.data : customerListQuery.parse({ month, q: one("q")?.slice(0, 200) });
  const data = await customersPageData(query);
  const canWrite = can({ kind: "user", user }, "finance.write");
  const o = data.overview.organisation;
  const h = data.overview.heaviest;
  const list = data.list;
  const pages = Math.max(1, Math.ceil(list.total / list.pageSize));
  const pageLink = (page: number) => {
    const u = new URLSearchParams();
    if (query.q) u.set("q", query.q);
    if (query.sort !== "cost") u.set("sort", query.sort);
    if (page > 1) u.set("page", String(page));
    const s = u.toString();
    return `/customers/${month}${s ? `?${s}` : ""}`;
  };
  const btn = "rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50";
  const noRevenue = o.revenue === null;

  return (
    <>
      <PageHeader
        title={`Customers · ${data.month}`}
        description={`AI cost per customer against the revenue uploaded for them, booked like finance's month (${data.timezone}): direct cost, GPU share and overhead.`}
        actions={
          <>
            <Link href={`/customers/${data.previousMonth}`} className={btn}>← {data.previousMonth}</Link>
            <Link href={`/customers/${data.nextMonth}`} className={btn}>{data.nextMonth} →</Link>
          </>
        }
      />
      {!data.ended ? <p className="mb-4 rounded-md bg-amber-100 px-3 py-2 text-sm text-amber-900">In progress: the month has not ended, so its cost is still growing.</p> : null}

      <section aria-label="The month's margin" className="mb-4 grid grid-cols-2 gap-3 md:grid-cols-4" data-testid="board-number">
        <Headline testId="board-cost" label="AI cost" value={formatUsd(o.cost)} detail={`${formatUsd(o.customerCost)} attributed to customers`} />
        <Headline testId="board-revenue" label="Revenue" value={noRevenue ? "no revenue" : formatUsd(o.revenue)}
          detail={noRevenue ? "none uploaded for this month" : `${o.assumedRevenue === null ? "" : `${formatUsd(o.assumedRevenue)} assumed · `}${data.overview.previousMonth}: ${o.previous.revenue === null ? "no revenue" : formatUsd(o.previous.revenue)}`} />
        <Headline testId="board-margin" label="Gross margin" value={noRevenue ? "no revenue" : percent(o.marginPct, "n/a (revenue $0)")}
          detail={noRevenue ? undefined : `${formatUsd(o.margin)} · ${o.marginPctChange === null ? `n/a vs ${data.overview.previousMonth} (no revenue then)` : `${formatPoints(o.marginPctChange)} vs ${data.overview.previousMonth}`}`} />
        <Headline testId="board-share" label="AI cost share of revenue" value={noRevenue ? "no revenue" : percent(o.costSharePct, "n/a (revenue $0)")}
          detail={o.previous.costSharePct === null ? undefined : `${data.overview.previousMonth}: ${percent(o.previous.costSharePct)}`} />
      </section>

      <Card title="Margin by plan" className="mb-4">
        <p className="mb-3 text-sm text-slate-600">Margin is taken on the customers that have revenue; AI cost counts every customer of the plan.</p>
        <GroupTable what="Plan" rows={data.overview.byPlan} testId="margin-by-plan" />
      </Card>

      <Card title="Margin by feature" className="mb-4">
        <p className="mb-3 text-sm text-slate-600">Revenue per feature is the rows uploaded with a feature; a feature without such rows shows no revenue.</p>
        <GroupTable what="Feature" rows={data.overview.byFeature} testId="margin-by-feature" />
      </Card>

      <Card title={`Under water (${formatCount(data.underWater.total)})`} className="mb-4">
        <p className="mb-3 text-sm text-slate-600">Customers whose AI cost this month is above their revenue, lowest margin first.</p>
        <CustomerTable month={data.month} lines={data.underWater.lines} testId="under-water-table" empty="No customer is under water this month." />
        {data.underWater.total > data.underWater.lines.length ? <p className="mt-2 text-xs text-slate-500">The {data.underWater.lines.length} lowest margins of {formatCount(data.underWater.total)}; the list below holds them all, first.</p> : null}
      </Card>

      <Card title={`All customers (${formatCount(list.total)})`} className="mb-4">
        <form method="get" action={`/customers/${month}`} className="mb-3 flex flex-wrap items-end gap-3 text-sm" role="search" aria-label="Find customers">
          <label className="block">
            <span className="mb-1 block text-xs font-medium text-slate-600">Search id or name</span>
            <input type="search" name="q" defaultValue={query.q ?? ""} className="w-56 max-w-full rounded-md border border-slate-300 px-2 py-1.5" />
          </label>
          <label className="block">
            <span className="mb-1 block text-xs font-medium text-slate-600">Order (under water first)</span>
            <select name="sort" defaultValue={query.sort} className="rounded-md border border-slate-300 px-2 py-1.5">
              {CUSTOMER_SORTS.map((s) => <option key={s} value={s}>{SORT_LABEL[s]}</option>)}
            </select>
          </label>
          <button type="submit" className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700">Show</button>
        </form>
        <CustomerTable month={data.month} lines={list.lines} testId="customer-table" empty={query.q ? `No customer matches “${query.q}” this month.` : "No customer cost or revenue this month."} />
        <nav aria-label="Pages" className="mt-3 flex flex-wrap items-center gap-2 text-sm">
          {list.page > 1 ? <Link href={pageLink(list.page - 1)} className={btn} rel="prev">← Previous</Link> : null}
          <span className="text-slate-600" data-testid="customer-page">Page {formatCount(list.page)} of {formatCount(pages)} · {list.pageSize} per page</span>
          {list.page < pages ? <Link href={pageLink(list.page + 1)} className={btn} rel="next">Next →</Link> : null}
        </nav>
      </Card>

      <Card title="Heaviest users" className="mb-4">
        <div className="mb-3 grid grid-cols-2 gap-3 md:grid-cols-3">
          <Headline testId="top1-share" label="Top 1 % of customers" value={h.top1PctShare === null ? "n/a" : percent(h.top1PctShare)} detail="share of customer AI cost" />
          <Headline testId="top10-share" label="Top 10 % of customers" value={h.top10PctShare === null ? "n/a" : percent(h.top10PctShare)} detail="share of customer AI cost" />
          <Headline testId="customers-with-cost" label="Customers with cost" value={formatCount(h.customers)} />
        </div>
        {h.customers === 0 ? <p className="text-sm text-slate-500">n/a: no customer had AI cost this month, so there is no distribution to draw.</p> : <ConcentrationChart curve={h.curve} />}
        <h3 className="mb-2 mt-4 font-medium">Above their plan</h3>
        <p className="mb-2 text-sm text-slate-600">Customers (10 requests or more) whose cost per request is furthest above their plan&apos;s average this month.</p>
        <TableBox>
          <table className="w-full text-sm" data-testid="above-plan-table">
            <thead className={thead}>
              <tr>
                <th className={th}>Customer</th>
                <th className={th}>Plan</th>
                <th className={`${th} text-right`}>Requests</th>
                <th className={`${th} text-right`}>Per request</th>
                <th className={`${th} text-right`}>Plan&apos;s per request</th>
                <th className={`${th} text-right`}>× plan</th>
              </tr>
            </thead>
            <tbody>
              {h.aboveTheirPlan.length === 0 ? <tr><td className="px-3 py-2 text-slate-500" colSpan={6}>n/a: no customer with a plan had 10 requests or more.</td></tr> : null}
              {h.aboveTheirPlan.map((a) => (
                <tr key={a.customerId} className="border-t border-slate-100">
                  <td className="max-w-64 truncate px-3 py-1.5"><Link href={customerHref(data.month, a.customerId)} className="text-blue-700 hover:underline">{a.name ?? a.customerId}</Link></td>
                  <td className="px-3 py-1.5">{a.plan}</td>
                  <td className={td}>{formatCount(a.requests)}</td>
                  <td className={td}>{formatUsd(a.costPerRequest)}</td>
                  <td className={td}>{formatUsd(a.planCostPerRequest)}</td>
                  <td className={td}>{a.ratio}×</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableBox>
      </Card>

      {canWrite ? (
        <Card title="Upload revenue" className="mb-4">
          <RevenueUpload />
        </Card>
      ) : null}

      {canWrite ? (
        <Card title="Assumed revenue per request, by plan" className="mb-4">
          <PlanRatesForm plans={data.plans} />
        </Card>
      ) : null}

      <Card title="Definitions">
        <ul className="list-disc space-y-1 pl-5 text-sm text-slate-700">
          <li>A customer&apos;s AI cost for a month is booked like finance&apos;s month: each event on its own day in {data.timezone}, GPU shares on the day of their hour, overhead on both. Fully loaded: direct + GPU share + overhead.</li>
          <li>Revenue is what was uploaded for the customer and month: the row without a feature when there is one, otherwise the sum of its per-feature rows. Without uploaded revenue, a customer whose plan has an assumed revenue per request gets its requests × that rate, marked “assumed” (per feature likewise). A customer with neither has no margin: it shows as “no revenue”, never as 100 %.</li>
          <li>Margin = revenue − cost; margin % = margin ÷ revenue; AI cost share = cost ÷ revenue. Under water: it has revenue and its cost is above it.</li>
          <li>The board number: all AI spend of the month (finance&apos;s fully-loaded total, attributed to a customer or not) against all its revenue, uploaded or assumed (the assumed part is named under Revenue); the change is in percentage points of margin against {data.overview.previousMonth}.</li>
          <li>Heaviest users: customers ranked by AI cost; the top 1 % and 10 % (rounded up to whole customers) and their share of all customer cost.</li>
        </ul>
      </Card>
    </>
  );
}
