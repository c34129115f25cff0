"use client";
// The registered endpoints: sortable by tag, name, feature, team and owner, filterable by any of them.
import Link from "next/link";
import { DataTable, type ColumnDef } from "@/components/ui/data-table";

export type EndpointRow = { id: string; slug: string; name: string; description: string | null; feature: string; team: string; owner: string | null };

const columns: ColumnDef<EndpointRow>[] = [
  {
    accessorKey: "slug",
    header: "Endpoint tag",
    meta: { className: "font-mono" },
    cell: ({ row: { original: e } }) => (
      <Link href={`/endpoints/${e.id}`} className="hover:underline">
        {e.slug}
      </Link>
    ),
  },
  {
    accessorKey: "name",
    header: "Name",
    cell: ({ row: { original: e } }) => (
      <>
        {e.name}
        {e.description ? <div className="text-xs text-slate-500">{e.description}</div> : null}
      </>
    ),
  },
  { accessorKey: "feature", header: "Feature" },
  { accessorKey: "team", header: "Team" },
  {
    accessorFn: (e) => e.owner ?? "",
    id: "owner",
    header: "Owner",
    cell: ({ row: { original: e } }) => e.owner ?? <span className="text-amber-700">no owner</span>,
  },
];

export function EndpointsTable({ rows }: { rows: EndpointRow[] }) {
  return (
    <DataTable
      data={rows}
      columns={columns}
      label="Registered endpoints"
      empty="No endpoint matches."
      initialSorting={[{ id: "slug", desc: false }]}
      filter={{
        label: "Filter endpoints",
        match: (e, q) => [e.slug, e.name, e.feature, e.team, e.owner ?? ""].some((v) => v.toLowerCase().includes(q)),
      }}
      rowProps={() => ({ className: "align-top" })}
    />
  );
}
