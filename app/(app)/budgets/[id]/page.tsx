import type { Metadata } from "next";
import Link from "next/link";
import { requirePage } from "@/lib/auth/session";
import { budgetPageData } from "@/lib/budgets/page-data";
import { formatUsd, moneyPlaces } from "@/lib/format";
import { PageHeader } from "@/components/ui/page-header";
import { Headline } from "@/components/ui/headline";
import { Card } from "@/components/ui/card";
import { TableBox } from "@/components/ui/table-box";
import { BudgetActions } from "@/components/budgets/budget-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Budget" };

const th = "px-3 py-2 font-medium";
const td = "num px-3 py-1.5 text-right";


export default async function BudgetPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { id } = await params;
  const user = await requirePage("review.read", `/budgets/${id}`);
  const sp = await searchParams;
  const b = await budgetPageData({ kind: "user", user }, id, typeof sp.month === "string" ? sp.month : undefined);
  const back = <Link href="/budgets" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50">All budgets</Link>;
  if (!b) {
    return (
      <>
        <PageHeader title="Budget" actions={back} />
        <Card>
          <p className="text-slate-600" data-testid="budget-missing">There is no budget with this id (or it was removed).</p>
        </Card>
      </>
    );
  }
  const f = b.forecast;
  const split = f.split;
  // One precision per money column, enough for its smallest amount (at most 4 places).
  const places = Object.fromEntries(
    (["previousCost", "forecastCost", "volume", "rate", "change"] as const).map((k) => [k, moneyPlaces(split.byCohort.map((c) => c[k]), { max: 4 })]),
  ) as Record<"previousCost" | "forecastCost" | "volume" | "rate" | "change", number>;
  return (
    <>
      <PageHeader
        title={`${b.label} · ${b.month}`}
        description={`Forecast as of ${f.asOf}: ${f.daysElapsed} of ${f.daysInMonth} days complete. Owner: ${b.ownerEmail ?? "nobody"}.`}
        actions={back}
      />
      <div className="mb-4 grid grid-cols-2 gap-3 md:grid-cols-4">
        <Headline testId="budget-amount" label="Budget" value={formatUsd(b.amountUsd)} />
        <Headline testId="budget-mtd" label="Month to date" value={formatUsd(f.monthToDate.cost)} />
        <Headline testId="budget-forecast" label="Forecast" value={formatUsd(f.forecast.cost)} detail={`range ${formatUsd(f.forecast.low)} – ${formatUsd(f.forecast.high)}`} />
        <Headline
          testId="budget-verdict"
          label={b.breach ? "Will be missed by" : "To spare"}
          value={formatUsd(b.overBy.replace(/^-/, ""))}
          detail={b.breach ? (b.breachCertain ? "even the low end of the range is over" : "the low end of the range is within") : undefined}
        />
      </div>
      {b.alert ? (
        <p className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="budget-alert">
          A breach was forecast on {b.alert.openedAt.slice(0, 10)} ({formatUsd(b.alert.forecastUsd)}); {b.alert.status === "open" ? "it waits in the owner's My work." : "the owner has acknowledged it."}
        </p>
      ) : null}
      <Card title={`Why: the forecast against ${f.previous.cost === "0" ? "an empty" : "last"} month`} className="mb-4">
        <p className="mb-3 max-w-4xl text-sm text-slate-600" data-testid="budget-why">
          Last month {formatUsd(f.previous.cost)}; this month&apos;s forecast {formatUsd(f.forecast.cost)}: a change of {formatUsd(split.change)}, of which{" "}
          <strong>{formatUsd(split.volume)} volume</strong> (more or fewer requests at last month&apos;s cost per request) and{" "}
          <strong>{formatUsd(split.rate)} rate</strong> (dearer or cheaper requests).
        </p>
        <TableBox>
          <table className="w-full text-sm" data-testid="budget-split-table">
            <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className={th}>Cohort</th>
                <th className={`${th} text-right`}>Requests last month</th>
                <th className={`${th} text-right`}>Requests forecast</th>
                <th className={`${th} text-right`}>Last month</th>
                <th className={`${th} text-right`}>Forecast</th>
                <th className={`${th} text-right`}>Volume</th>
                <th className={`${th} text-right`}>Rate</th>
                <th className={`${th} text-right`}>Change</th>
              </tr>
            </thead>
            <tbody>
              {split.byCohort.map((c) => (
                <tr key={c.cohort ?? "(none)"} className="border-t border-slate-100">
                  <td className="px-3 py-1.5">{c.cohort ?? "(no cohort)"}</td>
                  <td className={td}>{c.previousRequests.toLocaleString("en-US")}</td>
                  <td className={td}>{Math.round(Number(c.forecastRequests)).toLocaleString("en-US")}</td>
                  <td className={td}>{formatUsd(c.previousCost, { places: places.previousCost })}</td>
                  <td className={td}>{formatUsd(c.forecastCost, { places: places.forecastCost })}</td>
                  <td className={td}>{formatUsd(c.volume, { places: places.volume })}</td>
                  <td className={td}>{formatUsd(c.rate, { places: places.rate })}</td>
                  <td className={`${td} font-medium`}>{formatUsd(c.change, { places: places.change })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableBox>
      </Card>
      <Card title="Change">
        <BudgetActions id={b.id} month={b.month} amountUsd={b.amountUsd} canEdit={b.mayEdit} canAcknowledge={b.alert?.status === "open" && (b.ownerId === user.id || b.mayEdit)} />
      </Card>
    </>
  );
}
