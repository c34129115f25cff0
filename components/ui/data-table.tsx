"use client";
// The app's one table for lists people sort or filter, over @tanstack/react-table: sortable headers are
// buttons (so the keyboard works) with aria-sort on their cell, an optional text filter, an empty-state
// line, an optional column chooser that remembers its choice in the browser (localStorage), and a first
// column that stays put when the table's box scrolls sideways (the document itself never does). Nothing
// else calls useReactTable (tests/unit/ui/one-data-table.test.ts checks).
import {
  flexRender,
  getCoreRowModel,
  getExpandedRowModel,
  getFilteredRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type ExpandedState,
  type Row,
  type SortingState,
  type Table,
  type VisibilityState,
} from "@tanstack/react-table";
import { useState, useSyncExternalStore } from "react";

declare module "@tanstack/react-table" {
  // Per-column layout: extra classes for the header and body cells (alignment, width, font).
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData, TValue> {
    className?: string;
    headerClassName?: string;
  }
}

export type { ColumnDef, Row, SortingState };

export type DataTableProps<T> = {
  data: T[];
  // Column value types differ per column; TanStack's own examples type the array this way.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  columns: ColumnDef<T, any>[];
  /** The table's accessible name. */
  label: string;
  /** Shown in place of the rows when there are none (before or after filtering). */
  empty: React.ReactNode;
  initialSorting?: SortingState;
  /** A text filter above the table; `match` says whether a row matches the typed text (lower-cased). */
  filter?: { label: string; placeholder?: string; match: (row: T, query: string) => boolean };
  /** Expandable rows: their children. */
  getSubRows?: (row: T) => T[] | undefined;
  /** Per row: a test id, extra classes, and an opaque background (the sticky first cell takes it too). */
  rowProps?: (row: Row<T>) => { testId?: string; className?: string; background?: string; data?: Record<`data-${string}`, string> };
  /** Controls beside the filter (for example "Expand all"). */
  toolbar?: (table: Table<T>) => React.ReactNode;
  /**
   * Let the reader hide and show columns; the choice is kept in localStorage under `storageKey`.
   * `hidden`: the column ids hidden until the reader chooses otherwise. The first column cannot be hidden.
   */
  columnChooser?: { storageKey: string; hidden: string[] };
  /** Keep the first column in view when the table scrolls sideways (default true). */
  stickyFirstColumn?: boolean;
  className?: string;
  headerClassName?: string;
  cellClassName?: string;
  /** Header cells' padding (default: the body cells'). */
  headerCellClassName?: string;
  /** The box around the table (it scrolls sideways when the table is wider). */
  containerClassName?: string;
};

const ARIA_SORT = { asc: "ascending", desc: "descending" } as const;

// The column choice lives in localStorage; useSyncExternalStore reads it after hydration (the server
// renders the defaults) and re-reads it when this tab or another one changes it.
const CHOICE_EVENT = "data-table-columns";
function subscribeToChoices(onChange: () => void) {
  window.addEventListener("storage", onChange);
  window.addEventListener(CHOICE_EVENT, onChange);
  return () => {
    window.removeEventListener("storage", onChange);
    window.removeEventListener(CHOICE_EVENT, onChange);
  };
}
function readChoice(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}
function parseChoice(raw: string | null, defaults: string[]): VisibilityState {
  const hidden = Object.fromEntries(defaults.map((id) => [id, false]));
  if (raw === null) return hidden;
  try {
    const stored: unknown = JSON.parse(raw);
    if (stored && typeof stored === "object" && !Array.isArray(stored)) {
      return { ...hidden, ...Object.fromEntries(Object.entries(stored).filter(([, v]) => typeof v === "boolean")) };
    }
  } catch {
    // An unreadable choice is ignored: the defaults apply.
  }
  return hidden;
}
function storeChoice(key: string, value: VisibilityState) {
  try {
    window.localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage refused (private mode, quota): the choice lasts until the page is left.
  }
  window.dispatchEvent(new Event(CHOICE_EVENT));
}

function ColumnChooser<T>({ table }: { table: Table<T> }) {
  const columns = table.getAllLeafColumns().slice(1);
  const hiddenCount = columns.filter((c) => !c.getIsVisible()).length;
  return (
    <details className="relative" data-testid="column-chooser">
      <summary className="cursor-pointer list-none rounded-md border border-slate-300 px-2 py-1 hover:bg-slate-50">
        Columns{hiddenCount ? ` (${hiddenCount} hidden)` : ""}
      </summary>
      <fieldset className="absolute left-0 z-10 mt-1 w-56 rounded-md border border-slate-200 bg-white p-2 shadow-lg">
        <legend className="sr-only">Columns shown</legend>
        {columns.map((c) => (
          <label key={c.id} className="flex items-center gap-2 px-1 py-0.5">
            <input type="checkbox" checked={c.getIsVisible()} onChange={c.getToggleVisibilityHandler()} />
            {typeof c.columnDef.header === "string" ? c.columnDef.header : c.id}
          </label>
        ))}
        <button
          type="button"
          onClick={() => table.resetColumnVisibility()}
          className="mt-1 w-full rounded px-1 py-0.5 text-left text-slate-600 hover:bg-slate-50"
        >
          Reset to the default columns
        </button>
      </fieldset>
    </details>
  );
}

export function DataTable<T>({
  data,
  columns,
  label,
  empty,
  initialSorting = [],
  filter,
  getSubRows,
  rowProps,
  toolbar,
  columnChooser,
  stickyFirstColumn = true,
  className = "w-full text-left",
  headerClassName = "text-xs uppercase tracking-wide text-slate-500",
  cellClassName = "py-2 pr-4",
  headerCellClassName = cellClassName,
  containerClassName = "overflow-x-auto",
}: DataTableProps<T>) {
  const [sorting, setSorting] = useState<SortingState>(initialSorting);
  const [expanded, setExpanded] = useState<ExpandedState>({});
  const [query, setQuery] = useState("");
  const choiceKey = columnChooser ? `cost-review:columns:${columnChooser.storageKey}` : null;
  const storedChoice = useSyncExternalStore(
    subscribeToChoices,
    () => (choiceKey ? readChoice(choiceKey) : null),
    () => null,
  );
  const columnVisibility = parseChoice(storedChoice, columnChooser?.hidden ?? []);
  // TanStack Table hands out functions the React Compiler cannot memoize; this component is not compiled.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({
    data,
    columns,
    state: { sorting, expanded, globalFilter: query, columnVisibility },
    initialState: { columnVisibility: parseChoice(null, columnChooser?.hidden ?? []) },
    onColumnVisibilityChange: (update) => {
      if (!choiceKey) return;
      storeChoice(choiceKey, typeof update === "function" ? update(columnVisibility) : update);
    },
    onSortingChange: setSorting,
    onExpandedChange: setExpanded,
    onGlobalFilterChange: setQuery,
    getSubRows,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getExpandedRowModel: getExpandedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
    filterFromLeafRows: true,
    globalFilterFn: (row, _col, value: string) => (filter ? filter.match(row.original, value.toLowerCase()) : true),
  });
  const sticky = (i: number) => (stickyFirstColumn && i === 0 ? "sticky left-0 z-[1] bg-inherit" : "");
  const rows = table.getRowModel().rows;
  const width = table.getVisibleLeafColumns().length;
  // Nothing at all to list: the message alone. Column headers over no rows would only be wider than a
  // phone for nothing. (A filter that leaves no rows keeps the table, with the message in it.)
  if (data.length === 0) {
    return (
      <p className="text-sm text-slate-500" data-testid={`${label.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-empty`}>
        {empty}
      </p>
    );
  }
  return (
    <div>
      {filter || toolbar || columnChooser ? (
        <div className="mb-2 flex flex-wrap items-center gap-3">
          {filter ? (
            <input
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              placeholder={filter.placeholder ?? filter.label}
              aria-label={filter.label}
              className="w-64 max-w-full rounded-md border border-slate-300 px-2 py-1"
            />
          ) : null}
          {toolbar?.(table)}
          {columnChooser ? <ColumnChooser table={table} /> : null}
        </div>
      ) : null}
      <div className={containerClassName}>
        <table className={className} aria-label={label}>
          <thead className={headerClassName}>
            {table.getHeaderGroups().map((hg) => (
              <tr key={hg.id} style={{ backgroundColor: "var(--color-white)" }}>
                {hg.headers.map((h, i) => {
                  const sorted = h.column.getIsSorted();
                  const canSort = h.column.getCanSort();
                  return (
                    <th
                      key={h.id}
                      aria-sort={canSort ? (sorted ? ARIA_SORT[sorted] : "none") : undefined}
                      className={`${headerCellClassName} whitespace-nowrap ${h.column.columnDef.meta?.headerClassName ?? ""} ${sticky(i)}`}
                    >
                      {h.isPlaceholder ? null : canSort ? (
                        <button type="button" onClick={h.column.getToggleSortingHandler()} className="uppercase tracking-wide hover:text-slate-900">
                          {flexRender(h.column.columnDef.header, h.getContext())}
                          {sorted ? { asc: " ↑", desc: " ↓" }[sorted] : ""}
                        </button>
                      ) : (
                        flexRender(h.column.columnDef.header, h.getContext())
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr style={{ backgroundColor: "var(--color-white)" }}>
                <td colSpan={width} className={`${cellClassName} text-slate-500`}>
                  {empty}
                </td>
              </tr>
            ) : (
              rows.map((row) => {
                const p = rowProps?.(row) ?? {};
                return (
                  <tr key={row.id} {...p.data} data-testid={p.testId} className={`border-t border-slate-100 ${p.className ?? ""}`} style={{ backgroundColor: p.background ?? "var(--color-white)" }}>
                    {row.getVisibleCells().map((cell, i) => (
                      <td key={cell.id} className={`${cellClassName} ${cell.column.columnDef.meta?.className ?? ""} ${sticky(i)}`}>
                        {flexRender(cell.column.columnDef.cell, cell.getContext())}
                      </td>
                    ))}
                  </tr>
                );
              })
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
