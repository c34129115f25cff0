"use client";
// Twelve weeks of one endpoint: cost per request by cohort, and volume with latency and errors.
// The data arrive prepared (lib/review/endpoint-page-data.ts); these components only draw.
import { Bar, CartesianGrid, ComposedChart, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { EndpointWeek } from "@/lib/review/endpoint-page-data";

const COLOURS = ["#0f172a", "#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777"];

/** Releases that shipped in a week of the chart (the week label, e.g. "2026-W47"), by version. */
export type ReleaseMarker = { week: string; versions: string[] };

function MarkerLabel({ viewBox, versions, leftOfLine }: { viewBox?: { x?: number; y?: number }; versions: string[]; leftOfLine: boolean }) {
  const x = viewBox?.x ?? 0;
  const y = viewBox?.y ?? 0;
  const text = versions.join(", ");
  return (
    <g data-testid="release-marker" aria-label={`Release ${text}`} role="img">
      <title>{`Release ${text}`}</title>
      <text x={leftOfLine ? x - 4 : x + 4} y={y + 12} fontSize={11} fill="#7c3aed" textAnchor={leftOfLine ? "end" : "start"}>
        {text}
      </text>
    </g>
  );
}

export function CostByCohortChart({ weeks, cohorts, releases = [] }: { weeks: EndpointWeek[]; cohorts: string[]; releases?: ReleaseMarker[] }) {
  const data = weeks.map((w) => ({ week: w.week.slice(5), all: w.meanCost, ...w.byCohort }));
  return (
    <div className="h-72" data-testid="cost-by-cohort-chart">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid stroke="#e2e8f0" vertical={false} />
          <XAxis dataKey="week" tick={{ fontSize: 11 }} />
          <YAxis tick={{ fontSize: 11 }} tickFormatter={(v: number) => `$${v.toFixed(4)}`} width={70} />
          <Tooltip formatter={(v) => `$${Number(v).toFixed(5)}`} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Line dataKey="all" name="all cohorts" stroke="#0f172a" strokeWidth={2.5} dot={false} connectNulls isAnimationActive={false} />
          {cohorts.map((c, i) => (
            <Line key={c} dataKey={c} stroke={COLOURS[(i + 1) % COLOURS.length]} strokeWidth={1.2} dot={false} connectNulls isAnimationActive={false} />
          ))}
          {releases.map((r) => (
            <ReferenceLine key={r.week} x={r.week.slice(5)} stroke="#7c3aed" strokeDasharray="4 3" label={<MarkerLabel versions={r.versions} leftOfLine={weeks.findIndex((w) => w.week === r.week) >= weeks.length / 2} />} />
          ))}
        </LineChart>
      </ResponsiveContainer>
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
          <CartesianGrid stroke="#e2e8f0" vertical={false} />
          <XAxis dataKey="week" tick={{ fontSize: 11 }} />
          <YAxis yAxisId="n" tick={{ fontSize: 11 }} width={50} />
          <YAxis yAxisId="s" orientation="right" tick={{ fontSize: 11 }} width={50} unit=" s" />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar yAxisId="n" dataKey="requests" fill="#cbd5e1" isAnimationActive={false} />
          <Line yAxisId="s" dataKey="latency" name="latency p95 (s)" stroke="#2563eb" dot={false} isAnimationActive={false} />
          <Line yAxisId="s" dataKey="errors" name="error rate (%)" stroke="#dc2626" dot={false} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
