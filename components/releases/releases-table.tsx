"use client";
// The releases list, newest first: sortable by version, shipped time, author and variance; a release
// whose cost per request rose stands out in red.
import Link from "next/link";
import { DataTable, type ColumnDef } from "@/components/ui/data-table";
import { formatUtc } from "@/lib/format";
import { ReleaseStatusBadge } from "@/components/releases/status-badge";
import type { VarianceStatus } from "@/lib/releases/variance";

export type ReleaseRow = {
  id: string;
  version: string;
  title: string;
  shippedAt: string;
  endpoints: string;
  author: string | null;
  change: string;
  status: VarianceStatus;
  regression: boolean;
};

const columns: ColumnDef<ReleaseRow>[] = [
  {
    accessorKey: "version",
    header: "Version",
    meta: { className: "font-mono" },
    cell: ({ row }) => (
      <Link href={`/releases/${row.original.id}`} className="hover:underline">
        {row.original.version}
      </Link>
    ),
  },
  { accessorKey: "title", header: "Title" },
  { accessorKey: "shippedAt", header: "Shipped (UTC)", meta: { className: "num" }, cell: ({ row }) => formatUtc(row.original.shippedAt) },
  { accessorKey: "endpoints", header: "Endpoints", meta: { className: "font-mono text-xs" } },
  { accessorFn: (r) => r.author ?? "", id: "author", header: "Author", cell: ({ row }) => row.original.author ?? "—" },
  { accessorKey: "change", header: "Mean cost change", enableSorting: false, meta: { className: "num text-right", headerClassName: "text-right" } },
  {
    id: "variance",
    header: "Variance",
    accessorFn: (r) => (r.regression ? "0" : r.status),
    cell: ({ row }) => <ReleaseStatusBadge status={row.original.status} regression={row.original.regression} />,
  },
];

export function ReleasesTable({ rows }: { rows: ReleaseRow[] }) {
  return (
    <DataTable
      data={rows}
      columns={columns}
      label="Releases"
      empty="No releases match."
      cellClassName="py-1.5 pr-4"
      headerCellClassName="py-2 pr-4"
      filter={{ label: "Filter releases", placeholder: "Filter by version, title, endpoint or author", match: (r, q) => `${r.version} ${r.title} ${r.endpoints} ${r.author ?? ""}`.toLowerCase().includes(q) }}
      rowProps={(row) => ({
        testId: "release-row",
        data: { "data-version": row.original.version },
        background: row.original.regression ? "oklch(97.1% 0.013 17.38)" : undefined,
      })}
    />
  );
}
