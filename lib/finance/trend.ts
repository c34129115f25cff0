// The finance page's trend: each month's fully-loaded total (direct + GPU share + overhead) for the twelve
// months ending at the shown one, split by one dimension (its largest groups over the twelve months by
// cost, the rest as "Other"), from the daily rollup (daily_costs) with the page's filters. Exact decimal
// strings: each month's series add up to exactly that month's total in the monthly rollup.
import type { Db } from "@/lib/db/client";
import { Dec } from "@/lib/pricing/price-entry";
import { addMonths, parseMonth, type Month } from "@/lib/finance/months";
import { dimensionExpr, NONE, whereFor, type Dimension } from "@/lib/finance/monthly";

export const TREND_MONTHS = 12;
/** The named series at most; the other groups are added up as "Other". */
export const TREND_TOP = 6;
export const OTHER = "Other";

export type TrendSeries = { key: string; label: string };
export type TrendMonth = { month: string; total: string; values: Record<string, string> };
export type FinanceTrend = {
  dimension: Dimension | null;
  /** In stacking order: the largest first, "Other" last; a single "Total" series without a dimension. */
  series: TrendSeries[];
  /** The twelve months, oldest first, each with every series (0 where it had no cost). */
  months: TrendMonth[];
};

export async function financeTrend(
  db: Db,
  month: Month,
  dimension: Dimension | null,
  filters: Partial<Record<Dimension, string>> = {},
  top = TREND_TOP,
): Promise<FinanceTrend> {
  const first = parseMonth(addMonths(month.label, -(TREND_MONTHS - 1)))!;
  const params: unknown[] = [first.start, month.end];
  const groupCol = dimension ? `${dimensionExpr(dimension)}` : "NULL::text";
  const { rows } = await db.query<{ m: string; g: string | null; total: string }>(
    `SELECT to_char(day, 'YYYY-MM') AS m, ${groupCol} AS g, sum(direct_cost + gpu_cost + overhead_cost)::text AS total
     FROM daily_costs WHERE day >= $1::date AND day < $2::date${whereFor(filters, params)}
     GROUP BY 1, 2`,
    params,
  );
  const labels = Array.from({ length: TREND_MONTHS }, (_, i) => addMonths(first.label, i));
  if (!dimension) {
    const byMonth = new Map(rows.map((r) => [r.m, r.total]));
    return {
      dimension: null,
      series: [{ key: "s0", label: "Total" }],
      months: labels.map((m) => {
        const t = new Dec(byMonth.get(m) ?? 0).toFixed();
        return { month: m, total: t, values: { s0: t } };
      }),
    };
  }
  // Rank the groups by their cost over the twelve months (ties by name; no tag last among equals).
  const groupTotal = new Map<string | null, Dec>();
  for (const r of rows) groupTotal.set(r.g, (groupTotal.get(r.g) ?? new Dec(0)).plus(r.total));
  const ranked = [...groupTotal.entries()]
    .sort((a, b) => b[1].comparedTo(a[1]) || (a[0] ?? "\uffff").localeCompare(b[0] ?? "\uffff"))
    .map(([g]) => g);
  // With one group more than the named ones, that one is named too rather than "Other" alone.
  const named = ranked.length <= top + 1 ? ranked : ranked.slice(0, top);
  const keyOf = new Map<string | null, string>(named.map((g, i) => [g, `s${i}`]));
  const series: TrendSeries[] = named.map((g, i) => ({ key: `s${i}`, label: g ?? NONE }));
  const other = ranked.length > named.length;
  if (other) series.push({ key: "other", label: OTHER });
  const acc = new Map<string, Map<string, Dec>>(labels.map((m) => [m, new Map(series.map((s) => [s.key, new Dec(0)]))]));
  for (const r of rows) {
    const values = acc.get(r.m);
    if (!values) continue;
    const k = keyOf.get(r.g) ?? "other";
    values.set(k, values.get(k)!.plus(r.total));
  }
  return {
    dimension,
    series,
    months: labels.map((m) => {
      const values = acc.get(m)!;
      const total = [...values.values()].reduce((s, v) => s.plus(v), new Dec(0));
      return { month: m, total: total.toFixed(), values: Object.fromEntries([...values.entries()].map(([k, v]) => [k, v.toFixed()])) };
    }),
  };
}
