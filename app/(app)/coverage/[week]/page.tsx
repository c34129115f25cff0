import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePage } from "@/lib/auth/session";
import { can } from "@/lib/auth/principal";
import { formatCount, formatRatio, formatUsd } from "@/lib/format";
import type { CoverageRequest, UnpricedGroup } from "@/lib/review/coverage";
import { coverageOfWeek } from "@/lib/review/page-data";
import { isoLabel, mondayOf } from "@/lib/rollups/weeks";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { TableBox } from "@/components/ui/table-box";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Coverage" };

const dash = (v: string | null) => v ?? <span className="text-slate-500">—</span>;
const pct = (share: number) => formatRatio(share);

/** A request id linked to its cost breakdown. */
function RequestLink({ id }: { id: string }) {
  return (
    <Link className="text-sky-700 hover:underline" href={`/requests/${encodeURIComponent(id)}`}>
      {id}
    </Link>
  );
}

/** Events by provider and model with the reason (unpriced, or priced in part) and an example request. */
function ModelGroups({ groups, label, reason }: { groups: UnpricedGroup[]; label: string; reason: string }) {
  return (
    <TableBox>
      <table className="w-full text-left text-sm" aria-label={label}>
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className="py-2 pr-4">Provider</th>
            <th className="py-2 pr-4">Model</th>
            <th className="py-2 pr-4">{reason}</th>
            <th className="py-2 pr-4 text-right">Events</th>
            <th className="py-2 pr-4 text-right">Requests</th>
            <th className="py-2 pr-4">Example</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={`${g.provider}|${g.model}`} className="border-t border-slate-100">
              <td className="py-1.5 pr-4">{dash(g.provider)}</td>
              <td className="py-1.5 pr-4 font-mono">{dash(g.model)}</td>
              <td className="py-1.5 pr-4 text-slate-600">{dash(g.reason)}</td>
              <td className="num py-1.5 pr-4 text-right">{formatCount(g.events)}</td>
              <td className="num py-1.5 pr-4 text-right">{formatCount(g.requests)}</td>
              <td className="py-1.5 pr-4 font-mono">
                <RequestLink id={g.exampleRequestId} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableBox>
  );
}

function RequestTable({ rows, label }: { rows: CoverageRequest[]; label: string }) {
  if (rows.length === 0) return null;
  return (
    <TableBox>
    <table className="mt-4 w-full text-left text-sm" aria-label={label}>
      <caption className="pb-1 text-left text-xs font-semibold text-slate-700">{label}</caption>
      <thead className="text-xs uppercase tracking-wide text-slate-500">
        <tr>
          <th className="py-2 pr-4">Request</th>
          <th className="py-2 pr-4">First event (UTC)</th>
          <th className="py-2 pr-4">Endpoint</th>
          <th className="py-2 pr-4">Cohort</th>
          <th className="py-2 pr-4 text-right">Events</th>
          <th className="py-2 pr-4 text-right">Unpriced</th>
          <th className="py-2 pr-4 text-right">Cost</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.requestId} className="border-t border-slate-100">
            <td className="py-1.5 pr-4 font-mono">
              <RequestLink id={r.requestId} />
            </td>
            <td className="num py-1.5 pr-4">{r.firstTs.slice(0, 19).replace("T", " ")}</td>
            <td className="py-1.5 pr-4">{dash(r.endpoint)}</td>
            <td className="py-1.5 pr-4">{dash(r.cohort)}</td>
            <td className="num py-1.5 pr-4 text-right">{r.events}</td>
            <td className="num py-1.5 pr-4 text-right">{r.unpricedEvents || ""}</td>
            <td className="num py-1.5 pr-4 text-right">{formatUsd(r.totalCost)}</td>
          </tr>
        ))}
      </tbody>
    </table>
    </TableBox>
  );
}

export default async function CoveragePage({ params }: { params: Promise<{ week: string }> }) {
  const { week } = await params;
  const user = await requirePage("review.read", `/coverage/${week}`);
  const monday = mondayOf(week);
  if (!monday) notFound();
  const c = await coverageOfWeek(monday);
  const pricesLink = can({ kind: "user", user }, "prices.manage");
  const label = isoLabel(monday);
  return (
    <>
      <PageHeader
        title={`Coverage · ${label}`}
        description="Spend the review cannot attribute to an endpoint or cohort, and events it cannot price. Fix the biggest gap first: tag the calls at the source, or add the missing price."
        actions={
          <Link href={`/review/${label}`} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50">
            ← Back to the review
          </Link>
        }
      />
      <div className="space-y-6">
        <Card title={`Unattributed: ${formatUsd(c.unattributed.totalCost)} in ${formatCount(c.unattributed.requests)} requests (${pct(c.unattributed.share)} of ${formatUsd(c.totals.totalCost)})`}>
          <p className="mb-3 max-w-3xl text-slate-600">
            Requests none of whose events carried an <code>endpoint</code> tag. They are counted in every total as their own
            &ldquo;(unattributed)&rdquo; row, never spread over the endpoints. Grouped by the tags they do carry.
          </p>
          {c.unattributed.groups.length === 0 ? (
            <p className="text-emerald-700" data-testid="unattributed-none">Every request this week has an endpoint.</p>
          ) : (
            <TableBox>
            <table className="w-full text-left text-sm" aria-label="Unattributed spend by tag">
              <thead className="text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th className="py-2 pr-4">Feature</th>
                  <th className="py-2 pr-4">Team</th>
                  <th className="py-2 pr-4">Cohort</th>
                  <th className="py-2 pr-4 text-right">Requests</th>
                  <th className="py-2 pr-4 text-right">Cost</th>
                  <th className="py-2 pr-4">Example</th>
                </tr>
              </thead>
              <tbody>
                {c.unattributed.groups.map((g) => (
                  <tr key={`${g.feature}|${g.team}|${g.cohort}`} className="border-t border-slate-100">
                    <td className="py-1.5 pr-4">{dash(g.feature)}</td>
                    <td className="py-1.5 pr-4">{dash(g.team)}</td>
                    <td className="py-1.5 pr-4">{dash(g.cohort)}</td>
                    <td className="num py-1.5 pr-4 text-right">{formatCount(g.requests)}</td>
                    <td className="num py-1.5 pr-4 text-right">{formatUsd(g.totalCost)}</td>
                    <td className="py-1.5 pr-4 font-mono">
                      <RequestLink id={g.exampleRequestId} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            </TableBox>
          )}
          <RequestTable rows={c.unattributed.top} label="Most expensive unattributed requests" />
        </Card>

        <Card title={`No cohort: ${formatUsd(c.noCohort.totalCost)} in ${formatCount(c.noCohort.requests)} requests (${pct(c.noCohort.share)})`}>
          <p className="mb-3 max-w-3xl text-slate-600">Requests with an endpoint but without a <code>cohort</code> tag, per endpoint: they show as the endpoint&apos;s &ldquo;(no cohort)&rdquo; row.</p>
          {c.noCohort.byEndpoint.length === 0 ? (
            <p className="text-emerald-700">Every attributed request this week has a cohort.</p>
          ) : (
            <TableBox>
            <table className="text-left text-sm" aria-label="Requests without a cohort by endpoint">
              <thead className="text-xs uppercase tracking-wide text-slate-500">
                <tr><th className="py-2 pr-6">Endpoint</th><th className="py-2 pr-6 text-right">Requests</th><th className="py-2 pr-4 text-right">Cost</th></tr>
              </thead>
              <tbody>
                {c.noCohort.byEndpoint.map((r) => (
                  <tr key={r.endpoint} className="border-t border-slate-100">
                    <td className="py-1.5 pr-6">{r.endpoint}</td>
                    <td className="num py-1.5 pr-6 text-right">{formatCount(r.requests)}</td>
                    <td className="num py-1.5 pr-4 text-right">{formatUsd(r.totalCost)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            </TableBox>
          )}
        </Card>

        <Card title={c.darkSpend.lines === 0 ? "No dark spend" : `Dark spend: ${formatUsd(c.darkSpend.totalCost)} on ${formatCount(c.darkSpend.lines)} day × model line${c.darkSpend.lines === 1 ? "" : "s"}`}>
          <p className="mb-3 max-w-3xl text-slate-600" data-testid="dark-spend">
            {c.darkSpend.lines === 0
              ? "No spend in the providers' imported cost reports for this week's days without events."
              : `Spend the providers' own cost reports show for this week's days where no event was seen: ${c.darkSpend.groups
                  .map((g) => `${g.provider} ${g.model ?? "(no model)"} ${formatUsd(g.totalCost)} on ${formatCount(g.days)} day${g.days === 1 ? "" : "s"}`)
                  .join("; ")}.`}
          </p>
        </Card>

        <Card title={`Unpriced: ${formatCount(c.unpriced.events)} events in ${formatCount(c.unpriced.requests)} requests`}>
          <p className="mb-3 max-w-3xl text-slate-600">
            Events with no billed cost and no price in the price book for their model at their time. They add nothing to the totals
            until priced{pricesLink ? (
              <>: add the price in <Link className="text-sky-700 hover:underline" href="/settings/prices">Settings → Prices</Link> and the stored events are re-priced</>
            ) : null}.
          </p>
          {c.unpriced.groups.length === 0 ? (
            <p className="text-emerald-700" data-testid="unpriced-none">Every event this week is priced.</p>
          ) : (
            <ModelGroups groups={c.unpriced.groups} label="Unpriced events by model" reason="Why (example)" />
          )}
          <RequestTable rows={c.unpriced.top} label="Requests with unpriced events" />
        </Card>

        <Card title={`Incomplete: ${formatCount(c.incomplete.events)} events`}>
          <p className="mb-3 max-w-3xl text-slate-600">
            Events priced in part: their usage holds something the price entry has no rate for (a service tier, a tool&apos;s calls, audio or
            image tokens). The totals include what could be priced; the reason says what is missing.
          </p>
          {c.incomplete.groups.length === 0 ? (
            <p className="text-emerald-700" data-testid="incomplete-none">No event this week is priced in part.</p>
          ) : (
            <ModelGroups groups={c.incomplete.groups} label="Incomplete events by model" reason="What is missing (example)" />
          )}
        </Card>
      </div>
    </>
  );
}
