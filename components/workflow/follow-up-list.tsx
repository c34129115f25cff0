// Follow-ups as a list: title, assignee, due date (overdue in red), status, and the status buttons for
// whoever may change it (the page decides who, through lib/auth/policies.ts).
import { FollowUpStatusButtons } from "@/components/workflow/forms";
import { FOLLOW_UP_STATUS_LABELS, type FollowUpView } from "@/lib/review/sessions";

export function FollowUpList({ items, mayChangeStatus, showSource = false }: { items: FollowUpView[]; mayChangeStatus: readonly string[]; showSource?: boolean }) {
  if (!items.length) return null;
  return (
    <ul className="divide-y divide-slate-100 rounded-md border border-slate-200">
      {items.map((f) => (
        <li key={f.id} id={`follow-up-${f.id}`} data-testid={`follow-up-${f.title}`} className="flex flex-wrap items-center justify-between gap-3 px-3 py-2">
          <div className="min-w-0">
            <div className="font-medium">
              {f.title}{" "}
              <span className={`ml-1 rounded px-1.5 py-0.5 text-xs ${f.status === "open" ? (f.overdue ? "bg-red-100 text-red-800" : "bg-amber-100 text-amber-900") : "bg-slate-100 text-slate-700"}`}>
                {f.overdue ? "Overdue" : FOLLOW_UP_STATUS_LABELS[f.status]}
              </span>
            </div>
            <div className="text-xs text-slate-600">
              {f.assignee.name} · due {f.dueDate}
              {showSource ? ` · ${f.sessionWeek} review${f.itemLabel ? ` · ${f.itemLabel}` : ""}` : ""}
            </div>
            {f.description ? <div className="mt-1 whitespace-pre-wrap text-slate-700">{f.description}</div> : null}
          </div>
          {mayChangeStatus.includes(f.id) ? <FollowUpStatusButtons id={f.id} title={f.title} status={f.status} /> : null}
        </li>
      ))}
    </ul>
  );
}
