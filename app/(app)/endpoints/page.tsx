import type { Metadata } from "next";
import Link from "next/link";
import { requirePage } from "@/lib/auth/session";
import { listCohorts, listEndpoints } from "@/lib/org/list-endpoints";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";

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
          <table className="w-full text-left">
            <thead className="text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="py-2 pr-4">Endpoint tag</th>
                <th className="py-2 pr-4">Name</th>
                <th className="py-2 pr-4">Feature</th>
                <th className="py-2 pr-4">Team</th>
                <th className="py-2 pr-4">Owner</th>
              </tr>
            </thead>
            <tbody>
              {endpoints.map((e) => (
                <tr key={e.id} className="border-t border-slate-100">
                  <td className="py-2 pr-4 font-mono">
                    <Link href={`/endpoints/${e.id}`} className="hover:underline">
                      {e.slug}
                    </Link>
                  </td>
                  <td className="py-2 pr-4">
                    {e.name}
                    {e.description ? <div className="text-xs text-slate-500">{e.description}</div> : null}
                  </td>
                  <td className="py-2 pr-4">{e.feature.name}</td>
                  <td className="py-2 pr-4">{e.feature.team.name}</td>
                  <td className="py-2 pr-4">{e.feature.owner?.name ?? <span className="text-amber-700">no owner</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
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
