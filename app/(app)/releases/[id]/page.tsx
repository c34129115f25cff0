import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { requirePage } from "@/lib/auth/session";
import { formatCount, formatPct, formatUsd, formatRatio, formatUtc } from "@/lib/format";
import type { CohortComparison, QualitySide } from "@/lib/releases/before-after";
import { releasePageData } from "@/lib/releases/page-data";
import { JUSTIFICATION_CLASS_LABELS } from "@/lib/review/justification-classes";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { ReleaseStatusBadge } from "@/components/releases/status-badge";
import { JustificationForm } from "@/components/releases/justification-form";
import { TableBox } from "@/components/ui/table-box";
import { ReleaseScenarioCheck } from "@/components/releases/scenario-check";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Release" };

const qualityText = (q: QualitySide) => (q === null ? "no samples" : `${formatRatio(Number(q.value))} (${formatCount(q.samples)} samples)`);

const ms = (v: number | null) => (v === null ? "—" : `${(v / 1000).toFixed(2)} s`);

function Row({ c }: { c: CohortComparison }) {
  const cell = "py-1 pr-3 text-right";
  return (
    <tr className="border-t border-slate-100">
      <td className="py-1 pr-3 font-mono">{c.cohort === null ? "all cohorts" : c.cohort}</td>
      <td className={cell}>
        {formatCount(c.before.requests)} → {formatCount(c.after.requests)}
      </td>
      <td className={cell}>
        {formatUsd(c.before.meanCost)} → {formatUsd(c.after.meanCost)}
      </td>
      <td className={cell}>{formatPct(c.meanChangePct)}</td>
      <td className={cell}>
        {formatUsd(c.before.p50Cost)} → {formatUsd(c.after.p50Cost)}
      </td>
      <td className={cell}>
        {formatUsd(c.before.p95Cost)} → {formatUsd(c.after.p95Cost)}
      </td>
      <td className={cell}>
        {ms(c.before.latencyP95Ms)} → {ms(c.after.latencyP95Ms)}
      </td>
      <td className={cell}>
        {formatRatio(c.before.errorRate)} → {formatRatio(c.after.errorRate)}
      </td>
    </tr>
  );
}

export default async function ReleasePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requirePage("review.read", `/releases/${id}`);
  const uuid = z.uuid().safeParse(id);
  if (!uuid.success) notFound();
  const page = await releasePageData(uuid.data, { kind: "user", user });
  if (!page) notFound();
  const { release, check: c, history, canJustify, comparisons, scenarioCheck } = page;
  return (
    <>
      <PageHeader
        title={`${release.version} · ${release.title}`}
        description={`Shipped ${formatUtc(release.shippedAt)} UTC${release.author ? ` by ${release.author}` : ""} · touched ${release.touchedEndpoints.join(", ") || "no known endpoint"}`}
        actions={
          <Link href="/releases" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50">
            All releases
          </Link>
        }
      />
      <div className="mb-4 flex flex-wrap items-center gap-3 text-sm">
        <ReleaseStatusBadge status={c.status} regression={c.regression} />
        {release.link ? (
          <a href={release.link} className="text-blue-700 hover:underline" rel="noreferrer">
            {release.link}
          </a>
        ) : null}
        <span className="text-slate-500">
          Windows: up to {c.windowDays} days each side, cut at neighbouring releases of the same endpoint; judged on ≥ {c.minRequests} requests per window.
        </span>
      </div>
      {release.description ? <p className="mb-4 max-w-3xl whitespace-pre-wrap text-slate-700">{release.description}</p> : null}
      <div className="grid gap-4">
        {scenarioCheck ? (
          <Card title="What if: projected against actual">
            <ReleaseScenarioCheck check={scenarioCheck} />
          </Card>
        ) : null}
        {comparisons.length === 0 ? (
          <Card title="Before and after">
            <p className="text-slate-600">No endpoint this release touched is known, so there is nothing to compare.</p>
          </Card>
        ) : (
          comparisons.map((e) => {
            const v = c.endpoints.find((x) => x.endpoint === e.endpoint);
            return (
              <Card key={e.endpoint} title={`Before and after · ${e.endpoint}`}>
                <p className="mb-2 text-xs text-slate-500">
                  Before {formatUtc(e.before.from)} – {formatUtc(e.before.to)} · after {formatUtc(e.after.from)} – {formatUtc(e.after.to)} (UTC) · threshold{" "}
                  {v?.thresholdPct}%{v && !v.enoughData ? " · too few requests to judge" : v?.rose ? " · cost rose past the threshold" : ""}
                </p>
                <TableBox>
                <table className="num w-full text-left text-sm" aria-label={`Before and after ${e.endpoint}`} data-testid={`before-after-${e.endpoint}`}>
                  <thead className="text-xs uppercase tracking-wide text-slate-500">
                    <tr>
                      <th className="py-1 pr-3">Cohort</th>
                      <th className="py-1 pr-3 text-right">Requests</th>
                      <th className="py-1 pr-3 text-right">Mean / request</th>
                      <th className="py-1 pr-3 text-right">Change</th>
                      <th className="py-1 pr-3 text-right">p50</th>
                      <th className="py-1 pr-3 text-right">p95</th>
                      <th className="py-1 pr-3 text-right">Latency p95</th>
                      <th className="py-1 pr-3 text-right">Error rate</th>
                    </tr>
                  </thead>
                  <tbody>
                    <Row c={e.all} />
                    {e.cohorts.map((x) => (
                      <Row key={x.cohort ?? "(none)"} c={x} />
                    ))}
                  </tbody>
                </table>
                </TableBox>
                <p className="mt-2 text-xs text-slate-500" data-testid="quality-slot">
                  {e.quality === null ? (
                    "Quality: latency p95 and error rate stand in until quality metrics are recorded for this endpoint."
                  ) : (
                    <>
                      Quality ({e.quality.metric}, samples-weighted):{" "}
                      <span className="num text-slate-800">
                        {qualityText(e.quality.before)} → {qualityText(e.quality.after)}
                        {e.quality.changePts === null ? "" : ` (${Number(e.quality.changePts) > 0 ? "+" : ""}${e.quality.changePts} pts)`}
                      </span>
                    </>
                  )}
                </p>
              </Card>
            );
          })
        )}
        <Card title="Justification">
          {history.length === 0 ? (
            <p className="mb-3 text-slate-600">{c.status === "justification_required" ? "Cost per request rose past the threshold and no justification has been written yet." : "No justification written."}</p>
          ) : null}
          {canJustify ? (
            <JustificationForm releaseId={release.id} current={release.justification ? { class: release.justification.class, text: release.justification.text } : null} />
          ) : (
            <p className="text-xs text-slate-500">The owner of a feature this release touched, or an admin, writes the justification.</p>
          )}
          {history.length ? (
            <ol className="mt-4 space-y-3" aria-label="Justification history">
              {history.map((h) => (
                <li key={h.version} className="rounded-md border border-slate-200 p-3" data-testid="justification-version">
                  <div className="text-xs text-slate-500">
                    Version {h.version} · {JUSTIFICATION_CLASS_LABELS[h.class]} · {h.author} · {formatUtc(h.at)} UTC
                  </div>
                  <p className="mt-1 whitespace-pre-wrap">{h.text}</p>
                </li>
              ))}
            </ol>
          ) : null}
        </Card>
      </div>
    </>
  );
}
