// Monthly partitions of cost_events, created on demand before rows for a new month arrive.
import type pg from "pg";
import { withTransaction } from "@/lib/db/transaction";

const known = new Set<string>();

export function monthKey(d: Date): string {
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** The month of a Date, or of toISOString() text (its first seven characters, for years 0000–9999). */
function monthOf(at: Date | string): string {
  return typeof at === "string" && at.length === 24 ? at.slice(0, 7) : monthKey(typeof at === "string" ? new Date(at) : at);
}

function partitionSql(key: string): string {
  const [y, m] = key.split("-").map(Number) as [number, number];
  const from = `${y}-${String(m).padStart(2, "0")}-01`;
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, "0")}-01`;
  return `CREATE TABLE IF NOT EXISTS "cost_events_${y}_${String(m).padStart(2, "0")}" PARTITION OF "cost_events" FOR VALUES FROM ('${from}') TO ('${next}')`;
}

export async function ensurePartitions(db: pg.Pool, dates: Iterable<Date | string>): Promise<void> {
  const months = new Set<string>();
  for (const d of dates) months.add(monthOf(d));
  const missing = [...months].filter((k) => !known.has(k));
  for (const key of missing) {
    // Serialise creators: CREATE TABLE IF NOT EXISTS alone still races on the catalog.
    await withTransaction(async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtext('cost_events_partitions'))");
      await client.query(partitionSql(key));
    }, { db });
    known.add(key);
  }
}

/** Forget what this process created (tests that drop and recreate databases). */
export function resetPartitionCache(): void {
  known.clear();
}
