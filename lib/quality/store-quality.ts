// Stores quality rows: valid rows are upserted on (endpoint, metric, day, cohort), so re-posting a
// day replaces it; invalid rows come back with errors naming the field and nothing of them is stored.
import type { Db } from "@/lib/db/client";
import { parseQualityRow, type QualityRejected, type QualityRow } from "@/lib/quality/quality-row";

export type QualityIngestResult = { accepted: number; rejected: QualityRejected[] };

export const MAX_QUALITY_ROWS = 10_000;

export async function ingestQuality(db: Db, raws: readonly unknown[]): Promise<QualityIngestResult> {
  const rejected: QualityRejected[] = [];
  const byKey = new Map<string, QualityRow>();
  raws.forEach((raw, index) => {
    const parsed = parseQualityRow(raw, index);
    if (!parsed.ok) rejected.push({ index, errors: parsed.errors });
    else {
      const r = parsed.row;
      // The last of several rows for the same key in one batch wins, as a later post would.
      byKey.set(JSON.stringify([r.endpoint, r.metric, r.day, r.cohort]), r);
    }
  });
  const rows = [...byKey.values()];
  if (rows.length) {
    await db.query(
      `INSERT INTO quality_metrics (day, endpoint, cohort, metric, value, successes, samples)
       SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::text[], $5::numeric[], $6::numeric[], $7::int[])
       ON CONFLICT (endpoint, metric, day, cohort) DO UPDATE
         SET value = EXCLUDED.value, successes = EXCLUDED.successes, samples = EXCLUDED.samples, updated_at = EXCLUDED.updated_at`,
      [
        rows.map((r) => r.day),
        rows.map((r) => r.endpoint),
        rows.map((r) => r.cohort),
        rows.map((r) => r.metric),
        rows.map((r) => r.value),
        rows.map((r) => r.successes),
        rows.map((r) => r.samples),
      ],
    );
  }
  return { accepted: raws.length - rejected.length, rejected };
}
