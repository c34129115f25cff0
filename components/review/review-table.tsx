"use client";
// The review table: endpoints with their week-over-week figures, each expandable into its cohorts.
// Sort by any column, filter by name, flagged rows first by default. The essential columns fit a 1366 px
// screen; the rest (cost per success, median, p95, cached input, unpriced) are a click away in the column
// chooser, which remembers the reader's choice.
import { createColumnHelper } from "@tanstack/react-table";
import Link from "next/link";
import { Sparkline } from "@/components/review/sparkline";
import { DataTable } from "@/components/ui/data-table";
import Decimal from "decimal.js";
import { formatCount, formatPct, formatRatio, formatUsd } from "@/lib/format";
import type { ReviewRowData } from "@/lib/review/review-row";

const col = createColumnHelper<ReviewRowData>();

function Change({ value, flagged }: { value: string | null; flagged?: boolean }) {
  if (value === null) return <span className="text-slate-500">new</span>;
  const n = Number(value);
  const cls = flagged ? "font-semibold text-red-700" : n > 0 ? "text-amber-700" : n < 0 ? "text-emerald-700" : "text-slate-500";
  return <span className={cls}>{formatPct(value)}</span>;
}

function Money({ value, change, flagged }: { value: string | null; change?: string | null; flagged?: boolean }) {
  return (
    <div className="num text-right leading-tight">
      <div>{formatUsd(value)}</div>
      {change !== undefined ? (
        <div className="text-xs">
          <Change value={change ?? null} flagged={flagged} />
        </div>
      ) : null}
    </div>
  );
}

function TargetCell({ row }: { row: ReviewRowData }) {
  const t = row.target;
  if (!t) return <span className="text-xs text-slate-500">—</span>;
  const title = [
    t.target ? `target ${formatUsd(t.target)}` : null,
    t.ceiling ? `ceiling ${formatUsd(t.ceiling)}` : null,
    t.revenue ? `revenue ${formatUsd(t.revenue)} per request` : null,
  ]
    .filter(Boolean)
    .join(" · ");
  return (
    <div className="text-xs leading-tight whitespace-nowrap" title={title}>
      {row.breach === "ceiling" ? (
        <span className="rounded bg-red-100 px-1.5 py-0.5 font-semibold text-red-800">over ceiling</span>
      ) : row.breach === "target" ? (
        <span className="rounded bg-amber-100 px-1.5 py-0.5 font-semibold text-amber-800">over target</span>
      ) : (
        <span className="text-emerald-700">within</span>
      )}
      <div className="mt-0.5 text-slate-500">{t.ceiling ? `ceiling ${formatUsd(t.ceiling)}` : t.target ? `target ${formatUsd(t.target)}` : ""}</div>
      {row.margin ? <div className={new Decimal(row.margin).isNegative() ? "text-red-700" : "text-slate-500"}>margin {formatUsd(row.margin)}</div> : null}
    </div>
  );
}

function QualityCell({ q }: { q: NonNullable<ReviewRowData["quality"]> | null }) {
  if (!q) return <span className="text-xs text-slate-500">—</span>;
  const change = q.changePts === null ? null : Number(q.changePts);
  return (
    <div className="num text-right leading-tight" title={`${q.metric}: ${formatCount(q.samples)} samples`}>
      <div>{formatRatio(q.value)}</div>
      <div className="text-xs text-slate-500">
        {q.metric}
        {change === null ? null : (
          <span className={change > 0 ? " text-emerald-700" : change < 0 ? " text-red-700" : ""}>
            {" "}
            {change > 0 ? "+" : ""}
            {q.changePts} pts
          </span>
        )}
      </div>
    </div>
  );
}

const columns = [
  col.accessor("label", {
    header: "Endpoint / cohort",
    cell: ({ row, getValue }) => (
      <div className="flex items-start gap-1" style={{ paddingLeft: row.depth * 20 }}>
        {row.getCanExpand() ? (
          <button
            type="button"
            onClick={row.getToggleExpandedHandler()}
            aria-label={`${row.getIsExpanded() ? "Collapse" : "Expand"} ${getValue()}`}
            aria-expanded={row.getIsExpanded()}
            className="mt-0.5 h-5 w-5 rounded text-slate-500 hover:bg-slate-100"
          >
            {row.getIsExpanded() ? "▾" : "▸"}
          </button>
        ) : (
          <span className="w-5" />
        )}
        <div>
          {row.original.href ? (
            <Link href={row.original.href} className="font-mono font-medium text-slate-900 hover:underline">
              {getValue()}
            </Link>
          ) : (
            <span className={row.depth ? "font-mono" : "font-mono font-medium"}>{getValue()}</span>
          )}
          {row.original.detail ? <div className="text-xs text-slate-500">{row.original.detail}</div> : null}
          {row.original.flaggedCohorts ? (
            <div className="mt-0.5">
              <span
                className="rounded bg-red-100 px-1.5 py-0.5 text-xs font-semibold text-red-800"
                data-testid="cohorts-flagged"
                title={`Mean cost per request of ${row.original.flaggedCohorts === 1 ? "one cohort" : `${row.original.flaggedCohorts} cohorts`} moved ${row.original.thresholdPct}% or more`}
              >
                {row.original.flaggedCohorts} {row.original.flaggedCohorts === 1 ? "cohort" : "cohorts"} moved
              </span>
            </div>
          ) : null}
        </div>
      </div>
    ),
  }),
  // Flagged endpoints first, then endpoints with a flagged cohort.
  col.accessor((r) => (r.flagged ? 2 : r.flaggedCohorts ? 1 : 0), {
    id: "flag",
    header: "Review",
    cell: ({ row }) =>
      row.original.flagged ? (
        <span className="rounded bg-red-100 px-1.5 py-0.5 text-xs font-semibold text-red-800" data-testid="flag-moved" title={`Mean moved ${row.original.thresholdPct}% or more`}>
          moved
        </span>
      ) : null,
  }),
  col.accessor("requests", {
    header: "Requests",
    cell: ({ row }) => (
      <div className="num text-right leading-tight">
        <div>{formatCount(row.original.requests)}</div>
        <div className="text-xs">
          {row.original.requestsSoFar ? <span className="text-slate-500">so far</span> : <Change value={row.original.requestsChange} />}
        </div>
      </div>
    ),
  }),
  col.accessor((r) => Number(r.total), { id: "total", header: "Total", cell: ({ row }) => <Money value={row.original.total} /> }),
  col.accessor((r) => Number(r.mean ?? 0), {
    id: "mean",
    header: "Mean / request",
    cell: ({ row }) => <Money value={row.original.mean} change={row.original.meanChange} flagged={row.original.flagged} />,
  }),
  col.accessor((r) => (r.breach === "ceiling" ? 2 : r.breach === "target" ? 1 : 0), {
    id: "targets",
    header: "Target",
    cell: ({ row }) => <TargetCell row={row.original} />,
  }),
  col.accessor((r) => (r.quality ? Number(r.quality.value) : -1), {
    id: "quality",
    header: "Quality",
    cell: ({ row }) => <QualityCell q={row.original.quality ?? null} />,
  }),
  col.accessor((r) => Number(r.costPerSuccess ?? -1), {
    id: "costPerSuccess",
    header: "Cost / success",
    cell: ({ row }) => <Money value={row.original.costPerSuccess ?? null} />,
  }),
  col.accessor((r) => Number(r.p50 ?? 0), { id: "p50", header: "Median", cell: ({ row }) => <Money value={row.original.p50} change={row.original.p50Change} /> }),
  col.accessor((r) => Number(r.p95 ?? 0), { id: "p95", header: "p95", cell: ({ row }) => <Money value={row.original.p95} change={row.original.p95Change} /> }),
  col.display({ id: "trend", header: "8 weeks", cell: ({ row }) => <Sparkline label={row.original.label} points={row.original.sparkline} flagged={row.original.flagged} /> }),
  col.accessor((r) => r.cacheShare ?? -1, {
    id: "cache",
    header: "Cached input",
    cell: ({ row }) => <div className="num text-right">{formatRatio(row.original.cacheShare, { places: 0, missing: "—" })}</div>,
  }),
  col.accessor("latencyP95Ms", {
    id: "latency",
    header: "Latency p95",
    cell: ({ getValue }) => <div className="num text-right">{getValue() === null ? "—" : `${(Number(getValue()) / 1000).toFixed(1)} s`}</div>,
  }),
  col.accessor("errorRate", { id: "errors", header: "Errors", cell: ({ getValue }) => <div className="num text-right">{formatRatio(getValue())}</div> }),
  col.accessor("unpricedRequests", {
    id: "unpriced",
    header: "Unpriced",
    cell: ({ getValue }) => <div className={`num text-right ${getValue() ? "text-amber-700" : "text-slate-500"}`}>{getValue() ? formatCount(getValue()) : "0"}</div>,
  }),
];

// Opaque tints (the sticky first cell takes the row's background, so it must not be see-through):
// red-50 at 50 % and slate-50 at 60 % over the surface, from the palette variables so dark mode follows.
const FLAGGED_BG = "color-mix(in oklab, var(--color-red-50) 50%, var(--color-white))";
const COHORT_BG = "color-mix(in oklab, var(--color-slate-50) 60%, var(--color-white))";

export function ReviewTable({ rows }: { rows: ReviewRowData[] }) {
  return (
    <DataTable
      data={rows}
      columns={columns}
      label="Cost per request by endpoint"
      empty="No endpoint had requests this week."
      initialSorting={[{ id: "flag", desc: true }, { id: "total", desc: true }]}
      filter={{ label: "Filter endpoints or cohorts", match: (r, q) => r.label.toLowerCase().includes(q) }}
      getSubRows={(r) => r.subRows}
      rowProps={(row) => ({
        testId: `review-row-${row.original.id}`,
        className: "align-top",
        background: row.original.flagged ? FLAGGED_BG : row.depth ? COHORT_BG : undefined,
      })}
      toolbar={(table) => (
        <button type="button" onClick={() => table.toggleAllRowsExpanded()} className="rounded-md border border-slate-300 px-2 py-1 hover:bg-slate-50">
          {table.getIsAllRowsExpanded() ? "Collapse all" : "Expand all cohorts"}
        </button>
      )}
      columnChooser={{ storageKey: "review", hidden: ["costPerSuccess", "p50", "p95", "cache", "unpriced"] }}
      containerClassName="overflow-x-auto rounded-lg border border-slate-200 bg-white"
      headerClassName="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500"
      cellClassName="px-3 py-1.5"
      headerCellClassName="px-3 py-2"
    />
  );
}
