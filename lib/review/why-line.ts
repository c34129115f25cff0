// "Why it moved" in one line: the change in mean cost per request split into mix and rate, and the
// cohorts that carried most of it. The minutes and the weekly digest both say it this way; `esc`
// escapes a cohort name for the medium it lands in (Markdown, Slack, HTML).
import { formatPct, formatUsd } from "@/lib/format";
import type { WhyItMoved } from "@/lib/review/review-page-data";
import type { MixRate } from "@/lib/review/mix-rate";

/** "mix $0.01, rate $0.02 per request; by cohort: free $0.02, enterprise $0.01" (the top three cohorts). */
export function whyItMovedSummary(split: MixRate, esc: (text: string) => string = (t) => t): string {
  const drivers = split.drivers.slice(0, 3).map((d) => `${esc(d.cohort)} ${formatUsd(d.total)}`).join(", ");
  return `mix ${formatUsd(split.mix)}, rate ${formatUsd(split.rate)} per request; by cohort: ${drivers}`;
}

/** "mean $0.10 → $0.12 (+20.0%): mix …, rate … per request; by cohort: …" */
export function whyItMovedLine(w: WhyItMoved, esc: (text: string) => string = (t) => t): string {
  return `mean ${formatUsd(w.split.mean0)} → ${formatUsd(w.split.mean1)} (${formatPct(w.changePct)}): ${whyItMovedSummary(w.split, esc)}`;
}
