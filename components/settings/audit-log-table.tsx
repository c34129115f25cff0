"use client";
// The audit log's rows on the shared data table. Before/after values are JSON of any size (a
// justification may be 20,000 characters): each shows one truncated line and expands in place, wrapped
// to the column, so a long value never widens the page.
import { useState } from "react";
import { DataTable, type ColumnDef } from "@/components/ui/data-table";
import { formatUtc } from "@/lib/format";
import type { AuditEntryView } from "@/lib/audit/list-audit";

/** Characters of a value shown before it is expanded. */
export const AUDIT_PREVIEW_CHARS = 120;

function AuditValue({ value, label }: { value: unknown; label: string }) {
  const [open, setOpen] = useState(false);
  if (value === null || value === undefined) return <span className="text-slate-500">—</span>;
  const compact = JSON.stringify(value);
  if (compact.length <= AUDIT_PREVIEW_CHARS) return <code className="break-all text-xs text-slate-700">{compact}</code>;
  return (
    <div className="min-w-0">
      {open ? (
        <pre className="max-h-96 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 text-xs text-slate-700" data-testid="audit-value-full">
          {JSON.stringify(value, null, 2)}
        </pre>
      ) : (
        <code className="block break-all text-xs text-slate-700" data-testid="audit-value-preview">
          {compact.slice(0, AUDIT_PREVIEW_CHARS)}…
        </code>
      )}
      <button type="button" onClick={() => setOpen((o) => !o)} className="mt-1 text-xs font-medium text-sky-700 hover:underline" aria-expanded={open} aria-label={`${open ? "Collapse" : "Expand"} ${label}`}>
        {open ? "Show less" : `Show all (${compact.length.toLocaleString("en-US")} characters)`}
      </button>
    </div>
  );
}

const columns: ColumnDef<AuditEntryView>[] = [
  { accessorKey: "at", header: "When (UTC)", enableSorting: false, meta: { className: "num whitespace-nowrap" }, cell: ({ row }) => formatUtc(row.original.at, true) },
  { accessorKey: "actorLabel", header: "Who", enableSorting: false, meta: { className: "break-all min-w-32" } },
  {
    accessorKey: "action",
    header: "What",
    enableSorting: false,
    meta: { className: "min-w-40" },
    cell: ({ row }) => (
      <div>
        <div className="font-mono">{row.original.action}</div>
        <div className="break-all text-xs text-slate-500">
          {row.original.entityType}
          {row.original.entityId ? ` ${row.original.entityId}` : ""}
        </div>
      </div>
    ),
  },
  {
    id: "before",
    header: "Before",
    enableSorting: false,
    meta: { className: "min-w-48 max-w-xl" },
    cell: ({ row }) => <AuditValue value={row.original.before} label={`before of entry ${row.original.id}`} />,
  },
  {
    id: "after",
    header: "After",
    enableSorting: false,
    meta: { className: "min-w-48 max-w-xl" },
    cell: ({ row }) => <AuditValue value={row.original.after} label={`after of entry ${row.original.id}`} />,
  },
];

export function AuditLogTable({ entries }: { entries: AuditEntryView[] }) {
  return (
    <DataTable
      data={entries}
      columns={columns}
      label="Audit log"
      empty="No audit entries match."
      // A narrow window scrolls the table sideways; a pinned time column would cover the values' buttons.
      stickyFirstColumn={false}
      rowProps={(row) => ({ testId: `audit-entry-${row.original.id}`, className: "align-top" })}
    />
  );
}
