// Recomputes the allocation of self-hosted GPU pool-hours to the requests they served, after gpu
// events arrive or a pool's price changes. Serialised per pool-hour so concurrent batches agree, and
// per pool against price changes: a recompute holds its pool's lock shared, a price change holds it
// exclusively (lockGpuPoolsForChange) and recomputes the hours it affects in its own transaction.
import type pg from "pg";
import { allocateGpu, type GpuPool } from "@/lib/pricing/allocate-gpu";
import { withTransaction } from "@/lib/db/transaction";

export type PoolHourKey = { pool: string; hour: Date };

/** Rows without a request (pool capacity reported on its own) are allocated to this id: unattributed. */
export const NO_REQUEST = "";

export function hourOf(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 3_600_000) * 3_600_000);
}

const poolLockKey = (pool: string) => `gpu-pool:${pool}`;

async function poolsNamed(client: pg.PoolClient, names: string[]): Promise<GpuPool[]> {
  const { rows } = await client.query<{ name: string; hourly_usd: string; effective_from: Date; effective_to: Date | null }>(
    "SELECT name, hourly_usd::text AS hourly_usd, effective_from, effective_to FROM gpu_pools WHERE name = ANY($1)",
    [names],
  );
  return rows.map((r) => ({ name: r.name, hourlyUsd: r.hourly_usd, effectiveFrom: r.effective_from, effectiveTo: r.effective_to }));
}

/**
 * Inside a transaction: take the pools' locks exclusively (in a fixed order), so no recompute of those
 * pools runs until the transaction ends, and every later one sees its outcome.
 */
export async function lockGpuPoolsForChange(client: pg.PoolClient, pools: readonly string[]): Promise<void> {
  for (const pool of [...new Set(pools)].sort()) {
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [poolLockKey(pool)]);
  }
}

/** Recomputes one pool-hour on `client`, inside the caller's transaction, which holds the pool's lock. */
export async function recomputeGpuHourIn(client: pg.PoolClient, pool: string, hourAt: Date): Promise<void> {
  const hour = hourOf(hourAt);
  const end = new Date(hour.getTime() + 3_600_000);
  const { rows } = await client.query<{ request_id: string | null; gpu_seconds: number | null }>(
    `SELECT request_id, gpu_seconds FROM cost_events WHERE kind = 'gpu' AND pool = $1 AND ts >= $2 AND ts < $3`,
    [pool, hour, end],
  );
  const allocation = allocateGpu(
    await poolsNamed(client, [pool]),
    rows.map((r) => ({ pool, hour, requestId: r.request_id ?? NO_REQUEST, gpuSeconds: r.gpu_seconds })),
  );
  await client.query("DELETE FROM gpu_allocations WHERE pool = $1 AND hour = $2", [pool, hour]);
  await client.query("DELETE FROM gpu_pool_hours WHERE pool = $1 AND hour = $2", [pool, hour]);
  for (const h of allocation.hours) {
    const seconds = rows.every((r) => r.gpu_seconds !== null) ? rows.reduce((s, r) => s + (r.gpu_seconds ?? 0), 0) : null;
    await client.query(
      `INSERT INTO gpu_pool_hours (pool, hour, cost_usd, status, split, requests, gpu_seconds, utilisation)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [h.pool, h.hour, h.costUsd, h.status, h.split, h.requestCount, seconds, h.utilisation],
    );
  }
  if (allocation.shares.length) {
    await client.query(
      `INSERT INTO gpu_allocations (pool, hour, request_id, gpu_seconds, cost_usd)
       SELECT $1, $2, r, s, c::numeric FROM unnest($3::text[], $4::float8[], $5::text[]) AS t(r, s, c)`,
      [pool, hour, allocation.shares.map((s) => s.requestId), allocation.shares.map((s) => s.gpuSeconds), allocation.shares.map((s) => s.costUsd)],
    );
  }
}

export async function recomputeGpuHours(db: pg.Pool, keys: PoolHourKey[]): Promise<void> {
  const unique = new Map(keys.map((k) => [`${k.pool}\u0000${hourOf(k.hour).toISOString()}`, { pool: k.pool, hour: hourOf(k.hour) }]));
  for (const { pool, hour } of unique.values()) {
    await withTransaction(async (client) => {
      await client.query("SELECT pg_advisory_xact_lock_shared(hashtext($1))", [poolLockKey(pool)]);
      await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`gpu:${pool}:${hour.toISOString()}`]);
      await recomputeGpuHourIn(client, pool, hour);
    }, { db });
  }
}

/** The UTC hours in which a pool has gpu events, optionally only those from `from` (inclusive) to `to` (exclusive). */
export async function gpuEventHours(
  db: pg.Pool | pg.PoolClient,
  poolName: string,
  range: { from?: Date | null; to?: Date | null } = {},
): Promise<Date[]> {
  const { rows } = await db.query<{ hour: Date }>(
    `SELECT DISTINCT date_trunc('hour', ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS hour FROM cost_events
     WHERE kind = 'gpu' AND pool = $1 AND ($2::timestamptz IS NULL OR ts >= $2) AND ($3::timestamptz IS NULL OR ts < $3)
     ORDER BY hour`,
    [poolName, range.from ?? null, range.to ?? null],
  );
  return rows.map((r) => r.hour);
}

/**
 * Every pool-hour of a pool that has gpu events, in one transaction: after the pool's price changed,
 * or after a bulk load that skipped the per-batch recompute.
 */
export async function recomputeGpuPool(db: pg.Pool, poolName: string): Promise<number> {
  return withTransaction(async (client) => {
    await lockGpuPoolsForChange(client, [poolName]);
    const { rows } = await client.query<{ ts: Date; request_id: string | null; gpu_seconds: number | null }>(
      "SELECT ts, request_id, gpu_seconds FROM cost_events WHERE kind = 'gpu' AND pool = $1",
      [poolName],
    );
    const allocation = allocateGpu(
      await poolsNamed(client, [poolName]),
      rows.map((r) => ({ pool: poolName, hour: hourOf(r.ts), requestId: r.request_id ?? NO_REQUEST, gpuSeconds: r.gpu_seconds })),
    );
    const seconds = new Map<number, number | null>();
    for (const r of rows) {
      const h = hourOf(r.ts).getTime();
      const prev = seconds.has(h) ? seconds.get(h)! : 0;
      seconds.set(h, prev === null || r.gpu_seconds === null ? null : prev + r.gpu_seconds);
    }
    await client.query("DELETE FROM gpu_allocations WHERE pool = $1", [poolName]);
    await client.query("DELETE FROM gpu_pool_hours WHERE pool = $1", [poolName]);
    const hours = allocation.hours;
    await client.query(
      `INSERT INTO gpu_pool_hours (pool, hour, cost_usd, status, split, requests, gpu_seconds, utilisation)
       SELECT $1, h, c::numeric, st, sp, n, s, u FROM unnest($2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::int[], $7::float8[], $8::float8[]) AS t(h, c, st, sp, n, s, u)`,
      [
        poolName,
        hours.map((h) => h.hour),
        hours.map((h) => h.costUsd),
        hours.map((h) => h.status),
        hours.map((h) => h.split),
        hours.map((h) => h.requestCount),
        hours.map((h) => seconds.get(h.hour.getTime()) ?? null),
        hours.map((h) => h.utilisation),
      ],
    );
    const shares = allocation.shares;
    await client.query(
      `INSERT INTO gpu_allocations (pool, hour, request_id, gpu_seconds, cost_usd)
       SELECT $1, h, r, s, c::numeric FROM unnest($2::timestamptz[], $3::text[], $4::float8[], $5::text[]) AS t(h, r, s, c)`,
      [poolName, shares.map((s) => s.hour), shares.map((s) => s.requestId), shares.map((s) => s.gpuSeconds), shares.map((s) => s.costUsd)],
    );
    return hours.length;
  }, { db });
}
