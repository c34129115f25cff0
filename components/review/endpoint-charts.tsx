"use client";
// Twelve weeks of one endpoint: cost per request by cohort (a legend that shows and hides series,
// releases, target and ceiling as labelled lines, round ticks), its quality metric on a small chart of
// its own under it (same weeks), and volume with latency and errors. The data arrive prepared
// (lib/review/endpoint-page-data.ts); colours and ticks come from lib/charts.ts; these components only draw.
import Decimal from "decimal.js";
import { useState } from "react";
import { Bar, CartesianGrid, ComposedChart, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { CEILING_COLOUR, GRID_COLOUR, HALO_COLOUR, MUTED_COLOUR, RELEASE_COLOUR, TARGET_COLOUR, TOTAL_COLOUR, niceTicks, seriesColours } from "@/lib/charts";
import { formatUsd } from "@/lib/format";
import type { EndpointWeek } from "@/lib/review/endpoint-page-data";

/** Releases that shipped in a week of the chart (the week label, e.g. "2026-W47"), by version. */
export type ReleaseMarker = { week: string; versions: string[] };

function MarkerLabel({ viewBox, versions, leftOfLine }: { viewBox?: { x?: number; y?: number }; versions: string[]; leftOfLine: boolean }) {
  const x = viewBox?.x ?? 0;
  const y = viewBox?.y ?? 0;
  const text = versions.join(", ");
  return (
    <g data-testid="release-marker" aria-label={`Release ${text}`} role="img">
      <title>{`Release ${text}`}</title>
      <text x={leftOfLine ? x - 4 : x + 4} y={y + 12} fontSize={11} fill={RELEASE_COLOUR} textAnchor={leftOfLine ? "end" : "start"}>
        {text}
      </text>
    </g>
  );
}

/** Room right of the plot for the target and ceiling labels (the two charts keep the same width so their weeks line up). */
const LABEL_MARGIN = 104;

/**
 * A reference line's label in the margin right of the plot, with a white halo: the ceiling's just above its
 * line, the target's just below its own (the target is never above the ceiling), so the two never overlap.
 */
function LineLabel({ viewBox, text, fill, side }: { viewBox?: { x?: number; y?: number; width?: number }; text: string; fill: string; side: "above" | "below" }) {
  const x = (viewBox?.x ?? 0) + (viewBox?.width ?? 0) + 4;
  const y = (viewBox?.y ?? 0) + (side === "above" ? -3 : 11);
  return (
    <text x={x} y={y} fontSize={11} fill={fill} stroke={HALO_COLOUR} strokeWidth={3} paintOrder="stroke" data-testid="reference-label">
      {text}
    </text>
  );
}

function qualityTicks(values: number[]): number[] {
  if (values.length === 0) return [0, 50, 100];
  const min = Math.min(...values);
  const max = Math.max(...values);
  for (const step of [5, 10, 20, 25, 50]) {
    const lo = Math.max(0, Math.floor(min / step) * step);
    const hi = Math.min(100, Math.max(lo + step, Math.ceil(max / step) * step));
    if ((hi - lo) / step <= 4) return Array.from({ length: (hi - lo) / step + 1 }, (_, i) => lo + i * step);
  }
  return [0, 50, 100];
}

/** The paired quality metric (percent per week, aligned with the cost weeks) and the all-cohorts target and ceiling (decimal strings). */
export type CostChartOverlay = { qualityMetric: string | null; quality: (number | null)[]; target: string | null; ceiling: string | null };

const money = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? formatUsd(new Decimal(v).toFixed()) : "—");

/** A legend of buttons: each shows or hides its series (aria-pressed), in the series' colour. */
function SeriesLegend({ series, hidden, toggle }: { series: { key: string; name: string; colour: string; dashed?: boolean }[]; hidden: Set<string>; toggle: (key: string) => void }) {
  return (
    <div className="mb-2 flex flex-wrap gap-1.5 text-xs" role="group" aria-label="Show or hide series">
      {series.map((s) => (
        <button
          key={s.key}
          type="button"
          aria-pressed={!hidden.has(s.key)}
          onClick={() => toggle(s.key)}
          className={`inline-flex items-center gap-1.5 rounded-full border px-2 py-0.5 ${hidden.has(s.key) ? "border-slate-200 text-slate-500 line-through" : "border-slate-300 text-slate-800 hover:bg-slate-50"}`}
        >
          <span aria-hidden className="inline-block h-0.5 w-4" style={{ background: hidden.has(s.key) ? MUTED_COLOUR : s.colour }} />
          {s.name}
        </button>
      ))}
    </div>
  );
}

export function CostByCohortChart({
  weeks,
  cohorts,
  overlay,
  releases = [],
}: {
  weeks: EndpointWeek[];
  cohorts: string[];
  overlay?: CostChartOverlay;
  releases?: ReleaseMarker[];
}) {
  const [hidden, setHidden] = useState<Set<string>>(() => new Set());
  const toggle = (key: string) =>
    setHidden((h) => {
      const next = new Set(h);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  const metric = overlay?.qualityMetric && overlay.quality.some((v) => v !== null) ? overlay.qualityMetric : null;
  // One palette for the page: cohorts first, then the quality metric, so no two series share a colour.
  const colours = seriesColours([...cohorts.map((c) => `cohort:${c}`), ...(metric ? [`quality:${metric}`] : [])]);
  const series = [{ key: "all", name: "all cohorts", colour: TOTAL_COLOUR }, ...cohorts.map((c) => ({ key: c, name: c, colour: colours.get(`cohort:${c}`)! }))];
  const data = weeks.map((w) => ({ week: w.week.slice(5), all: w.meanCost, ...w.byCohort }));
  const shown = series.filter((s) => !hidden.has(s.key));
  const ticks = niceTicks([...weeks.flatMap((w) => shown.map((s) => (s.key === "all" ? w.meanCost : (w.byCohort[s.key] ?? null)))), overlay?.target ?? null, overlay?.ceiling ?? null]);
  const tickValues = ticks.map(Number);
  const tickLabel = new Map(ticks.map((t) => [Number(t), formatUsd(t, { mode: "exact" })]));
  // Quality ticks at round steps of points (5, 10, 20, 25 or 50), at most five of them, around the weeks' values.
  const qTicks = qualityTicks(metric ? overlay!.quality.filter((v): v is number => v !== null) : []);
  return (
    <div>
      <SeriesLegend series={series} hidden={hidden} toggle={toggle} />
      <div className="h-72" data-testid="cost-by-cohort-chart">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} syncId="endpoint-weeks" margin={{ top: 8, right: LABEL_MARGIN, bottom: 0, left: 8 }}>
            <CartesianGrid stroke={GRID_COLOUR} vertical={false} />
            <XAxis dataKey="week" tick={{ fontSize: 11 }} />
            <YAxis
              tick={{ fontSize: 11 }}
              domain={[0, tickValues.at(-1)!]}
              ticks={tickValues}
              interval={0}
              tickFormatter={(v: number) => tickLabel.get(v) ?? money(v)}
              width={64}
              allowDataOverflow
            />
            <Tooltip formatter={(v) => money(v)} />
            {series.map((s) => (
              <Line
                key={s.key}
                dataKey={s.key}
                name={s.name}
                stroke={s.colour}
                strokeWidth={s.key === "all" ? 2.5 : 1.5}
                hide={hidden.has(s.key)}
                dot={false}
                connectNulls
                isAnimationActive={false}
              />
            ))}
            {releases.map((r) => (
              <ReferenceLine
                key={r.week}
                x={r.week.slice(5)}
                stroke={RELEASE_COLOUR}
                strokeDasharray="4 3"
                label={<MarkerLabel versions={r.versions} leftOfLine={weeks.findIndex((w) => w.week === r.week) >= weeks.length / 2} />}
              />
            ))}
            {overlay?.target ? (
              <ReferenceLine y={Number(overlay.target)} stroke={TARGET_COLOUR} strokeDasharray="4 4" label={<LineLabel text={`target ${formatUsd(overlay.target)}`} fill={TARGET_COLOUR} side="below" />} />
            ) : null}
            {overlay?.ceiling ? (
              <ReferenceLine y={Number(overlay.ceiling)} stroke={CEILING_COLOUR} strokeDasharray="4 4" label={<LineLabel text={`ceiling ${formatUsd(overlay.ceiling)}`} fill={CEILING_COLOUR} side="above" />} />
            ) : null}
          </LineChart>
        </ResponsiveContainer>
      </div>
      {metric ? (
        <div className="mt-3">
          <div className="text-xs font-medium text-slate-600">{metric}, samples-weighted per week (same weeks)</div>
          <div className="h-32" data-testid="quality-chart">
            <ResponsiveContainer width="100%" height="100%">
              <LineChart data={weeks.map((w, i) => ({ week: w.week.slice(5), [metric]: overlay!.quality[i] ?? null }))} syncId="endpoint-weeks" margin={{ top: 8, right: LABEL_MARGIN, bottom: 0, left: 8 }}>
                <CartesianGrid stroke={GRID_COLOUR} vertical={false} />
                <XAxis dataKey="week" tick={{ fontSize: 11 }} />
                <YAxis tick={{ fontSize: 11 }} width={64} domain={[qTicks[0]!, qTicks.at(-1)!]} ticks={qTicks} interval={0} tickFormatter={(v: number) => `${v}%`} />
                <Tooltip formatter={(v) => (typeof v === "number" ? `${v.toFixed(1)}%` : "—")} />
                {releases.map((r) => (
                  <ReferenceLine key={r.week} x={r.week.slice(5)} stroke={RELEASE_COLOUR} strokeDasharray="4 3" />
                ))}
                <Line dataKey={metric} name={metric} stroke={colours.get(`quality:${metric}`)} strokeWidth={2} dot connectNulls isAnimationActive={false} />
              </LineChart>
            </ResponsiveContainer>
          </div>
        </div>
      ) : null}
    </div>
  );
}

export function VolumeLatencyChart({ weeks }: { weeks: EndpointWeek[] }) {
  const data = weeks.map((w) => ({
    week: w.week.slice(5),
    requests: w.requests,
    latency: w.latencyP95Ms === null ? null : w.latencyP95Ms / 1000,
    errors: w.errorRate === null ? null : w.errorRate * 100,
  }));
  return (
    <div className="h-56" data-testid="volume-chart">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid stroke={GRID_COLOUR} vertical={false} />
          <XAxis dataKey="week" tick={{ fontSize: 11 }} />
          <YAxis yAxisId="n" tick={{ fontSize: 11 }} width={50} />
          <YAxis yAxisId="s" orientation="right" tick={{ fontSize: 11 }} width={50} unit=" s" />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar yAxisId="n" dataKey="requests" fill={MUTED_COLOUR} isAnimationActive={false} />
          <Line yAxisId="s" dataKey="latency" name="latency p95 (s)" stroke={SERIES_LATENCY} dot={false} isAnimationActive={false} />
          <Line yAxisId="s" dataKey="errors" name="error rate (%)" stroke={CEILING_COLOUR} dot={false} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

const SERIES_LATENCY = "#2563eb";
