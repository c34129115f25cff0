import type { Metadata } from "next";
import Link from "next/link";
import { requirePage } from "@/lib/auth/session";
import { can } from "@/lib/auth/principal";
import { budgetsPageData } from "@/lib/budgets/page-data";
import { formatUsd } from "@/lib/format";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { TableBox } from "@/components/ui/table-box";
import { BudgetForm } from "@/components/budgets/budget-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Budgets" };

const th = "px-3 py-2 font-medium";
const td = "num px-3 py-1.5 text-right";

export default async function BudgetsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePage("review.read", "/budgets");
  const sp = await searchParams;
  const principal = { kind: "user" as const, user };
  const data = await budgetsPageData(principal, typeof sp.month === "string" ? sp.month : undefined);
  const finance = can(principal, "finance.write") || can(principal, "objects.any");
  return (
    <>
      <PageHeader
        title={`Budgets · ${data.month}`}
        description="Each budget's month-end forecast from the month to date, with the weekday pattern of traffic taken into account and a range from the recent weeks' pace. A forecast above the budget opens an alert for its owner in My work."
      />
      <Card className="mb-4">
        {data.budgets.length === 0 ? (
          <p className="text-slate-600" data-testid="no-budgets">No budgets yet.{data.mayCreate ? " Add one below." : ""}</p>
        ) : (
          <TableBox>
            <table className="w-full text-sm" data-testid="budgets-table">
              <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th className={th}>Budget</th>
                  <th className={`${th} text-right`}>Monthly amount</th>
                  <th className={`${th} text-right`}>Month to date</th>
                  <th className={`${th} text-right`}>Forecast</th>
                  <th className={`${th} text-right`}>Range</th>
                  <th className={`${th} text-right`}>Against budget</th>
                  <th className={th}>Owner</th>
                </tr>
              </thead>
              <tbody>
                {data.budgets.map((b) => (
                  <tr key={b.id} className="border-t border-slate-100">
                    <td className="px-3 py-1.5">
                      <Link href={`/budgets/${b.id}?month=${b.month}`} className="text-sky-700 hover:underline">{b.label}</Link>
                    </td>
                    <td className={td}>{formatUsd(b.amountUsd)}</td>
                    <td className={td}>{formatUsd(b.forecast.monthToDate.cost)}</td>
                    <td className={`${td} font-medium`}>{formatUsd(b.forecast.forecast.cost)}</td>
                    <td className={td}>{formatUsd(b.forecast.forecast.low)} – {formatUsd(b.forecast.forecast.high)}</td>
                    <td className={td}>
                      <span className={`rounded px-1.5 py-0.5 text-xs ${b.breach ? "bg-red-100 text-red-900" : "bg-emerald-100 text-emerald-900"}`}>
                        {b.breach ? `over by ${formatUsd(b.overBy)}` : `${formatUsd(b.overBy.replace(/^-/, ""))} to spare`}
                      </span>
                    </td>
                    <td className="px-3 py-1.5">{b.ownerEmail ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableBox>
        )}
      </Card>
      {data.mayCreate ? (
        <Card title="Add a budget">
          <BudgetForm choices={data.choices} financeScopes={finance} defaultOwnerId={user.id} />
        </Card>
      ) : null}
    </>
  );
}
