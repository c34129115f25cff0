"use client";
// One customer's twelve months: AI cost against revenue, side by side; a month without revenue has no
// revenue bar (not a zero one).
import Decimal from "decimal.js";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { GRID_COLOUR, SERIES_PALETTE, niceTicks } from "@/lib/charts";
import { formatUsd } from "@/lib/format";

const money = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? formatUsd(new Decimal(v).toFixed()) : "no revenue");

export function CustomerHistoryChart({ history }: { history: { month: string; cost: string; revenue: string | null }[] }) {
  const data = history.map((h) => ({ month: h.month, cost: Number(h.cost), revenue: h.revenue === null ? null : Number(h.revenue) }));
  const ticks = niceTicks(history.flatMap((h) => [h.cost, h.revenue]));
  const labels = new Map(ticks.map((t) => [Number(t), formatUsd(t, { mode: "exact" })]));
  const last = history.at(-1);
  const label = last ? `AI cost and revenue per month, twelve months to ${last.month}: ${formatUsd(last.cost)} cost, ${last.revenue === null ? "no revenue" : `${formatUsd(last.revenue)} revenue`} in ${last.month}` : "No history";
  return (
    <div className="h-56" role="img" aria-label={label} data-testid="customer-history-chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid stroke={GRID_COLOUR} vertical={false} />
          <XAxis dataKey="month" tick={{ fontSize: 10 }} interval="preserveStartEnd" />
          <YAxis tick={{ fontSize: 10 }} width={64} domain={[0, Number(ticks.at(-1))]} ticks={ticks.map(Number)} interval={0} tickFormatter={(v: number) => labels.get(v) ?? money(v)} />
          <Tooltip formatter={(v, name) => [money(v), name]} />
          <Legend wrapperStyle={{ fontSize: 11 }} />
          <Bar dataKey="cost" name="AI cost" fill={SERIES_PALETTE[1]} isAnimationActive={false} />
          <Bar dataKey="revenue" name="Revenue" fill={SERIES_PALETTE[2]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
