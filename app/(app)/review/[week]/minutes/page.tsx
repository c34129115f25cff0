import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePage } from "@/lib/auth/session";
import { formatCount, formatPct, formatUsd, formatUtc } from "@/lib/format";
import { JUSTIFICATION_CLASS_LABELS } from "@/lib/review/justification-classes";
import { mondayOf } from "@/lib/rollups/weeks";
import { sessionStatusLabel } from "@/lib/review/minutes";
import { FOLLOW_UP_STATUS_LABELS, type FollowUpView } from "@/lib/review/sessions";
import { minutesPageData } from "@/lib/review/page-data";
import { Markdown } from "@/components/workflow/markdown";
import { PrintButton } from "@/components/workflow/print-button";
import { TableBox } from "@/components/ui/table-box";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Review minutes" };

const pct = (v: string | null) => (v === null ? "new" : formatPct(v));

function FollowUps({ items, from = false }: { items: FollowUpView[]; from?: boolean }) {
  return (
    <ul className="list-disc pl-5">
      {items.map((f) => (
        <li key={f.id}>
          [{FOLLOW_UP_STATUS_LABELS[f.status]}] <strong>{f.title}</strong> — {f.assignee.name}, due {f.dueDate}
          {f.overdue ? " (overdue)" : ""}
          {from ? ` — from ${f.sessionWeek}` : ""}
          {f.description ? <div className="whitespace-pre-wrap text-slate-700">{f.description}</div> : null}
        </li>
      ))}
    </ul>
  );
}

export default async function MinutesPage({ params }: { params: Promise<{ week: string }> }) {
  const { week } = await params;
  await requirePage("review.read", `/review/${week}/minutes`);
  const monday = mondayOf(week);
  if (!monday) notFound();
  const s = await minutesPageData(monday);
  if (!s) {
    return (
      <div className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-slate-600" data-testid="no-session">
        No review session has been opened for {week}, so there are no minutes. <Link className="underline" href={`/review/${week}/session`}>Go to the session</Link>.
      </div>
    );
  }
  const h = s.headline;
  return (
    <article className="mx-auto max-w-4xl space-y-6 bg-white p-6 print:max-w-none print:p-0" data-testid="minutes">
      <header className="flex items-start justify-between gap-4 border-b border-slate-200 pb-4">
        <div>
          <h1 className="text-xl font-semibold">Weekly review minutes · {s.week}</h1>
          <p className="text-slate-600">
            Week of {s.weekStart} ({h.timezone}) · Opened by {s.openedBy ?? "an API key"} {formatUtc(s.openedAt)} UTC
            {s.closedAt ? ` · closed by ${s.closedBy ?? "an API key"} ${formatUtc(s.closedAt)} UTC` : ""}
          </p>
          <p className="mt-1 font-semibold" data-testid="minutes-outcome">Outcome: {sessionStatusLabel(s)}</p>
        </div>
        <div className="flex shrink-0 gap-2 print:hidden">
          <a href={`/api/v1/review-sessions/${s.id}/minutes?format=md`} download className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50">
            Download Markdown
          </a>
          <PrintButton />
          <Link href={`/review/${s.week}/session`} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50">Session</Link>
        </div>
      </header>
      <section>
        <h2 className="mb-1 font-semibold">Attendees</h2>
        <p>{s.attendees.length ? s.attendees.map((a) => a.name).join(", ") : "None recorded."}</p>
      </section>
      <section>
        <h2 className="mb-1 font-semibold">Headline (frozen when the session opened)</h2>
        {h.current ? (
          <TableBox>
          <table className="text-left">
            <thead className="text-xs uppercase text-slate-500"><tr><th className="pr-8">Figure</th><th className="pr-8">This week</th><th>vs previous</th></tr></thead>
            <tbody className="num">
              <tr><td className="pr-8">Total cost</td><td className="pr-8">{formatUsd(h.current.totalCost)}</td><td>{pct(h.change.totalCost)}</td></tr>
              <tr><td className="pr-8">Requests</td><td className="pr-8">{formatCount(h.current.requests)}</td><td>{pct(h.change.requests)}</td></tr>
              <tr><td className="pr-8">Mean / request</td><td className="pr-8">{formatUsd(h.current.meanCost)}</td><td>{pct(h.change.meanCost)}</td></tr>
              <tr><td className="pr-8">Median / request</td><td className="pr-8">{formatUsd(h.current.p50Cost)}</td><td>{pct(h.change.p50Cost)}</td></tr>
              <tr><td className="pr-8">p95 / request</td><td className="pr-8">{formatUsd(h.current.p95Cost)}</td><td>{pct(h.change.p95Cost)}</td></tr>
            </tbody>
          </table>
          </TableBox>
        ) : (
          <p>No requests this week.</p>
        )}
      </section>
      <section className="space-y-4">
        <h2 className="font-semibold">Movement items ({s.items.length})</h2>
        {s.items.length === 0 ? <p>No endpoint or cohort moved past the threshold.</p> : null}
        {s.items.map((item) => {
          const f = item.figures;
          return (
            <div key={item.id} className="break-inside-avoid border-l-4 border-slate-300 pl-4">
              <h3 className="font-semibold">{item.position}. {f.label}{item.feature ? ` — ${item.feature.name}` : ""}</h3>
              <p className="num text-sm">
                Mean / request {f.previousMeanCost ? `${formatUsd(f.previousMeanCost)} → ` : ""}{formatUsd(f.meanCost)} ({pct(f.meanChange)}) on {formatCount(f.requests)} requests; total {formatUsd(f.totalCost)}
              </p>
              {item.justification ? (
                <div className="mt-1">
                  <div className="text-xs text-slate-600">Justification · {JUSTIFICATION_CLASS_LABELS[item.justification.class]} · {item.justification.author}</div>
                  <Markdown text={item.justification.body} />
                </div>
              ) : null}
              {item.accepted ? <p className="mt-1">Accepted without justification by {item.accepted.by}: {item.accepted.reason}</p> : null}
              {!item.justification && !item.accepted ? <p className="mt-1 italic text-slate-600">Not justified yet.</p> : null}
              {item.followUps.length ? <div className="mt-1"><div className="text-sm font-medium">Follow-ups</div><FollowUps items={item.followUps} /></div> : null}
            </div>
          );
        })}
      </section>
      {s.followUps.length ? <section><h2 className="mb-1 font-semibold">Session follow-ups</h2><FollowUps items={s.followUps} /></section> : null}
      {s.carriedOver.length ? <section><h2 className="mb-1 font-semibold">Carried over (overdue from earlier sessions)</h2><FollowUps items={s.carriedOver} from /></section> : null}
      <section>
        <h2 className="mb-1 font-semibold">Decisions</h2>
        <p>Outcome: {sessionStatusLabel(s)}.</p>
        {s.decisions ? <Markdown text={s.decisions} /> : null}
      </section>
    </article>
  );
}
