// A movement item's frozen figures and its mix/rate explanation.
import { formatCount, formatPct, formatRatio, formatUsd } from "@/lib/format";
import type { ItemView } from "@/lib/review/sessions";

export function ItemFiguresView({ item }: { item: ItemView }) {
  const f = item.figures;
  const x = item.explanation?.split;
  return (
    <div className="space-y-1 text-sm">
      <div className="flex flex-wrap gap-x-6 gap-y-1" data-testid={`item-figures-${item.endpoint}${item.cohort ? `/${item.cohort}` : ""}`}>
        <span>
          Mean / request: <span className="num font-semibold">{f.previousMeanCost ? `${formatUsd(f.previousMeanCost)} → ` : ""}{formatUsd(f.meanCost)}</span>{" "}
          <span className="num font-semibold text-red-700">{f.meanChange === null ? "new" : formatPct(f.meanChange)}</span>
        </span>
        <span>Requests: <span className="num">{formatCount(f.requests)}</span></span>
        <span>Total: <span className="num">{formatUsd(f.totalCost)}</span></span>
        <span>p95: <span className="num">{formatUsd(f.p95Cost)}</span></span>
      </div>
      {f.scope === "cohort_driven" && item.cohort ? (
        <div className="text-slate-600">Cohort-specific: <strong>{item.cohort}</strong> carries {formatRatio(f.cohortShareOfChange ?? "0", { places: 0 })} of the change.</div>
      ) : null}
      {f.scope === "cohort_flagged" ? <div className="text-slate-600">Cohort-specific: the <strong>{item.cohort}</strong> cohort moved while the endpoint as a whole did not.</div> : null}
      {x ? (
        <div className="text-slate-600">
          Why it moved: mix <span className="num">{formatUsd(x.mix)}</span>, rate <span className="num">{formatUsd(x.rate)}</span> per request
          {" · "}
          {x.drivers.slice(0, 3).map((d) => `${d.cohort} ${formatUsd(d.total)}`).join(", ")}
        </div>
      ) : null}
    </div>
  );
}
