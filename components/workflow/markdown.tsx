// A small, safe Markdown renderer for justifications and comments: paragraphs, bullet and numbered
// lists, headings, **bold**, *italic* and `code` (parsed by lib/review/markdown-text.ts, which the
// minutes export shares). Everything becomes React text nodes, so HTML in the source shows as text and is
// never injected.
import type { ReactNode } from "react";
import { parseNote, type NoteSpan } from "@/lib/review/markdown-text";

function inline(spans: NoteSpan[], key: string): ReactNode[] {
  return spans.map((s, n) => {
    const k = `${key}-${n}`;
    if (s.kind === "strong") return <strong key={k}>{s.text}</strong>;
    if (s.kind === "code") return <code key={k} className="rounded bg-slate-100 px-1 font-mono text-[0.9em]">{s.text}</code>;
    if (s.kind === "em") return <em key={k}>{s.text}</em>;
    return s.text;
  });
}

export function Markdown({ text, className = "" }: { text: string; className?: string }) {
  return (
    <div className={`space-y-2 ${className}`}>
      {parseNote(text).map((block, bi) => {
        if (block.kind === "bullets") return <ul key={bi} className="list-disc pl-5">{block.items.map((item, li) => <li key={li}>{inline(item, `${bi}-${li}`)}</li>)}</ul>;
        if (block.kind === "numbered") return <ol key={bi} className="list-decimal pl-5">{block.items.map((item, li) => <li key={li}>{inline(item, `${bi}-${li}`)}</li>)}</ol>;
        if (block.kind === "heading") return <p key={bi} className="font-semibold">{inline(block.spans, `${bi}`)}</p>;
        return (
          <p key={bi} className="whitespace-pre-wrap">
            {block.lines.flatMap((line, li) => (li ? ["\n", ...inline(line, `${bi}-${li}`)] : inline(line, `${bi}-${li}`)))}
          </p>
        );
      })}
    </div>
  );
}
