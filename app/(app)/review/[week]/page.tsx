import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePage } from "@/lib/auth/session";
import { formatCount, formatPct, formatRatio, formatUsd } from "@/lib/format";
import { reviewOfWeek } from "@/lib/review/review-page-data";
import { mondayOf } from "@/lib/rollups/weeks";
import { PageHeader } from "@/components/ui/page-header";
import { ReviewTable } from "@/components/review/review-table";
import { WhyItMovedPanel } from "@/components/review/why-it-moved";
import { ReviewTrend } from "@/components/review/review-trend";
import { ReleasesNeedingJustification } from "@/components/releases/needing-justification";
import { SessionBanner } from "@/components/workflow/session-banner";
import { reviewWeekWorkflow } from "@/lib/review/page-data";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Weekly review" };

function Headline({ label, value, change, testId, soFar = false }: { label: string; value: string; change: string | null; testId: string; soFar?: boolean }) {
  const n = change === null ? 0 : Number(change);
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-4 py-3" data-testid={testId}>
      <div className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</div>
      <div className="num mt-1 text-xl font-semibold">{value}</div>
      <div className={`num text-xs ${change === null || soFar ? "text-slate-500" : n > 0 ? "text-amber-700" : n < 0 ? "text-emerald-700" : "text-slate-500"}`}>
        {soFar ? "so far this week" : change === null ? "no previous week" : `${formatPct(change)} vs previous week`}
      </div>
    </div>
  );
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

export default async function WeeklyReviewPage({ params }: { params: Promise<{ week: string }> }) {
  const { week } = await params;
  const user = await requirePage("review.read", `/review/${week}`);
  const monday = mondayOf(week);
  if (!monday) notFound();
  const [data, { needingJustification, session }] = await Promise.all([reviewOfWeek(monday), reviewWeekWorkflow(monday)]);
  const t = data.totals;
  const inProgress = data.state === "in_progress";
  return (
    <>
      <PageHeader
        title={`Weekly review · ${data.week}`}
        description={`Week of ${data.weekStart} (${data.timezone}). Fully-loaded cost per request: each request's model, embedding, tool and GPU costs plus overhead, in the week of its first event.`}
        actions={
          <>
            <Link href={`/review/${data.previousWeek}`} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50">
              ← {data.previousWeek}
            </Link>
            {data.state === "complete" ? (
              <Link href={`/review/${data.nextWeek}`} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50">
                {data.nextWeek} →
              </Link>
            ) : null}
          </>
        }
      />
      {data.state !== "complete" ? (
        <p className="mb-4">
          <span data-testid="week-status" className="inline-block rounded-md bg-amber-100 px-2 py-1 text-sm text-amber-900">
            {inProgress
              ? "In progress: the week has not ended. Figures so far; totals are not compared with the previous week until it is over."
              : "Not started: this week is in the future."}
          </span>
        </p>
      ) : null}
      <ReleasesNeedingJustification checks={needingJustification} />
      {data.state === "future" ? null : <SessionBanner week={data.week} session={session} role={user.role} openable={data.state === "complete"} />}
      {data.state === "future" ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-slate-600" data-testid="no-data">
          {data.week} has not started yet: there is nothing to review. Its figures appear here once requests arrive.
        </div>
      ) : t.current === null ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-slate-600" data-testid="no-data">
          No requests in {data.week}. Cost events that arrive appear here within a minute.
        </div>
      ) : (
        <>
          <ReviewTrend weeks={data.trend} current={data.week} />
          <div className="mb-4 grid grid-cols-2 gap-3 md:grid-cols-5">
            <Headline testId="headline-total" label="Total cost" value={formatUsd(t.current.totalCost)} change={t.change.totalCost} soFar={inProgress} />
            <Headline testId="headline-requests" label="Requests" value={formatCount(t.current.requests)} change={t.change.requests} soFar={inProgress} />
            <Headline testId="headline-mean" label="Mean / request" value={formatUsd(t.current.meanCost)} change={t.change.meanCost} />
            <Headline testId="headline-p50" label="Median / request" value={formatUsd(t.current.p50Cost)} change={t.change.p50Cost} />
            <Headline testId="headline-p95" label="p95 / request" value={formatUsd(t.current.p95Cost)} change={t.change.p95Cost} />
          </div>
          <div className="mb-4 flex flex-wrap gap-3 text-sm" data-testid="coverage">
            <span className={`rounded-md px-2 py-1 ${data.coverage.unattributedShare > 0.02 ? "bg-amber-100 text-amber-900" : "bg-slate-100 text-slate-700"}`}>
              Unattributed: {formatUsd(data.coverage.unattributedCost)} ({formatRatio(data.coverage.unattributedShare)} of cost)
            </span>
            <span className={`rounded-md px-2 py-1 ${data.coverage.unpricedEvents ? "bg-amber-100 text-amber-900" : "bg-slate-100 text-slate-700"}`}>
              Unpriced: {formatCount(data.coverage.unpricedEvents)} events in {formatCount(data.coverage.unpricedRequests)} requests (not in the totals)
            </span>
            <span
              className={`rounded-md px-2 py-1 ${data.coverage.incompleteEvents ? "bg-amber-100 text-amber-900" : "bg-slate-100 text-slate-700"}`}
              data-testid="coverage-incomplete"
            >
              Incomplete: {formatCount(data.coverage.incompleteEvents)} events (priced in part: a tier, fee or modality has no rate)
            </span>
            {t.current.listDirectCost !== t.current.directCost ? (
              <span className="rounded-md bg-emerald-50 px-2 py-1 text-emerald-900" data-testid="contract-savings">
                Contracts: direct cost {formatUsd(t.current.directCost)} paid, {formatUsd(t.current.listDirectCost)} at list price
              </span>
            ) : null}
            <Link href={`/coverage/${data.week}`} className="rounded-md px-2 py-1 text-sky-700 hover:bg-sky-50 hover:underline">
              See the unattributed and unpriced requests →
            </Link>
            <span className={`rounded-md px-2 py-1 ${data.flaggedCount ? "bg-red-50 text-red-900" : "bg-slate-100 text-slate-700"}`} data-testid="flag-count">
              Flag: mean moved ≥ {data.thresholdPct}% on ≥ {data.minRequests} requests · {data.flaggedCount} flagged
              {data.flaggedCount ? ` (${plural(data.flaggedCount - data.flags.cohorts, "endpoint")}, ${plural(data.flags.cohorts, "cohort")})` : ""}
            </span>
          </div>
          <ReviewTable rows={data.rows} />
          <WhyItMovedPanel items={data.why} />
        </>
      )}
    </>
  );
}
