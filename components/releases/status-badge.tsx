// A release's variance status as a small badge: justification required (amber), a regression that cost
// more (red), justified, within the threshold, or too little traffic to judge.
import type { VarianceStatus } from "@/lib/releases/variance";

export function ReleaseStatusBadge({ status, regression }: { status: VarianceStatus; regression: boolean }) {
  if (regression) {
    return (
      <span className="rounded-md bg-red-100 px-2 py-0.5 text-xs font-medium text-red-800" data-testid="release-status" data-status="regression">
        Regression: cost rose
      </span>
    );
  }
  const look: Record<VarianceStatus, [string, string]> = {
    justification_required: ["bg-amber-100 text-amber-900", "Justification required"],
    justified: ["bg-emerald-50 text-emerald-800", "Justified"],
    within_threshold: ["bg-slate-100 text-slate-700", "Within threshold"],
    insufficient_data: ["bg-slate-50 text-slate-500", "Too little traffic to judge"],
  };
  const [cls, label] = look[status];
  return (
    <span className={`rounded-md px-2 py-0.5 text-xs font-medium ${cls}`} data-testid="release-status" data-status={status}>
      {label}
    </span>
  );
}
