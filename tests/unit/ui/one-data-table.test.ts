// Every list that sorts or filters goes through components/ui/data-table.tsx: no other file may build
// its own TanStack table (useReactTable, or the sorted/filtered row models that only a table needs).
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const DATA_TABLE = "components/ui/data-table.tsx";
const OWN_TABLE = /\b(useReactTable|getSortedRowModel|getFilteredRowModel)\b/;

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = path.join(dir, name);
    if (statSync(path.join(ROOT, rel)).isDirectory()) return sourceFiles(rel);
    return /\.(ts|tsx)$/.test(name) ? [rel.split(path.sep).join("/")] : [];
  });
}

/** Files (under app/, components/ and lib/) that build a TanStack table themselves. */
function filesBuildingTables(): string[] {
  return ["app", "components", "lib"].flatMap(sourceFiles).filter((f) => OWN_TABLE.test(readFileSync(path.join(ROOT, f), "utf8")));
}

describe("one data table", () => {
  it("finds a table built by hand in a source text", () => {
    expect(OWN_TABLE.test("const table = useReactTable({ data, columns, getCoreRowModel: getCoreRowModel() });")).toBe(true);
    expect(OWN_TABLE.test('import { getSortedRowModel } from "@tanstack/react-table";')).toBe(true);
    expect(OWN_TABLE.test('import { createColumnHelper } from "@tanstack/react-table";')).toBe(false);
  });

  it("no file other than the shared data table calls useReactTable", () => {
    expect(filesBuildingTables()).toEqual([DATA_TABLE]);
  });
});
