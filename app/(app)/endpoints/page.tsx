import type { Metadata } from "next";
import { requirePage } from "@/lib/auth/session";
import { listCohorts, listEndpoints } from "@/lib/org/list-endpoints";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { EndpointsTable } from "@/components/endpoints/endpoints-table";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Endpoints" };

export default async function EndpointsPage() {
  await requirePage("review.read", "/endpoints");
  const [endpoints, cohorts] = await Promise.all([listEndpoints(), listCohorts()]);
  return (
    <>
      <PageHeader
        title="Endpoints"
        description="The user-facing endpoints Cost Review reports on. Services tag each cost event with the endpoint's name; the endpoint supplies its feature and team."
      />
      <Card title={`Registered endpoints (${endpoints.length})`}>
        {endpoints.length === 0 ? (
          <p className="text-slate-600">No endpoints are registered yet.</p>
        ) : (
          <EndpointsTable
            rows={endpoints.map((e) => ({
              id: e.id,
              slug: e.slug,
              name: e.name,
              description: e.description,
              feature: e.feature.name,
              team: e.feature.team.name,
              owner: e.feature.owner?.name ?? null,
            }))}
          />
        )}
      </Card>
      <Card title={`Cohorts (${cohorts.length})`} className="mt-6">
        <ul className="flex flex-wrap gap-2">
          {cohorts.map((c) => (
            <li key={c.id} className="rounded-full border border-slate-200 px-3 py-1">
              <span className="font-mono">{c.slug}</span>
              <span className="ml-2 text-slate-500">
                {c.kind === "tenant" ? `tenant${c.tier ? ` on ${c.tier}` : ""}` : "tier"}
              </span>
            </li>
          ))}
        </ul>
      </Card>
    </>
  );
}
