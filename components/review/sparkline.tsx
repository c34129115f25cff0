"use client";
// Eight weeks of mean cost per request as a tiny line; the data are prepared on the server.
import { Line, LineChart, ResponsiveContainer, Tooltip, YAxis } from "recharts";

export function Sparkline({ points, flagged }: { points: { week: string; value: number | null }[]; flagged: boolean }) {
  return (
    <div className="h-7 w-28" aria-label="Mean cost per request, last 8 weeks">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 2, right: 2, bottom: 2, left: 2 }}>
          <YAxis hide domain={["dataMin", "dataMax"]} />
          <Tooltip
            cursor={false}
            contentStyle={{ fontSize: 11, padding: "2px 6px" }}
            formatter={(v) => [`$${Number(v).toFixed(5)}`, "mean"]}
            labelFormatter={(_, p) => String(p?.[0]?.payload?.week ?? "")}
          />
          <Line type="monotone" dataKey="value" stroke={flagged ? "#dc2626" : "#475569"} strokeWidth={1.5} dot={false} connectNulls isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
