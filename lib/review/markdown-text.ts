// User text in Markdown. Plain text (names, titles, descriptions, reasons) is escaped so that a Markdown
// renderer shows exactly the characters that were typed: no HTML, links, images, headings, lists, quotes,
// tables, code or emphasis can form. Justifications and decisions are written in a small Markdown dialect
// (paragraphs, bullet and numbered lists, a heading line, **bold**, *italic*, `code`); it is parsed here
// once, for the pages to render (components/workflow/markdown.tsx) and for the minutes export to write
// back out with every piece of its text escaped, so the download reads as the page shows it.

/** CommonMark's whitespace and punctuation (Unicode P and S), which decide where `*` may open or close. */
const WHITESPACE = /[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/;
const PUNCTUATION = /[\p{P}\p{S}]/u;

/** Characters that mean something anywhere in a line: escaped wherever they appear. */
const INLINE_SPECIAL = /[\\`*_[\]()!<>&|~#]/g;
const LINE_BREAK = /\r\n|\r|\n/g;

/**
 * One piece of plain text as inline Markdown that renders as exactly that text. Line breaks become
 * spaces (as they do on the page, where the text is inline), surrounding whitespace is dropped, and what
 * could start a block at the beginning of a line (`-`, `+`, `=`, `1.`) is escaped too, so the result is
 * safe anywhere in a line.
 */
export function escapeMarkdown(text: string): string {
  return atLineStart(escapeInline(text));
}

/**
 * Multi-line plain text (a follow-up's description) as Markdown lines that keep its line breaks: lines of
 * one paragraph end in a hard break, an empty line separates paragraphs (returned as ""). The caller puts
 * every line under the same prefix (an indent or "> ") so the text stays inside its block.
 */
export function escapeMarkdownLines(text: string): string[] {
  return joinParagraphs(text.split(LINE_BREAK).map((line) => (line.trim() ? escapeMarkdown(line) : "")));
}

/** Non-empty lines in runs: hard breaks inside a run (a trailing backslash), one "" between runs. */
function joinParagraphs(lines: string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    if (!line) {
      if (out.length && out[out.length - 1] !== "") out.push("");
      continue;
    }
    if (out.length && out[out.length - 1] !== "") out[out.length - 1] += "\\";
    out.push(line);
  }
  if (out[out.length - 1] === "") out.pop();
  return out;
}

export type NoteSpan = { kind: "text" | "strong" | "em" | "code"; text: string };
export type NoteBlock =
  | { kind: "bullets"; items: NoteSpan[][] }
  | { kind: "numbered"; items: NoteSpan[][] }
  | { kind: "heading"; spans: NoteSpan[] }
  | { kind: "paragraph"; lines: NoteSpan[][] };

const SPAN = /(\*\*[^*]+\*\*|`[^`]+`|\*[^*\s][^*]*\*)/g;
const BULLET = /^\s*[-*]\s+/;
const NUMBERED = /^\s*\d+[.)]\s+/;
const HEADING = /^(#{1,6})\s+(.*)$/;

function spans(text: string): NoteSpan[] {
  const out: NoteSpan[] = [];
  let last = 0;
  for (const m of text.matchAll(SPAN)) {
    if (m.index > last) out.push({ kind: "text", text: text.slice(last, m.index) });
    const t = m[0];
    if (t.startsWith("**")) out.push({ kind: "strong", text: t.slice(2, -2) });
    else if (t.startsWith("`")) out.push({ kind: "code", text: t.slice(1, -1) });
    else out.push({ kind: "em", text: t.slice(1, -1) });
    last = m.index + t.length;
  }
  if (last < text.length) out.push({ kind: "text", text: text.slice(last) });
  return out;
}

/** A justification or decision as the pages show it: blocks split at blank lines. */
export function parseNote(text: string): NoteBlock[] {
  const blocks = text.replace(/\r\n/g, "\n").split(/\n{2,}/).filter((b) => b.trim());
  return blocks.map((block): NoteBlock => {
    const lines = block.split("\n");
    if (lines.every((l) => BULLET.test(l))) return { kind: "bullets", items: lines.map((l) => spans(l.replace(BULLET, ""))) };
    if (lines.every((l) => NUMBERED.test(l))) return { kind: "numbered", items: lines.map((l) => spans(l.replace(NUMBERED, ""))) };
    const heading = HEADING.exec(lines[0]!);
    if (heading && lines.length === 1) return { kind: "heading", spans: spans(heading[2]!) };
    return { kind: "paragraph", lines: lines.map((l) => spans(l)) };
  });
}

/**
 * One line of spans as inline Markdown. Text is escaped; bold, italic and code keep their markers only
 * where a CommonMark renderer reads them as such (otherwise the words are written plainly, never lost),
 * and never right after another span's markers, where the two runs would merge.
 */
function spansMarkdown(line: NoteSpan[]): string {
  const asCode = (s: NoteSpan | undefined) => s?.kind === "code" && !/^\s|\s$/.test(s.text);
  let out = "";
  let ends: "text" | "*" | "`" = "text";
  line.forEach((s, i) => {
    const body = escapeInline(s.text);
    if (s.kind === "text") {
      out += body;
      ends = "text";
    } else if (s.kind === "code") {
      const wrap = asCode(s) && ends !== "`";
      out += wrap ? `\`${s.text}\`` : body;
      ends = wrap ? "`" : "text";
    } else {
      const next = line[i + 1];
      const after = next === undefined ? "" : asCode(next) ? "`" : escapeInline(next.text).charAt(0);
      const wrap = ends !== "*" && canOpen(out.charAt(out.length - 1), body.charAt(0)) && canClose(body.charAt(body.length - 1), after);
      const marker = s.kind === "strong" ? "**" : "*";
      out += wrap ? `${marker}${body}${marker}` : body;
      ends = wrap ? "*" : "text";
    }
  });
  return atLineStart(out);
}

/** Escapes text inside a line, keeping its spaces. */
const escapeInline = (text: string) => text.replace(LINE_BREAK, " ").replace(INLINE_SPECIAL, (c) => `\\${c}`);
/** Trims a line and escapes what would start a block there (the inline specials are escaped already). */
const atLineStart = (line: string) => line.trim().replace(/^[-+=]/, (c) => `\\${c}`).replace(/^(\d+)\./, "$1\\.");

const isSpace = (c: string) => c === "" || WHITESPACE.test(c);
const isPunct = (c: string) => c !== "" && PUNCTUATION.test(c);
/** A `*` run opens when left-flanking: not followed by whitespace, and not punctuation after a word. */
const canOpen = (before: string, first: string) => !isSpace(first) && (!isPunct(first) || isSpace(before) || isPunct(before));
/** …and closes when right-flanking. */
const canClose = (last: string, after: string) => !isSpace(last) && (!isPunct(last) || isSpace(after) || isPunct(after));

/** A justification or decision as Markdown lines, block by block; "" between blocks. */
export function noteMarkdownLines(text: string): string[] {
  const out: string[] = [];
  for (const block of parseNote(text)) {
    if (out.length) out.push("");
    if (block.kind === "bullets") out.push(...block.items.map((item) => `- ${spansMarkdown(item)}`.trimEnd()));
    else if (block.kind === "numbered") out.push(...block.items.map((item, n) => `${n + 1}. ${spansMarkdown(item)}`.trimEnd()));
    else if (block.kind === "heading") out.push(headingMarkdown(block.spans));
    else out.push(...joinParagraphs(block.lines.map(spansMarkdown)));
  }
  return out;
}

/** The pages show a heading line as a bold paragraph (the minutes' own headings stay the only headings). */
function headingMarkdown(line: NoteSpan[]): string {
  const text = spansMarkdown(line);
  if (line.length === 1 && line[0]!.kind === "text" && text && canOpen("", text.charAt(0)) && canClose(text.charAt(text.length - 1), "")) return `**${text}**`;
  return text;
}
