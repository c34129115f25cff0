"use client";
// Eight weeks of mean cost per request as a tiny line; the data are prepared on the server. A picture
// with a name (role img, the weeks' figures in its label), not a tab stop: the table's cells carry the figures.
import Decimal from "decimal.js";
import { Line, LineChart, ResponsiveContainer, YAxis } from "recharts";
import { formatUsd } from "@/lib/format";
import { NEUTRAL_LINE_COLOUR } from "@/lib/charts";

export function Sparkline({ label, points, flagged }: { label: string; points: { week: string; value: number | null }[]; flagged: boolean }) {
  const known = points.filter((p) => p.value !== null);
  const first = known[0];
  const last = known.at(-1);
  const name =
    first && last
      ? `${label}: mean cost per request, ${first.week} ${formatUsd(new Decimal(first.value!).toFixed())} to ${last.week} ${formatUsd(new Decimal(last.value!).toFixed())}`
      : `${label}: no mean cost per request in the last 8 weeks`;
  return (
    <div className="h-7 w-28" role="img" aria-label={name} title={name}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 2, right: 2, bottom: 2, left: 2 }} accessibilityLayer={false} tabIndex={-1}>
          <YAxis hide domain={["dataMin", "dataMax"]} />
          <Line type="monotone" dataKey="value" stroke={flagged ? "#dc2626" : NEUTRAL_LINE_COLOUR} strokeWidth={1.5} dot={false} connectNulls isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
