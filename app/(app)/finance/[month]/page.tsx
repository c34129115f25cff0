import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePage } from "@/lib/auth/session";
import { can } from "@/lib/auth/principal";
import { formatCount, formatPct, formatRatio, formatUsd, moneyPlaces, roundedShares } from "@/lib/format";
import { CHARGEBACK_BY, type ChargebackBy } from "@/lib/finance/chargeback";
import { parseMonth } from "@/lib/finance/months";
import { DIMENSION_LABELS, DIMENSIONS, NO_REQUESTS_REASON, NONE, noRequestsReason, type Dimension, type NoRequestsReason } from "@/lib/finance/monthly";
import { parseMonthlyQuery } from "@/lib/finance/schemas";
import { financeDailyReconciliation, financePageData } from "@/lib/finance/page-data";
import { PageHeader } from "@/components/ui/page-header";
import { Headline } from "@/components/ui/headline";
import { Card } from "@/components/ui/card";
import { MonthClose } from "@/components/finance/month-close";
import { FinanceTrend } from "@/components/finance/finance-trend";
import { ReconciliationSection } from "@/components/finance/reconciliation-section";
import { TableBox } from "@/components/ui/table-box";

const CHARGEBACK_LABEL: Record<ChargebackBy, string> = { team: "Team", tenant: "Tenant / cohort", customer: "Customer" };
const CHARGEBACK_PAGE_LINES = 100;

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Finance" };

type Search = Record<string, string | string[] | undefined>;


const th = "px-3 py-2 font-medium";
const td = "num px-3 py-1.5 text-right";

/**
 * A figure that does not exist for the row ("n/a"), with the reason on hover and for screen readers.
 * "relative" keeps the screen-reader text inside the table's scroll box (an absolute sr-only span would widen the page).
 */
function NotApplicable({ reason }: { reason: NoRequestsReason }) {
  return (
    <span title={NO_REQUESTS_REASON[reason]} className="relative cursor-help text-slate-500 underline decoration-dotted">
      n/a<span className="sr-only"> ({NO_REQUESTS_REASON[reason]})</span>
    </span>
  );
}

/** The reasons behind a table's "n/a" cells, stated under it. */
// "relative" keeps the screen-reader text inside the table's scroll box (an absolute sr-only span would widen the page).
function NotApplicableNotes({ reasons, testId }: { reasons: (NoRequestsReason | null)[]; testId: string }) {
  const used = [...new Set(reasons.filter((r): r is NoRequestsReason => r !== null))];
  if (used.length === 0) return null;
  return (
    <ul className="mt-2 space-y-0.5 text-xs text-slate-600" data-testid={testId}>
      {used.map((r) => <li key={r}>n/a: {NO_REQUESTS_REASON[r]}.</li>)}
    </ul>
  );
}

/**
 * One precision per money column: the rows at the places their smallest amount needs (at most 4: an
 * amount below $0.0001 reads "<$0.0001"), the total at cents unless a cent would hide it.
 */
function columnPlaces<T>(rows: readonly T[], pick: (r: T) => string | null, total: string | null) {
  return { rows: moneyPlaces(rows.map(pick), { max: 4 }), total: moneyPlaces([total], { significant: 1, max: 4 }) };
}

export default async function FinanceMonthPage({ params, searchParams }: { params: Promise<{ month: string }>; searchParams: Promise<Search> }) {
  const { month } = await params;
  const user = await requirePage("finance.read", `/finance/${month}`);
  if (!parseMonth(month)) notFound();
  const sp = await searchParams;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(sp)) if (typeof v === "string" && v !== "" && k !== "g") qs.set(k, v);
  // The grouping form sends one "g" per ticked dimension; none ticked means the month's total only.
  if (sp.form === "1") qs.set("groupBy", sp.g === undefined ? "" : (Array.isArray(sp.g) ? sp.g : [sp.g]).join(","));
  qs.set("month", month);
  let query;
  try {
    query = parseMonthlyQuery(qs);
  } catch {
    qs.delete("groupBy");
    for (const d of DIMENSIONS) qs.delete(d);
    query = parseMonthlyQuery(qs);
  }
  const by: ChargebackBy = (CHARGEBACK_BY as readonly string[]).includes(String(sp.by)) ? (sp.by as ChargebackBy) : "team";
  const data = await financePageData(query, by);
  const canWrite = can({ kind: "user", user }, "finance.write");
  const r = data.rollup;
  const t = r.totals;
  const apiQuery = new URLSearchParams({ month, groupBy: query.groupBy.join(",") });
  for (const [d, v] of Object.entries(query.filters)) apiQuery.set(d, v);
  const link = (changes: Record<string, string | null>) => {
    const u = new URLSearchParams({ groupBy: query.groupBy.join(",") });
    for (const [d, v] of Object.entries(query.filters)) u.set(d, v);
    u.set("by", by);
    for (const [k, v] of Object.entries(changes)) if (v === null) u.delete(k); else u.set(k, v);
    return `/finance/${month}?${u.toString()}`;
  };
  const btn = "rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50";
  const rowReasons = r.rows.map((row) => noRequestsReason(row));
  const totalsReason = noRequestsReason(t);
  const mp = {
    direct: columnPlaces(r.rows, (x) => x.directCost, t.directCost),
    gpu: columnPlaces(r.rows, (x) => x.gpuCost, t.gpuCost),
    overhead: columnPlaces(r.rows, (x) => x.overheadCost, t.overheadCost),
    total: columnPlaces(r.rows, (x) => x.totalCost, t.totalCost),
  };
  // Per request is a column of small amounts: its totals-row figure is shown at the column's places too.
  const perRequestPlaces = moneyPlaces([...r.rows.map((x) => x.costPerRequest), t.costPerRequest]);
  const cb = data.chargeback;
  // Per customer there can be tens of thousands of lines: the page shows the largest and the unattributed
  // line (shares still taken over all of them); the CSV holds every line.
  const cbAllShares = roundedShares(cb.lines.map((l) => l.totalCost), 1);
  const cbShown = cb.lines.map((l, i) => ({ l, i })).filter(({ l, i }) => i < CHARGEBACK_PAGE_LINES || l.owner === null);
  const cbHidden = cb.lines.length - cbShown.length;
  const cbLines = cbShown.map(({ l }) => l);
  const cbShares = cbAllShares === null ? null : cbShown.map(({ i }) => cbAllShares[i]!);
  const cbReasons = cbLines.map((l) => noRequestsReason(l));
  const cp = {
    direct: columnPlaces(cb.lines, (x) => x.directCost, null),
    gpu: columnPlaces(cb.lines, (x) => x.gpuCost, null),
    overhead: columnPlaces(cb.lines, (x) => x.overheadCost, null),
    total: columnPlaces(cb.lines, (x) => x.totalCost, cb.totalCost),
  };

  return (
    <>
      <PageHeader
        title={`Finance · ${data.month}`}
        description={`The month's costs as booked: each event in the month of its own timestamp (${data.timezone}), GPU pool-hour shares in the month of the hour, overhead on both.`}
        actions={
          <>
            <Link href={`/finance/${data.previousMonth}`} className={btn}>← {data.previousMonth}</Link>
            <Link href={`/finance/${data.nextMonth}`} className={btn}>{data.nextMonth} →</Link>
          </>
        }
      />
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <span
          data-testid="month-status"
          className={`rounded-md px-2 py-1 text-sm ${data.status.closed ? "bg-slate-800 text-white" : data.ended ? "bg-slate-100 text-slate-700" : "bg-amber-100 text-amber-900"}`}
        >
          {data.status.closed
            ? `Closed by ${data.status.closedBy} on ${data.status.closedAt?.slice(0, 10)}: re-pricing this month is refused`
            : data.ended
              ? "Open: prices and GPU pools may still re-price this month"
              : "In progress: the month has not ended"}
        </span>
        <MonthClose month={data.month} closed={data.status.closed} canWrite={canWrite} closable={data.ended} />
      </div>
      <div className="mb-4 grid grid-cols-2 gap-3 md:grid-cols-5">
        <Headline testId="finance-total" label="Fully-loaded total" value={formatUsd(t.totalCost)} detail={`${formatPct(t.changePct)} vs ${r.previousMonth}`} />
        <Headline testId="finance-direct" label="Direct cost" value={formatUsd(t.directCost)} detail={[
            `billed ${formatUsd(t.billedCost)} · estimated ${formatUsd(t.estimatedCost)}`,
            t.incompleteCost !== "0" ? ` · priced in part ${formatUsd(t.incompleteCost)}` : "",
            t.listDirectCost !== t.directCost ? ` · ${formatUsd(t.listDirectCost)} at list price` : "",
          ].join("")} />
        <Headline testId="finance-gpu" label="GPU share" value={formatUsd(t.gpuCost)} />
        <Headline testId="finance-overhead" label="Overhead" value={formatUsd(t.overheadCost)} />
        <Headline testId="finance-requests" label="Requests" value={formatCount(t.requests)} detail={`${formatUsd(t.costPerRequest)} per request`} />
      </div>

      <Card title="Trend, 12 months" className="mb-4">
        <FinanceTrend trend={data.trend} dimensionLabel={query.groupBy[0] ? DIMENSION_LABELS[query.groupBy[0]] : null} />
      </Card>

      <Card title="Monthly rollup" className="mb-4">
        <form method="get" action={`/finance/${month}`} className="mb-3 flex flex-wrap items-end gap-4 text-sm" aria-label="Grouping and filters">
          <fieldset className="flex flex-wrap items-center gap-3">
            <legend className="mb-1 text-xs font-medium text-slate-600">Group by</legend>
            {DIMENSIONS.map((d) => (
              <label key={d} className="flex items-center gap-1">
                <input type="checkbox" name="g" value={d} defaultChecked={query.groupBy.includes(d)} />
                {DIMENSION_LABELS[d]}
              </label>
            ))}
          </fieldset>
          {(["team", "feature", "cohort", "provider", "model"] as Dimension[]).map((d) => (
            <label key={d} className="block">
              <span className="mb-1 block text-xs font-medium text-slate-600">{DIMENSION_LABELS[d]}</span>
              <select name={d} defaultValue={query.filters[d] ?? ""} className="rounded-md border border-slate-300 px-2 py-1">
                <option value="">All</option>
                {data.values[d].map((v) => (
                  <option key={v ?? NONE} value={v ?? NONE}>{v ?? NONE}</option>
                ))}
              </select>
            </label>
          ))}
          <input type="hidden" name="by" value={by} />
          <input type="hidden" name="form" value="1" />
          <button type="submit" className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700">Apply</button>
        </form>
        <div className="mb-3 flex flex-wrap gap-2 text-sm">
          <a data-testid="download-monthly-csv" href={`/api/v1/finance/monthly?${apiQuery.toString()}&format=csv`} className={btn} download>Download CSV</a>
          <a data-testid="download-focus-csv" href={`/api/v1/finance/monthly?month=${month}&format=focus`} className={btn} download>Download FOCUS CSV</a>
          <a data-testid="download-focus-parquet" href={`/api/v1/finance/monthly?month=${month}&format=focus-parquet`} className={btn} download>Download FOCUS (Parquet)</a>
        </div>
        <TableBox>
          <table className="w-full text-sm" data-testid="monthly-table">
            <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
              <tr>
                {query.groupBy.map((d) => <th key={d} className={th}>{DIMENSION_LABELS[d]}</th>)}
                <th className={`${th} text-right`}>Requests</th>
                <th className={`${th} text-right`}>Direct</th>
                <th className={`${th} text-right`}>GPU share</th>
                <th className={`${th} text-right`}>Overhead</th>
                <th className={`${th} text-right`}>Total</th>
                <th className={`${th} text-right`}>Per request</th>
                <th className={`${th} text-right`}>vs {r.previousMonth}</th>
              </tr>
            </thead>
            <tbody>
              {r.rows.map((row, i) => (
                <tr key={JSON.stringify(row.key)} className="border-t border-slate-100">
                  {query.groupBy.map((d) => (
                    <td key={d} className="px-3 py-1.5">
                      {row.key[d] === null ? <span className="text-slate-500">{NONE}</span> : row.key[d]}
                    </td>
                  ))}
                  <td className={td}>{rowReasons[i] ? <NotApplicable reason={rowReasons[i]} /> : formatCount(row.requests)}</td>
                  <td className={td}>{formatUsd(row.directCost, { places: mp.direct.rows })}</td>
                  <td className={td}>{formatUsd(row.gpuCost, { places: mp.gpu.rows })}</td>
                  <td className={td}>{formatUsd(row.overheadCost, { places: mp.overhead.rows })}</td>
                  <td className={`${td} font-medium`}>{formatUsd(row.totalCost, { places: mp.total.rows })}</td>
                  <td className={td}>{rowReasons[i] ? <NotApplicable reason={rowReasons[i]} /> : formatUsd(row.costPerRequest, { places: perRequestPlaces })}</td>
                  <td className={td}>{row.changePct === null ? "new" : formatPct(row.changePct)}</td>
                </tr>
              ))}
              <tr className="border-t-2 border-slate-300 font-semibold" data-testid="monthly-totals">
                {query.groupBy.length ? <td className="px-3 py-1.5" colSpan={query.groupBy.length}>Total</td> : null}
                <td className={td}>{totalsReason ? <NotApplicable reason={totalsReason} /> : formatCount(t.requests)}</td>
                <td className={td}>{formatUsd(t.directCost, { places: mp.direct.total })}</td>
                <td className={td}>{formatUsd(t.gpuCost, { places: mp.gpu.total })}</td>
                <td className={td}>{formatUsd(t.overheadCost, { places: mp.overhead.total })}</td>
                <td className={td} data-testid="monthly-total-cost" data-exact={t.totalCost}>{formatUsd(t.totalCost, { places: mp.total.total })}</td>
                <td className={td}>{totalsReason ? <NotApplicable reason={totalsReason} /> : formatUsd(t.costPerRequest, { places: perRequestPlaces })}</td>
                <td className={td}>{formatPct(t.changePct)}</td>
              </tr>
            </tbody>
          </table>
        </TableBox>
        <NotApplicableNotes reasons={[...rowReasons, totalsReason]} testId="monthly-na-notes" />
      </Card>

      <Card title="Chargeback" className="mb-4">
        <div className="mb-3 flex flex-wrap items-center gap-2 text-sm">
          <span className="text-slate-600">Lines per</span>
          {CHARGEBACK_BY.map((b) => (
            <Link key={b} href={link({ by: b })} className={`${btn} ${b === by ? "border-slate-900 font-medium" : ""}`}>{CHARGEBACK_LABEL[b]}</Link>
          ))}
          <a data-testid="download-chargeback-csv" href={`/api/v1/finance/chargeback?month=${month}&by=${by}&format=csv`} className={btn} download>Download CSV</a>
        </div>
        <p className="mb-3 max-w-4xl text-sm text-slate-600" data-testid="allocation-method"><strong>Allocation method.</strong> {data.chargeback.method}</p>
        <TableBox>
        <table className="w-full text-sm" data-testid="chargeback-table">
          <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className={th}>{CHARGEBACK_LABEL[by]}</th>
              <th className={`${th} text-right`}>Requests</th>
              <th className={`${th} text-right`}>Direct</th>
              <th className={`${th} text-right`}>GPU share</th>
              <th className={`${th} text-right`}>Overhead</th>
              <th className={`${th} text-right`}>Charge</th>
              <th className={`${th} text-right`}>Share</th>
            </tr>
          </thead>
          <tbody>
            {cbLines.map((l, i) => (
              <tr key={l.label} className={`border-t border-slate-100 ${l.owner === null ? "bg-amber-50" : ""}`}>
                <td className="px-3 py-1.5">{l.label}</td>
                <td className={td}>{cbReasons[i] ? <NotApplicable reason={cbReasons[i]} /> : formatCount(l.requests)}</td>
                <td className={td}>{formatUsd(l.directCost, { places: cp.direct.rows })}</td>
                <td className={td}>{formatUsd(l.gpuCost, { places: cp.gpu.rows })}</td>
                <td className={td}>{formatUsd(l.overheadCost, { places: cp.overhead.rows })}</td>
                <td className={`${td} font-medium`}>{formatUsd(l.totalCost, { places: cp.total.rows })}</td>
                <td className={td} data-testid="chargeback-share">{cbShares === null ? "—" : formatRatio(cbShares[i], { places: 1 })}</td>
              </tr>
            ))}
            <tr className="border-t-2 border-slate-300 font-semibold">
              <td className="px-3 py-1.5" colSpan={5}>Month total</td>
              <td className={td} data-testid="chargeback-total" data-exact={cb.totalCost}>{formatUsd(cb.totalCost, { places: cp.total.total })}</td>
              <td className={td}>{cbShares === null ? "—" : formatRatio("1", { places: 1 })}</td>
            </tr>
          </tbody>
        </table>
        </TableBox>
        {cbHidden > 0 ? <p className="mt-2 text-xs text-slate-500" data-testid="chargeback-more">The {formatCount(CHARGEBACK_PAGE_LINES)} largest of {formatCount(cb.lines.length - (cb.lines.at(-1)?.owner === null ? 1 : 0))} customers are shown; the CSV holds every line. The Customers page searches and pages them all.</p> : null}
        <NotApplicableNotes reasons={cbReasons} testId="chargeback-na-notes" />
      </Card>

      <ReconciliationSection reconciliation={data.reconciliation} daily={await financeDailyReconciliation(query.month)} month={data.month} canWrite={canWrite} closed={data.status.closed} />

      <Card title="Definitions">
        <ul className="list-disc space-y-1 pl-5 text-sm text-slate-700">
          <li>Month: the calendar month in the organisation&apos;s time zone ({data.timezone}). An event is booked in the month of its own timestamp, unlike the weekly review, which puts a whole request in the week of its first event.</li>
          <li>Requests: distinct request ids with an event in the month, each counted once, in the group of its first event of the month. A request whose events span a month boundary counts in both months.</li>
          <li>GPU share: each pool-hour&apos;s cost (idle capacity included) split over the requests it served, booked in the month of the hour, tagged like the request&apos;s first GPU event of that hour.</li>
          <li>Overhead: (direct + GPU share) × the feature&apos;s overhead percentage, or the global one (Settings → GPU &amp; overhead), exact.</li>
          <li>Fully-loaded total = direct + GPU share + overhead. Unpriced events add no cost and are counted in reconciliation.</li>
        </ul>
      </Card>
    </>
  );
}
