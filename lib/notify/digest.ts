// The weekly digest: what the review of a week needs people to know before they arrive, built from the
// review's own loaders (the weekly review's figures, flags and why-it-moved; releases needing a
// justification; open follow-ups; open incidents; coverage), rendered as Markdown (the CLI), an email
// (text and HTML parts) and a Slack message (Block Kit). Every line links to its page at the public URL.
// It goes to the people who attend a review (active users who may read the review) by email and to every
// Slack channel and webhook that takes the event, once per week and recipient (its idempotency key).
import type { Db } from "@/lib/db/client";
import { withTransaction } from "@/lib/db/transaction";
import { roleCan } from "@/lib/auth/permissions";
import { formatCount, formatPct, formatRatio, formatUsd, formatUtc } from "@/lib/format";
import { listIncidents } from "@/lib/incidents/incidents";
import { releasesNeedingJustification } from "@/lib/releases/variance";
import { escapeMarkdown } from "@/lib/review/markdown-text";
import { needsReview } from "@/lib/review/flagging";
import { listFollowUps } from "@/lib/review/follow-ups";
import { reviewPageData } from "@/lib/review/review-page-data";
import { sessionIdForWeek, type FollowUpView } from "@/lib/review/sessions";
import { whyItMovedLine } from "@/lib/review/why-line";
import { addDays, currentMonday, isoLabel, lastCompleteMonday, localDate } from "@/lib/rollups/weeks";
import { getSetting } from "@/lib/settings/settings";
import { emailChannel, listChannels } from "@/lib/notify/channels";
import { enqueue, publicUrl } from "@/lib/notify/outbox";
import { escapeHtml } from "@/lib/notify/send";
import { footer } from "@/lib/notify/personal";
import { unsubscribeLinks, wantsEmail } from "@/lib/notify/preferences";
import type { DigestSettings, PersonalKind } from "@/lib/notify/schemas";

const EVENT: PersonalKind = "review.digest";

/** One line of the digest: what it says (plain text, escaped by each renderer) and where it leads. */
export type DigestLine = { text: string; detail?: string; link: string };
export type DigestSection = { key: string; title: string; empty: string; lines: DigestLine[] };

export type Digest = {
  /** ISO week label (2026-W47) and its Monday. */
  week: string;
  weekStart: string;
  timezone: string;
  subject: string;
  /** The weekly review page of the week. */
  link: string;
  sections: DigestSection[];
  /** The webhook's data: the same facts as JSON. */
  data: Record<string, unknown>;
};

const change = (v: string | null) => (v === null ? "no previous week" : formatPct(v));

/** An absolute link at the public URL (a path while NEXTAUTH_URL is unset). */
function linkTo(path: string): string {
  return `${publicUrl() ?? ""}${path}`;
}

function followUpLines(items: readonly FollowUpView[]): DigestLine[] {
  const byOwner = new Map<string, FollowUpView[]>();
  for (const f of items) byOwner.set(f.assignee.id, [...(byOwner.get(f.assignee.id) ?? []), f]);
  return [...byOwner.values()]
    .map((mine) => {
      const who = mine[0]!.assignee;
      const overdue = mine.filter((f) => f.overdue);
      return {
        overdue: overdue.length,
        line: {
          text: `${who.name}: ${formatCount(mine.length)} open, ${formatCount(overdue.length)} overdue`,
          ...(overdue.length ? { detail: `Overdue: ${overdue.map((f) => `${f.title} (due ${f.dueDate})`).join("; ")}` } : {}),
          link: linkTo(`/follow-ups?assignee=${who.id}`),
        },
      };
    })
    .sort((a, b) => b.overdue - a.overdue || a.line.text.localeCompare(b.line.text))
    .map((x) => x.line);
}

/** The digest of the week starting `monday`. */
export async function buildDigest(db: Db, monday: string): Promise<Digest> {
  const week = isoLabel(monday);
  const [review, releases, followUps, incidents, sessionId] = await Promise.all([
    reviewPageData(db, monday),
    releasesNeedingJustification(db),
    listFollowUps(db, { status: "open" }),
    listIncidents(db, { status: "open" }),
    sessionIdForWeek(db, monday),
  ]);
  const reviewLink = linkTo(`/review/${week}`);
  const t = review.totals;
  const headline: DigestLine[] = t.current
    ? [
        { text: `Total cost ${formatUsd(t.current.totalCost)} (${change(t.change.totalCost)})`, link: reviewLink },
        { text: `Requests ${formatCount(t.current.requests)} (${change(t.change.requests)})`, link: reviewLink },
        { text: `Mean cost per request ${formatUsd(t.current.meanCost)} (${change(t.change.meanCost)})`, link: reviewLink },
      ]
    : [];
  if (sessionId) headline.push({ text: "The week's review session is open", link: linkTo(`/review/${week}/session`) });
  const flaggedRows = review.rows.filter(needsReview);
  const flagged: (DigestLine & { endpoint: string; why: string | null })[] = flaggedRows.map((r) => {
    const why = review.why.find((w) => w.endpoint === r.id);
    const cohorts = r.flaggedCohorts ? `; ${formatCount(r.flaggedCohorts)} cohort${r.flaggedCohorts === 1 ? "" : "s"} flagged` : "";
    return {
      endpoint: r.id,
      text: `${r.label}: mean ${formatUsd(r.mean)} per request (${change(r.meanChange)})${cohorts}`,
      why: why ? `Why it moved: ${whyItMovedLine(why)}` : null,
      ...(why ? { detail: `Why it moved: ${whyItMovedLine(why)}` } : {}),
      link: linkTo(r.href ?? `/review/${week}`),
    };
  });
  const releaseLines: DigestLine[] = releases.map((c) => ({
    text: `${c.release.version} — ${c.release.title}`,
    detail: `Shipped ${formatUtc(c.release.shippedAt)} UTC; touches ${c.release.touchedEndpoints.join(", ") || "no endpoint"}`,
    link: linkTo(`/releases/${c.release.id}`),
  }));
  const incidentLines: DigestLine[] = incidents.map((i) => ({
    text: `${i.endpoint}: cost per request up to ${formatUsd(i.peakCostPerRequest)}, above ${i.factor}× its baseline`,
    detail: `Since ${formatUtc(i.windowStart)} UTC${i.owner ? `; triage owner ${i.owner.name}` : ""}`,
    link: linkTo(`/incidents/${i.id}`),
  }));
  const c = review.coverage;
  const coverageLink = linkTo(`/coverage/${week}`);
  const unpricedShare = c.requests ? c.unpricedRequests / c.requests : 0;
  const coverage: DigestLine[] = [
    { text: `Unattributed: ${formatRatio(c.unattributedShare)} of cost (${formatUsd(c.unattributedCost)})`, link: coverageLink },
    { text: `Unpriced: ${formatRatio(unpricedShare)} of requests (${formatCount(c.unpricedRequests)} requests, ${formatCount(c.unpricedEvents)} events)`, link: coverageLink },
    { text: `Priced in part (incomplete): ${formatCount(c.incompleteEvents)} events`, link: coverageLink },
  ];
  const sections: DigestSection[] = [
    { key: "headline", title: "Headline", empty: "No requests this week.", lines: headline },
    { key: "flagged", title: `Flagged endpoints (${formatCount(flagged.length)})`, empty: "No endpoint moved past the threshold.", lines: flagged },
    { key: "releases", title: `Releases needing a justification (${formatCount(releaseLines.length)})`, empty: "No release waits for a justification.", lines: releaseLines },
    { key: "follow-ups", title: `Open follow-ups by owner (${formatCount(followUps.length)})`, empty: "No open follow-ups.", lines: followUpLines(followUps) },
    { key: "incidents", title: `Open incidents (${formatCount(incidentLines.length)})`, empty: "No open cost incidents.", lines: incidentLines },
    { key: "coverage", title: "Coverage", empty: "", lines: coverage },
  ];
  return {
    week,
    weekStart: monday,
    timezone: review.timezone,
    subject: `Cost Review digest · ${week}: ${formatCount(flagged.length)} flagged, ${formatCount(releaseLines.length)} to justify, ${formatCount(followUps.filter((f) => f.overdue).length)} overdue`,
    link: reviewLink,
    sections,
    data: {
      week,
      weekStart: monday,
      timezone: review.timezone,
      link: reviewLink,
      totals: t.current ? { totalCost: t.current.totalCost, requests: t.current.requests, meanCost: t.current.meanCost, change: t.change } : null,
      flagged: flagged.map((f) => ({ endpoint: f.endpoint, summary: f.text, why: f.why, link: f.link })),
      releasesNeedingJustification: releases.map((r, i) => ({ id: r.release.id, version: r.release.version, title: r.release.title, link: releaseLines[i]!.link })),
      followUps: { open: followUps.length, overdue: followUps.filter((f) => f.overdue).length },
      incidents: incidents.map((i, n) => ({ id: i.id, endpoint: i.endpoint, openedAt: i.openedAt, link: incidentLines[n]!.link })),
      coverage: { unattributedShare: c.unattributedShare, unattributedCost: c.unattributedCost, unpricedRequests: c.unpricedRequests, requests: c.requests, incompleteEvents: c.incompleteEvents },
    },
  };
}

const intro = (d: Digest) => `The week of ${d.weekStart} (${d.timezone}), before its review.`;

/** The digest as Markdown (what the CLI prints). User-given names are escaped; links are autolinks. */
export function digestMarkdown(d: Digest): string {
  const out = [`# Cost Review digest · ${d.week}`, "", escapeMarkdown(intro(d)), "", `<${d.link}>`, ""];
  for (const s of d.sections) {
    out.push(`## ${s.title}`, ""); // the digest's own words and counts
    if (!s.lines.length) out.push(escapeMarkdown(s.empty), "");
    for (const l of s.lines) {
      out.push(`- ${escapeMarkdown(l.text)} — <${l.link}>`);
      if (l.detail) out.push(`  ${escapeMarkdown(l.detail)}`);
    }
    if (s.lines.length) out.push("");
  }
  return out.join("\n");
}

/** The email's plain-text part. */
export function digestText(d: Digest, footer = ""): string {
  const out = [`Cost Review digest · ${d.week}`, intro(d), d.link, ""];
  for (const s of d.sections) {
    out.push(s.title.toUpperCase());
    if (!s.lines.length) out.push(s.empty);
    for (const l of s.lines) {
      out.push(`- ${l.text}`);
      if (l.detail) out.push(`  ${l.detail}`);
      out.push(`  ${l.link}`);
    }
    out.push("");
  }
  return [...out, footer].join("\n").trimEnd() + "\n";
}

/** The email's HTML part: every line a link to its page. */
export function digestHtml(d: Digest, footerHtml = ""): string {
  const e = escapeHtml;
  const parts = [`<h1 style="font-size:20px">Cost Review digest · ${e(d.week)}</h1>`, `<p>${e(intro(d))} <a href="${e(d.link)}">Open the weekly review</a></p>`];
  for (const s of d.sections) {
    parts.push(`<h2 style="font-size:16px;margin-top:20px">${e(s.title)}</h2>`);
    if (!s.lines.length) parts.push(`<p>${e(s.empty)}</p>`);
    else
      parts.push(
        `<ul>${s.lines.map((l) => `<li><a href="${e(l.link)}">${e(l.text)}</a>${l.detail ? `<br><span style="color:#475569">${e(l.detail)}</span>` : ""}</li>`).join("")}</ul>`,
      );
  }
  parts.push(footerHtml);
  return `<!doctype html><html><body style="font-family: system-ui, sans-serif; line-height: 1.5">${parts.join("")}</body></html>`;
}

/** Slack mrkdwn: &, < and > escaped; a link's text may not hold "|". */
const slackEsc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const slackLink = (url: string, text: string) => `<${url}|${slackEsc(text).replace(/\|/g, "¦")}>`;
/** A section block's text is at most 3000 characters. */
const SLACK_TEXT_MAX = 3000;

/** The digest as Slack Block Kit: a header, the intro, one section per part (each line a link). */
export function digestBlocks(d: Digest): unknown[] {
  const blocks: unknown[] = [
    { type: "header", text: { type: "plain_text", text: `Cost Review digest · ${d.week}`, emoji: false } },
    { type: "context", elements: [{ type: "mrkdwn", text: `${slackEsc(intro(d))} ${slackLink(d.link, "Open the weekly review")}` }] },
  ];
  for (const s of d.sections) {
    const lines = s.lines.map((l) => `• ${slackLink(l.link, l.text)}${l.detail ? `\n    _${slackEsc(l.detail)}_` : ""}`);
    let text = `*${slackEsc(s.title)}*\n${lines.length ? "" : slackEsc(s.empty)}`;
    let shown = 0;
    for (const line of lines) {
      const more = `\n…and ${lines.length - shown} more in Cost Review`;
      if (text.length + line.length + 1 + more.length > SLACK_TEXT_MAX) {
        text += more;
        break;
      }
      text += `${shown ? "\n" : ""}${line}`;
      shown++;
    }
    blocks.push({ type: "divider" }, { type: "section", text: { type: "mrkdwn", text } });
  }
  return blocks;
}

/** Who the digest goes to by email: active users who may read the review (the people who can attend). */
export async function digestRecipients(db: Db): Promise<{ id: string; name: string; email: string }[]> {
  const { rows } = await db.query<{ id: string; name: string; email: string; role: string }>("SELECT id, name, email, role::text AS role FROM users WHERE NOT disabled ORDER BY name, email");
  return rows.filter((u) => roleCan(u.role, "review.read")).map(({ id, name, email }) => ({ id, name, email }));
}

/** The digest's idempotency key for one recipient (a user id, or a channel id for Slack and webhooks). */
export const digestKey = (week: string, recipient: string) => `digest:${week}:${recipient}`;

/**
 * Enqueues the digest of the week starting `monday`: one email per recipient (when an SMTP channel is
 * enabled), one message per enabled Slack channel and webhook taking "review.digest". A week already
 * enqueued for a recipient enqueues nothing again. Returns how many messages were new.
 */
export async function enqueueDigest(db: Db, monday: string, opts: { digest?: Digest } = {}): Promise<{ week: string; enqueued: number; recipients: number }> {
  const digest = opts.digest ?? (await buildDigest(db, monday));
  const [smtp, channels, people] = await Promise.all([emailChannel(db), listChannels(db), digestRecipients(db)]);
  const takes = (c: { enabled: boolean; events: string[] }) => c.enabled && (c.events.length === 0 || c.events.includes(EVENT));
  const payload = { subject: digest.subject, text: digestText(digest), html: digestHtml(digest), link: digest.link, data: digest.data };
  let enqueued = 0;
  let recipients = 0;
  await withTransaction(async (tx) => {
    if (smtp?.enabled) {
      for (const p of people) {
        if (!(await wantsEmail(tx, p.id, EVENT))) continue;
        recipients++;
        const links = await unsubscribeLinks(tx, p.id, EVENT);
        const f = footer(EVENT, links.page);
        const mine = { ...payload, text: digestText(digest, f.text), html: digestHtml(digest, f.html), unsubscribe: links.oneClick };
        const { created } = await enqueue(tx, { kind: EVENT, channel: "email", channelId: smtp.id, recipient: p.email, recipientUserId: p.id, payload: mine, idempotencyKey: digestKey(digest.week, p.id) });
        if (created) enqueued++;
      }
    }
    for (const c of channels.filter((ch) => ch.kind !== "email" && takes(ch))) {
      recipients++;
      const blocks = c.kind === "slack" ? { blocks: digestBlocks(digest) } : {};
      const { created } = await enqueue(tx, { kind: EVENT, channel: c.kind, channelId: c.id, payload: { ...payload, ...blocks }, idempotencyKey: digestKey(digest.week, c.id) });
      if (created) enqueued++;
    }
  }, { db });
  return { week: digest.week, enqueued, recipients };
}

/**
 * The week whose digest is due at `now`, or null: from the set weekday and hour in the organisation's
 * time zone until the end of that week, the digest of the last complete week is due.
 */
export function dueDigestWeek(now: Date, tz: string, schedule: DigestSettings): string | null {
  if (!schedule.enabled) return null;
  const monday = currentMonday(now, tz);
  const sendDay = addDays(monday, schedule.day - 1);
  const today = localDate(now, tz);
  if (today < sendDay) return null;
  if (today === sendDay) {
    const hour = Number(new Intl.DateTimeFormat("en-GB", { timeZone: tz, hour: "2-digit", hourCycle: "h23" }).format(now));
    if (hour < schedule.hour) return null;
  }
  return lastCompleteMonday(now, tz);
}

/** The scheduler's step: enqueues the due week's digest (at most once per week and recipient). */
export async function digestStep(db: Db, now = new Date()): Promise<{ week: string; enqueued: number } | null> {
  const [tz, schedule] = await Promise.all([getSetting(db, "timezone"), getSetting(db, "notifications.digest")]);
  const monday = dueDigestWeek(now, tz, schedule);
  if (!monday) return null;
  const { week, enqueued } = await enqueueDigest(db, monday);
  return { week, enqueued };
}
