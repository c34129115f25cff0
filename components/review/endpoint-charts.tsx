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

/** The paired quality metric (percent per week, aligned with the cost weeks) and the all-cohorts target and ceiling. */
export type CostChartOverlay = { qualityMetric: string | null; quality: (number | null)[]; target: number | null; ceiling: number | null };

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
  const hasQuality = !!overlay?.qualityMetric && overlay.quality.some((v) => v !== null);
  const data = weeks.map((w, i) => ({ week: w.week.slice(5), all: w.meanCost, ...w.byCohort, ...(hasQuality ? { quality: overlay!.quality[i] ?? null } : {}) }));
  return (
    <div className="h-72" data-testid="cost-by-cohort-chart">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid stroke="#e2e8f0" vertical={false} />
          <XAxis dataKey="week" tick={{ fontSize: 11 }} />
          <YAxis yAxisId="usd" tick={{ fontSize: 11 }} tickFormatter={(v: number) => `$${v.toFixed(4)}`} width={70} />
          {hasQuality ? <YAxis yAxisId="quality" orientation="right" domain={[0, 100]} tick={{ fontSize: 11 }} unit="%" width={50} /> : null}
          <Tooltip formatter={(v, name) => (name === overlay?.qualityMetric ? `${Number(v).toFixed(1)}%` : `$${Number(v).toFixed(5)}`)} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Line yAxisId="usd" dataKey="all" name="all cohorts" stroke="#0f172a" strokeWidth={2.5} dot={false} connectNulls isAnimationActive={false} />
          {cohorts.map((c, i) => (
            <Line yAxisId="usd" key={c} dataKey={c} stroke={COLOURS[(i + 1) % COLOURS.length]} strokeWidth={1.2} dot={false} connectNulls isAnimationActive={false} />
          ))}
          {releases.map((r) => (
            <ReferenceLine yAxisId="usd" key={r.week} x={r.week.slice(5)} stroke="#7c3aed" strokeDasharray="4 3" label={<MarkerLabel versions={r.versions} leftOfLine={weeks.findIndex((w) => w.week === r.week) >= weeks.length / 2} />} />
          ))}
          {hasQuality ? (
            <Line yAxisId="quality" dataKey="quality" name={overlay!.qualityMetric!} stroke="#059669" strokeWidth={2} strokeDasharray="6 3" dot connectNulls isAnimationActive={false} />
          ) : null}
          {overlay?.target !== null && overlay?.target !== undefined ? (
            <ReferenceLine yAxisId="usd" ifOverflow="extendDomain" y={overlay.target} stroke="#d97706" strokeDasharray="4 4" label={{ value: "target", fontSize: 11, fill: "#b45309", position: "insideTopLeft" }} />
          ) : null}
          {overlay?.ceiling !== null && overlay?.ceiling !== undefined ? (
            <ReferenceLine yAxisId="usd" ifOverflow="extendDomain" y={overlay.ceiling} stroke="#dc2626" strokeDasharray="4 4" label={{ value: "ceiling", fontSize: 11, fill: "#b91c1c", position: "insideTopLeft" }} />
          ) : null}
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
