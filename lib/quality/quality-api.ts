// POST /api/v1/quality bodies: JSON {"rows": […]} or a CSV (Content-Type text/csv) with a header row.
import type { Db } from "@/lib/db/client";
import { AppError, badRequest } from "@/lib/errors";
import { assertSafeStrings, checkJson } from "@/lib/http/input";
import { parseQualityCsv } from "@/lib/quality/quality-row";
import { ingestQuality, MAX_QUALITY_ROWS, type QualityIngestResult } from "@/lib/quality/store-quality";

export async function postQuality(db: Db, text: string, contentType: string): Promise<QualityIngestResult> {
  let raws: unknown[];
  let lines: number[] | null = null;
  if (/text\/csv/i.test(contentType)) {
    const csv = parseQualityCsv(text);
    if (csv.fileError) throw badRequest(`The CSV cannot be read: ${csv.fileError}`, [{ path: "(body)", message: csv.fileError }]);
    // PostgreSQL text cannot hold NUL: a cell with one refuses the file, naming the row and column.
    assertSafeStrings(csv.rows, "body.rows");
    raws = csv.rows;
    lines = csv.lines;
  } else {
    let body: unknown;
    try {
      body = text.trim() ? JSON.parse(text) : {};
    } catch (e) {
      throw new AppError("invalid_json", 400, `The request body is not valid JSON: ${(e as Error).message}`);
    }
    checkJson(text, body);
    const rows = (body as { rows?: unknown } | null)?.rows;
    if (!Array.isArray(rows)) throw badRequest('The body must be {"rows": [...]} (or a CSV sent as text/csv).', [{ path: "rows", message: "rows must be an array" }]);
    raws = rows;
  }
  if (raws.length > MAX_QUALITY_ROWS) throw badRequest(`At most ${MAX_QUALITY_ROWS} rows per request; split the file.`, [{ path: "rows", message: `${raws.length} rows` }]);
  const result = await ingestQuality(db, raws);
  if (lines) for (const r of result.rejected) r.line = lines[r.index];
  return result;
}
