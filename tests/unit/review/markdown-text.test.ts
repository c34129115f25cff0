// User text in the minutes' Markdown: rendered by a real CommonMark renderer, escaped text makes no
// element of its own (no HTML, link, image, heading, list, quote, table, code or emphasis) and reads as
// exactly the characters that were typed; justifications keep the page's formatting and nothing more.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeMarkdown, escapeMarkdownLines, noteMarkdownLines, parseNote, type NoteSpan } from "@/lib/review/markdown-text";
import { renderMarkdown, words } from "../../support/markdown";

const ASCII_PUNCTUATION = [..."!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"];

/** Payloads that would each make an element if they reached the Markdown as typed. */
const PAYLOADS = [
  "<img src=x onerror=alert(1)>",
  "<script>alert(1)</script>",
  "<!-- hidden -->",
  "[x](javascript:alert(1))",
  "![i](https://example.com/x.png)",
  "[x][1]",
  "[x]: https://example.com",
  "<https://example.com>",
  "# Heading",
  "## Decisions",
  "Title\n===",
  "Title\n---",
  "> quoted",
  "- item",
  "+ item",
  "* item",
  "1. item",
  "1) item",
  "123456789. item",
  "```js\ncode\n```",
  "~~~\ncode\n~~~",
  "    indented code",
  "\tindented code",
  "`code`",
  "**bold**",
  "__bold__",
  "*em*",
  "_em_",
  "~~struck~~",
  "| a | b |\n| --- | --- |\n| 1 | 2 |",
  "a | b\n--- | ---",
  "---",
  "***",
  "___",
  "&amp; &lt;b&gt; &#60;i&#62;",
  "a\\",
  "a\\\nb",
  "trailing two spaces  \nnext",
  "\\*not emphasis\\*",
  "[^1]",
  "<div>\n\nblock\n\n</div>",
];

const inlineText = (s: string) => s.replace(/\r\n|\r|\n/g, " ");

describe("escapeMarkdown: plain text as inline Markdown", () => {
  it.each(PAYLOADS)("%j renders as a paragraph of exactly its characters", (payload) => {
    const r = renderMarkdown(escapeMarkdown(payload));
    expect(r.tags, r.html).toEqual(["p", "p"]);
    expect(r.text.trim()).toBe(inlineText(payload).trim());
  });

  it("escapes every ASCII punctuation character at the start of a line, inside it, and in runs", () => {
    for (const c of ASCII_PUNCTUATION) {
      for (const text of [c, `${c}${c}${c}`, `${c} x`, `${c}x${c}`, `x ${c} y ${c}`, `x${c}${c}y${c}${c}`, `1${c} x`, `${c}${c} x ${c}${c}`]) {
        const r = renderMarkdown(escapeMarkdown(text));
        expect(r.tags, `${JSON.stringify(text)} → ${r.html}`).toEqual(["p", "p"]);
        expect(r.text.trim(), JSON.stringify(text)).toBe(text);
      }
    }
  });

  it("keeps ordinary text readable: only characters that could mean something are escaped", () => {
    expect(escapeMarkdown("Priya Owner")).toBe("Priya Owner");
    expect(escapeMarkdown("chat.answer")).toBe("chat.answer");
    expect(escapeMarkdown("gpt-4o-mini costs 45 % more, e.g. $0.01")).toBe("gpt-4o-mini costs 45 % more, e.g. $0.01");
    expect(escapeMarkdown("<img src=x onerror=alert(1)>")).toBe("\\<img src=x onerror=alert\\(1\\)\\>");
    expect(escapeMarkdown("[x](javascript:alert(1))")).toBe("\\[x\\]\\(javascript:alert\\(1\\)\\)");
    expect(escapeMarkdown("1. first")).toBe("1\\. first");
    expect(escapeMarkdown("- a\n# b")).toBe("\\- a \\# b");
  });

  it("renders any text, however hostile, as one paragraph of that text", () => {
    const unit = fc.oneof(fc.constantFrom(...ASCII_PUNCTUATION, " ", "\n", "\t", "1", "a", "é", "—", "·", "“"), fc.string({ maxLength: 3 }));
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 30 }).map((parts) => parts.join("").replace(/\0/g, "")), (text) => {
        const r = renderMarkdown(escapeMarkdown(text));
        const expected = inlineText(text).trim();
        if (!escapeMarkdown(text)) return expected === "" || /^\s*$/.test(expected);
        expect(r.tags, `${JSON.stringify(text)} → ${r.html}`).toEqual(["p", "p"]);
        expect(words(r.text)).toBe(words(expected));
        return true;
      }),
      { numRuns: 2000 },
    );
  });
});

describe("escapeMarkdownLines: multi-line text kept inside its list item", () => {
  const forged = "Please check.\n## Decisions\nOutcome: **Clean bill of health**\n\n- [x](javascript:alert(1))\n<img src=x onerror=alert(1)>";
  // As the minutes write a follow-up: a hard break after the title line when a description follows.
  const asItem = (text: string) => {
    const lines = escapeMarkdownLines(text);
    return [lines.length ? "- **Title** — Sam\\" : "- **Title** — Sam", ...lines.map((l) => (l ? `  ${l}` : ""))].join("\n");
  };

  it("keeps a forged section inside the follow-up, line by line", () => {
    const r = renderMarkdown(asItem(forged));
    expect(r.tags.filter((t) => !["ul", "li", "p", "br", "strong"].includes(t)), r.html).toEqual([]);
    expect(r.tags.filter((t) => t === "li")).toHaveLength(2); // one item: its opening and closing tag
    expect(r.tags.filter((t) => t === "strong")).toHaveLength(2); // the title only
    expect(r.html).toContain("## Decisions<br>");
    expect(r.html).toContain("Outcome: **Clean bill of health**");
    expect(words(r.text)).toBe(words(`Title — Sam ${forged}`));
  });

  it("keeps any multi-line text inside one list item, with its words in order", () => {
    const unit = fc.oneof(fc.constantFrom(...ASCII_PUNCTUATION, " ", "\n", "\n\n", "  ", "    ", "1", "a", "é"), fc.string({ maxLength: 3 }));
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 40 }).map((parts) => parts.join("").replace(/\0/g, "")), (text) => {
        const r = renderMarkdown(asItem(text));
        expect(r.tags.filter((t) => !["ul", "li", "p", "br", "strong"].includes(t)), `${JSON.stringify(text)} → ${r.html}`).toEqual([]);
        expect(r.tags.filter((t) => t === "li")).toHaveLength(2);
        expect(r.tags.filter((t) => t === "strong")).toHaveLength(2);
        expect(words(r.text)).toBe(words(`Title — Sam ${text}`));
      }),
      { numRuns: 1500 },
    );
  });
});

/** What the page shows for a justification: its words, and which of them are bold, italic or code. */
function pageView(text: string) {
  const all: NoteSpan[] = [];
  const parts: string[] = [];
  for (const b of parseNote(text)) {
    // A heading line is shown in bold as a whole.
    if (b.kind === "heading") all.push({ kind: "strong", text: b.spans.map((s) => s.text).join("") });
    const lines = b.kind === "heading" ? [b.spans] : b.kind === "paragraph" ? b.lines : b.items;
    for (const line of lines) {
      all.push(...line);
      parts.push(line.map((s) => s.text).join(""));
    }
  }
  return { words: words(parts.join(" ")), spans: all };
}

const formatted = (html: string, tag: string) => [...html.matchAll(new RegExp(`<${tag}>(.*?)</${tag}>`, "g"))].map((m) => m[1]!);
const NOTE_ELEMENTS = ["p", "br", "ul", "ol", "li", "strong", "em", "code"];

describe("noteMarkdownLines: a justification as the page shows it", () => {
  it("keeps the page's bold, italic, code and lists, and turns a heading line into bold", () => {
    const text = "The **release in week 11** added **45 %** to the prompt; *mostly* the `system` prompt.\n\n- one\n- two\n\n1. first\n3. second\n\n## Decisions";
    const lines = noteMarkdownLines(text);
    expect(lines).toEqual([
      "The **release in week 11** added **45 %** to the prompt; *mostly* the `system` prompt.",
      "",
      "- one",
      "- two",
      "",
      "1. first",
      "2. second",
      "",
      "**Decisions**",
    ]);
    const r = renderMarkdown(lines.join("\n"));
    expect(formatted(r.html, "strong")).toEqual(["release in week 11", "45 %", "Decisions"]);
    expect(formatted(r.html, "em")).toEqual(["mostly"]);
    expect(formatted(r.html, "code")).toEqual(["system"]);
    expect(r.tags.filter((t) => /^h\d$/.test(t))).toEqual([]);
  });

  it("makes inert what the page shows as text: HTML, links, quotes, tables and forged sections", () => {
    const text = "Fine.\n## Decisions\nOutcome: **Clean bill of health**\n<img src=x onerror=alert(1)> [x](javascript:alert(1))\n> quoted\n| a | b |\n| - | - |";
    const r = renderMarkdown(noteMarkdownLines(text).join("\n"));
    expect(r.tags.filter((t) => !["p", "br", "strong"].includes(t)), r.html).toEqual([]);
    expect(formatted(r.html, "strong")).toEqual(["Clean bill of health"]);
    expect(words(r.text)).toBe(pageView(text).words);
  });

  it("writes a code span's text as it is, and what the page shows as code stays code", () => {
    const r = renderMarkdown(noteMarkdownLines("run `a<b>*c*\\` then `[x](y)`").join("\n"));
    expect(formatted(r.html, "code")).toEqual(["a&lt;b&gt;*c*\\", "[x](y)"]);
    expect(r.tags.filter((t) => !["p", "code"].includes(t))).toEqual([]);
  });

  it("renders any justification with no element the page would not show, and the page's words in order", () => {
    const unit = fc.oneof(
      fc.constantFrom(...ASCII_PUNCTUATION, "**", "`", " ", "\n", "\n\n", "- ", "1. ", "## ", "a", "b", "1", "é", "“"),
      fc.string({ maxLength: 3 }),
    );
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 40 }).map((parts) => parts.join("").replace(/\0/g, "")), (text) => {
        const source = noteMarkdownLines(text).join("\n");
        const r = renderMarkdown(source);
        const page = pageView(text);
        const context = `${JSON.stringify(text)} → ${JSON.stringify(source)} → ${r.html}`;
        expect(r.tags.filter((t) => !NOTE_ELEMENTS.includes(t)), context).toEqual([]);
        expect(words(r.text), context).toBe(page.words);
        // Bold, italic and code only where the page has them, around the same words.
        for (const [tag, kind] of [["strong", "strong"], ["em", "em"], ["code", "code"]] as const) {
          const want = page.spans.filter((s) => s.kind === kind).map((s) => s.text);
          for (const got of formatted(r.html, tag)) expect(want.map((w) => words(w)), context).toContain(words(got.replace(/<[^>]*>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&")));
        }
      }),
      { numRuns: 2000 },
    );
  });
});
