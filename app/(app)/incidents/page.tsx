import type { Metadata } from "next";
import { requirePage } from "@/lib/auth/session";
import { incidentsPageData } from "@/lib/incidents/page-data";
import { detectionSettings } from "@/lib/incidents/detect";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { IncidentsTable } from "@/components/incidents/incidents-table";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Cost incidents" };

export default async function IncidentsPage() {
  await requirePage("review.read", "/incidents");
  const incidents = await incidentsPageData();
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
          <IncidentsTable
            rows={incidents.map((i) => ({
              id: i.id,
              endpoint: i.endpoint,
              status: i.status,
              windowStart: i.windowStart,
              windowEnd: i.windowEnd,
              hours: i.hours.length,
              peakCostPerRequest: i.peakCostPerRequest,
              baseline: i.hours[0]?.baseline ?? null,
              owner: i.owner?.name ?? null,
            }))}
          />
        )}
      </Card>
    </>
  );
}
