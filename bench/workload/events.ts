// A deterministic, realistic stream of cost events: the demo organisation's endpoints, several providers
// and models, cohorts (tiers and tenants), retries and fallbacks, cache hits, billed and estimated costs, a
// few unpriced events, and timestamps spread over six weeks (three monthly partitions). A request makes
// about three events. Batch b depends only on b, so parallel clients generate their batches independently
// and every run sends the same events.
import { pick, seededRandom, type Rng } from "@/lib/demo/random";

export type BenchEvent = Record<string, unknown>;

/** 2026-08-25 to 2026-10-06: August, September and October partitions. */
export const WINDOW_START = Date.UTC(2026, 7, 25);
export const WINDOW_MS = 42 * 24 * 3_600_000;

const COHORTS: [string, number][] = [
  ["free", 45],
  ["pro", 30],
  ["enterprise", 10],
  ["acme", 6],
  ["globex", 5],
  ["initech", 4],
];
const COHORT_TOTAL = COHORTS.reduce((s, [, w]) => s + w, 0);

function weighted(rng: Rng, items: [string, number][], total: number): string {
  let x = rng() * total;
  for (const [item, w] of items) if ((x -= w) < 0) return item;
  return items[items.length - 1]![0];
}

const int = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min + 1));

/** A billed cost as a gateway would report it: an exact decimal string with up to 12 fractional digits. */
function billed(rng: Rng): string {
  return `0.${String(int(rng, 1, 99_999_999)).padStart(12, "0")}`;
}

type Call = { provider: string; model: string };
const CHAT_MODELS: Call[] = [
  { provider: "openai", model: "gpt-4o-mini" },
  { provider: "openai", model: "gpt-5" },
  { provider: "anthropic", model: "claude-sonnet-4-5" },
];
const FALLBACK: Call = { provider: "openai", model: "gpt-4.1" };
const UNKNOWN: Call = { provider: "acme-ml", model: "acme-ft-7b-v3" }; // not in the price book: stored unpriced

/** The events of one request to one endpoint (1 to 7, about 3 on average). */
function requestEvents(rng: Rng, requestId: string, at: number, cohort: string): BenchEvent[] {
  const out: BenchEvent[] = [];
  let t = at;
  const add = (e: BenchEvent) => {
    const latencyMs = Math.round(rng() * 2_000 * 10) / 10;
    t += Math.round(latencyMs);
    out.push({ timestamp: new Date(t).toISOString(), requestId, cohort, latencyMs, ...e });
  };
  const llm = (endpoint: string, call: Call, usage: Record<string, number>, extra: BenchEvent = {}) => {
    const e: BenchEvent = { endpoint, kind: "llm", provider: call.provider, model: call.model, usage, ...extra };
    if (rng() < 0.15) e.costUsd = billed(rng); // the gateway reported the billed cost
    add(e);
  };
  const r = rng();
  if (r < 0.4) {
    // chat.answer: retrieval, then the answer (sometimes a failed first attempt, sometimes a fallback), and a moderation check.
    add({ endpoint: "chat.answer", kind: "retrieval" });
    const call = rng() < 0.003 ? UNKNOWN : pick(rng, CHAT_MODELS);
    const usage = { inputTokens: int(rng, 200, 6_000), cacheReadTokens: rng() < 0.5 ? int(rng, 0, 20_000) : 0, outputTokens: int(rng, 50, 1_200) };
    if (rng() < 0.08) {
      llm("chat.answer", call, { inputTokens: usage.inputTokens }, { status: "error", attempt: 1 });
      llm("chat.answer", rng() < 0.5 ? call : FALLBACK, usage, { attempt: 2 });
    } else {
      llm("chat.answer", call, usage, { metadata: rng() < 0.5 ? { promptVersion: `v${int(rng, 10, 14)}`, region: pick(rng, ["eu-west-1", "us-east-1"]) } : undefined });
    }
    if (rng() < 0.6) llm("chat.answer", { provider: "openai", model: "gpt-4.1-nano" }, { inputTokens: int(rng, 100, 800), outputTokens: int(rng, 1, 20) });
  } else if (r < 0.55) {
    // chat.title: one small call.
    llm("chat.title", { provider: "openai", model: "gpt-4.1-nano" }, { inputTokens: int(rng, 100, 1_500), outputTokens: int(rng, 5, 20) });
  } else if (r < 0.7) {
    // docs.summarise: map over 2 to 5 chunks with a small model, reduce with a larger one.
    const chunks = int(rng, 2, 5);
    for (let i = 0; i < chunks; i++) llm("docs.summarise", { provider: "anthropic", model: "claude-haiku-4-5" }, { inputTokens: int(rng, 2_000, 8_000), cacheWriteTokens: i === 0 ? int(rng, 0, 2_000) : 0, outputTokens: int(rng, 200, 600) });
    llm("docs.summarise", { provider: "anthropic", model: "claude-sonnet-4-5" }, { inputTokens: int(rng, 1_000, 3_000), outputTokens: int(rng, 300, 900) });
  } else if (r < 0.9) {
    // search.query: embed the query, retrieve, rerank.
    add({ endpoint: "search.query", kind: "embedding", provider: "openai", model: "text-embedding-3-small", usage: { inputTokens: int(rng, 5, 60) } });
    add({ endpoint: "search.query", kind: "retrieval" });
    llm("search.query", { provider: "openai", model: "gpt-4.1-mini" }, { inputTokens: int(rng, 1_000, 4_000), outputTokens: int(rng, 20, 120) });
  } else {
    // support.triage: classify with a cheap model, then a billed ticketing-API call.
    llm("support.triage", { provider: "google", model: "gemini-2.5-flash" }, { inputTokens: int(rng, 500, 3_000), reasoningTokens: int(rng, 0, 500), outputTokens: int(rng, 10, 80) });
    add({ endpoint: "support.triage", kind: "tool", costUsd: "0.001" });
    if (rng() < 0.5) add({ endpoint: "support.triage", kind: "tool", costUsd: "0.0005", status: rng() < 0.1 ? "error" : "ok" });
  }
  return out;
}

/** The events of batch `b`: `size` events (fewer in the last batch), ids unique across the run. */
export function batchEvents(b: number, size: number, total: number): BenchEvent[] {
  const count = Math.min(size, total - b * size);
  if (count <= 0) return [];
  const rng = seededRandom(0x5eed ^ Math.imul(b + 1, 0x9e3779b1));
  const batches = Math.ceil(total / size);
  const sliceStart = WINDOW_START + (b / batches) * WINDOW_MS;
  const sliceMs = WINDOW_MS / batches;
  const events: BenchEvent[] = [];
  for (let req = 0; events.length < count; req++) {
    const at = Math.floor(sliceStart + rng() * sliceMs);
    const cohort = weighted(rng, COHORTS, COHORT_TOTAL);
    for (const e of requestEvents(rng, `req_${b.toString(36)}_${req.toString(36)}`, at, cohort)) {
      if (events.length === count) break;
      // Random-looking ids (as UUIDs would be), made unique by the event's index in the run.
      const index = b * size + events.length;
      const id = `evt_${Math.floor(rng() * 0xffffffff).toString(16).padStart(8, "0")}${index.toString(16).padStart(8, "0")}`;
      events.push({ id, ...e });
    }
  }
  return events;
}
