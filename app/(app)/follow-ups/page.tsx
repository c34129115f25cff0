import type { Metadata } from "next";
import Link from "next/link";
import { requirePage } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { followUpsWhoseStatusMayChange, parseFollowUpFilter, type FollowUpFilter } from "@/lib/review/follow-ups";
import { followUpsPageData } from "@/lib/review/page-data";
import { PageHeader } from "@/components/ui/page-header";
import { FollowUpList } from "@/components/workflow/follow-up-list";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Follow-ups" };

export default async function FollowUpsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const user = await requirePage("review.read", "/follow-ups");
  const sp = await searchParams;
  let filter: FollowUpFilter = { status: "open" };
  let problem: string | null = null;
  try {
    filter = parseFollowUpFilter({ status: sp.status ?? "open", assignee: sp.assignee, overdue: sp.overdue });
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    problem = e.message;
  }
  const { items, users } = await followUpsPageData(filter);
  const select = "rounded-md border border-slate-300 px-2 py-1.5";
  return (
    <>
      <PageHeader title="Follow-ups" description="Actions from weekly reviews, each with one owner and a due date. Overdue first." actions={<Link href="/my-work" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50">My work</Link>} />
      <form method="get" className="mb-4 flex flex-wrap items-end gap-3" aria-label="Filter follow-ups">
        <label className="block">
          <span className="mb-1 block text-xs font-medium text-slate-600">Status</span>
          <select name="status" defaultValue={filter.status ?? "open"} className={select}>
            <option value="open">Open</option>
            <option value="done">Done</option>
            <option value="wont_do">Won&apos;t do</option>
            <option value="all">All</option>
          </select>
        </label>
        <label className="block">
          <span className="mb-1 block text-xs font-medium text-slate-600">Assignee</span>
          <select name="assignee" defaultValue={filter.assigneeId ?? ""} className={select}>
            <option value="">Anyone</option>
            {users.map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
          </select>
        </label>
        <label className="inline-flex items-center gap-1.5 pb-2">
          <input type="checkbox" name="overdue" value="1" defaultChecked={filter.overdue} /> Overdue only
        </label>
        <button type="submit" className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700">Filter</button>
      </form>
      {problem ? <p role="alert" className="mb-3 rounded-md bg-red-50 px-3 py-2 text-red-700">{problem}</p> : null}
      {items.length ? (
        <FollowUpList items={items} mayChangeStatus={followUpsWhoseStatusMayChange({ kind: "user", user }, items)} showSource />
      ) : (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-slate-600" data-testid="no-follow-ups">
          No follow-ups match. Follow-ups are created in a weekly review session, from a movement item or from the session.
        </div>
      )}
    </>
  );
}
