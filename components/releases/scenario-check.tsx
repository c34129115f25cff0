// A release's what-if scenario: what the shipped candidate was projected to cost per request (replayed on
// the window before shipping), against what the endpoint's requests actually cost after shipping. Money at
// one number of places per column. Server-safe: no client code.
import Link from "next/link";
import { formatCount, formatPct, formatUsd, formatUtc, moneyPlaces } from "@/lib/format";
import type { ScenarioCheck } from "@/lib/releases/scenario-check";
import { TableBox } from "@/components/ui/table-box";

const th = "px-3 py-2 font-medium whitespace-nowrap";
const td = "num px-3 py-1.5 text-right whitespace-nowrap";

export function ReleaseScenarioCheck({ check }: { check: ScenarioCheck }) {
  const s = check.scenario;
  const rows = [
    { key: "before", label: `Before, as served (${check.window.from} to ${check.window.to})`, side: check.before },
    { key: "projected", label: `Projected: ${s.candidateName}`, side: check.projected },
    ...(check.after ? [{ key: "after", label: `Actual after shipping (${formatUtc(check.after.from)} – ${formatUtc(check.after.to)} UTC)`, side: check.after }] : []),
  ];
  const places = {
    mean: moneyPlaces(rows.map((r) => r.side.mean)),
    p50: moneyPlaces(rows.map((r) => r.side.p50)),
    p95: moneyPlaces(rows.map((r) => r.side.p95)),
  };
  return (
    <div className="grid gap-2" data-testid="release-scenario">
      <p className="text-sm text-slate-600">
        Decided on the what-if scenario{" "}
        <Link href={`/whatif/${s.id}`} className="text-sky-700 hover:underline">
          {s.name}
        </Link>{" "}
        ({s.endpoint}
        {s.cohort ? `, cohort ${s.cohort}` : ""}
        {s.customerId ? `, customer ${s.customerId}` : ""}), candidate {s.candidate}: {s.candidateName}.
      </p>
      <TableBox>
        <table className="w-full text-sm" aria-label="Projected against actual cost per request" data-testid="release-scenario-table">
          <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className={th}>Cost per request</th>
              <th className={`${th} text-right`}>Requests</th>
              <th className={`${th} text-right`}>Mean</th>
              <th className={`${th} text-right`}>p50</th>
              <th className={`${th} text-right`}>p95</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} className="border-t border-slate-100" data-testid={`release-scenario-${r.key}`}>
                <td className="px-3 py-1.5">{r.label}</td>
                <td className={td}>{formatCount(r.side.requests)}</td>
                <td className={`${td} font-medium`}>{formatUsd(r.side.mean, { places: places.mean })}</td>
                <td className={td}>{formatUsd(r.side.p50, { places: places.p50 })}</td>
                <td className={td}>{formatUsd(r.side.p95, { places: places.p95 })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableBox>
      {check.difference ? (
        <p className="text-sm" data-testid="release-scenario-difference">
          The actual mean is {formatUsd(check.difference.meanUsd.replace(/^-/, ""), { places: places.mean })} {check.difference.meanUsd.startsWith("-") ? "below" : "above"} the projection
          {check.difference.pct === null ? "" : ` (${formatPct(check.difference.pct)})`}.
        </p>
      ) : (
        <p className="text-sm text-slate-600" data-testid="release-scenario-waiting">
          {check.waiting ?? "Nothing to compare yet."} The actual appears here once requests arrive after the release.
        </p>
      )}
      <p className="text-xs text-slate-500">
        The projection replays the window before shipping, each request re-priced from its stored tokens; the actual is the endpoint&apos;s requests after shipping, within the release
        comparison window. Quality and latency are not simulated.
        {check.projected.unpricedEvents ? ` ${formatCount(check.projected.unpricedEvents)} events of the projection could not be priced and are left out.` : ""}
      </p>
    </div>
  );
}
