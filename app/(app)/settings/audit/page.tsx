import type { Metadata } from "next";
import { requirePage } from "@/lib/auth/session";
import { listAudit } from "@/lib/audit/list-audit";
import { PageHeader } from "@/components/ui/page-header";
import { SettingsTabs } from "@/components/settings/settings-tabs";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Audit log" };

const show = (v: unknown) => (v === null || v === undefined ? "" : JSON.stringify(v));

export default async function AuditPage() {
  await requirePage("audit.read", "/settings/audit");
  const entries = await listAudit({ limit: 200 });
  return (
    <>
      <PageHeader title="Settings" description="Who changed what, and when: the latest 200 changes." />
      <SettingsTabs current="/settings/audit" />
      <table className="w-full text-left" aria-label="Audit log">
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr><th className="py-2 pr-4">When (UTC)</th><th className="py-2 pr-4">Who</th><th className="py-2 pr-4">What</th><th className="py-2 pr-4">Before</th><th className="py-2 pr-4">After</th></tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id.toString()} className="border-t border-slate-100 align-top">
              <td className="num py-2 pr-4 whitespace-nowrap">{e.at.toISOString().replace("T", " ").slice(0, 19)}</td>
              <td className="py-2 pr-4">{e.actorLabel}</td>
              <td className="py-2 pr-4 font-mono">{e.action}</td>
              <td className="py-2 pr-4 font-mono text-xs text-slate-600">{show(e.before)}</td>
              <td className="py-2 pr-4 font-mono text-xs text-slate-600">{show(e.after)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
