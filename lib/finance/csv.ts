// CSV output (RFC 4180): quoted when needed; text cells that a spreadsheet would run as a formula get a leading '.
export type Cell = string | number | null;

export function csvCell(v: Cell, { text = false }: { text?: boolean } = {}): string {
  if (v === null) return "";
  let s = String(v);
  if (text && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: Cell[], textColumns: ReadonlySet<number> = new Set()): string {
  return cells.map((c, i) => csvCell(c, { text: textColumns.has(i) })).join(",") + "\r\n";
}

/** A streamed response from an async generator of text chunks. */
export function streamResponse(chunks: AsyncGenerator<string>, contentType: string, filename: string): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (err) {
        controller.error(err);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": contentType,
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
    },
  });
}
