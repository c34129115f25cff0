// For each flagged endpoint: the change in mean cost per request split into rate (within cohorts) and
// mix (cohort shares), the cohorts that drove it (the top five and the rest as one line, adding up exactly), how tokens per request shifted, and which models' cost moved.
import Link from "next/link";
import type { WhyItMoved } from "@/lib/review/review-page-data";
import { formatPct, formatRatio, formatUsd } from "@/lib/format";
import { TableBox } from "@/components/ui/table-box";
import { driverLines } from "@/lib/review/mix-rate";

const pct = (share: string) => formatRatio(share, { places: 0 });

export function WhyItMovedPanel({ items }: { items: WhyItMoved[] }) {
  if (items.length === 0) return null;
  return (
    <section className="mt-6" aria-label="Why it moved">
      <h2 className="mb-2 text-base font-semibold">Why it moved</h2>
      <div className="grid gap-3 lg:grid-cols-2">
        {items.map((w) => (
          <article key={w.endpoint} className="min-w-0 rounded-lg border border-slate-200 bg-white p-4" data-testid={`why-${w.endpoint}`}>
            <h3 className="font-mono font-semibold">{w.label}</h3>
            <p className="num mt-1 text-slate-700">
              Mean {formatUsd(w.split.mean0)} → {formatUsd(w.split.mean1)} ({formatPct(w.changePct)}): <strong>rate {formatUsd(w.split.rate)}</strong> from cost
              within cohorts, <strong>mix {formatUsd(w.split.mix)}</strong> from cohort shares.
            </p>
            <TableBox>
            <table className="mt-2 w-full text-left text-xs">
              <thead className="text-slate-500">
                <tr>
                  <th className="py-1 pr-2">Cohort</th>
                  <th className="py-1 pr-2 text-right">Share</th>
                  <th className="py-1 pr-2 text-right">Mean</th>
                  <th className="py-1 pr-2 text-right">Rate part</th>
                  <th className="py-1 pr-2 text-right">Mix part</th>
                  <th className="py-1 pr-2 text-right">Together</th>
                </tr>
              </thead>
              <tbody className="num">
                {driverLines(w.split).map((d) => (
                  <tr key={d.cohort} className="border-t border-slate-100" data-testid="why-cohort">
                    <td className={`py-1 pr-2 ${d.others ? "italic text-slate-600" : "font-mono"}`}>{d.cohort}</td>
                    <td className="py-1 pr-2 text-right">{pct(d.share0)} → {pct(d.share1)}</td>
                    <td className="py-1 pr-2 text-right">{d.others ? "—" : `${formatUsd(d.mean0)} → ${formatUsd(d.mean1)}`}</td>
                    <td className="py-1 pr-2 text-right">{formatUsd(d.rate)}</td>
                    <td className="py-1 pr-2 text-right">{formatUsd(d.mix)}</td>
                    <td className="py-1 pr-2 text-right">{formatUsd(d.total)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot className="num font-semibold">
                <tr className="border-t border-slate-300" data-testid="why-total">
                  <td className="py-1 pr-2">All cohorts</td>
                  <td className="py-1 pr-2 text-right">100% → 100%</td>
                  <td className="py-1 pr-2 text-right">{formatUsd(w.split.mean0)} → {formatUsd(w.split.mean1)}</td>
                  <td className="py-1 pr-2 text-right">{formatUsd(w.split.rate)}</td>
                  <td className="py-1 pr-2 text-right">{formatUsd(w.split.mix)}</td>
                  <td className="py-1 pr-2 text-right">{formatUsd(w.split.change)}</td>
                </tr>
              </tfoot>
            </table>
            </TableBox>
            {w.tokens.length ? (
              <p className="num mt-2 text-xs text-slate-600">
                Tokens per request:{" "}
                {w.tokens.map((t, i) => (
                  <span key={t.bucket}>
                    {i ? " · " : ""}
                    {t.bucket} {t.before} → {t.after}
                    {t.changePct !== null && Math.abs(Number(t.changePct)) >= 5 ? <strong> ({formatPct(t.changePct)})</strong> : null}
                  </span>
                ))}
              </p>
            ) : null}
            {w.models.some((m) => m.change !== "0") ? (
              <TableBox>
              <table className="mt-2 w-full text-left text-xs" aria-label={`Model shifts for ${w.label}`}>
                <thead className="text-slate-500">
                  <tr>
                    <th className="py-1 pr-2">Model</th>
                    <th className="py-1 pr-2 text-right">Used by</th>
                    <th className="py-1 pr-2 text-right">Direct cost / request</th>
                    <th className="py-1 pr-2 text-right">Change</th>
                  </tr>
                </thead>
                <tbody className="num">
                  {w.models.filter((m) => m.change !== "0").slice(0, 4).map((m) => (
                    <tr key={m.model} className="border-t border-slate-100">
                      <td className="py-1 pr-2 font-mono">{m.model}</td>
                      <td className="py-1 pr-2 text-right">{pct(m.usedBefore)} → {pct(m.usedAfter)}</td>
                      <td className="py-1 pr-2 text-right">{formatUsd(m.before)} → {formatUsd(m.after)}</td>
                      <td className="py-1 pr-2 text-right">{formatUsd(m.change)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              </TableBox>
            ) : null}
            <div className="mt-2 text-xs" data-testid={`why-releases-${w.endpoint}`}>
              {w.releases.length === 0 ? (
                <p className="text-slate-500">No release of this endpoint or its feature shipped this week.</p>
              ) : (
                <p className="text-slate-700">
                  Shipped this week:{" "}
                  {w.releases.map((r, i) => (
                    <span key={r.id}>
                      {i ? " · " : ""}
                      <Link href={`/releases/${r.id}`} className="font-mono text-blue-700 hover:underline">
                        {r.version}
                      </Link>{" "}
                      {r.title} ({r.shippedAt.slice(0, 10)})
                    </span>
                  ))}
                </p>
              )}
            </div>
          </article>
        ))}
      </div>
    </section>
  );
}
