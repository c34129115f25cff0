"use client";
// Close or reopen the month (finance): PATCH /api/v1/finance/months/[month].
import { useApiForm } from "@/components/ui/use-api-form";

export function MonthClose({ month, closed, canWrite, closable }: { month: string; closed: boolean; canWrite: boolean; closable: boolean }) {
  const { error, pending: busy, submit } = useApiForm(undefined, { showsFieldErrors: false });
  if (!canWrite) return null;
  async function toggle() {
    const verb = closed ? "Reopen" : "Close";
    if (!window.confirm(`${verb} ${month}? ${closed ? "Re-pricing will be allowed again." : "Re-pricing of this month will be refused until it is reopened."}`)) return;
    await submit(`/api/v1/finance/months/${month}`, "PATCH", { closed: !closed });
  }
  return (
    <div className="flex items-center gap-2">
      {error ? <span role="alert" className="text-sm text-red-700">{error}</span> : null}
      <button
        type="button"
        onClick={toggle}
        disabled={busy || (!closed && !closable)}
        title={!closed && !closable ? "Only a month that has ended can be closed" : undefined}
        className={`rounded-md px-3 py-1.5 font-medium disabled:opacity-50 ${closed ? "border border-slate-300 bg-white hover:bg-slate-50" : "bg-slate-900 text-white hover:bg-slate-700"}`}
      >
        {closed ? "Reopen month" : "Close month"}
      </button>
    </div>
  );
}
