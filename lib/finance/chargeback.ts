// Chargeback (showback) lines: one line per owning team, per tenant, or per customer, whose sum is exactly
// the month's fully-loaded total; cost without the tag is its own "Unattributed" line, never spread.
import type pg from "pg";
import { Dec } from "@/lib/pricing/price-entry";
import { monthlyRollup } from "@/lib/finance/monthly";
import { type Month } from "@/lib/finance/months";
import { roundedShares } from "@/lib/format";

export const CHARGEBACK_BY = ["team", "tenant", "customer"] as const;
export type ChargebackBy = (typeof CHARGEBACK_BY)[number];
export const UNATTRIBUTED = "Unattributed";

export const ALLOCATION_METHOD: Record<ChargebackBy, string> = {
  team:
    "Each event's direct cost is charged to the team in its own team tag; each GPU pool-hour share to the team of the request's first GPU event in that hour (idle capacity included, as allocated); overhead follows the cost it loads, at the feature's percentage (or the global one). Cost without a team tag is the Unattributed line: it is not spread over the teams.",
  tenant:
    "Each event's direct cost is charged to the cohort or tenant in its own cohort tag; each GPU pool-hour share to the cohort of the request's first GPU event in that hour (idle capacity included, as allocated); overhead follows the cost it loads, at the feature's percentage (or the global one). Cost without a cohort tag is the Unattributed line: it is not spread.",
  customer:
    "Each event's direct cost is charged to the customer in its own customerId; each GPU pool-hour share to the customer of the request's first GPU event in that hour (idle capacity included, as allocated); overhead follows the cost it loads, at the feature's percentage (or the global one). A request counts once per month for its customer. Cost without a customer is the Unattributed line (the month's total less the customers'): it is not spread.",
};

export type ChargebackLine = {
  /** The team or tenant; null for the unattributed line. */
  owner: string | null;
  label: string;
  requests: number;
  directCost: string;
  gpuCost: string;
  overheadCost: string;
  totalCost: string;
  /** Share of the month's total in percent (2 places, largest remainder: the lines add to exactly 100); null when the month is 0. */
  sharePct: string | null;
};

export type Chargeback = { month: string; by: ChargebackBy; method: string; lines: ChargebackLine[]; totalCost: string };

export async function chargeback(db: pg.Pool | pg.PoolClient, month: Month, by: ChargebackBy): Promise<Chargeback> {
  if (by === "customer") return customerChargeback(db, month);
  const dim = by === "team" ? "team" : "cohort";
  const r = await monthlyRollup(db, { month, groupBy: [dim], filters: {} });
  const total = r.totals.totalCost;
  const shares = roundedShares(r.rows.map((row) => row.totalCost), 2);
  const lines: ChargebackLine[] = r.rows.map((row, i) => {
    const owner = row.key[dim] ?? null;
    return {
      owner,
      label: owner ?? UNATTRIBUTED,
      requests: row.requests,
      directCost: row.directCost,
      gpuCost: row.gpuCost,
      overheadCost: row.overheadCost,
      totalCost: row.totalCost,
      sharePct: shares === null ? null : new Dec(shares[i]!).times(100).toFixed(2),
    };
  });
  // Named owners first (largest first), the unattributed line last.
  lines.sort((a, b) => (a.owner === null ? 1 : 0) - (b.owner === null ? 1 : 0));
  return { month: month.label, by, method: ALLOCATION_METHOD[by], lines, totalCost: total };
}

export const CHARGEBACK_CSV_HEADER = ["month", "by", "owner", "requests", "direct_cost_usd", "gpu_cost_usd", "overhead_cost_usd", "total_cost_usd", "share_pct"];

export function chargebackCsvCells(c: Chargeback): (string | number | null)[][] {
  return [
    CHARGEBACK_CSV_HEADER,
    ...c.lines.map((l) => [c.month, c.by, l.label, l.requests, l.directCost, l.gpuCost, l.overheadCost, l.totalCost, l.sharePct]),
  ];
}

/**
 * Per customer, from the monthly customer sums (customer_month_totals), largest first; the Unattributed line is
 * the month's total (finance's monthly rollup) less the customers', per column, so the lines add up to it.
 */
async function customerChargeback(db: pg.Pool | pg.PoolClient, month: Month): Promise<Chargeback> {
  const [r, customers] = await Promise.all([
    monthlyRollup(db, { month, groupBy: [], filters: {} }),
    db.query<{ customer_id: string; requests: number; direct: string; gpu: string; overhead: string }>(
      `SELECT customer_id, requests, direct_cost::text AS direct, gpu_cost::text AS gpu, overhead_cost::text AS overhead
       FROM customer_month_totals WHERE month = $1::date
       ORDER BY direct_cost + gpu_cost + overhead_cost DESC, customer_id COLLATE "C"`,
      [month.start],
    ),
  ]);
  const t = r.totals;
  const rest = { requests: t.requests, direct: new Dec(t.directCost), gpu: new Dec(t.gpuCost), overhead: new Dec(t.overheadCost) };
  const named = customers.rows.map((c) => {
    rest.requests -= c.requests;
    rest.direct = rest.direct.minus(c.direct);
    rest.gpu = rest.gpu.minus(c.gpu);
    rest.overhead = rest.overhead.minus(c.overhead);
    const total = new Dec(c.direct).plus(c.gpu).plus(c.overhead);
    return { owner: c.customer_id, label: c.customer_id, requests: c.requests, directCost: new Dec(c.direct).toFixed(), gpuCost: new Dec(c.gpu).toFixed(), overheadCost: new Dec(c.overhead).toFixed(), totalCost: total.toFixed() };
  });
  const restTotal = rest.direct.plus(rest.gpu).plus(rest.overhead);
  // A request that names a customer counts as the customer's, so the unattributed requests are the rest (never below 0).
  const unattributed = restTotal.isZero() && rest.requests <= 0 ? [] : [{ owner: null, label: UNATTRIBUTED, requests: Math.max(0, rest.requests), directCost: rest.direct.toFixed(), gpuCost: rest.gpu.toFixed(), overheadCost: rest.overhead.toFixed(), totalCost: restTotal.toFixed() }];
  const all = [...named, ...unattributed];
  const shares = roundedShares(all.map((l) => l.totalCost), 2);
  const lines = all.map((l, i) => ({ ...l, sharePct: shares === null ? null : new Dec(shares[i]!).times(100).toFixed(2) }));
  return { month: month.label, by: "customer", method: ALLOCATION_METHOD.customer, lines, totalCost: t.totalCost };
}
