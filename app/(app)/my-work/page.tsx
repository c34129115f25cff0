import type { Metadata } from "next";
import Link from "next/link";
import { requirePage } from "@/lib/auth/session";
import { myWork } from "@/lib/review/page-data";
import { PageHeader } from "@/components/ui/page-header";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "My work" };

export default async function MyWorkPage() {
  const user = await requirePage("review.read", "/my-work");
  const { count, sections } = await myWork(user);
  return (
    <>
      <PageHeader
        title="My work"
        description={`What the weekly review is waiting on from you: ${count === 0 ? "nothing right now" : `${count} thing${count === 1 ? "" : "s"}`}. Overdue follow-ups come first.`}
        actions={
          <>
            <Link href="/follow-ups" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50">All follow-ups</Link>
            <Link href="/my-work/notifications" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50">Notifications</Link>
          </>
        }
      />
      <div className="space-y-4">
        {sections.map((s) => (
          <section key={s.key} className="rounded-lg border border-slate-200 bg-white" data-testid={`inbox-${s.key}`}>
            <h2 className="border-b border-slate-100 px-4 py-2.5 font-semibold">
              {s.title} <span className="ml-1 rounded-full bg-slate-100 px-2 text-sm font-medium text-slate-700">{s.entries.length}</span>
            </h2>
            {s.entries.length === 0 ? (
              <p className="px-4 py-3 text-slate-600">{s.empty}</p>
            ) : (
              <ul className="divide-y divide-slate-100">
                {s.entries.map((e) => (
                  <li key={e.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-2.5">
                    <div>
                      <Link href={e.href} className="font-medium text-slate-900 underline-offset-2 hover:underline">{e.title}</Link>
                      <div className="text-xs text-slate-600">{e.detail}</div>
                    </div>
                    {e.due ? (
                      <span className={`rounded px-2 py-0.5 text-xs font-medium ${e.overdue ? "bg-red-100 text-red-800" : "bg-slate-100 text-slate-700"}`}>
                        {e.overdue ? "Overdue · " : ""}due {e.due}
                      </span>
                    ) : null}
                  </li>
                ))}
              </ul>
            )}
          </section>
        ))}
      </div>
    </>
  );
}
