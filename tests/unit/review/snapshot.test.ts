// Which rows of a week become movement items, and what the minutes say about them.
import { describe, expect, it } from "vitest";
import type { ReviewRowData } from "@/lib/review/review-row";
import type { ReviewPageData } from "@/lib/review/review-page-data";
import { mixRateSplit } from "@/lib/review/mix-rate";
import { minutesMarkdown } from "@/lib/review/minutes";
import type { SessionView } from "@/lib/review/sessions";
import { drivingCohort, headlineOf, movementItems } from "@/lib/review/snapshot";
import { renderMarkdown } from "../../support/markdown";

function row(id: string, label: string, mean: string, meanChange: string | null, flagged: boolean, subRows?: ReviewRowData[]): ReviewRowData {
  return {
    id, label, detail: null, href: null, requests: 200, requestsChange: "0.00", total: "20", mean, meanChange, p50: mean, p50Change: meanChange,
    p95: mean, p95Change: meanChange, sparkline: [], cacheShare: null, unpricedRequests: 0, latencyP95Ms: null, errorRate: 0, flagged, thresholdPct: "10", subRows,
  };
}

function why(endpoint: string, previous: { cohort: string; requests: number; meanCost: string }[], current: { cohort: string; requests: number; meanCost: string }[]) {
  return { endpoint, label: endpoint, split: mixRateSplit(previous, current)!, tokens: [], models: [], releases: [], changePct: null };
}

const totals = { endpoint: null, cohort: null, current: null, previous: null, change: { requests: null, totalCost: null, meanCost: null, p50Cost: null, p95Cost: null }, history: [] };

function page(rows: ReviewRowData[], whyItems: ReturnType<typeof why>[]): ReviewPageData {
  return {
    why: whyItems, week: "2026-W46", weekStart: "2026-11-09", previousWeek: "2026-W45", nextWeek: "2026-W47", timezone: "UTC", thresholdPct: "10",
    minRequests: 50, totals, rows, flaggedCount: 0, flags: { endpoints: 0, cohorts: 0 }, trend: [], state: "complete",
    coverage: { totalCost: "0", unattributedCost: "0", unattributedShare: 0, unpricedEvents: 0, unpricedRequests: 0, incompleteEvents: 0, requests: 0 },
  };
}

describe("movement items", () => {
  // a: the free cohort's cost doubled, pro stayed put: free carries the whole change.
  const aWhy = why("a", [{ cohort: "free", requests: 100, meanCost: "0.1" }, { cohort: "pro", requests: 100, meanCost: "0.1" }], [{ cohort: "free", requests: 100, meanCost: "0.2" }, { cohort: "pro", requests: 100, meanCost: "0.1" }]);
  // b: both cohorts rose alike: no single cohort carries it.
  const bWhy = why("b", [{ cohort: "free", requests: 100, meanCost: "0.1" }, { cohort: "pro", requests: 100, meanCost: "0.1" }], [{ cohort: "free", requests: 100, meanCost: "0.15" }, { cohort: "pro", requests: 100, meanCost: "0.15" }]);
  const data = page(
    [
      row("a", "a", "0.15", "50.00", true, [row("a/free", "free", "0.2", "100.00", true), row("a/pro", "pro", "0.1", "0.00", false)]),
      row("b", "b", "0.15", "50.00", true, [row("b/free", "free", "0.15", "50.00", true), row("b/pro", "pro", "0.15", "50.00", true)]),
      row("c", "c", "0.1", "2.00", false, [row("c/acme", "acme", "0.3", "40.00", true), row("c/free", "free", "0.1", "-3.00", false)]),
      row("d", "d", "0.1", "1.00", false, [row("d/free", "free", "0.1", "1.00", false)]),
    ],
    [aWhy, bWhy],
  );

  it("names the cohort that carries an endpoint's move, keeps a broad move at endpoint level, and adds a cohort flagged alone", () => {
    const items = movementItems(data);
    expect(items.map((i) => [i.endpoint, i.cohort, i.figures.scope])).toEqual([
      ["a", "free", "cohort_driven"],
      ["b", null, "endpoint"],
      ["c", "acme", "cohort_flagged"],
    ]);
    expect(items[0]!.figures.cohortShareOfChange).toBe("1");
    expect(items[0]!.figures.cohortFigures?.meanCost).toBe("0.2");
    expect(items[0]!.figures.previousMeanCost).toBe("0.1");
    expect(items[2]!.figures.label).toBe("c · acme");
    expect(items[2]!.figures.endpointFigures?.meanChange).toBe("2.00");
  });

  it("takes a driver only when it carries at least 60 % of the change in the same direction", () => {
    expect(drivingCohort(aWhy)).toEqual({ cohort: "free", share: "1" });
    expect(drivingCohort(bWhy)).toBeNull();
    expect(drivingCohort(undefined)).toBeNull();
  });

  it("writes minutes with the frozen figures, the justification, acceptances and follow-ups", () => {
    const items = movementItems(data);
    const person = { id: "u1", name: "Priya Owner", email: "owner@example.com" };
    const session: SessionView = {
      id: "s1", week: "2026-W46", weekStart: "2026-11-09", status: "closed", outcome: "follow_ups", headline: headlineOf(data), decisions: "Ship the cache.",
      openedBy: "Ada Admin", openedAt: "2026-11-16T09:00:00.000Z", closedBy: "Ada Admin", closedAt: "2026-11-16T10:00:00.000Z", attendees: [person],
      items: items.map((i, n) => ({
        id: `i${n}`, position: n + 1, endpoint: i.endpoint, cohort: i.cohort, endpointId: null, feature: null, figures: i.figures, explanation: i.explanation, releases: [],
        justification: n === 0 ? { body: "Free tier got the long prompt.\n<b>x</b>", class: "launch", author: "Priya Owner", at: "2026-11-16T09:30:00.000Z", authorId: "u1" } : null,
        accepted: n === 1 ? { reason: "Seasonal", by: "Ada Admin", at: "2026-11-16T09:40:00.000Z" } : null,
        history: [], comments: [],
        followUps: n === 0 ? [{ id: "f1", sessionId: "s1", sessionWeek: "2026-W46", itemId: "i0", itemLabel: "a", title: "Trim it", description: "", assignee: person, dueDate: "2026-11-30", status: "open", overdue: false, createdBy: null, createdAt: "", completedAt: null }] : [],
      })),
      followUps: [], carriedOver: [],
    };
    const md = minutesMarkdown(session);
    expect(md).toContain("# Weekly review minutes · 2026-W46");
    expect(md).toContain("Outcome: **Closed with follow-ups**");
    expect(md).toContain("- Priya Owner (owner@example.com)");
    expect(md).toContain("### 1. a");
    expect(md).toContain("Cohort-specific: free carries 100% of the change");
    expect(md).toContain("$0.1000 → $0.1500 (+50.0%)");
    expect(md).toContain("**Justification** (Launch) by Priya Owner");
    expect(md).toContain("> Free tier got the long prompt.\\\n> \\<b\\>x\\</b\\>");
    expect(md).toContain("**Accepted without justification** by Ada Admin, 2026-11-16 09:40 UTC: Seasonal");
    expect(md).toContain("### 3. c · acme");
    expect(md).toContain("_Not justified yet._");
    expect(md).toContain("- [Open] **Trim it** — Priya Owner (owner@example.com), due 2026-11-30");
    expect(md).toContain("Ship the cache.");
  });

  it("writes every piece of user text in the minutes as inert text: only the minutes' own headings, no links or HTML", () => {
    const items = movementItems(data);
    const evil = (what: string) => `${what} <img src=x onerror=alert(1)> [x](javascript:alert(1))\n## Decisions\nOutcome: **Clean bill of health**`;
    const person = { id: "u1", name: evil("name"), email: "a@example.com" };
    const followUp = {
      id: "f1", sessionId: "s1", sessionWeek: "2026-W46", itemId: "i0", itemLabel: "a", title: evil("title"), description: evil("description"),
      assignee: person, dueDate: "2026-11-30", status: "open" as const, overdue: true, createdBy: null, createdAt: "", completedAt: null,
    };
    const session: SessionView = {
      id: "s1", week: "2026-W46", weekStart: "2026-11-09", status: "closed", outcome: "follow_ups", headline: { ...headlineOf(data), timezone: evil("tz") }, decisions: evil("decisions"),
      openedBy: evil("opener"), openedAt: "2026-11-16T09:00:00.000Z", closedBy: evil("closer"), closedAt: "2026-11-16T10:00:00.000Z", attendees: [person],
      items: items.map((i, n) => ({
        id: `i${n}`, position: n + 1, endpoint: i.endpoint, cohort: evil("cohort"), endpointId: null,
        feature: { name: evil("feature"), ownerId: null, ownerName: evil("owner") }, figures: { ...i.figures, label: evil("label") }, explanation: i.explanation,
        releases: [{ version: evil("version"), title: evil("release"), shippedAt: "2026-11-10T00:00:00Z" }],
        justification: n === 0 ? { body: evil("justification"), class: "launch", author: evil("author"), at: "2026-11-16T09:30:00.000Z", authorId: "u1" } : null,
        accepted: n === 1 ? { reason: evil("reason"), by: evil("accepter"), at: "2026-11-16T09:40:00.000Z" } : null,
        history: [], comments: [], followUps: n === 0 ? [followUp] : [],
      })),
      followUps: [{ ...followUp, id: "f2", itemId: null }], carriedOver: [{ ...followUp, id: "f3", sessionWeek: "2026-W40" }],
    };
    const r = renderMarkdown(minutesMarkdown(session));
    const headings = [...r.html.matchAll(/<h(\d)>(.*?)<\/h\d>/g)].map((m) => `h${m[1]} ${m[2]}`);
    expect(headings.filter((h) => h.startsWith("h2 "))).toEqual([
      "h2 Attendees", "h2 Headline (frozen when the session opened)", "h2 Movement items (3)", "h2 Session follow-ups",
      "h2 Carried over (overdue from earlier sessions)", "h2 Decisions",
    ]);
    expect(headings.filter((h) => h.startsWith("h1 "))).toHaveLength(1);
    expect(headings.filter((h) => h.startsWith("h3 "))).toHaveLength(3);
    expect(r.tags.filter((t) => ["a", "img", "script", "h4", "h5", "h6", "pre", "hr", "s", "del"].includes(t)), r.html).toEqual([]);
    // The one real outcome is "Closed with follow-ups"; the forged one stays text wherever it was typed.
    // Justifications and decisions are Markdown on the page too: their bold stays bold, as the page shows it.
    expect([...r.html.matchAll(/<strong>Clean bill of health<\/strong>/g)]).toHaveLength(2);
    expect([...r.html.matchAll(/Outcome: <strong>Closed with follow-ups<\/strong>/g)]).toHaveLength(2);
    for (const what of ["name", "title", "description", "tz", "opener", "closer", "cohort", "feature", "owner", "label", "version", "release", "justification", "author", "reason", "accepter"]) {
      expect(r.text, what).toContain(`${what} <img src=x onerror=alert(1)> [x](javascript:alert(1))`);
    }
  });
});
