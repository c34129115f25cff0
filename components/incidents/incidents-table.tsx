"use client";
// The cost incidents list: sortable by endpoint, status, start and peak cost per request.
import Link from "next/link";
import { DataTable, type ColumnDef } from "@/components/ui/data-table";
import { formatUsd } from "@/lib/format";

export type IncidentRow = {
  id: string;
  endpoint: string;
  status: string;
  windowStart: string;
  windowEnd: string;
  hours: number;
  peakCostPerRequest: string;
  baseline: string | null;
  owner: string | null;
};

const utc = (iso: string) => `${iso.replace("T", " ").slice(0, 16)} UTC`;

const columns: ColumnDef<IncidentRow>[] = [
  {
    accessorKey: "endpoint",
    header: "Endpoint",
    cell: ({ row }) => (
      <Link href={`/incidents/${row.original.id}`} className="font-mono hover:underline">
        {row.original.endpoint}
      </Link>
    ),
  },
  {
    accessorKey: "status",
    header: "Status",
    cell: ({ row: { original: i } }) => (
      <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${i.status === "open" ? "bg-red-100 text-red-800" : "bg-slate-100 text-slate-700"}`}>{i.status}</span>
    ),
  },
  {
    accessorKey: "windowStart",
    header: "Hot hours",
    cell: ({ row: { original: i } }) => `${utc(i.windowStart)} → ${utc(i.windowEnd)} (${i.hours} h)`,
  },
  {
    id: "peak",
    header: "Peak cost / request",
    accessorFn: (i) => Number(i.peakCostPerRequest),
    cell: ({ row }) => formatUsd(row.original.peakCostPerRequest),
    meta: { className: "text-right", headerClassName: "text-right" },
  },
  {
    id: "baseline",
    header: "Baseline",
    enableSorting: false,
    cell: ({ row }) => formatUsd(row.original.baseline),
    meta: { className: "text-right", headerClassName: "text-right" },
  },
  { id: "owner", header: "Triage owner", accessorFn: (i) => i.owner ?? "", cell: ({ row }) => row.original.owner ?? "—" },
];

export function IncidentsTable({ rows }: { rows: IncidentRow[] }) {
  return (
    <DataTable data={rows} columns={columns} label="Cost incidents" empty="No cost incidents." className="num w-full text-left" cellClassName="py-1.5 pr-4" headerCellClassName="py-2 pr-4" />
  );
}
