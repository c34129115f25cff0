// Every list that sorts or filters goes through components/ui/data-table.tsx: no other file may build
// its own TanStack table (useReactTable, or the sorted/filtered row models that only a table needs), nor
// a hand-written <table> that sorts or filters its rows itself. The hand-written tables that remain are
// static (named below, each with why), and each sits in a TableBox so the page never scrolls sideways.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const DATA_TABLE = "components/ui/data-table.tsx";
const OWN_TABLE = /\b(useReactTable|getSortedRowModel|getFilteredRowModel)\b/;
const HAND_TABLE = /<table\b/;
/** Signs that a hand-written table orders or filters its rows in the browser. */
const SORTS_OR_FILTERS = /aria-sort|<th\b[^>]*\bonClick|\bset(Sort|Sorting|Order|OrderBy|Filter|Query|Search)\w*\b|\bsort(By|Key|Dir|Direction|Order|Column)\b/;

/** Hand-written tables that neither sort nor filter, and why a data table would add nothing. */
const STATIC_TABLES: Record<string, string> = {
  "app/(app)/coverage/[week]/page.tsx": "each gap is a short list, biggest first, with its fix beside it",
  "app/(app)/endpoints/[id]/page.tsx": "targets per cohort, the ten most expensive requests and the week's ten costliest customers: fixed, short",
  "app/(app)/finance/[month]/page.tsx": "grouped and filtered by the month's form on the server, with a totals row the CSV matches",
  "app/(app)/incidents/[id]/page.tsx": "the incident's hot hours, in time order",
  "app/(app)/releases/[id]/page.tsx": "before and after, one pair of figures per endpoint",
  "app/(app)/requests/[requestId]/page.tsx": "one request's events and GPU shares, in time order",
  "app/(app)/review/[week]/minutes/page.tsx": "the printed minutes",
  "app/(app)/settings/gpu/page.tsx": "this week's utilisation per pool and the latest pool-hours, in time order",
  "app/(app)/customers/[month]/page.tsx": "tens of thousands of customers: paged, searched and sorted in SQL by the page's form, under water first",
  "app/(app)/customers/[month]/[id]/page.tsx": "one customer's features and months, fixed and short",
  "components/customers/margin-tables.tsx": "margin per plan and per feature: one line each, costliest first",
  "app/(app)/budgets/page.tsx": "the budgets, breaches first: a short list, the forecast is the point",
  "app/(app)/budgets/[id]/page.tsx": "one budget's change split by cohort, largest first",
  "components/whatif/comparison.tsx": "the actual, then each candidate in the order given: the order is the comparison",
  "components/releases/scenario-check.tsx": "three fixed rows: before, projected, actual after shipping",
  "app/(app)/whatif/page.tsx": "saved scenarios, newest first: a short list to open one",
  "components/finance/daily-reconciliation-table.tsx": "largest unexplained gap first is the point; the first lines and Show all",
  "components/finance/reconciliation-section.tsx": "one line per provider of the month's invoices, fixed and short",
  "components/review/why-it-moved.tsx": "a breakdown of one movement: rate, mix and the biggest model shifts",
  "components/settings/gpu-pools-admin.tsx": "an edit form per pool",
  "components/settings/overhead-form.tsx": "a form: one input per feature",
  "components/customers/plan-rates-form.tsx": "a form: one input per plan",
  "components/settings/price-change-preview.tsx": "the re-pricing preview of one change, per model and month (the price list itself is a data table)",
  "components/settings/review-settings-form.tsx": "a form: one input per endpoint",
  "components/settings/upload-events.tsx": "the preview and the rejected rows of one file, in file order",
};
/** Not yet in a TableBox (none left). */
const NOT_BOXED_YET = new Set<string>();

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = path.join(dir, name);
    if (statSync(path.join(ROOT, rel)).isDirectory()) return sourceFiles(rel);
    return /\.(ts|tsx)$/.test(name) ? [rel.split(path.sep).join("/")] : [];
  });
}

const read = (f: string) => readFileSync(path.join(ROOT, f), "utf8");
const uiFiles = () => ["app", "components", "lib"].flatMap(sourceFiles);

/** Files (under app/, components/ and lib/) that build a TanStack table themselves. */
function filesBuildingTables(): string[] {
  return uiFiles().filter((f) => OWN_TABLE.test(read(f)));
}

/** Files other than the data table that write a <table> by hand. */
function filesWithHandTables(): string[] {
  return uiFiles().filter((f) => f !== DATA_TABLE && HAND_TABLE.test(read(f)));
}

describe("one data table", () => {
  it("finds a table built by hand in a source text", () => {
    expect(OWN_TABLE.test("const table = useReactTable({ data, columns, getCoreRowModel: getCoreRowModel() });")).toBe(true);
    expect(OWN_TABLE.test('import { getSortedRowModel } from "@tanstack/react-table";')).toBe(true);
    expect(OWN_TABLE.test('import { createColumnHelper } from "@tanstack/react-table";')).toBe(false);
  });

  it("finds a hand-written table that sorts or filters", () => {
    expect(SORTS_OR_FILTERS.test('<th aria-sort={dir === "asc" ? "ascending" : "descending"}>')).toBe(true);
    expect(SORTS_OR_FILTERS.test('<th className="py-2" onClick={() => setSort("total")}>Total</th>')).toBe(true);
    expect(SORTS_OR_FILTERS.test("const [sortKey, setSortKey] = useState<keyof Row>('total');")).toBe(true);
    expect(SORTS_OR_FILTERS.test("const [query, setQuery] = useState(''); rows.filter((r) => r.name.includes(query))")).toBe(true);
    expect(SORTS_OR_FILTERS.test('<th className="py-2 pr-4 text-right">Cost</th>')).toBe(false);
  });

  it("no file other than the shared data table calls useReactTable", () => {
    expect(filesBuildingTables()).toEqual([DATA_TABLE]);
  });

  it("no hand-written table sorts or filters its rows", () => {
    expect(filesWithHandTables().filter((f) => SORTS_OR_FILTERS.test(read(f)))).toEqual([]);
  });

  it("every hand-written table is a known static one", () => {
    expect(filesWithHandTables().filter((f) => !(f in STATIC_TABLES))).toEqual([]);
  });

  it("every hand-written table scrolls in its own box, so the page does not", () => {
    const unboxed = filesWithHandTables()
      .filter((f) => !NOT_BOXED_YET.has(f))
      .filter((f) => {
        const s = read(f);
        return (s.match(/<TableBox\b/g) ?? []).length < (s.match(/<table\b/g) ?? []).length;
      });
    expect(unboxed).toEqual([]);
  });
});
