import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import Decimal from "decimal.js";
import { requirePage } from "@/lib/auth/session";
import { formatCount, formatRatio, formatUsd, moneyPlaces } from "@/lib/format";
import { can } from "@/lib/auth/principal";
import { endpointTargetsEditable, endpointWeeks } from "@/lib/review/endpoint-page-data";
import { findEndpoint, primaryMetricOf } from "@/lib/org/list-endpoints";
import { addWeeks, isoLabel, localDate } from "@/lib/rollups/weeks";
import { releasesOfEndpoint } from "@/lib/releases/page-data";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { CostByCohortChart, VolumeLatencyChart, type ReleaseMarker } from "@/components/review/endpoint-charts";
import { WeekPicker } from "@/components/review/week-picker";
import { TargetsForm } from "@/components/targets/targets-form";
import { TableBox } from "@/components/ui/table-box";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Endpoint" };

export default async function EndpointPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ week?: string | string[] }> }) {
  const { id } = await params;
  const { week: asked } = await searchParams;
  const user = await requirePage("review.read", `/endpoints/${id}`);
  const uuid = z.uuid().safeParse(id);
  if (!uuid.success) notFound();
  const endpoint = await findEndpoint(uuid.data);
  if (!endpoint) notFound();
  // The week picker: the chosen week ends the twelve weeks shown (the last complete week by default; never one not yet over).
  const [{ tz, latest, lastMonday, data, quality }, releases, mayEdit] = await Promise.all([
    endpointWeeks(endpoint.slug, typeof asked === "string" ? asked : undefined),
    releasesOfEndpoint(endpoint.slug),
    endpointTargetsEditable({ kind: "user", user }, endpoint.slug),
  ]);
  // A customer's page is finance's: the drill-down links to it only for those who may read it.
  const customerLinks = can({ kind: "user", user }, "finance.read");
  const customerMonth = lastMonday.slice(0, 7);
  // One number of places per money column.
  const customerPlaces = { cost: moneyPlaces(data.customers.top.map((c) => c.totalCost)), perRequest: moneyPlaces(data.customers.top.map((c) => c.costPerRequest)) };
  const pickable = Array.from({ length: 52 }, (_, i) => isoLabel(addWeeks(latest, -i)));
  const allCohorts = quality.targets.find((t) => t.cohort === null) ?? null;
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
          <>
            <Link href={`/whatif/new?endpoint=${encodeURIComponent(endpoint.slug)}`} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50">
              What if…
            </Link>
            <Link href="/endpoints" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50">
              All endpoints
            </Link>
          </>
        }
      />
      <div className="mb-3 flex flex-wrap items-center gap-2 text-sm text-slate-600">
        <WeekPicker weeks={pickable} value={isoLabel(lastMonday)} label="Twelve weeks to" />
        {lastMonday === latest ? <span>(the last complete week)</span> : <Link href={`/endpoints/${endpoint.id}`} className="text-sky-700 hover:underline">back to the last complete week</Link>}
      </div>
      <div className="grid gap-4">
        <Card title={`Mean cost per request by cohort, 12 weeks to ${isoLabel(lastMonday)}`}>
          <CostByCohortChart
            weeks={data.weeks}
            cohorts={data.cohorts}
            overlay={{
              qualityMetric: quality.metric,
              quality: quality.weeks.map((w) => w.value),
              target: allCohorts?.targetCost ?? null,
              ceiling: allCohorts?.ceilingCost ?? null,
            }}
            releases={markers}
          />
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
          <p className="mt-2 text-xs text-slate-500">
            Click a series in the legend to show or hide it.{" "}
            {quality.metric ? "" : "No quality metric is reported for this endpoint. "}
            {allCohorts?.targetCost || allCohorts?.ceilingCost ? "Labelled dashed lines: the target and the ceiling cost per request." : "No target or ceiling is set."}
          </p>
        </Card>
        <Card title={`Targets and quality, ${quality.last.week}`}>
          <dl className="mb-4 grid grid-cols-2 gap-4 sm:grid-cols-5" aria-label="Targets and quality">
            <div>
              <dt className="text-xs text-slate-500">Cost per request</dt>
              <dd className="num text-lg">
                {formatUsd(quality.last.meanCost)}{" "}
                {quality.last.breach === "ceiling" ? (
                  <span className="rounded bg-red-100 px-1.5 py-0.5 text-xs font-semibold text-red-800">over ceiling</span>
                ) : quality.last.breach === "target" ? (
                  <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-semibold text-amber-800">over target</span>
                ) : null}
              </dd>
            </div>
            <div>
              <dt className="text-xs text-slate-500">Target / ceiling</dt>
              <dd className="num text-lg">
                {formatUsd(allCohorts?.targetCost)} / {formatUsd(allCohorts?.ceilingCost)}
              </dd>
            </div>
            <div>
              <dt className="text-xs text-slate-500">Gross margin per request</dt>
              <dd className="num text-lg">{quality.last.margin === null ? "—" : formatUsd(quality.last.margin)}</dd>
            </div>
            <div>
              <dt className="text-xs text-slate-500">{quality.metric ?? "Quality"}</dt>
              <dd className="num text-lg">{quality.last.quality ?? "—"}</dd>
            </div>
            <div>
              <dt className="text-xs text-slate-500">Cost per successful outcome</dt>
              <dd className="num text-lg">{formatUsd(quality.last.costPerSuccess)}</dd>
            </div>
          </dl>
          {quality.targets.length ? (
            <TableBox>
            <table className="mb-4 w-full text-left" aria-label="Targets by cohort">
              <thead className="text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th className="py-1 pr-4">Cohort</th>
                  <th className="py-1 pr-4 text-right">Target</th>
                  <th className="py-1 pr-4 text-right">Ceiling</th>
                  <th className="py-1 pr-4 text-right">Revenue / request</th>
                  <th className="py-1 pr-4 text-right">p95 latency budget</th>
                </tr>
              </thead>
              <tbody className="num">
                {quality.targets.map((t) => (
                  <tr key={t.cohort ?? ""} className="border-t border-slate-100">
                    <td className="py-1 pr-4">{t.cohort ?? "all cohorts"}</td>
                    <td className="py-1 pr-4 text-right">{formatUsd(t.targetCost)}</td>
                    <td className="py-1 pr-4 text-right">{formatUsd(t.ceilingCost)}</td>
                    <td className="py-1 pr-4 text-right">{formatUsd(t.revenuePerRequest)}</td>
                    <td className="py-1 pr-4 text-right">{t.latencyBudgetMs === null ? "—" : `${t.latencyBudgetMs} ms`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            </TableBox>
          ) : null}
          {mayEdit ? (
            <details>
              <summary className="cursor-pointer text-sm font-medium text-slate-700">Edit targets</summary>
              <div className="mt-3">
                <TargetsForm
                  endpoint={endpoint.slug}
                  primaryMetric={(await primaryMetricOf(endpoint.id)) ?? null}
                  metrics={quality.metrics}
                  initial={quality.targets.map((t) => ({
                    cohort: t.cohort ?? "",
                    targetCost: t.targetCost ?? "",
                    ceilingCost: t.ceilingCost ?? "",
                    revenuePerRequest: t.revenuePerRequest ?? "",
                    latencyBudgetMs: t.latencyBudgetMs === null ? "" : String(t.latencyBudgetMs),
                  }))}
                />
              </div>
            </details>
          ) : null}
        </Card>
        <Card title="Requests, latency p95 and error rate">
          <VolumeLatencyChart weeks={data.weeks} />
        </Card>
        <Card title={`Most expensive requests, ${data.outlierWeek}`}>
          {data.outliers.length === 0 ? (
            <p className="text-slate-600">No requests in {data.outlierWeek}.</p>
          ) : (
            <TableBox>
            <table className="w-full text-left" aria-label="Most expensive requests">
              <thead className="text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th className="py-2 pr-4">Request</th>
                  <th className="py-2 pr-4">Cohort</th>
                  <th className="py-2 pr-4">Customer</th>
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
                    <td className="max-w-48 truncate py-1.5 pr-4">{o.customerId ?? "—"}</td>
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
            </TableBox>
          )}
        </Card>
        <Card title={`Customers, ${data.outlierWeek}`}>
          {data.customers.top.length === 0 ? (
            <p className="text-slate-600">No requests in {data.outlierWeek}.</p>
          ) : (
            <>
              <p className="mb-2 text-sm text-slate-600">
                {data.customers.count === 0 ? "No request of this week names a customer." : `The ${formatCount(Math.min(10, data.customers.count))} most expensive of ${formatCount(data.customers.count)} customer${data.customers.count === 1 ? "" : "s"} this week, and the requests that name none.`}
              </p>
              <TableBox>
                <table className="w-full text-left" aria-label="Customers this week" data-testid="endpoint-customers">
                  <thead className="text-xs uppercase tracking-wide text-slate-500">
                    <tr>
                      <th className="py-2 pr-4">Customer</th>
                      <th className="py-2 pr-4 text-right">Requests</th>
                      <th className="py-2 pr-4 text-right">Cost</th>
                      <th className="py-2 pr-4 text-right">Per request</th>
                      <th className="py-2 pr-4 text-right">Share</th>
                    </tr>
                  </thead>
                  <tbody className="num">
                    {data.customers.top.map((c) => (
                      <tr key={c.customerId ?? "(none)"} className={`border-t border-slate-100 ${c.customerId === null ? "bg-amber-50" : ""}`}>
                        <td className="max-w-64 truncate py-1.5 pr-4">
                          {c.customerId === null ? <span className="text-slate-600">(no customer)</span> : customerLinks ? (
                            <Link href={`/customers/${customerMonth}/${encodeURIComponent(c.customerId)}`} className="text-blue-700 hover:underline">{c.customerId}</Link>
                          ) : c.customerId}
                        </td>
                        <td className="py-1.5 pr-4 text-right">{formatCount(c.requests)}</td>
                        <td className="py-1.5 pr-4 text-right">{formatUsd(c.totalCost, { places: customerPlaces.cost })}</td>
                        <td className="py-1.5 pr-4 text-right">{formatUsd(c.costPerRequest, { places: customerPlaces.perRequest })}</td>
                        <td className="py-1.5 pr-4 text-right">{c.sharePct === null ? "—" : formatRatio(new Decimal(c.sharePct).div(100).toFixed(), { places: 1 })}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableBox>
            </>
          )}
        </Card>
      </div>
    </>
  );
}
