import type { Metadata } from "next";
import Link from "next/link";
import { requirePage } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { auditActions, listAudit, parseAuditQuery, type AuditQuery } from "@/lib/audit/list-audit";
import { PageHeader } from "@/components/ui/page-header";
import { SettingsTabs } from "@/components/settings/settings-tabs";
import { AuditLogTable } from "@/components/settings/audit-log-table";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Audit log" };

const PAGE_SIZE = 50;
const FILTERS = ["action", "actor", "from", "to"] as const;
const MAX_PAGE_SIZE = 200;

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePage("audit.read", "/settings/audit");
  const raw = await searchParams;
  const sp = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  let query: Partial<AuditQuery> = { limit: PAGE_SIZE };
  let problem: string | null = null;
  try {
    query = parseAuditQuery({ limit: sp.limit ?? String(PAGE_SIZE), action: sp.action, actor: sp.actor, from: sp.from, to: sp.to, before: sp.before, after: sp.after });
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    problem = `${e.message} ${((e.details?.errors ?? []) as { message: string }[]).map((x) => x.message).join("; ")}`.trim();
  }
  const limit = Math.min(query.limit ?? PAGE_SIZE, MAX_PAGE_SIZE);
  const [page, actions] = await Promise.all([listAudit({ ...query, limit }), auditActions()]);
  // The page's links keep the filter and change only the position.
  const href = (position: Record<string, string>) => {
    const p = new URLSearchParams();
    for (const k of FILTERS) if (query[k]) p.set(k, String(query[k]));
    if (limit !== PAGE_SIZE) p.set("limit", String(limit));
    for (const [k, v] of Object.entries(position)) p.set(k, v);
    const s = p.toString();
    return `/settings/audit${s ? `?${s}` : ""}`;
  };
  const field = "rounded-md border border-slate-300 px-2 py-1.5";
  const label = "mb-1 block text-xs font-medium text-slate-600";
  const pager = "rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50";
  const filtered = FILTERS.some((k) => query[k]);
  return (
    <>
      <PageHeader title="Settings" description="Who changed what, and when: every change, newest first." />
      <SettingsTabs current="/settings/audit" />
      <form method="get" className="mb-4 flex flex-wrap items-end gap-3" aria-label="Filter the audit log">
        <label className="block">
          <span className={label}>Action</span>
          <select name="action" defaultValue={query.action ?? ""} className={`${field} w-56 max-w-full`}>
            <option value="">Any action</option>
            {query.action && !actions.includes(query.action) ? <option value={query.action}>{query.action}…</option> : null}
            {actions.map((a) => <option key={a} value={a}>{a}</option>)}
          </select>
        </label>
        <label className="block">
          <span className={label}>Who</span>
          <input name="actor" defaultValue={query.actor ?? ""} placeholder="email or key" className={`${field} w-48 max-w-full`} />
        </label>
        <label className="block">
          <span className={label}>From (UTC day)</span>
          <input name="from" type="date" defaultValue={query.from ?? ""} className={field} />
        </label>
        <label className="block">
          <span className={label}>To (UTC day, inclusive)</span>
          <input name="to" type="date" defaultValue={query.to ?? ""} className={field} />
        </label>
        {limit !== PAGE_SIZE ? <input type="hidden" name="limit" value={limit} /> : null}
        <button type="submit" className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700">Filter</button>
        {filtered ? <Link href="/settings/audit" className={pager}>Clear</Link> : null}
      </form>
      {problem ? <p role="alert" className="mb-3 rounded-md bg-red-50 px-3 py-2 text-red-700">{problem}</p> : null}
      <AuditLogTable entries={page.entries} />
      <nav aria-label="Audit log pages" className="mt-4 flex flex-wrap items-center gap-3 text-sm">
        {page.newer ? <Link href={href({})} className={pager}>Newest</Link> : null}
        {page.newer ? <Link href={href({ after: page.newer })} className={pager} rel="prev">← Newer</Link> : null}
        {page.older ? <Link href={href({ before: page.older })} className={pager} rel="next">Older →</Link> : null}
        <span className="text-slate-600" data-testid="audit-page-size">
          {page.entries.length} entr{page.entries.length === 1 ? "y" : "ies"} on this page (at most {limit})
        </span>
      </nav>
    </>
  );
}
