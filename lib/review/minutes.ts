// The minutes of a review session as Markdown: attendees, the headline figures frozen at opening, each
// item with its justification and follow-ups, the carried-over follow-ups and the outcome. Every piece of
// user text goes through lib/review/markdown-text.ts, so it cannot add headings, links or HTML of its own.
import { formatCount, formatPct, formatRatio, formatUsd } from "@/lib/format";
import { JUSTIFICATION_CLASS_LABELS } from "@/lib/review/justification-classes";
import { escapeMarkdown as esc, escapeMarkdownLines, noteMarkdownLines } from "@/lib/review/markdown-text";
import { whyItMovedSummary } from "@/lib/review/why-line";
import { FOLLOW_UP_STATUS_LABELS, OUTCOME_LABELS, type FollowUpView, type SessionView } from "@/lib/review/sessions";

const day = (isoTs: string | null) => (isoTs ? isoTs.slice(0, 16).replace("T", " ") + " UTC" : "");
const pct = (v: string | null) => (v === null ? "new" : formatPct(v));

export function sessionStatusLabel(s: Pick<SessionView, "status" | "outcome">): string {
  return s.status === "open" ? "Open (in progress)" : OUTCOME_LABELS[s.outcome ?? "follow_ups"];
}

/** User text in bold (the bold markers are the minutes' own; the text is escaped). */
const strong = (text: string) => (esc(text) ? `**${esc(text)}**` : "");
const person = (p: { name: string; email: string }) => `${esc(p.name)} (${esc(p.email)})`;

/** A follow-up as a list item; its description on the following lines, indented so it stays in the item. */
function followUpLine(f: FollowUpView, suffix = ""): string {
  const head = `- [${FOLLOW_UP_STATUS_LABELS[f.status]}] ${strong(f.title)} — ${person(f.assignee)}, due ${f.dueDate}${f.overdue ? " (overdue)" : ""}${suffix}`;
  const description = f.description ? escapeMarkdownLines(f.description) : [];
  if (!description.length) return head;
  return [`${head}\\`, ...description.map((l) => (l ? `  ${l}` : ""))].join("\n");
}

/** A justification as a Markdown block quote, so the author's text stays inside its item. */
const quote = (lines: string[]) => lines.map((l) => (l ? `> ${l}` : ">")).join("\n");

export function minutesMarkdown(s: SessionView): string {
  const h = s.headline;
  const out: string[] = [];
  out.push(`# Weekly review minutes · ${s.week}`, "");
  out.push(`- Week of ${s.weekStart} (${esc(h.timezone)})`);
  out.push(`- Outcome: **${sessionStatusLabel(s)}**`);
  out.push(`- Opened by ${s.openedBy ? esc(s.openedBy) : "an API key"} on ${day(s.openedAt)}${s.closedAt ? `; closed by ${s.closedBy ? esc(s.closedBy) : "an API key"} on ${day(s.closedAt)}` : ""}`);
  out.push(`- Flag rule: mean cost per request moved ≥ ${h.thresholdPct}% on ≥ ${h.minRequests} requests`, "");
  out.push("## Attendees", "");
  out.push(...(s.attendees.length ? s.attendees.map((a) => `- ${person(a)}`) : ["- none recorded"]), "");
  out.push("## Headline (frozen when the session opened)", "");
  if (h.current) {
    out.push("| Figure | This week | Change vs previous week |", "| --- | --- | --- |");
    out.push(`| Total cost | ${formatUsd(h.current.totalCost)} | ${pct(h.change.totalCost)} |`);
    out.push(`| Requests | ${formatCount(h.current.requests)} | ${pct(h.change.requests)} |`);
    out.push(`| Mean / request | ${formatUsd(h.current.meanCost)} | ${pct(h.change.meanCost)} |`);
    out.push(`| Median / request | ${formatUsd(h.current.p50Cost)} | ${pct(h.change.p50Cost)} |`);
    out.push(`| p95 / request | ${formatUsd(h.current.p95Cost)} | ${pct(h.change.p95Cost)} |`, "");
  } else {
    out.push("No requests this week.", "");
  }
  out.push(`Unattributed cost: ${formatUsd(h.coverage.unattributedCost)}; unpriced events: ${formatCount(h.coverage.unpricedEvents)}.`, "");
  out.push(`## Movement items (${s.items.length})`, "");
  if (!s.items.length) out.push("No endpoint or cohort moved past the threshold.", "");
  for (const item of s.items) {
    const f = item.figures;
    out.push(`### ${item.position}. ${esc(f.label)}${item.feature ? ` — ${esc(item.feature.name)}${item.feature.ownerName ? ` (owner ${esc(item.feature.ownerName)})` : ""}` : ""}`, "");
    out.push(
      `- Mean cost per request: ${f.previousMeanCost ? `${formatUsd(f.previousMeanCost)} → ` : ""}${formatUsd(f.meanCost)} (${pct(f.meanChange)}) on ${formatCount(f.requests)} requests; total ${formatUsd(f.totalCost)}`,
    );
    out.push(`- p50 ${formatUsd(f.p50Cost)} (${pct(f.p50Change)}), p95 ${formatUsd(f.p95Cost)} (${pct(f.p95Change)})`);
    if (f.scope === "cohort_driven" && item.cohort) out.push(`- Cohort-specific: ${esc(item.cohort)} carries ${formatRatio(f.cohortShareOfChange ?? "0", { places: 0 })} of the change`);
    if (f.scope === "cohort_flagged") out.push(`- Cohort-specific: the ${esc(item.cohort ?? "")} cohort moved while the endpoint as a whole did not`);
    if (item.explanation) {
      out.push(`- Why it moved: ${whyItMovedSummary(item.explanation.split, esc)}`);
    }
    if (item.releases.length) out.push(`- Releases that shipped that week: ${item.releases.map((r) => esc(releaseLabel(r))).join(", ")}`);
    out.push("");
    if (item.justification) {
      out.push(`**Justification** (${JUSTIFICATION_CLASS_LABELS[item.justification.class]}) by ${esc(item.justification.author)}, ${day(item.justification.at)}:`, "");
      const body = noteMarkdownLines(item.justification.body);
      if (body.length) out.push(quote(body), "");
    }
    if (item.accepted) {
      out.push(`**Accepted without justification** by ${esc(item.accepted.by)}, ${day(item.accepted.at)}: ${esc(item.accepted.reason)}`, "");
    }
    if (!item.justification && !item.accepted) out.push("_Not justified yet._", "");
    if (item.followUps.length) out.push("Follow-ups:", "", ...item.followUps.map((f) => followUpLine(f)), "");
  }
  if (s.followUps.length) out.push("## Session follow-ups", "", ...s.followUps.map((f) => followUpLine(f)), "");
  if (s.carriedOver.length) out.push("## Carried over (overdue from earlier sessions)", "", ...s.carriedOver.map((f) => followUpLine(f, ` — from ${f.sessionWeek}`)), "");
  out.push("## Decisions", "");
  out.push(`Outcome: **${sessionStatusLabel(s)}**.`, "");
  const decisions = s.decisions ? noteMarkdownLines(s.decisions) : [];
  if (decisions.length) out.push(...decisions, "");
  return out.join("\n");
}

/** A linked release as frozen in the item: its version and title, and the day it shipped. */
function releaseLabel(r: unknown): string {
  if (typeof r !== "object" || r === null) return JSON.stringify(r);
  const { version, title, shippedAt } = r as { version?: unknown; title?: unknown; shippedAt?: unknown };
  return `${String(version ?? "?")}${title ? ` ${String(title)}` : ""}${typeof shippedAt === "string" ? ` (${shippedAt.slice(0, 10)})` : ""}`;
}
