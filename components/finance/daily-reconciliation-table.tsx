"use client";
// The month's per-day, per-model reconciliation lines, largest unexplained gap first: the first
// lines, and the rest on "Show all".
import { useState } from "react";
import type { DailyLine } from "@/lib/finance/provider-costs/reconcile";
import { formatCount, formatUsd } from "@/lib/format";
import { TableBox } from "@/components/ui/table-box";

const FIRST = 20;
const LABEL = { within: "Within tolerance", over: "Computed above report", under: "Computed below report", dark_spend: "Dark spend: no events" } as const;
const CLASS = { within: "bg-emerald-100 text-emerald-900", over: "bg-amber-100 text-amber-900", under: "bg-amber-100 text-amber-900", dark_spend: "bg-red-100 text-red-900" } as const;
const th = "px-3 py-2 font-medium";
const td = "num px-3 py-1.5 text-right";

export function DailyReconciliationTable({ lines, totals }: { lines: DailyLine[]; totals: { computedCost: string; reportedCost: string; varianceUsd: string } }) {
  const [all, setAll] = useState(false);
  const shown = all ? lines : lines.slice(0, FIRST);
  return (
    <>
      <TableBox>
        <table className="w-full text-sm" data-testid="daily-reconciliation-table">
          <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className={th}>Day (UTC)</th>
              <th className={th}>Provider</th>
              <th className={th}>Model</th>
              <th className={`${th} text-right`}>Events</th>
              <th className={`${th} text-right`}>Computed</th>
              <th className={`${th} text-right`}>Reported</th>
              <th className={`${th} text-right`}>Variance</th>
              <th className={th}>Status</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((l) => (
              <tr key={`${l.provider}/${l.day}/${l.model ?? ""}`} className={`border-t border-slate-100 ${l.status === "dark_spend" ? "bg-red-50" : ""}`}>
                <td className="num whitespace-nowrap px-3 py-1.5">{l.day}</td>
                <td className="whitespace-nowrap px-3 py-1.5">{l.provider}</td>
                <td className="whitespace-nowrap px-3 py-1.5">{l.model ?? <span className="text-slate-500">(no model)</span>}</td>
                <td className={td}>
                  {formatCount(l.events)}
                  {l.unpricedEvents ? <span className="block text-xs text-slate-500">{formatCount(l.unpricedEvents)} unpriced</span> : null}
                </td>
                <td className={td}>{formatUsd(l.computedCost)}</td>
                <td className={td}>{formatUsd(l.reportedCost)}</td>
                <td className={`${td} font-medium`}>{formatUsd(l.varianceUsd)}</td>
                <td className="px-3 py-1.5">
                  <span className={`whitespace-nowrap rounded px-1.5 py-0.5 text-xs ${CLASS[l.status]}`}>{LABEL[l.status]}</span>
                </td>
              </tr>
            ))}
            <tr className="border-t-2 border-slate-300 font-semibold">
              <td className="px-3 py-1.5" colSpan={4}>All {formatCount(lines.length)} lines</td>
              <td className={td}>{formatUsd(totals.computedCost)}</td>
              <td className={td}>{formatUsd(totals.reportedCost)}</td>
              <td className={td}>{formatUsd(totals.varianceUsd)}</td>
              <td />
            </tr>
          </tbody>
        </table>
      </TableBox>
      {lines.length > FIRST ? (
        <button type="button" onClick={() => setAll(!all)} className="mt-2 text-sm text-sky-700 hover:underline" data-testid="daily-show-all">
          {all ? `Show the first ${FIRST} lines` : `Show all ${formatCount(lines.length)} lines`}
        </button>
      ) : null}
    </>
  );
}
