import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { requirePage } from "@/lib/auth/session";
import { db, pool } from "@/lib/db/client";
import { formatUsd } from "@/lib/format";
import { endpointPageData } from "@/lib/review/endpoint-page-data";
import { orgTimezone } from "@/lib/rollups/org-settings";
import { isoLabel, lastCompleteMonday, localDate } from "@/lib/rollups/weeks";
import { listReleases } from "@/lib/releases/releases";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { CostByCohortChart, VolumeLatencyChart, type ReleaseMarker } from "@/components/review/endpoint-charts";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Endpoint" };

export default async function EndpointPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requirePage("review.read", `/endpoints/${id}`);
  const uuid = z.uuid().safeParse(id);
  if (!uuid.success) notFound();
  const endpoint = await db().endpoint.findUnique({
    where: { id: uuid.data },
    include: { feature: { include: { team: true, owner: { select: { name: true } } } } },
  });
  if (!endpoint) notFound();
  const tz = await orgTimezone(pool());
  const [data, releases] = await Promise.all([
    endpointPageData(pool(), endpoint.slug, lastCompleteMonday(new Date(), tz)),
    listReleases({ endpoint: endpoint.slug, limit: 1000 }),
  ]);
  const shownWeeks = new Set(data.weeks.map((w) => w.week));
  const inChart = releases.filter((r) => shownWeeks.has(isoLabel(localDate(new Date(r.shippedAt), tz)))).reverse();
  const markers: ReleaseMarker[] = [];
  for (const r of inChart) {
    const week = isoLabel(localDate(new Date(r.shippedAt), tz));
    const m = markers.find((x) => x.week === week);
    if (m) m.versions.push(r.version);
    else markers.push({ week, versions: [r.version] });
  }
  return (
    <>
      <PageHeader
        title={endpoint.name}
        description={`${endpoint.slug} · ${endpoint.feature.name} (${endpoint.feature.team.name})${endpoint.feature.owner ? ` · owner ${endpoint.feature.owner.name}` : ""}${endpoint.description ? ` — ${endpoint.description}` : ""}`}
        actions={
          <Link href="/endpoints" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50">
            All endpoints
          </Link>
        }
      />
      <div className="grid gap-4">
        <Card title="Mean cost per request by cohort, last 12 weeks">
          <CostByCohortChart weeks={data.weeks} cohorts={data.cohorts} releases={markers} />
          {inChart.length ? (
            <p className="mt-2 text-xs text-slate-600" data-testid="chart-releases">
              Dashed lines mark releases, in the week they shipped:{" "}
              {inChart.map((r, i) => (
                <span key={r.id}>
                  {i ? " · " : ""}
                  <Link href={`/releases/${r.id}`} className="font-mono text-blue-700 hover:underline">
                    {r.version}
                  </Link>{" "}
                  ({isoLabel(localDate(new Date(r.shippedAt), tz))})
                </span>
              ))}
            </p>
          ) : (
            <p className="mt-2 text-xs text-slate-500">No release of this endpoint shipped in these twelve weeks.</p>
          )}
        </Card>
        <Card title="Requests, latency p95 and error rate">
          <VolumeLatencyChart weeks={data.weeks} />
        </Card>
        <Card title={`Most expensive requests, ${data.outlierWeek}`}>
          {data.outliers.length === 0 ? (
            <p className="text-slate-600">No requests in {data.outlierWeek}.</p>
          ) : (
            <table className="w-full text-left" aria-label="Most expensive requests">
              <thead className="text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th className="py-2 pr-4">Request</th>
                  <th className="py-2 pr-4">Cohort</th>
                  <th className="py-2 pr-4">Started (UTC)</th>
                  <th className="py-2 pr-4 text-right">Events</th>
                  <th className="py-2 pr-4 text-right">Latency</th>
                  <th className="py-2 pr-4 text-right">Cost</th>
                </tr>
              </thead>
              <tbody className="num">
                {data.outliers.map((o) => (
                  <tr key={o.requestId} className="border-t border-slate-100">
                    <td className="py-1.5 pr-4 font-mono">
                      <Link href={`/requests/${encodeURIComponent(o.requestId)}`} className="hover:underline">
                        {o.requestId}
                      </Link>
                    </td>
                    <td className="py-1.5 pr-4">{o.cohort ?? "—"}</td>
                    <td className="py-1.5 pr-4">{o.firstTs.replace("T", " ").slice(0, 19)}</td>
                    <td className="py-1.5 pr-4 text-right">{o.events}</td>
                    <td className="py-1.5 pr-4 text-right">{o.latencyMs === null ? "—" : `${(o.latencyMs / 1000).toFixed(1)} s`}</td>
                    <td className="py-1.5 pr-4 text-right">
                      {formatUsd(o.totalCost)}
                      {o.unpricedEvents ? <span className="ml-1 text-amber-700">+ unpriced</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      </div>
    </>
  );
}
