// On the weekly review: this week's review session, or the button that opens it.
import Link from "next/link";
import { roleCan } from "@/lib/auth/permissions";
import type { SessionSummary } from "@/lib/review/sessions";
import { sessionStatusLabel } from "@/lib/review/minutes";
import { OpenSessionButton } from "@/components/workflow/open-session-button";

/** `openable`: whether the week is over, so its review can be held (no button for a week in progress). */
export function SessionBanner({ week, session: s, role, openable = true }: { week: string; session: SessionSummary | null; role: string; openable?: boolean }) {
  return (
    <div className="mb-4 flex flex-wrap items-center gap-3 rounded-lg border border-slate-200 bg-white px-4 py-3" data-testid="session-banner">
      {s ? (
        <>
          <span className="font-medium">Review session: {sessionStatusLabel(s)}</span>
          <span className="text-slate-600">
            {s.items} item{s.items === 1 ? "" : "s"}
            {s.status === "open" ? `, ${s.pending} awaiting justification` : ""}
          </span>
          <Link href={`/review/${week}/session`} className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700">Go to session</Link>
          <Link href={`/review/${week}/minutes`} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50">Minutes</Link>
        </>
      ) : (
        <>
          <span className="text-slate-600">{openable ? `No review session for ${week} yet.` : `${week} is still in progress: its review session opens once the week is over.`}</span>
          {openable && roleCan(role, "review.write") ? <OpenSessionButton week={week} /> : null}
        </>
      )}
    </div>
  );
}
