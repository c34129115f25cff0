import type { Metadata } from "next";
import Link from "next/link";
import { requirePage } from "@/lib/auth/session";
import { mayResolveIncident } from "@/lib/auth/policies";
import { formatUsd } from "@/lib/format";
import { incidentPageData } from "@/lib/incidents/page-data";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { ResolveIncidentForm } from "@/components/incidents/resolve-form";
import { TableBox } from "@/components/ui/table-box";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Cost incident" };

const utc = (iso: string) => `${iso.replace("T", " ").slice(0, 16)} UTC`;

export default async function IncidentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requirePage("review.read", `/incidents/${id}`);
  const incident = await incidentPageData(id);
  const back = (
    <Link href="/incidents" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50">
      All incidents
    </Link>
  );
  if (!incident) {
    return (
      <>
        <PageHeader title="Cost incident" actions={back} />
        <Card>
          <p className="text-slate-600">There is no incident with this id.</p>
        </Card>
      </>
    );
  }
  const mayResolve = mayResolveIncident({ kind: "user", user }, { ownerId: incident.owner?.id ?? null, featureOwnerId: incident.featureOwnerId });
  return (
    <>
      <PageHeader
        title={`Cost incident: ${incident.endpoint}`}
        description={`Hourly cost per request above ${incident.factor}× the 7-day baseline from ${utc(incident.windowStart)} to ${utc(incident.windowEnd)}.`}
        actions={back}
      />
      <div className="grid gap-4">
        <Card title="Summary">
          <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1">
            <dt className="text-slate-500">Status</dt>
            <dd>
              <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${incident.status === "open" ? "bg-red-100 text-red-800" : "bg-slate-100 text-slate-700"}`}>{incident.status}</span>
            </dd>
            <dt className="text-slate-500">Triage owner</dt>
            <dd>{incident.owner ? `${incident.owner.name} (${incident.owner.email})` : "nobody: the endpoint's feature has no owner"}</dd>
            <dt className="text-slate-500">Opened</dt>
            <dd>{utc(incident.openedAt)}</dd>
            <dt className="text-slate-500">Peak cost per request</dt>
            <dd className="num">{formatUsd(incident.peakCostPerRequest)}</dd>
            <dt className="text-slate-500">Releases in the window</dt>
            <dd>
              <Link href={incident.releasesUrl} className="text-blue-700 hover:underline">
                Releases of {incident.endpoint} from a day before the spike to its end
              </Link>
            </dd>
            {incident.status === "resolved" ? (
              <>
                <dt className="text-slate-500">Resolved</dt>
                <dd>
                  {incident.resolvedAt ? utc(incident.resolvedAt) : ""} by {incident.resolvedBy ?? "an API key"}
                </dd>
                <dt className="text-slate-500">Note</dt>
                <dd className="whitespace-pre-wrap">{incident.resolutionNote}</dd>
              </>
            ) : null}
          </dl>
        </Card>
        <Card title="The hours that triggered it">
          <TableBox>
          <table className="w-full text-left" aria-label="Hot hours">
            <thead className="text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="py-2 pr-4">Hour (UTC)</th>
                <th className="py-2 pr-4 text-right">Requests</th>
                <th className="py-2 pr-4 text-right">Cost / request</th>
                <th className="py-2 pr-4 text-right">Baseline (7 days before)</th>
              </tr>
            </thead>
            <tbody className="num">
              {incident.hours.map((h) => (
                <tr key={h.hour} className="border-t border-slate-100">
                  <td className="py-1.5 pr-4">{utc(h.hour)}</td>
                  <td className="py-1.5 pr-4 text-right">{h.requests}</td>
                  <td className="py-1.5 pr-4 text-right">{formatUsd(h.costPerRequest)}</td>
                  <td className="py-1.5 pr-4 text-right">{formatUsd(h.baseline)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </TableBox>
        </Card>
        {incident.status === "open" && mayResolve ? (
          <Card title="Resolve">
            <ResolveIncidentForm id={incident.id} />
          </Card>
        ) : null}
      </div>
    </>
  );
}
