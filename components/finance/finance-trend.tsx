"use client";
// The finance page's twelve-month trend: each month's fully-loaded total, stacked by the page's first
// grouping dimension (largest groups, the rest as "Other"). The figures arrive as exact decimal strings;
// they become numbers only to draw, and the tooltip and axis show money through lib/format.ts.
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { GRID_COLOUR, MUTED_COLOUR, SERIES_PALETTE, niceTicks, seriesColours } from "@/lib/charts";
import { formatUsd, moneyPlaces } from "@/lib/format";
import type { FinanceTrend as Trend } from "@/lib/finance/trend";

type Row = { month: string; exact: Record<string, string>; total: string } & Record<string, number | string | Record<string, string>>;

function TrendTooltip({ active, payload, series, places }: { active?: boolean; payload?: ReadonlyArray<{ payload?: unknown }>; series: Trend["series"]; places: number }) {
  const row = payload?.[0]?.payload as Row | undefined;
  if (!active || !row) return null;
  return (
    <div className="rounded-md border border-slate-200 bg-white px-3 py-2 text-xs shadow-sm">
      <div className="mb-1 font-medium">{row.month}</div>
      <dl className="num grid grid-cols-[auto_auto] gap-x-3">
        {series.length > 1
          ? [...series].reverse().map((s) => (
              <div key={s.key} className="contents">
                <dt>{s.label}</dt>
                <dd className="text-right">{formatUsd(row.exact[s.key], { places })}</dd>
              </div>
            ))
          : null}
        <dt className="font-semibold">Total</dt>
        <dd className="text-right font-semibold">{formatUsd(row.total, { places })}</dd>
      </dl>
    </div>
  );
}

export function FinanceTrend({ trend, dimensionLabel }: { trend: Trend; dimensionLabel: string | null }) {
  const colours = seriesColours(trend.series.filter((s) => s.key !== "other").map((s) => s.key));
  const colour = (key: string) => (key === "other" ? MUTED_COLOUR : trend.series.length === 1 ? SERIES_PALETTE[0] : colours.get(key)!);
  const data: Row[] = trend.months.map((m) => ({
    month: m.month,
    total: m.total,
    exact: m.values,
    ...Object.fromEntries(trend.series.map((s) => [s.key, Number(m.values[s.key] ?? 0)])),
  }));
  const ticks = niceTicks(trend.months.map((m) => m.total));
  const tickLabels = new Map(ticks.map((t) => [Number(t), formatUsd(t, { mode: "exact" })]));
  const places = moneyPlaces(trend.months.flatMap((m) => Object.values(m.values)));
  const first = trend.months[0]!;
  const last = trend.months.at(-1)!;
  const title = `Fully-loaded total, ${first.month} to ${last.month}${dimensionLabel ? `, by ${dimensionLabel.toLowerCase()}` : ""}`;
  const summary = `${title}: ${trend.months.map((m) => `${m.month} ${formatUsd(m.total, { places: 2 })}`).join(", ")}.`;
  return (
    <figure className="min-w-0" data-testid="finance-trend-chart">
      <figcaption className="mb-2 text-sm font-medium text-slate-700">{title}</figcaption>
      {trend.series.length > 1 ? (
        <ul className="mb-2 flex flex-wrap gap-x-3 gap-y-1 text-xs text-slate-700" aria-label="Series">
          {trend.series.map((s) => (
            <li key={s.key} className="flex min-w-0 items-center gap-1">
              <span className="inline-block h-2.5 w-2.5 shrink-0 rounded-sm" style={{ background: colour(s.key) }} aria-hidden />
              <span className="break-all">{s.label}</span>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="h-64" role="img" aria-label={summary}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
            <CartesianGrid stroke={GRID_COLOUR} vertical={false} />
            <XAxis dataKey="month" tick={{ fontSize: 10 }} interval="preserveStartEnd" minTickGap={8} />
            <YAxis tick={{ fontSize: 10 }} width={64} domain={[0, Number(ticks.at(-1))]} ticks={ticks.map(Number)} interval={0} tickFormatter={(v: number) => tickLabels.get(v) ?? ""} />
            <Tooltip cursor={{ fill: GRID_COLOUR, fillOpacity: 0.6 }} content={(p) => <TrendTooltip active={p.active} payload={p.payload} series={trend.series} places={places} />} />
            {trend.series.map((s) => (
              <Bar key={s.key} dataKey={s.key} name={s.label} stackId="total" fill={colour(s.key)} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
