// Everything the finance month page shows, in one call.
import { pool } from "@/lib/db/client";
import { chargeback, type Chargeback, type ChargebackBy } from "@/lib/finance/chargeback";
import { monthFrame, type MonthFrame } from "@/lib/finance/close-month";
import type { Month } from "@/lib/finance/months";
import { dimensionValues, monthlyRollup, type Dimension, type MonthlyQuery, type MonthlyRollup } from "@/lib/finance/monthly";
import { reconciliation, type Reconciliation } from "@/lib/finance/reconciliation";
import { financeTrend, type FinanceTrend } from "@/lib/finance/trend";
import { dailyReconciliation, type DailyReconciliation } from "@/lib/finance/provider-costs/reconcile";

export type FinancePageData = MonthFrame & {
  rollup: MonthlyRollup;
  chargeback: Chargeback;
  reconciliation: Reconciliation;
  values: Record<Dimension, (string | null)[]>;
  /** The twelve months to this one, by the page's first grouping dimension. */
  trend: FinanceTrend;
};

export async function financePageData(q: MonthlyQuery, by: ChargebackBy): Promise<FinancePageData> {
  const db = pool();
  const m: Month = q.month;
  const [frame, rollup, cb, rec, values, trend] = await Promise.all([
    monthFrame(db, m),
    monthlyRollup(db, q),
    chargeback(db, m, by),
    reconciliation(db, m),
    dimensionValues(db, m),
    financeTrend(db, m, q.groupBy[0] ?? null, q.filters),
  ]);
  return {
    ...frame,
    rollup,
    chargeback: cb,
    reconciliation: rec,
    values,
    trend,
  };
}

/** The month's per-day, per-model reconciliation against the providers' imported cost reports, with its dark spend. */
export async function financeDailyReconciliation(m: Month): Promise<DailyReconciliation> {
  return dailyReconciliation(pool(), m);
}
