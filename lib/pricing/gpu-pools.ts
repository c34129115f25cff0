// GPU pool prices (gpu_pools): list, create, change and delete, each re-pricing exactly the pool-hours
// it affects in the same transaction, refusing a change that would re-price a closed month, and audited.
import type pg from "pg";
import type { Db } from "@/lib/db/client";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { AppError, badRequest, conflict, notFound } from "@/lib/errors";
import { Dec } from "@/lib/pricing/price-entry";
import {
  candidateWindow,
  describeRange,
  hoursWithChangedPrice,
  monthOf,
  overlapsWith,
  type GpuPoolRow,
} from "@/lib/pricing/gpu-pool-rules";
import type { GpuPoolCreate, GpuPoolUpdate } from "@/lib/pricing/schemas";
import { gpuEventHours, lockGpuPoolsForChange, recomputeGpuHourIn } from "@/lib/pricing/recompute-gpu";
import { withTransaction } from "@/lib/db/transaction";

export type GpuPoolView = {
  id: string;
  name: string;
  /** Exact decimal string. */
  hourlyUsd: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  createdAt: string;
};

export type GpuPoolChange = {
  pool: GpuPoolView | null;
  /** The pool-hours whose cost was recomputed because their governing price changed. */
  recomputedHours: number;
};

type Row = { id: string; name: string; hourly_usd: string; effective_from: Date; effective_to: Date | null; created_at: Date };

const SELECT = "SELECT id, name, hourly_usd::text AS hourly_usd, effective_from, effective_to, created_at FROM gpu_pools";

const view = (r: Row): GpuPoolView => ({
  id: r.id,
  name: r.name,
  hourlyUsd: new Dec(r.hourly_usd).toFixed(),
  effectiveFrom: r.effective_from.toISOString(),
  effectiveTo: r.effective_to?.toISOString() ?? null,
  createdAt: r.created_at.toISOString(),
});

const asRule = (r: Row): GpuPoolRow => ({
  id: r.id,
  name: r.name,
  hourlyUsd: r.hourly_usd,
  effectiveFrom: r.effective_from,
  effectiveTo: r.effective_to,
});

export async function listGpuPools(db: Db): Promise<GpuPoolView[]> {
  const { rows } = await db.query<Row>(`${SELECT} ORDER BY name, effective_from DESC`);
  return rows.map(view);
}

async function rowsNamed(client: pg.PoolClient, names: string[]): Promise<Row[]> {
  return (await client.query<Row>(`${SELECT} WHERE name = ANY($1::text[])`, [names])).rows;
}

function refuseOverlap(candidate: GpuPoolRow | (Omit<GpuPoolRow, "id"> & { id?: string }), existing: Row[]): void {
  const clashes = overlapsWith(candidate, existing.map(asRule));
  if (!clashes.length) return;
  const list = clashes.map((c) => `$${new Dec(c.hourlyUsd).toFixed()}/hour from ${describeRange(c)} (id ${c.id})`).join("; ");
  throw badRequest(`The price overlaps another price of GPU pool "${candidate.name}".`, [
    {
      path: "effectiveFrom",
      message: `${describeRange(candidate)} overlaps ${list}: end the other price first (set its effectiveTo), or choose dates after it`,
    },
  ]);
}

/**
 * Recomputes, on `client`, the pool-hours whose governing price differs between `before` and `after`;
 * `changed` are the ranges touched (old and new versions of the row). Refuses hours in closed months.
 */
async function reprice(client: pg.PoolClient, changed: GpuPoolRow[], before: Row[], after: Row[]): Promise<number> {
  const candidates: { pool: string; hour: Date }[] = [];
  for (const name of new Set(changed.map((c) => c.name))) {
    const window = candidateWindow(changed.filter((c) => c.name === name));
    if (!window) continue;
    for (const hour of await gpuEventHours(client, name, window)) candidates.push({ pool: name, hour });
  }
  const affected = hoursWithChangedPrice(before.map(asRule), after.map(asRule), candidates);
  if (!affected.length) return 0;

  const months = [...new Set(affected.map((a) => monthOf(a.hour)))].sort();
  const { rows: closed } = await client.query<{ month: string }>(
    "SELECT to_char(month, 'YYYY-MM') AS month FROM closed_months WHERE month = ANY($1::date[]) ORDER BY month",
    [months.map((m) => `${m}-01`)],
  );
  if (closed.length) {
    const names = closed.map((c) => c.month);
    const hours = affected.filter((a) => names.includes(monthOf(a.hour))).length;
    throw new AppError(
      "conflict",
      409,
      `This change would re-price ${hours} GPU pool-hour${hours === 1 ? "" : "s"} in closed month${names.length === 1 ? "" : "s"} ${names.join(", ")}, ` +
        `whose costs may no longer change. Nothing was changed. Make the price effective after ${names.at(-1)}, or have finance reopen the month first.`,
      { closedMonths: names },
    );
  }
  for (const { pool, hour } of affected) await recomputeGpuHourIn(client, pool, hour);
  return affected.length;
}

export async function createGpuPool(db: Db, input: GpuPoolCreate, actor: Actor): Promise<GpuPoolChange> {
  return withTransaction(async (client) => {
    await lockGpuPoolsForChange(client, [input.name]);
    const before = await rowsNamed(client, [input.name]);
    refuseOverlap({ ...input }, before);
    const { rows } = await client.query<Row>(
      `INSERT INTO gpu_pools (name, hourly_usd, effective_from, effective_to) VALUES ($1, $2::numeric, $3, $4)
       RETURNING id, name, hourly_usd::text AS hourly_usd, effective_from, effective_to, created_at`,
      [input.name, input.hourlyUsd, input.effectiveFrom, input.effectiveTo],
    );
    const created = rows[0]!;
    const recomputedHours = await reprice(client, [asRule(created)], before, [...before, created]);
    await recordAudit(client, actor, {
      action: "gpu_pool.create",
      entityType: "gpu_pool",
      entityId: created.id,
      after: { ...view(created), recomputedHours },
    });
    return { pool: view(created), recomputedHours };
  }, { db });
}

export async function updateGpuPool(db: Db, id: string, input: GpuPoolUpdate, actor: Actor): Promise<GpuPoolChange> {
  return withTransaction(async (client) => {
    const current = (await client.query<Row>(`${SELECT} WHERE id = $1`, [id])).rows[0];
    if (!current) throw notFound("GPU pool price");
    const name = input.name ?? current.name;
    await lockGpuPoolsForChange(client, [current.name, name]);
    // Re-read under the lock: another change may have committed meanwhile.
    const before = await rowsNamed(client, [current.name, name]);
    const old = before.find((r) => r.id === id);
    if (!old) throw notFound("GPU pool price");
    if (old.name !== current.name) throw conflict("This GPU pool price was renamed while you changed it; reload and try again.");
    const next: GpuPoolRow = {
      id,
      name,
      hourlyUsd: input.hourlyUsd ?? old.hourly_usd,
      effectiveFrom: input.effectiveFrom ?? old.effective_from,
      effectiveTo: input.effectiveTo === undefined ? old.effective_to : input.effectiveTo,
    };
    if (next.effectiveTo !== null && next.effectiveTo.getTime() <= next.effectiveFrom.getTime()) {
      throw badRequest("The change is not valid.", [
        { path: "effectiveTo", message: `effectiveTo must be after effectiveFrom (${next.effectiveFrom.toISOString()})` },
      ]);
    }
    refuseOverlap(next, before);
    const { rows } = await client.query<Row>(
      `UPDATE gpu_pools SET name = $2, hourly_usd = $3::numeric, effective_from = $4, effective_to = $5 WHERE id = $1
       RETURNING id, name, hourly_usd::text AS hourly_usd, effective_from, effective_to, created_at`,
      [id, next.name, next.hourlyUsd, next.effectiveFrom, next.effectiveTo],
    );
    const updated = rows[0]!;
    const after = before.map((r) => (r.id === id ? updated : r));
    const recomputedHours = await reprice(client, [asRule(old), asRule(updated)], before, after);
    const oldView = view(old);
    const newView = view(updated);
    const keys = (["name", "hourlyUsd", "effectiveFrom", "effectiveTo"] as const).filter((k) => oldView[k] !== newView[k]);
    await recordAudit(client, actor, {
      action: "gpu_pool.update",
      entityType: "gpu_pool",
      entityId: id,
      before: Object.fromEntries(keys.map((k) => [k, oldView[k]])),
      after: { ...Object.fromEntries(keys.map((k) => [k, newView[k]])), recomputedHours },
    });
    return { pool: newView, recomputedHours };
  }, { db });
}

export async function deleteGpuPool(db: Db, id: string, actor: Actor): Promise<GpuPoolChange> {
  return withTransaction(async (client) => {
    const current = (await client.query<Row>(`${SELECT} WHERE id = $1`, [id])).rows[0];
    if (!current) throw notFound("GPU pool price");
    await lockGpuPoolsForChange(client, [current.name]);
    const before = await rowsNamed(client, [current.name]);
    const old = before.find((r) => r.id === id);
    if (!old) throw notFound("GPU pool price");
    if (old.name !== current.name) throw conflict("This GPU pool price was renamed meanwhile; reload and try again.");
    await client.query("DELETE FROM gpu_pools WHERE id = $1", [id]);
    const recomputedHours = await reprice(client, [asRule(old)], before, before.filter((r) => r.id !== id));
    await recordAudit(client, actor, {
      action: "gpu_pool.delete",
      entityType: "gpu_pool",
      entityId: id,
      before: view(old),
      after: { recomputedHours },
    });
    return { pool: null, recomputedHours };
  }, { db });
}
