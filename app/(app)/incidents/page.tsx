import type { Metadata } from "next";
import Link from "next/link";
import { requirePage } from "@/lib/auth/session";
import { formatUsd } from "@/lib/format";
import { listIncidents } from "@/lib/incidents/incidents";
import { detectionSettings } from "@/lib/incidents/detect";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Cost incidents" };

const utc = (iso: string) => `${iso.replace("T", " ").slice(0, 16)} UTC`;

export default async function IncidentsPage() {
  await requirePage("review.read", "/incidents");
  const incidents = await listIncidents({});
  const s = detectionSettings();
  return (
    <>
      <PageHeader
        title="Cost incidents"
        description={`An incident opens when an endpoint's hourly cost per request stays above ${s.factor}× its 7-day baseline for ${s.hours} consecutive hours (each with at least ${s.minRequests} requests).`}
      />
      <Card>
        {incidents.length === 0 ? (
          <p className="text-slate-600">No cost incidents. Detection runs every few minutes after the rollups refresh.</p>
        ) : (
          <table className="w-full text-left" aria-label="Cost incidents">
            <thead className="text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="py-2 pr-4">Endpoint</th>
                <th className="py-2 pr-4">Status</th>
                <th className="py-2 pr-4">Hot hours</th>
                <th className="py-2 pr-4 text-right">Peak cost / request</th>
                <th className="py-2 pr-4 text-right">Baseline</th>
                <th className="py-2 pr-4">Triage owner</th>
              </tr>
            </thead>
            <tbody className="num">
              {incidents.map((i) => (
                <tr key={i.id} className="border-t border-slate-100">
                  <td className="py-1.5 pr-4">
                    <Link href={`/incidents/${i.id}`} className="font-mono hover:underline">
                      {i.endpoint}
                    </Link>
                  </td>
                  <td className="py-1.5 pr-4">
                    <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${i.status === "open" ? "bg-red-100 text-red-800" : "bg-slate-100 text-slate-700"}`}>{i.status}</span>
                  </td>
                  <td className="py-1.5 pr-4">
                    {utc(i.windowStart)} → {utc(i.windowEnd)} ({i.hours.length} h)
                  </td>
                  <td className="py-1.5 pr-4 text-right">{formatUsd(i.peakCostPerRequest)}</td>
                  <td className="py-1.5 pr-4 text-right">{formatUsd(i.hours[0]?.baseline)}</td>
                  <td className="py-1.5 pr-4">{i.owner?.name ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </>
  );
}
