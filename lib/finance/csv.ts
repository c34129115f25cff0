// CSV output (RFC 4180): quoted when needed; text cells that a spreadsheet would run as a formula get a leading '.
export type Cell = string | number | null;

/** A text cell that a spreadsheet would run as a formula, with a leading ' (as csvCell writes a text cell). */
export function guardFormula(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

export function csvCell(v: Cell, { text = false }: { text?: boolean } = {}): string {
  if (v === null) return "";
  let s = String(v);
  if (text) s = guardFormula(s);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: Cell[], textColumns: ReadonlySet<number> = new Set()): string {
  return cells.map((c, i) => csvCell(c, { text: textColumns.has(i) })).join(",") + "\r\n";
}

/** Rows of cells → CSV text in chunks of 1000 lines, for a streamed download (downloadResponse in lib/http/responses.ts). */
export async function* csvChunks(cells: Cell[][], textColumns: ReadonlySet<number>): AsyncGenerator<string> {
  for (let i = 0; i < cells.length; i += 1000) yield cells.slice(i, i + 1000).map((c) => csvLine(c, textColumns)).join("");
}
