"use client";
// The heaviest users: how much of the month's customer cost the top x % of customers carry (a
// concentration curve), against the even split a flat distribution would give.
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { GRID_COLOUR, MUTED_COLOUR, SERIES_PALETTE } from "@/lib/charts";
import { formatRatio } from "@/lib/format";

const pct = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? formatRatio(v / 100, { places: 0 }) : "—");

export function ConcentrationChart({ curve }: { curve: { customersPct: number; costSharePct: string }[] }) {
  const data = [{ x: 0, share: 0, even: 0 }, ...curve.map((p) => ({ x: p.customersPct, share: Number(p.costSharePct), even: p.customersPct }))];
  const at = (x: number) => curve.find((p) => p.customersPct === x)?.costSharePct;
  const label = curve.length
    ? `Cumulative share of cost by customers ranked by cost: the top 10 % carry ${at(10) ?? "?"} %, the top 50 % carry ${at(50) ?? "?"} %`
    : "No customer cost this month";
  return (
    <div className="h-56" role="img" aria-label={label} data-testid="concentration-chart">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 12, bottom: 12, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid stroke={GRID_COLOUR} />
          <XAxis dataKey="x" type="number" domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} tickFormatter={pct} tick={{ fontSize: 10 }}
            label={{ value: "customers, heaviest first", position: "insideBottom", offset: -8, fontSize: 10 }} />
          <YAxis type="number" domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} tickFormatter={pct} tick={{ fontSize: 10 }} width={44} />
          <Tooltip labelFormatter={(x) => `top ${pct(x)} of customers`} formatter={(v, name) => [pct(v), name === "share" ? "share of cost" : "even split"]} />
          <Line dataKey="even" stroke={MUTED_COLOUR} strokeDasharray="4 4" dot={false} isAnimationActive={false} />
          <Line dataKey="share" stroke={SERIES_PALETTE[0]} strokeWidth={2} dot={{ r: 2 }} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
