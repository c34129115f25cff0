import type { Metadata } from "next";
import Link from "next/link";
import { requirePage } from "@/lib/auth/session";
import { formatUtc } from "@/lib/format";
import { scenariosPageData } from "@/lib/whatif/page-data";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { TableBox } from "@/components/ui/table-box";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "What if" };

const th = "px-3 py-2 font-medium";

export default async function WhatIfListPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePage("review.read", "/whatif");
  const sp = await searchParams;
  const endpoint = typeof sp.endpoint === "string" && sp.endpoint.trim() !== "" ? sp.endpoint.trim() : undefined;
  const scenarios = await scenariosPageData(endpoint);
  return (
    <>
      <PageHeader
        title={endpoint ? `What if · ${endpoint}` : "What if"}
        description="Saved scenarios: an endpoint's past traffic replayed under candidate models, service tiers, token shifts or self-hosted GPUs. Each opens answered afresh."
        actions={
          <Link href={endpoint ? `/whatif/new?endpoint=${encodeURIComponent(endpoint)}` : "/whatif/new"} className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700">
            New scenario
          </Link>
        }
      />
      <Card>
        {scenarios.length === 0 ? (
          <p className="text-slate-600" data-testid="no-scenarios">
            No saved scenarios{endpoint ? ` of ${endpoint}` : ""} yet.
          </p>
        ) : (
          <TableBox>
            <table className="w-full text-sm" data-testid="scenarios-table">
              <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th className={th}>Scenario</th>
                  <th className={th}>Endpoint</th>
                  <th className={th}>Candidates</th>
                  <th className={th}>Window</th>
                  <th className={th}>Saved</th>
                </tr>
              </thead>
              <tbody>
                {scenarios.map((s) => (
                  <tr key={s.id} className="border-t border-slate-100">
                    <td className="px-3 py-1.5">
                      <Link href={`/whatif/${s.id}`} className="text-sky-700 hover:underline">
                        {s.name}
                      </Link>
                    </td>
                    <td className="px-3 py-1.5 font-mono text-xs">{s.endpoint}</td>
                    <td className="px-3 py-1.5">{s.scenario.candidates.map((c, i) => c.name ?? `Candidate ${i + 1}`).join(", ")}</td>
                    <td className="num px-3 py-1.5 whitespace-nowrap">{s.scenario.from ? `${s.scenario.from} to ${s.scenario.to}` : "last complete week"}</td>
                    <td className="px-3 py-1.5 whitespace-nowrap">
                      {formatUtc(s.createdAt)} · {s.createdBy}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableBox>
        )}
      </Card>
    </>
  );
}
