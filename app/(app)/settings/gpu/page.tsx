import type { Metadata } from "next";
import { requirePage } from "@/lib/auth/session";
import { featureNames } from "@/lib/org/list-endpoints";
import { gpuPageData } from "@/lib/pricing/page-data";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { SettingsTabs } from "@/components/settings/settings-tabs";
import { GpuPoolsAdmin } from "@/components/settings/gpu-pools-admin";
import { OverheadForm } from "@/components/settings/overhead-form";
import { formatCount, formatRatio, formatUsd, formatUtc } from "@/lib/format";
import { TableBox } from "@/components/ui/table-box";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "GPU & overhead" };

const LOW_UTILISATION = 0.5;
const LATEST_HOURS = 48;

export default async function GpuSettingsPage() {
  await requirePage("prices.manage", "/settings/gpu");
  const [{ pools, utilisation, overhead }, features] = await Promise.all([
    gpuPageData(LATEST_HOURS),
    featureNames(),
  ]);
  return (
    <>
      <PageHeader
        title="Settings"
        description="Self-hosted GPU pools and the overhead loaded onto every request's cost. Every change is recorded in the audit log."
      />
      <SettingsTabs current="/settings/gpu" />
      <div className="space-y-6">
        <Card title="GPU pools">
          <p className="mb-3 max-w-3xl text-slate-600">
            Each pool-hour&apos;s full price, idle capacity included, is spread over the requests its <code>kind: &quot;gpu&quot;</code> events
            served in that hour, in proportion to their GPU seconds (equally when they report none). Changing a price re-prices the
            pool-hours it governs; a change that would touch a closed month is refused.
          </p>
          <GpuPoolsAdmin pools={pools} />
        </Card>

        <Card title="GPU utilisation">
          <p className="mb-3 max-w-3xl text-slate-600">
            A pool-hour costs the same however little of it was used, so low utilisation raises the cost per request: the idle
            column is the part of the hour paid for idle capacity. Pool-hour costs are exact; idle and cost per request are
            divisions, shown rounded.
          </p>
          {utilisation.pools.length ? (
            <h3 className="mb-1 text-sm font-semibold" data-testid="utilisation-summary-heading">
              Per pool, all {formatCount(utilisation.pools.reduce((n, p) => n + p.hours, 0))} pool-hours recorded
            </h3>
          ) : null}
          {utilisation.pools.length ? (
            <TableBox>
            <table className="mb-4 w-full text-left" aria-label="Utilisation per pool">
              <thead className="text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th className="py-2 pr-4">Pool</th>
                  <th className="py-2 pr-4 text-right">Hours</th>
                  <th className="py-2 pr-4 text-right">Cost</th>
                  <th className="py-2 pr-4 text-right">Requests</th>
                  <th className="py-2 pr-4 text-right">Mean utilisation</th>
                  <th className="py-2 pr-4 text-right">Idle</th>
                  <th className="py-2 pr-4 text-right">Cost per request</th>
                </tr>
              </thead>
              <tbody>
                {utilisation.pools.map((p) => (
                  <tr key={p.pool} className="border-t border-slate-100">
                    <td className="py-2 pr-4 font-mono">{p.pool}</td>
                    <td className="num py-2 pr-4 text-right">
                      {formatCount(p.hours)}
                      {p.unpricedHours ? <span className="ml-1 text-amber-700">({formatCount(p.unpricedHours)} unpriced)</span> : null}
                    </td>
                    <td className="num py-2 pr-4 text-right">{formatUsd(p.totalCostUsd, { mode: "exact" })}</td>
                    <td className="num py-2 pr-4 text-right">{formatCount(p.requests)}</td>
                    <td className="num py-2 pr-4 text-right">{formatRatio(p.meanUtilisation)}</td>
                    <td className="num py-2 pr-4 text-right" title={formatUsd(p.idleUsd, { mode: "exact" })}>{formatUsd(p.idleUsd)}</td>
                    <td className="num py-2 pr-4 text-right font-medium" title={p.costPerRequestUsd ? formatUsd(p.costPerRequestUsd, { mode: "exact" }) : undefined}>
                      {formatUsd(p.costPerRequestUsd, { missing: "no requests" })}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            </TableBox>
          ) : null}
          <h3 className="mb-1 mt-2 text-sm font-semibold" data-testid="utilisation-hours-heading">
            {utilisation.truncated ? `The latest ${formatCount(utilisation.hours.length)} pool-hours` : `Every pool-hour (${formatCount(utilisation.hours.length)})`}
          </h3>
          <TableBox>
          <table className="w-full text-left" aria-label="GPU pool-hours">
            <thead className="text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="py-2 pr-4">Hour (UTC)</th>
                <th className="py-2 pr-4">Pool</th>
                <th className="py-2 pr-4 text-right">Cost</th>
                <th className="py-2 pr-4 text-right">Requests</th>
                <th className="py-2 pr-4 text-right">GPU seconds</th>
                <th className="py-2 pr-4 text-right">Utilisation</th>
                <th className="py-2 pr-4 text-right">Idle</th>
                <th className="py-2 pr-4 text-right">Cost per request</th>
                <th className="py-2 pr-4">Split</th>
              </tr>
            </thead>
            <tbody>
              {utilisation.hours.length === 0 ? (
                <tr><td colSpan={9} className="py-3 text-slate-500">No GPU events yet.</td></tr>
              ) : utilisation.hours.map((h) => {
                const low = h.utilisation !== null && h.utilisation < LOW_UTILISATION;
                return (
                  <tr key={`${h.pool}-${h.hour}`} className="border-t border-slate-100">
                    <td className="num py-2 pr-4 whitespace-nowrap">{formatUtc(h.hour)}</td>
                    <td className="py-2 pr-4 font-mono">{h.pool}</td>
                    <td className="num py-2 pr-4 text-right">
                      {h.status === "priced" ? formatUsd(h.costUsd, { mode: "exact" }) : <span className="text-amber-700">unpriced: no pool price</span>}
                    </td>
                    <td className="num py-2 pr-4 text-right">{formatCount(h.requests)}</td>
                    <td className="num py-2 pr-4 text-right">{h.gpuSeconds === null ? "—" : formatCount(h.gpuSeconds)}</td>
                    <td className={`num py-2 pr-4 text-right ${low ? "font-medium text-amber-700" : ""}`} title={low ? "Low utilisation: the idle capacity is carried by the requests served" : undefined}>
                      {formatRatio(h.utilisation)}
                      {low ? " ▼" : ""}
                    </td>
                    <td className="num py-2 pr-4 text-right" title={h.idleUsd === null ? undefined : formatUsd(h.idleUsd, { mode: "exact" })}>{formatUsd(h.idleUsd)}</td>
                    <td
                      className={`num py-2 pr-4 text-right ${low ? "font-semibold text-amber-700" : "font-medium"}`}
                      title={h.costPerRequestUsd ? formatUsd(h.costPerRequestUsd, { mode: "exact" }) : undefined}
                    >
                      {formatUsd(h.costPerRequestUsd, { missing: h.status === "priced" ? "no requests" : "unpriced" })}
                    </td>
                    <td className="py-2 pr-4 text-slate-600">{h.split === "equal" ? "equal (no GPU seconds)" : "by GPU seconds"}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          </TableBox>
        </Card>

        <Card title="Overhead">
          <p className="mb-3 max-w-3xl text-slate-600">
            A percentage added on top of each request&apos;s direct and GPU cost (platform, support, amortised engineering), shown as its
            own component. A feature&apos;s override wins over the global percentage; a request takes the feature of its first event.
          </p>
          <OverheadForm config={overhead} features={features} />
        </Card>
      </div>
    </>
  );
}
