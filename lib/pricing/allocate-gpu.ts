// Spreads each self-hosted GPU pool-hour's full cost, idle capacity included, over the requests it served that hour.
//
// Decisions:
// - A pool-hour costs the hourlyUsd of the pool price in effect at the start of the hour
//   (effectiveFrom <= hour < effectiveTo); when several overlap, the latest effectiveFrom wins. A price
//   change mid-hour takes effect from the next hour.
// - Row hours are floored to the UTC hour, so a row stamped 10:37 counts towards 10:00.
// - Split: in proportion to each request's summed gpuSeconds; equally when any row of the pool-hour has no
//   usable gpuSeconds (null, negative, NaN, infinite) or all are 0, because a partial measurement would
//   give the unmeasured requests the whole hour for free.
// - Money is conserved exactly: shares are integers of a quantum (1e-12 USD, or finer when the hourly
//   price itself has more digits) distributed by largest remainder, ties to the earlier requestId, so the
//   shares of a pool-hour always add up to its cost to the last digit.
// - Weights are rounded to microseconds before splitting; that changes proportions by at most a
//   microsecond's worth and never the total.
// - utilisation = min(1, Σ gpuSeconds / 3600), as a number (a ratio, not money); null when any row lacks
//   gpuSeconds, since a partial sum would understate it. It assumes gpuSeconds are measured against the
//   pool's wall-clock hour.
// - A pool-hour without a configured price is unpriced (cost null, with the reason), never $0. Hours in
//   which a pool served no requests carry no rows and so are not reported here.
// - Never throws: rows with an invalid hour are returned in `rejected`.
import Decimal from "decimal.js";
import { Dec, toDecimalString } from "@/lib/pricing/price-entry";

export type GpuPool = { name: string; hourlyUsd: string; effectiveFrom: Date; effectiveTo: Date | null };
export type GpuUsageRow = { pool: string; hour: Date; requestId: string; gpuSeconds: number | null };

export type GpuShare = {
  pool: string;
  hour: Date;
  requestId: string;
  /** Summed over the request's rows in this pool-hour; null when the split was equal for lack of measurements. */
  gpuSeconds: number | null;
  /** Exact decimal string; null when the pool-hour is unpriced. */
  costUsd: string | null;
};

type PoolHourBase = {
  pool: string;
  hour: Date;
  requestCount: number;
  split: "proportional" | "equal";
  utilisation: number | null;
};
export type GpuPoolHour =
  | (PoolHourBase & { status: "priced"; costUsd: string })
  | (PoolHourBase & { status: "unpriced"; costUsd: null; reason: string });

export type GpuAllocation = {
  hours: GpuPoolHour[];
  shares: GpuShare[];
  rejected: { row: GpuUsageRow; reason: string }[];
};

const HOUR_MS = 3_600_000;
const SECONDS_PER_HOUR = new Dec(3600);
const MIN_SCALE = 12;
const MAX_HOURLY = new Dec("1e9");
const WEIGHT_DECIMALS = 6;
// Weights can be any finite double (up to ~309 digits); this precision keeps weight × cost products exact.
const Big = Dec.clone({ precision: 1000 });

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function usableSeconds(s: number | null): Decimal | null {
  if (s === null || typeof s !== "number" || !Number.isFinite(s) || s < 0) return null;
  return new Big(String(s));
}

/**
 * Splits `total` into parts proportional to `weights` (equal when they sum to 0) that add up to `total`
 * exactly, each a whole multiple of 10^-scale with scale = max(minScale, total's fractional digits).
 */
export function distributeExactly(total: Decimal.Value, weights: readonly Decimal.Value[], minScale = MIN_SCALE): string[] {
  const n = weights.length;
  if (n === 0) return [];
  const t = new Big(total);
  if (!t.isFinite() || (t.isNegative() && !t.isZero())) throw new RangeError("total must be a finite, non-negative amount");
  const scale = Math.max(minScale, t.decimalPlaces());
  const units = t.times(new Big(10).pow(scale));
  let w = weights.map((x) => new Big(x).toDecimalPlaces(WEIGHT_DECIMALS, Decimal.ROUND_HALF_EVEN));
  if (w.some((x) => !x.isFinite() || (x.isNegative() && !x.isZero()))) throw new RangeError("weights must be finite and non-negative");
  let sum = w.reduce((a, b) => a.plus(b), new Big(0));
  if (sum.isZero()) {
    w = w.map(() => new Big(1));
    sum = new Big(n);
  }
  const toInt = new Big(10).pow(WEIGHT_DECIMALS);
  const intW = w.map((x) => x.times(toInt));
  const intSum = sum.times(toInt);

  const floors: Decimal[] = [];
  const remainders: Decimal[] = [];
  let allotted = new Big(0);
  for (const wi of intW) {
    const product = units.times(wi);
    const q = product.divToInt(intSum);
    floors.push(q);
    remainders.push(product.minus(q.times(intSum)));
    allotted = allotted.plus(q);
  }
  const leftover = units.minus(allotted).toNumber();
  const order = remainders.map((r, i) => ({ r, i })).sort((a, b) => b.r.comparedTo(a.r) || a.i - b.i);
  for (let k = 0; k < leftover; k++) {
    const idx = order[k]?.i;
    if (idx !== undefined) floors[idx] = (floors[idx] ?? new Big(0)).plus(1);
  }
  const quantum = new Big(10).pow(-scale);
  return floors.map((q) => q.times(quantum).toFixed());
}

/** The pool price that governs a pool-hour: in effect at the start of the hour, the latest effectiveFrom winning. */
export function poolPrice(pools: readonly GpuPool[], name: string, hour: Date): GpuPool | null {
  let found: GpuPool | null = null;
  for (const p of pools) {
    if (p.name !== name) continue;
    const from = p.effectiveFrom.getTime();
    if (!(from <= hour.getTime() && (p.effectiveTo === null || hour.getTime() < p.effectiveTo.getTime()))) continue;
    if (found === null || from > found.effectiveFrom.getTime()) found = p;
  }
  return found;
}

type Group = { pool: string; hour: Date; rows: GpuUsageRow[] };

export function allocateGpu(pools: readonly GpuPool[], rows: readonly GpuUsageRow[]): GpuAllocation {
  const result: GpuAllocation = { hours: [], shares: [], rejected: [] };
  const groups = new Map<string, Group>();
  for (const row of rows) {
    const t = row.hour instanceof Date ? row.hour.getTime() : Number.NaN;
    if (Number.isNaN(t)) {
      result.rejected.push({ row, reason: "hour is not a valid date" });
      continue;
    }
    const hour = new Date(Math.floor(t / HOUR_MS) * HOUR_MS);
    const key = `${row.pool}\u0000${hour.getTime()}`;
    let g = groups.get(key);
    if (!g) {
      g = { pool: row.pool, hour, rows: [] };
      groups.set(key, g);
    }
    g.rows.push(row);
  }

  const sorted = [...groups.values()].sort((a, b) => byString(a.pool, b.pool) || a.hour.getTime() - b.hour.getTime());
  for (const g of sorted) {
    const measured = g.rows.every((r) => usableSeconds(r.gpuSeconds) !== null);
    const perRequest = new Map<string, Decimal>();
    for (const r of g.rows) {
      perRequest.set(r.requestId, (perRequest.get(r.requestId) ?? new Big(0)).plus(usableSeconds(r.gpuSeconds) ?? 0));
    }
    const requestIds = [...perRequest.keys()].sort(byString);
    const seconds = requestIds.map((id) => perRequest.get(id) ?? new Big(0));
    const totalSeconds = seconds.reduce((a, b) => a.plus(b), new Big(0));
    const proportional = measured && !totalSeconds.isZero();
    const utilisation = measured ? Big.min(1, totalSeconds.dividedBy(SECONDS_PER_HOUR)).toNumber() : null;
    const base: PoolHourBase = {
      pool: g.pool,
      hour: g.hour,
      requestCount: requestIds.length,
      split: proportional ? "proportional" : "equal",
      utilisation,
    };
    const gpuSecondsOf = (i: number) => (measured ? (seconds[i]?.toNumber() ?? null) : null);

    const pool = poolPrice(pools, g.pool, g.hour);
    const hourly = pool ? toDecimalString(pool.hourlyUsd, { max: MAX_HOURLY }) : null;
    if (!pool || !hourly || !hourly.ok) {
      const reason = !pool
        ? `no price for GPU pool "${g.pool}" at ${g.hour.toISOString()}`
        : `GPU pool "${g.pool}" hourlyUsd ${hourly && !hourly.ok ? hourly.error : "is invalid"}`;
      result.hours.push({ ...base, status: "unpriced", costUsd: null, reason });
      requestIds.forEach((requestId, i) =>
        result.shares.push({ pool: g.pool, hour: g.hour, requestId, gpuSeconds: gpuSecondsOf(i), costUsd: null }),
      );
      continue;
    }

    const parts = distributeExactly(hourly.value, proportional ? seconds : seconds.map(() => 1));
    result.hours.push({ ...base, status: "priced", costUsd: hourly.value });
    requestIds.forEach((requestId, i) =>
      result.shares.push({ pool: g.pool, hour: g.hour, requestId, gpuSeconds: gpuSecondsOf(i), costUsd: parts[i] ?? "0" }),
    );
  }
  return result;
}
