// GPU pool prices (the input schemas: lib/pricing/schemas.ts): the rule that two prices of one pool may not overlap, and
// which pool-hours a price change actually re-prices. Pure: no database.
//
// Decisions:
// - hourlyUsd is a decimal string ("3.60"), never a JSON number: a binary float can not hold most
//   cents exactly. It is at least 0 and at most 1e9 (the bound allocate-gpu.ts accepts).
// - A price applies to [effectiveFrom, effectiveTo): effectiveTo null means open-ended. Two prices of
//   the same pool name may not overlap, so which price governs an hour never depends on tie-breaking.
// - A pool-hour is governed by the price in effect at the start of the hour (allocate-gpu.ts), so a
//   change affects exactly the hours whose governing hourly rate differs before and after it. Ending
//   an old price in the future, for example, affects no past hour and so never touches a closed month.
import { poolPrice, type GpuPool } from "@/lib/pricing/allocate-gpu";
import { Dec, toDecimalString } from "@/lib/pricing/price-entry";

export const MAX_HOURLY_USD = new Dec("1e9");
const HOUR_MS = 3_600_000;

export type GpuPoolRow = GpuPool & { id: string };

export function rangesOverlap(a: { effectiveFrom: Date; effectiveTo: Date | null }, b: { effectiveFrom: Date; effectiveTo: Date | null }): boolean {
  const aEnd = a.effectiveTo?.getTime() ?? Infinity;
  const bEnd = b.effectiveTo?.getTime() ?? Infinity;
  return a.effectiveFrom.getTime() < bEnd && b.effectiveFrom.getTime() < aEnd;
}

/** The other prices of the same pool whose range overlaps `candidate`'s. */
export function overlapsWith(candidate: GpuPool & { id?: string }, existing: readonly GpuPoolRow[]): GpuPoolRow[] {
  return existing.filter((e) => e.id !== candidate.id && e.name === candidate.name && rangesOverlap(e, candidate));
}

export function describeRange(p: { effectiveFrom: Date; effectiveTo: Date | null }): string {
  return `${p.effectiveFrom.toISOString()} to ${p.effectiveTo ? p.effectiveTo.toISOString() : "open-ended"}`;
}

/**
 * The hours a change can affect for one pool name: from the hour of the earliest effectiveFrom among
 * the ranges up to their latest end (plus an hour, since an hour starting before effectiveTo is governed
 * by it whole). Null when there are no ranges. Use it to narrow the event hours to look at.
 */
export function candidateWindow(ranges: readonly { effectiveFrom: Date; effectiveTo: Date | null }[]): { from: Date; to: Date | null } | null {
  if (!ranges.length) return null;
  const from = Math.min(...ranges.map((r) => r.effectiveFrom.getTime()));
  const ends = ranges.map((r) => r.effectiveTo?.getTime() ?? Infinity);
  const to = Math.max(...ends);
  return { from: new Date(Math.floor(from / HOUR_MS) * HOUR_MS), to: Number.isFinite(to) ? new Date(to + HOUR_MS) : null };
}

function governingRate(pools: readonly GpuPool[], name: string, hour: Date): string | null {
  const p = poolPrice(pools, name, hour);
  if (!p) return null;
  const r = toDecimalString(p.hourlyUsd, { max: MAX_HOURLY_USD });
  return r.ok ? r.value : `invalid:${p.hourlyUsd}`;
}

/** Of the given pool-hours, those whose governing hourly rate differs between `before` and `after`. */
export function hoursWithChangedPrice(
  before: readonly GpuPool[],
  after: readonly GpuPool[],
  poolHours: readonly { pool: string; hour: Date }[],
): { pool: string; hour: Date }[] {
  return poolHours.filter(({ pool, hour }) => {
    const a = governingRate(before, pool, hour);
    const b = governingRate(after, pool, hour);
    if (a === null || b === null) return a !== b;
    if (a.startsWith("invalid:") || b.startsWith("invalid:")) return a !== b;
    return !new Dec(a).equals(b);
  });
}

/** "2026-10" for any instant in October 2026 (UTC): how closed months are named. */
export function monthOf(d: Date): string {
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}
