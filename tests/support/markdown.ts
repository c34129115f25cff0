// A CommonMark renderer (markdown-it, with its GFM tables and strikethrough, raw HTML passed through) to
// check what a Markdown document turns into: which elements it makes and what text a reader sees.
import MarkdownIt from "markdown-it";

const md = new MarkdownIt("default", { html: true, linkify: false });

export type Rendered = { html: string; tags: string[]; text: string };

export function renderMarkdown(source: string): Rendered {
  const html = md.render(source);
  const tags = [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => m[1]!.toLowerCase());
  // Inline elements join the words around them; blocks and line breaks separate them.
  const text = html.replace(/<\/?(?:strong|em|code|a|s|del|span|b|i)\b[^>]*>/g, "").replace(/<[^>]*>/g, " ");
  return { html, tags, text: decodeHtml(text) };
}

/** The text of an HTML fragment as markdown-it escapes it (&amp; last, so "&amp;lt;" stays "&lt;"). */
export function decodeHtml(html: string): string {
  return html.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
}

/** Text compared the way a reader sees it: runs of whitespace are one space, none at the ends. */
export const words = (text: string) => text.replace(/\s+/g, " ").trim();

/** The elements of the document, in order, without repeats of the same element in a row. */
export const elementsOf = (r: Rendered) => [...new Set(r.tags)].sort();
