"use client";
// The top of the weekly review: the organisation's total cost and mean cost per request over the twelve
// weeks to the reviewed one, each on its own small chart with round ticks (lib/charts.ts).
import Decimal from "decimal.js";
import { Bar, BarChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { GRID_COLOUR, SERIES_PALETTE, TOTAL_COLOUR, niceTicks } from "@/lib/charts";
import { formatUsd } from "@/lib/format";
import type { TrendWeek } from "@/lib/review/review-page-data";

const money = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? formatUsd(new Decimal(v).toFixed()) : "—");

function axis(values: (string | null)[]) {
  const ticks = niceTicks(values);
  const labels = new Map(ticks.map((t) => [Number(t), formatUsd(t, { mode: "exact" })]));
  return { ticks: ticks.map(Number), format: (v: number) => labels.get(v) ?? money(v) };
}

function describe(what: string, weeks: TrendWeek[], pick: (w: TrendWeek) => string | null): string {
  const known = weeks.filter((w) => pick(w) !== null);
  if (known.length === 0) return `${what}: no requests in these twelve weeks`;
  const first = known[0]!;
  const last = known.at(-1)!;
  return `${what}, ${first.week} ${formatUsd(pick(first))} to ${last.week} ${formatUsd(pick(last))}`;
}

export function ReviewTrend({ weeks, current }: { weeks: TrendWeek[]; current: string }) {
  const data = weeks.map((w) => ({ week: w.week.slice(5), total: w.totalCost === null ? null : Number(w.totalCost), mean: w.meanCost === null ? null : Number(w.meanCost), current: w.week === current }));
  const total = axis(weeks.map((w) => w.totalCost));
  const mean = axis(weeks.map((w) => w.meanCost));
  const card = "rounded-lg border border-slate-200 bg-white px-3 pt-2";
  return (
    <section className="mb-4 grid gap-3 md:grid-cols-2" aria-label="Trend, last 12 weeks" data-testid="review-trend">
      <div className={card}>
        <h2 className="text-xs font-medium uppercase tracking-wide text-slate-500">Total cost, 12 weeks</h2>
        <div className="h-36" role="img" aria-label={describe("Total cost per week", weeks, (w) => w.totalCost)}>
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
              <CartesianGrid stroke={GRID_COLOUR} vertical={false} />
              <XAxis dataKey="week" tick={{ fontSize: 10 }} interval="preserveStartEnd" />
              <YAxis tick={{ fontSize: 10 }} width={64} domain={[0, total.ticks.at(-1)!]} ticks={total.ticks} interval={0} tickFormatter={total.format} />
              <Tooltip formatter={(v) => [money(v), "total cost"]} />
              <Bar dataKey="total" fill={SERIES_PALETTE[0]} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      </div>
      <div className={card}>
        <h2 className="text-xs font-medium uppercase tracking-wide text-slate-500">Mean cost per request, 12 weeks</h2>
        <div className="h-36" role="img" aria-label={describe("Mean cost per request per week", weeks, (w) => w.meanCost)}>
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
              <CartesianGrid stroke={GRID_COLOUR} vertical={false} />
              <XAxis dataKey="week" tick={{ fontSize: 10 }} interval="preserveStartEnd" />
              <YAxis tick={{ fontSize: 10 }} width={64} domain={[0, mean.ticks.at(-1)!]} ticks={mean.ticks} interval={0} tickFormatter={mean.format} />
              <Tooltip formatter={(v) => [money(v), "mean / request"]} />
              <Line dataKey="mean" stroke={TOTAL_COLOUR} strokeWidth={2} dot={{ r: 2 }} connectNulls isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </div>
      </div>
    </section>
  );
}
