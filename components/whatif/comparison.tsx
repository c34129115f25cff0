// A what-if answer as a person reads it: one row per outcome (the actual, then each candidate) with cost per
// request, weekly and monthly cost today and at the growth multiple, the change, margin and verdict; the
// self-hosted fleets and break-even; and beside them the quality caveat, events not priced and how weekly
// and monthly are computed. Money at one number of places per column (moneyPlaces). Server-safe: no client
// code, so the saved scenario's page and the form both render it.
import { formatCount, formatPct, formatUsd, moneyPlaces } from "@/lib/format";
import type { CandidateResult, Outcome, WhatIfResult } from "@/lib/whatif/engine";
import { TableBox } from "@/components/ui/table-box";

const th = "px-3 py-2 font-medium whitespace-nowrap";
const td = "num px-3 py-1.5 text-right whitespace-nowrap";

type Row = { key: string; label: string; o: Outcome; c: CandidateResult | null };

function Verdict({ o }: { o: Outcome }) {
  const v = o.verdict;
  if (v.targetCost === null && v.ceilingCost === null) return <span className="text-slate-500">no target</span>;
  const word = v.breach === "ceiling" ? "over ceiling" : v.breach === "target" ? "over target" : "within target";
  const tone = v.breach === "ceiling" ? "bg-red-100 text-red-900" : v.breach === "target" ? "bg-amber-100 text-amber-900" : "bg-emerald-100 text-emerald-900";
  return (
    <span className={`rounded px-1.5 py-0.5 text-xs ${tone}`}>
      {word}
      {v.gatePasses === null ? "" : v.gatePasses ? " · gate passes" : " · gate fails"}
    </span>
  );
}

/** "×3" for a growth multiple. */
const times = (g: string) => `×${g}`;

export function WhatIfComparison({ result }: { result: WhatIfResult }) {
  const rows: Row[] = [
    { key: "actual", label: "Actual", o: result.actual, c: null },
    ...result.candidates.map((c, i) => ({ key: `c${i}`, label: c.name, o: c as Outcome, c })),
  ];
  const col = (pick: (r: Row) => string | null) => moneyPlaces(rows.map(pick));
  const places = {
    mean: col((r) => r.o.costPerRequest.mean),
    p50: col((r) => r.o.costPerRequest.p50),
    p95: col((r) => r.o.costPerRequest.p95),
    weekly: col((r) => r.o.weeklyUsd),
    monthly: col((r) => r.o.monthlyUsd),
    grownWeekly: col((r) => r.o.atGrowth.weeklyUsd),
    grownMonthly: col((r) => r.o.atGrowth.monthlyUsd),
    deltaMean: col((r) => r.c?.delta.meanUsd ?? null),
    deltaWeekly: col((r) => r.c?.delta.weeklyUsd ?? null),
    margin: col((r) => r.o.marginPerRequest),
  };
  const growth = result.growth;
  const grown = growth !== "1";
  const selfHosted = result.candidates.filter((c) => c.selfHosted !== null);
  const fleetPlaces = moneyPlaces(selfHosted.map((c) => c.selfHosted!.fleetCostUsd));
  const unpriced = rows.filter((r) => r.o.unpricedEvents > 0 || r.o.incompleteEvents > 0);
  const w = result.window;
  return (
    <div className="grid gap-3" data-testid="whatif-result">
      <p className="text-sm text-slate-600" data-testid="whatif-window">
        {result.endpoint}
        {result.cohort ? ` · cohort ${result.cohort}` : ""}
        {result.customerId ? ` · customer ${result.customerId}` : ""} · {w.from} to {w.to} ({w.days} {w.days === 1 ? "day" : "days"}, {w.timezone}) ·{" "}
        {formatCount(result.actual.requests)} requests · growth {times(growth)}
      </p>
      <TableBox>
        <table className="w-full text-sm" data-testid="whatif-table" aria-label="What if: the actual and each candidate">
          <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className={th}>Outcome</th>
              <th className={`${th} text-right`}>Mean / request</th>
              <th className={`${th} text-right`}>p50</th>
              <th className={`${th} text-right`}>p95</th>
              <th className={th}>Verdict</th>
              <th className={`${th} text-right`}>Weekly</th>
              <th className={`${th} text-right`}>Monthly</th>
              {grown ? <th className={`${th} text-right`}>Weekly {times(growth)}</th> : null}
              {grown ? <th className={`${th} text-right`}>Monthly {times(growth)}</th> : null}
              <th className={`${th} text-right`}>Change / request</th>
              <th className={`${th} text-right`}>Change weekly</th>
              <th className={`${th} text-right`}>Margin / request</th>
              <th className={`${th} text-right`}>Not priced</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} className={`border-t border-slate-100 ${r.c === null ? "bg-slate-50" : ""}`} data-testid={`whatif-row-${r.key}`}>
                <td className="px-3 py-1.5 font-medium">{r.label}</td>
                <td className={`${td} font-medium`}>{formatUsd(r.o.costPerRequest.mean, { places: places.mean })}</td>
                <td className={td}>{formatUsd(r.o.costPerRequest.p50, { places: places.p50 })}</td>
                <td className={td}>{formatUsd(r.o.costPerRequest.p95, { places: places.p95 })}</td>
                <td className="px-3 py-1.5 whitespace-nowrap">
                  <Verdict o={r.o} />
                </td>
                <td className={td}>{formatUsd(r.o.weeklyUsd, { places: places.weekly })}</td>
                <td className={td}>{formatUsd(r.o.monthlyUsd, { places: places.monthly })}</td>
                {grown ? <td className={td}>{formatUsd(r.o.atGrowth.weeklyUsd, { places: places.grownWeekly })}</td> : null}
                {grown ? <td className={td}>{formatUsd(r.o.atGrowth.monthlyUsd, { places: places.grownMonthly })}</td> : null}
                <td className={td}>{r.c ? formatUsd(r.c.delta.meanUsd, { places: places.deltaMean }) : "—"}</td>
                <td className={td}>
                  {r.c ? (
                    <>
                      {formatUsd(r.c.delta.weeklyUsd, { places: places.deltaWeekly })}
                      {r.c.delta.weeklyPct === null ? "" : ` (${formatPct(r.c.delta.weeklyPct)})`}
                    </>
                  ) : (
                    "—"
                  )}
                </td>
                <td className={td}>{formatUsd(r.o.marginPerRequest, { places: places.margin })}</td>
                <td className={td}>{formatCount(r.o.unpricedEvents + r.o.incompleteEvents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableBox>
      {selfHosted.length ? (
        <TableBox>
          <table className="w-full text-sm" data-testid="whatif-fleet" aria-label="Self-hosted fleets">
            <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className={th}>Self-hosted</th>
                <th className={`${th} text-right`}>Busy GPU-hours</th>
                <th className={`${th} text-right`}>GPUs</th>
                <th className={`${th} text-right`}>Fleet cost</th>
                <th className={`${th} text-right`}>Utilisation</th>
                {grown ? <th className={`${th} text-right`}>GPUs {times(growth)}</th> : null}
                <th className={`${th} text-right`}>Break-even / week</th>
              </tr>
            </thead>
            <tbody>
              {selfHosted.map((c) => {
                const s = c.selfHosted!;
                return (
                  <tr key={c.name} className="border-t border-slate-100">
                    <td className="px-3 py-1.5 font-medium">{c.name}</td>
                    <td className={td}>{new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 }).format(Number(s.busyGpuHours))}</td>
                    <td className={td}>{formatCount(s.gpus)}</td>
                    <td className={td}>{formatUsd(s.fleetCostUsd, { places: fleetPlaces })}</td>
                    <td className={td}>{s.impliedUtilisationPct}%</td>
                    {grown ? (
                      <td className={td}>
                        {formatCount(s.atGrowth.gpus)} ({s.atGrowth.impliedUtilisationPct}%)
                      </td>
                    ) : null}
                    <td className={td}>{s.breakEvenRequestsPerWeek === null ? "never" : `${formatCount(s.breakEvenRequestsPerWeek)} requests`}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableBox>
      ) : null}
      <ul className="list-disc space-y-1 pl-5 text-xs text-slate-600">
        <li className="text-amber-900" data-testid="whatif-quality">
          {result.quality.note}
        </li>
        {unpriced.length ? (
          unpriced.map((r) => (
            <li key={r.key} data-testid="whatif-unpriced">
              {r.label}: {formatCount(r.o.unpricedEvents)} events not priced, {formatCount(r.o.incompleteEvents)} priced in part; their unknown cost is left out of the
              figures, never counted as $0.
              {r.c && r.c.unpricedReasons.length ? ` Why: ${r.c.unpricedReasons.join("; ")}.` : ""}
            </li>
          ))
        ) : (
          <li data-testid="whatif-unpriced">Every event of the window was priced, for the actual and each candidate.</li>
        )}
        {result.candidates.some((c) => c.billedRepriced > 0) ? (
          <li>
            Billed events (the vendor&apos;s own figure) are re-priced from their tokens by a candidate that changes them:{" "}
            {result.candidates
              .filter((c) => c.billedRepriced > 0)
              .map((c) => `${c.name} ${formatCount(c.billedRepriced)}`)
              .join(", ")}
            .
          </li>
        ) : null}
        {selfHosted.map((c) => (
          <li key={c.name}>
            {c.name}: {c.selfHosted!.breakEvenNote}
          </li>
        ))}
        <li data-testid="whatif-method">
          Weekly = window × 7 / {w.days}; monthly = weekly × 365 / 12 / 7 (a month of 365/12 days at the weekly rate).
          {grown ? ` At ${times(growth)} hosted costs scale with traffic; a self-hosted fleet is sized again.` : ""}
        </li>
        {result.notes.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
    </div>
  );
}
