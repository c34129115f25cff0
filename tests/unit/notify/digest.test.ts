// The weekly digest's rendering (Markdown, email text and HTML, Slack Block Kit) and when it is due.
import { describe, expect, it } from "vitest";
import { digestBlocks, digestHtml, digestMarkdown, digestText, dueDigestWeek, type Digest } from "@/lib/notify/digest";
import { DEFAULT_DIGEST } from "@/lib/notify/schemas";

const base = "https://cost.example.com";
const digest = (over: Partial<Digest> = {}): Digest => ({
  week: "2026-W47",
  weekStart: "2026-11-16",
  timezone: "Europe/Berlin",
  subject: "Cost Review digest · 2026-W47: 1 flagged, 0 to justify, 0 overdue",
  link: `${base}/review/2026-W47`,
  sections: [
    { key: "headline", title: "Headline", empty: "No requests this week.", lines: [{ text: "Total cost $1,234.50 (+12.0%)", link: `${base}/review/2026-W47` }] },
    {
      key: "flagged",
      title: "Flagged endpoints (1)",
      empty: "No endpoint moved past the threshold.",
      lines: [{ text: "chat-<b>[x](javascript:alert(1)): mean $0.12", detail: "Why it moved: mix $0.01, rate $0.02 per request; by cohort: free & co $0.02", link: `${base}/endpoints/e1` }],
    },
    { key: "releases", title: "Releases needing a justification (0)", empty: "No release waits for a justification.", lines: [] },
  ],
  data: {},
  ...over,
});

describe("digest rendering", () => {
  it("Markdown: headings per part, each line with its link, user text escaped, empty parts say so", () => {
    const md = digestMarkdown(digest());
    expect(md).toContain("# Cost Review digest · 2026-W47");
    expect(md).toContain("## Flagged endpoints (1)");
    expect(md).toContain(`— <${base}/endpoints/e1>`);
    expect(md).toContain("Why it moved: mix $0.01, rate $0.02 per request");
    // The endpoint name cannot make a link or HTML of its own.
    expect(md).not.toContain("[x](javascript");
    expect(md).not.toContain("<b>");
    expect(md).toContain("No release waits for a justification.");
  });

  it("email text part: every line followed by its absolute link", () => {
    const text = digestText(digest(), "Unsubscribe: https://x");
    expect(text).toContain(`- Total cost $1,234.50 (+12.0%)\n  ${base}/review/2026-W47`);
    expect(text).toContain("FLAGGED ENDPOINTS (1)");
    expect(text.trimEnd().endsWith("Unsubscribe: https://x")).toBe(true);
  });

  it("email HTML part: escaped text inside links", () => {
    const html = digestHtml(digest(), `<p><a href="${base}/u?t=a&amp;b">Stop these emails</a></p>`);
    expect(html).toContain(`<a href="${base}/endpoints/e1">chat-&lt;b&gt;[x](javascript:alert(1)): mean $0.12</a>`);
    expect(html).not.toContain("<b>");
    expect(html).toContain("free &amp; co");
    expect(html).toContain(`href="${base}/u?t=a&amp;b"`);
  });

  it("Slack: a header, a section per part, links as <url|text> with &, <, > escaped", () => {
    const blocks = digestBlocks(digest()) as { type: string; text?: { type: string; text: string } }[];
    expect(blocks[0]).toEqual({ type: "header", text: { type: "plain_text", text: "Cost Review digest · 2026-W47", emoji: false } });
    const sections = blocks.filter((b) => b.type === "section").map((b) => b.text!.text);
    expect(sections).toHaveLength(3);
    expect(sections[1]).toContain(`<${base}/endpoints/e1|chat-&lt;b&gt;[x](javascript:alert(1)): mean $0.12>`);
    expect(sections[1]).toContain("free &amp; co");
    expect(sections[2]).toContain("No release waits for a justification.");
  });

  it("Slack: a long part stays within a section's 3000 characters and says how many more there are", () => {
    const lines = Array.from({ length: 200 }, (_, i) => ({ text: `endpoint-${i} moved a lot this week`, link: `${base}/endpoints/${i}` }));
    const blocks = digestBlocks(digest({ sections: [{ key: "flagged", title: "Flagged endpoints (200)", empty: "", lines }] })) as { type: string; text?: { text: string } }[];
    const text = blocks.find((b) => b.type === "section")!.text!.text;
    expect(text.length).toBeLessThanOrEqual(3000);
    const shown = (text.match(/endpoint-\d+ moved/g) ?? []).length;
    expect(shown).toBeGreaterThan(10);
    expect(text).toContain(`…and ${200 - shown} more in Cost Review`);
  });
});

describe("when the digest is due", () => {
  const monday8 = { ...DEFAULT_DIGEST };
  it("from the set weekday and hour in the organisation's time zone, for the last complete week", () => {
    // Monday 2026-11-23 07:59 in Berlin (06:59 UTC): not yet; 08:00 Berlin (07:00 UTC): the week of 16 November.
    expect(dueDigestWeek(new Date("2026-11-23T06:59:00Z"), "Europe/Berlin", monday8)).toBeNull();
    expect(dueDigestWeek(new Date("2026-11-23T07:00:00Z"), "Europe/Berlin", monday8)).toBe("2026-11-16");
    // Later that week it is still due (a restart catches up; the idempotency keys keep it to once).
    expect(dueDigestWeek(new Date("2026-11-28T22:00:00Z"), "Europe/Berlin", monday8)).toBe("2026-11-16");
    // 22:30 UTC on Sunday is 23:30 Sunday in Berlin: still the same week.
    expect(dueDigestWeek(new Date("2026-11-29T22:30:00Z"), "Europe/Berlin", monday8)).toBe("2026-11-16");
    // 23:30 UTC Sunday is 00:30 Monday in Berlin: a new week, its digest not due before 08:00.
    expect(dueDigestWeek(new Date("2026-11-29T23:30:00Z"), "Europe/Berlin", monday8)).toBeNull();
  });

  it("another weekday and hour; disabled: never", () => {
    const thursday14 = { enabled: true, day: 4, hour: 14 };
    expect(dueDigestWeek(new Date("2026-11-25T15:00:00Z"), "UTC", thursday14)).toBeNull();
    expect(dueDigestWeek(new Date("2026-11-26T13:59:00Z"), "UTC", thursday14)).toBeNull();
    expect(dueDigestWeek(new Date("2026-11-26T14:00:00Z"), "UTC", thursday14)).toBe("2026-11-16");
    expect(dueDigestWeek(new Date("2026-11-26T14:00:00Z"), "UTC", { ...thursday14, enabled: false })).toBeNull();
  });
});
