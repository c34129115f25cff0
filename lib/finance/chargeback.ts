// Chargeback (showback) lines: one line per owning team, or per tenant, whose sum is exactly the
// month's fully-loaded total; cost without the tag is its own "Unattributed" line, never spread.
import type pg from "pg";
import { Dec } from "@/lib/pricing/price-entry";
import { monthlyRollup } from "@/lib/finance/monthly";
import { type Month } from "@/lib/finance/months";
import { roundedShares } from "@/lib/format";

export const CHARGEBACK_BY = ["team", "tenant"] as const;
export type ChargebackBy = (typeof CHARGEBACK_BY)[number];
export const UNATTRIBUTED = "Unattributed";

export const ALLOCATION_METHOD: Record<ChargebackBy, string> = {
  team:
    "Each event's direct cost is charged to the team in its own team tag; each GPU pool-hour share to the team of the request's first GPU event in that hour (idle capacity included, as allocated); overhead follows the cost it loads, at the feature's percentage (or the global one). Cost without a team tag is the Unattributed line: it is not spread over the teams.",
  tenant:
    "Each event's direct cost is charged to the cohort or tenant in its own cohort tag; each GPU pool-hour share to the cohort of the request's first GPU event in that hour (idle capacity included, as allocated); overhead follows the cost it loads, at the feature's percentage (or the global one). Cost without a cohort tag is the Unattributed line: it is not spread.",
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
