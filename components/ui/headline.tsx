// One headline figure of a page (a total, a forecast, a margin): its label, the value, and a line of detail.
// Server-safe: no client code.
export function Headline({ label, value, detail, testId }: { label: string; value: string; detail?: string; testId: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-4 py-3" data-testid={testId}>
      <div className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</div>
      <div className="num mt-1 text-xl font-semibold">{value}</div>
      {detail ? <div className="num text-xs text-slate-500">{detail}</div> : null}
    </div>
  );
}
