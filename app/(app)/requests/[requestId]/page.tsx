import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requirePage } from "@/lib/auth/session";
import type { RequestEvent } from "@/lib/pricing/request-cost";
import { requestPageData } from "@/lib/pricing/page-data";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { formatCount, formatRatio, formatUsd, formatUtc } from "@/lib/format";
import { TableBox } from "@/components/ui/table-box";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Request cost" };

const TOKEN_LABELS: [keyof RequestEvent["tokens"], string][] = [
  ["inputTokens", "input"],
  ["cacheReadTokens", "cache read"],
  ["cacheWriteTokens", "cache write 5m"],
  ["cacheWrite1hTokens", "cache write 1h"],
  ["outputTokens", "output"],
  ["reasoningTokens", "reasoning"],
  ["toolOutputTokens", "tool output"],
];

function Tokens({ tokens }: { tokens: RequestEvent["tokens"] }) {
  const used = TOKEN_LABELS.filter(([k]) => tokens[k] > 0);
  if (!used.length) return <span className="text-slate-500">—</span>;
  return (
    <ul className="num text-xs">
      {used.map(([k, label]) => (
        <li key={k}>{tokens[k].toLocaleString("en-US")} {label}</li>
      ))}
    </ul>
  );
}

function Tags({ tags }: { tags: RequestEvent["tags"] }) {
  const set = Object.entries(tags).filter(([, v]) => v);
  if (!set.length) return <span className="text-amber-700">untagged</span>;
  return (
    <ul className="text-xs">
      {set.map(([k, v]) => (
        <li key={k}><span className="text-slate-500">{k}</span> <span className="font-mono">{v}</span></li>
      ))}
    </ul>
  );
}

/** The served tier, tool calls and modality counts, when the event has any. */
function BillParts({ e }: { e: RequestEvent }) {
  const parts: string[] = [];
  if (e.serviceTier) parts.push(`served: ${e.serviceTier}`);
  for (const [kind, n] of Object.entries(e.toolCalls ?? {})) parts.push(`${kind} × ${formatCount(n)}`);
  const m = e.modalityTokens;
  if (m.audioInputTokens) parts.push(`audio in ${formatCount(m.audioInputTokens)}`);
  if (m.imageInputTokens) parts.push(`image in ${formatCount(m.imageInputTokens)}`);
  if (m.audioOutputTokens) parts.push(`audio out ${formatCount(m.audioOutputTokens)}`);
  if (!parts.length) return null;
  return <div className="text-slate-500" data-testid="bill-parts">{parts.join(" · ")}</div>;
}

function PriceEntry({ e }: { e: RequestEvent }) {
  if (e.priceEntry) {
    const p = e.priceEntry;
    return (
      <div className="text-xs">
        <BillParts e={e} />
        {e.costSource === "incomplete" ? <div className="text-amber-700">{e.unpricedReason}</div> : null}
        <div className="font-mono">{p.provider}/{p.model ?? p.modelPattern} v{p.version}{p.retired ? " (retired)" : ""}</div>
        <div className="text-slate-500">{formatUtc(p.effectiveFrom)} → {p.effectiveTo ? formatUtc(p.effectiveTo) : "open-ended"}</div>
        <div className="text-slate-500">{p.source}</div>
        <div className="font-mono text-[10px] text-slate-500">{p.id}</div>
      </div>
    );
  }
  const text: Record<string, string> = {
    billed: "billed by the provider (sent with the event)",
    gpu: "GPU: the request's share of the pool-hour, below",
    none: "nothing to price",
  };
  if (e.costSource === "unpriced") return <span className="text-xs text-amber-700">{e.unpricedReason ?? "unpriced"}</span>;
  return <span className="text-xs text-slate-600">{text[e.costSource] ?? e.costSource}</span>;
}

function Component({ id, label, value, detail, strong }: { id: string; label: string; value: string; detail: string; strong?: boolean }) {
  return (
    <div className={`rounded-lg border p-4 ${strong ? "border-slate-900 bg-white" : "border-slate-200 bg-white"}`} data-testid={`component-${id}`}>
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className={`num mt-1 ${strong ? "text-2xl font-semibold" : "text-xl font-medium"}`} title={`$${value}`}>{formatUsd(value, { mode: "exact" })}</dd>
      <dd className="mt-1 text-xs text-slate-600">{detail}</dd>
    </div>
  );
}

export default async function RequestPage({ params }: { params: Promise<{ requestId: string }> }) {
  // Pages, unlike route handlers, get dynamic segments still percent-encoded.
  const raw = (await params).requestId;
  let requestId = raw;
  try {
    requestId = decodeURIComponent(raw);
  } catch {
    /* a malformed escape: look the id up as written */
  }
  await requirePage("review.read", `/requests/${encodeURIComponent(requestId)}`);
  const r = await requestPageData(requestId);
  if (!r) notFound();
  return (
    <>
      <PageHeader
        title={`Request ${r.requestId}`}
        description={`Fully-loaded cost of one request: direct + GPU + overhead. First event ${formatUtc(r.firstEventAt, true)} UTC${r.feature ? `, feature ${r.feature}` : ", no feature"}.`}
      />
      {!r.complete ? (
        <p role="alert" className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-amber-900" data-testid="incomplete">
          Incomplete: {r.total.note.replace(/^direct \+ GPU \+ overhead\. Incomplete: /, "the total ")}
        </p>
      ) : null}
      <dl className="mb-6 grid grid-cols-1 gap-3 sm:grid-cols-4" aria-label="Cost components">
        <Component id="direct" label="Direct" value={r.direct.costUsd} detail={`${r.direct.pricedEvents} of ${r.direct.events} non-GPU event${r.direct.events === 1 ? "" : "s"} priced`} />
        <Component id="gpu" label="GPU" value={r.gpu.costUsd} detail={`${r.gpu.shares.length} pool-hour share${r.gpu.shares.length === 1 ? "" : "s"}`} />
        <Component id="overhead" label={`Overhead ${r.overhead.percent}%`} value={r.overhead.costUsd} detail={r.overhead.note} />
        <Component id="total" label={r.complete ? "Total" : "Total (incomplete)"} value={r.total.costUsd} detail={r.total.note} strong />
      </dl>

      <Card title={`Events (${r.events.length})`}>
        <TableBox>
          <table className="w-full text-left" aria-label="Events">
            <thead className="text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="py-2 pr-4">Time (UTC)</th>
                <th className="py-2 pr-4">Kind</th>
                <th className="py-2 pr-4">Provider / model</th>
                <th className="py-2 pr-4">Tags</th>
                <th className="py-2 pr-4">Tokens</th>
                <th className="py-2 pr-4">Status</th>
                <th className="py-2 pr-4 text-right">Latency</th>
                <th className="py-2 pr-4 text-right">Cost</th>
                <th className="py-2 pr-4">Priced by</th>
              </tr>
            </thead>
            <tbody>
              {r.events.map((e) => (
                <tr key={e.id} className="border-t border-slate-100 align-top">
                  <td className="num py-2 pr-4 whitespace-nowrap">
                    {formatUtc(e.timestamp, true)}
                    <div className="font-mono text-[10px] text-slate-500">{e.id}</div>
                  </td>
                  <td className="py-2 pr-4">{e.kind}</td>
                  <td className="py-2 pr-4 font-mono text-xs">
                    {e.kind === "gpu" ? `pool ${e.pool}` : [e.provider, e.model].filter(Boolean).join("/") || "—"}
                    {e.kind === "gpu" && e.gpuSeconds !== null ? <div className="text-slate-500">{e.gpuSeconds} GPU s</div> : null}
                  </td>
                  <td className="py-2 pr-4"><Tags tags={e.tags} /></td>
                  <td className="py-2 pr-4"><Tokens tokens={e.tokens} /></td>
                  <td className="py-2 pr-4 whitespace-nowrap">
                    <span className={e.status === "error" ? "text-red-700" : ""}>{e.status}</span>
                    {e.attempt > 1 ? <span className="text-slate-500"> · attempt {e.attempt}</span> : null}
                  </td>
                  <td className="num py-2 pr-4 text-right">{e.latencyMs === null ? "—" : `${e.latencyMs} ms`}</td>
                  <td className="num py-2 pr-4 text-right whitespace-nowrap">
                    {e.costSource === "gpu" ? <span className="text-slate-500">see GPU</span> : e.costUsd === null ? <span className="text-amber-700">unpriced</span> : formatUsd(e.costUsd, { mode: "exact" })}
                    <div className="text-xs text-slate-500">{e.costSource}</div>
                    {e.listCostUsd !== null ? <div className="text-xs text-slate-500">list {formatUsd(e.listCostUsd, { mode: "exact" })} (contract)</div> : null}
                  </td>
                  <td className="py-2 pr-4"><PriceEntry e={e} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableBox>
      </Card>

      <Card title="GPU shares" className="mt-6">
        {r.gpu.shares.length === 0 ? (
          <p className="text-slate-600">This request used no self-hosted GPU pool.</p>
        ) : (
          <TableBox>
          <table className="w-full text-left" aria-label="GPU shares">
            <thead className="text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="py-2 pr-4">Pool</th>
                <th className="py-2 pr-4">Hour (UTC)</th>
                <th className="py-2 pr-4 text-right">This request</th>
                <th className="py-2 pr-4 text-right">Share</th>
                <th className="py-2 pr-4 text-right">Pool-hour cost</th>
                <th className="py-2 pr-4 text-right">Requests</th>
                <th className="py-2 pr-4 text-right">Utilisation</th>
                <th className="py-2 pr-4">Split</th>
              </tr>
            </thead>
            <tbody>
              {r.gpu.shares.map((s) => (
                <tr key={`${s.pool}-${s.hour}`} className="border-t border-slate-100">
                  <td className="py-2 pr-4 font-mono">{s.pool}</td>
                  <td className="num py-2 pr-4">{formatUtc(s.hour)}</td>
                  <td className="num py-2 pr-4 text-right">{s.gpuSeconds === null ? "—" : `${s.gpuSeconds} GPU s`}</td>
                  <td className="num py-2 pr-4 text-right font-medium">{formatUsd(s.costUsd, { mode: "exact" })}</td>
                  <td className="num py-2 pr-4 text-right">
                    {s.poolHour.status === "priced" ? formatUsd(s.poolHour.costUsd, { mode: "exact" }) : <span className="text-amber-700">unpriced: no pool price</span>}
                    {s.poolHour.hourlyUsd ? <div className="text-xs text-slate-500">at {formatUsd(s.poolHour.hourlyUsd, { mode: "exact" })}/hour</div> : null}
                  </td>
                  <td className="num py-2 pr-4 text-right">{s.poolHour.requests}</td>
                  <td className="num py-2 pr-4 text-right">{formatRatio(s.poolHour.utilisation)}</td>
                  <td className="py-2 pr-4 text-slate-600">{s.poolHour.split === "equal" ? "equal" : "by GPU seconds"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </TableBox>
        )}
      </Card>
    </>
  );
}
