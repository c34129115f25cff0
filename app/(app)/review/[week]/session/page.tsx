import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePage } from "@/lib/auth/session";
import { can } from "@/lib/auth/principal";
import { mayAcceptItem, mayJustifyItem, mayReopenSession, mayRunSession } from "@/lib/auth/policies";
import { formatUtc } from "@/lib/format";
import { JUSTIFICATION_CLASS_LABELS } from "@/lib/review/justification-classes";
import { mondayOf } from "@/lib/rollups/weeks";
import { sessionPageData } from "@/lib/review/page-data";
import { followUpsWhoseStatusMayChange } from "@/lib/review/follow-ups";
import { sessionStatusLabel } from "@/lib/review/minutes";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { Markdown } from "@/components/workflow/markdown";
import { OpenSessionButton } from "@/components/workflow/open-session-button";
import { ItemFiguresView } from "@/components/workflow/item-figures";
import { FollowUpList } from "@/components/workflow/follow-up-list";
import { AcceptForm, CommentForm, FollowUpForm, JustificationForm, ReopenSessionButton, SignOffForm } from "@/components/workflow/forms";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Review session" };

export default async function ReviewSessionPage({ params }: { params: Promise<{ week: string }> }) {
  const { week } = await params;
  const user = await requirePage("review.read", `/review/${week}/session`);
  const monday = mondayOf(week);
  if (!monday) notFound();
  const page = await sessionPageData(monday);
  const me = { kind: "user", user } as const;
  const canWrite = mayRunSession(me);
  if (!page) {
    return (
      <>
        <PageHeader title={`Review session · ${week}`} description="The weekly review session walks through every endpoint that moved past the threshold." />
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-slate-600" data-testid="no-session">
          <p className="mb-3">No review session has been opened for {week} yet.</p>
          {canWrite ? <OpenSessionButton week={week} /> : <p>An admin or a feature owner opens it from the weekly review.</p>}
        </div>
      </>
    );
  }
  const { session, users, today } = page;
  if (!session) notFound();
  const open = session.status === "open";
  const canFollowUp = can(me, "followups.write") && open;
  const canAccept = mayAcceptItem(me);
  const statusChangeable = followUpsWhoseStatusMayChange(me, [...session.items.flatMap((i) => i.followUps), ...session.carriedOver, ...session.followUps]);
  const pending = session.items.filter((i) => !i.justification && !i.accepted).length;
  return (
    <>
      <PageHeader
        title={`Review session · ${session.week}`}
        description={`Opened by ${session.openedBy ?? "an API key"} on ${formatUtc(session.openedAt)} UTC. Figures are frozen as they were when the session opened.`}
        actions={
          <>
            <Link href={`/review/${session.week}`} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50">Weekly figures</Link>
            <Link href={`/review/${session.week}/minutes`} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50">Minutes</Link>
          </>
        }
      />
      <div className="mb-4 flex flex-wrap gap-3 text-sm" data-testid="session-status">
        <span className={`rounded-md px-2 py-1 font-medium ${open ? "bg-amber-100 text-amber-900" : session.outcome === "clean" ? "bg-emerald-100 text-emerald-900" : "bg-slate-200 text-slate-800"}`}>
          {sessionStatusLabel(session)}
        </span>
        <span className="rounded-md bg-slate-100 px-2 py-1 text-slate-700">{session.items.length} movement item{session.items.length === 1 ? "" : "s"}</span>
        {session.attendees.length ? <span className="rounded-md bg-slate-100 px-2 py-1 text-slate-700">Attendees: {session.attendees.map((a) => a.name).join(", ")}</span> : null}
      </div>
      <div className="space-y-4">
        {session.items.length === 0 ? (
          <Card><p className="text-slate-600">Nothing moved past the threshold this week.</p></Card>
        ) : null}
        {session.items.map((item) => {
          const mayJustify = open && mayJustifyItem(me, { ownerId: item.feature?.ownerId ?? null });
          const label = item.figures.label;
          return (
            <section key={item.id} id={`item-${item.id}`} data-testid={`item-${label}`} className="rounded-lg border border-slate-200 bg-white">
              <header className="flex flex-wrap items-baseline justify-between gap-2 border-b border-slate-100 px-4 py-2.5">
                <h2 className="font-semibold">
                  {item.position}. {label}
                  {item.feature ? <span className="ml-2 text-sm font-normal text-slate-500">{item.feature.name}{item.feature.ownerName ? ` · owner ${item.feature.ownerName}` : ""}</span> : null}
                </h2>
                <span className={`rounded px-2 py-0.5 text-xs font-medium ${item.justification ? "bg-emerald-100 text-emerald-900" : item.accepted ? "bg-slate-200 text-slate-800" : "bg-red-100 text-red-800"}`}>
                  {item.justification ? "Justified" : item.accepted ? "Accepted without justification" : "Needs justification"}
                </span>
              </header>
              <div className="space-y-3 p-4">
                <ItemFiguresView item={item} />
                {item.releases.length ? (
                  <div className="text-sm text-slate-600" data-testid="item-releases">
                    Shipped that week:{" "}
                    {(item.releases as { id?: string; version?: string; title?: string }[]).map((r, i) => (
                      <span key={r.id ?? i}>
                        {i ? " · " : ""}
                        {r.id ? <Link href={`/releases/${r.id}`} className="font-mono text-sky-700 hover:underline">{r.version}</Link> : r.version} {r.title}
                      </span>
                    ))}
                  </div>
                ) : null}
                {item.justification ? (
                  <div className="rounded-md bg-emerald-50/60 p-3" data-testid="justification">
                    <div className="mb-1 text-xs text-slate-600">
                      {JUSTIFICATION_CLASS_LABELS[item.justification.class]} · {item.justification.author} · {formatUtc(item.justification.at)} UTC
                      {item.history.length > 1 ? ` · edited ${item.history.length - 1}×` : ""}
                    </div>
                    <Markdown text={item.justification.body} />
                  </div>
                ) : null}
                {item.history.length > 1 ? (
                  <details className="text-sm">
                    <summary className="cursor-pointer text-slate-600">Earlier versions ({item.history.length - 1})</summary>
                    <ol className="mt-2 space-y-2">
                      {item.history.slice(0, -1).reverse().map((h, i) => (
                        <li key={i} className="rounded border border-slate-100 p-2">
                          <div className="text-xs text-slate-500">{JUSTIFICATION_CLASS_LABELS[h.class]} · {h.author} · {formatUtc(h.at)} UTC</div>
                          <Markdown text={h.body} />
                        </li>
                      ))}
                    </ol>
                  </details>
                ) : null}
                {item.accepted ? (
                  <div className="rounded-md bg-slate-100 p-3 text-sm" data-testid="accepted">
                    Accepted without justification by {item.accepted.by}: {item.accepted.reason}
                  </div>
                ) : null}
                {mayJustify ? <JustificationForm itemId={item.id} label={label} current={item.justification} /> : null}
                {open && canAccept && !item.justification && !item.accepted ? <AcceptForm itemId={item.id} label={label} /> : null}
                {item.followUps.length ? (
                  <div>
                    <h3 className="mb-1 text-sm font-semibold">Follow-ups</h3>
                    <FollowUpList items={item.followUps} mayChangeStatus={statusChangeable} />
                  </div>
                ) : null}
                {canFollowUp ? <FollowUpForm target={{ itemId: item.id }} label={label} users={users} today={today} /> : null}
                <div>
                  <h3 className="mb-1 text-sm font-semibold">Comments</h3>
                  {item.comments.length ? (
                    <ul className="mb-2 space-y-2">
                      {item.comments.map((c) => (
                        <li key={c.id} className="rounded border border-slate-100 p-2 text-sm">
                          <div className="text-xs text-slate-500">{c.author} · {formatUtc(c.at)} UTC</div>
                          <Markdown text={c.body} />
                        </li>
                      ))}
                    </ul>
                  ) : null}
                  <CommentForm itemId={item.id} label={label} users={users} />
                </div>
              </div>
            </section>
          );
        })}
        {session.carriedOver.length ? (
          <Card title="Carried over: overdue follow-ups from earlier sessions">
            <FollowUpList items={session.carriedOver} mayChangeStatus={statusChangeable} showSource />
          </Card>
        ) : null}
        <Card title="Session follow-ups">
          <div className="space-y-3">
            <FollowUpList items={session.followUps} mayChangeStatus={statusChangeable} />
            {canFollowUp ? <FollowUpForm target={{ sessionId: session.id }} label={`the ${session.week} session`} users={users} today={today} /> : null}
            {!session.followUps.length && !canFollowUp ? <p className="text-slate-600">None.</p> : null}
          </div>
        </Card>
        <Card title="Sign-off">
          {open && canWrite ? (
            <SignOffForm sessionId={session.id} users={users} attendees={session.attendees.map((a) => a.id)} pending={pending} />
          ) : (
            <div className="space-y-1" data-testid="sign-off">
              <p>
                {open ? "The session is open; an admin or a feature owner closes it." : `${sessionStatusLabel(session)} by ${session.closedBy ?? "an API key"} on ${formatUtc(session.closedAt)} UTC.`}
              </p>
              {session.decisions ? <Markdown text={session.decisions} /> : null}
              {!open && mayReopenSession(me) ? <div className="pt-2"><ReopenSessionButton sessionId={session.id} /></div> : null}
            </div>
          )}
        </Card>
      </div>
    </>
  );
}
