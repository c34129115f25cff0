// Twelve weeks of realistic demo cost events, deterministic for a given anchor week: several endpoints
// and models, cohorts with different cost profiles, retries and fallbacks, cache reads and writes,
// reasoning tokens, a self-hosted reranker on a GPU pool, a little untagged and unpriced spend, and
// four stories worth reviewing: a release that made chat answers dearer, an enterprise tenant ramping
// up (a mix shift), a summariser switched to a reasoning model (better quality, higher cost), and a
// four-hour retry loop on ticket triage (a sustained hourly cost spike: a cost incident).
import { seededRandom, type Rng } from "@/lib/demo/random";

export const DEMO_WEEKS = 12;
// A slice of a shared GPU: the demo traffic is small, so a whole GPU would be almost all idle cost.
export const DEMO_GPU_POOL = { name: "rerank-gpu-slice", hourlyUsd: "0.05" };

export type DemoStory = { week: number; endpoint: string; what: string };

const WEEK_MS = 7 * 24 * 3_600_000;

/** Monday 00:00 UTC of the ISO week containing `d`. */
export function isoWeekStart(d: Date): Date {
  const day = (d.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day));
}

type Cohort = { slug: string; weight: (week: number) => number; promptScale: number };

/**
 * The paying accounts behind each cohort: a tenant cohort is one large customer; a tier is many
 * customers of that plan, a few heavy and many light (a request goes to customer floor(n × u^1.5) for
 * a u from its request id). Drawn from the request id, not the generator, so the events' costs are the
 * same as before customers existed.
 */
export const DEMO_CUSTOMERS: Record<string, { prefix: string; count: number }> = {
  free: { prefix: "free", count: 240 },
  pro: { prefix: "pro", count: 60 },
  enterprise: { prefix: "ent", count: 6 },
  acme: { prefix: "acme", count: 1 },
  globex: { prefix: "globex", count: 1 },
  initech: { prefix: "initech", count: 1 },
};

/** A number in [0, 1) from a text (FNV-1a), the same on every machine. */
function unitHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h / 4294967296;
}

export function demoCustomerId(cohort: string, requestId: string): string {
  const c = DEMO_CUSTOMERS[cohort];
  if (!c) throw new Error(`no demo customers for cohort ${cohort}`);
  if (c.count === 1) return c.prefix;
  const n = Math.min(c.count - 1, Math.floor(c.count * unitHash(requestId) ** 1.5));
  return `${c.prefix}-${String(n + 1).padStart(3, "0")}`;
}

const COHORTS: Cohort[] = [
  { slug: "free", weight: () => 46, promptScale: 0.6 },
  { slug: "pro", weight: () => 28, promptScale: 1 },
  { slug: "enterprise", weight: () => 8, promptScale: 1.5 },
  // Acme signs up in week 6 and ramps up: its long prompts shift the mix of chat.answer.
  { slug: "acme", weight: (w) => (w < 6 ? 0 : Math.min(40, (w - 5) * 7)), promptScale: 2.6 },
  { slug: "globex", weight: () => 5, promptScale: 1.8 },
  { slug: "initech", weight: () => 6, promptScale: 1.1 },
];

/** The stories, by week index (0 = oldest of the twelve). */
export const DEMO_STORIES: DemoStory[] = [
  { week: 6, endpoint: "chat.answer", what: "Acme (enterprise tenant) starts ramping up" },
  { week: 8, endpoint: "docs.summarise", what: "Summaries move to a reasoning model: better summaries, higher cost" },
  { week: 9, endpoint: "support.triage", what: "A retry loop re-sends long tickets for four hours on Thursday: a cost incident" },
  { week: 11, endpoint: "chat.answer", what: "Release puts the full conversation history into the prompt: cost per request rises" },
];

/** The week-9 triage spike: from Thursday 10:00 UTC, four hours of extra tickets, each retried with a long prompt. */
export const DEMO_SPIKE = { week: 9, endpoint: "support.triage", startHourOfWeek: 3 * 24 + 10, hours: 4, requestsPerHour: 30 } as const;

type RawEvent = Record<string, unknown>;

function int(rng: Rng, min: number, max: number): number {
  return Math.floor(min + rng() * (max - min + 1));
}

function jitter(rng: Rng, base: number, spread = 0.35): number {
  return Math.max(1, Math.round(base * (1 - spread + rng() * 2 * spread)));
}

function pickCohort(rng: Rng, week: number): Cohort {
  const total = COHORTS.reduce((s, c) => s + c.weight(week), 0);
  let r = rng() * total;
  for (const c of COHORTS) {
    r -= c.weight(week);
    if (r < 0) return c;
  }
  return COHORTS[0]!;
}

type Ctx = { rng: Rng; week: number; cohort: Cohort; requestId: string; at: Date; endpoint: string | null; n: number; events: RawEvent[] };

function push(ctx: Ctx, e: RawEvent, offsetMs = 0): void {
  ctx.events.push({
    id: `${ctx.requestId}-${ctx.n++}`,
    timestamp: new Date(ctx.at.getTime() + offsetMs).toISOString(),
    requestId: ctx.requestId,
    ...(ctx.endpoint ? { endpoint: ctx.endpoint } : {}),
    cohort: ctx.cohort.slug,
    customerId: demoCustomerId(ctx.cohort.slug, ctx.requestId),
    ...e,
  });
}

function chatAnswer(ctx: Ctx): void {
  const { rng, week, cohort } = ctx;
  const history = week >= 11 ? 1.45 : 1; // the week-11 release sends the whole conversation
  const prompt = jitter(rng, 2600 * cohort.promptScale * history);
  const cached = Math.floor(prompt * (0.35 + rng() * 0.3));
  const model = cohort.slug === "free" ? "gpt-4o-mini" : "gpt-4o";
  const completion = jitter(rng, 380);
  // 4 % of calls time out once and are retried; 1 % fall back to Claude after two failures.
  const failures = rng() < 0.04 ? (rng() < 0.25 ? 2 : 1) : 0;
  // 0.5 % fail for good: the user sees an error, the spend still counts.
  if (rng() < 0.005) {
    push(ctx, { provider: "openai", model, rawUsage: { prompt_tokens: prompt, completion_tokens: 0, prompt_tokens_details: { cached_tokens: cached } }, status: "error", attempt: 1, latencyMs: 30000 });
    return;
  }
  for (let a = 1; a <= failures; a++) {
    push(ctx, { provider: "openai", model, rawUsage: { prompt_tokens: prompt, completion_tokens: jitter(rng, 60), prompt_tokens_details: { cached_tokens: cached } }, status: "error", attempt: a, latencyMs: int(rng, 8000, 15000) }, a * 9000);
  }
  if (failures === 2) {
    push(ctx, { provider: "anthropic", model: "claude-sonnet-4-5-20250929", rawUsage: { input_tokens: prompt, output_tokens: completion, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 }, status: "ok", attempt: 3, latencyMs: int(rng, 1800, 4200) }, 20000);
    return;
  }
  push(ctx, { provider: "openai", model, rawUsage: { prompt_tokens: prompt, completion_tokens: completion, prompt_tokens_details: { cached_tokens: cached } }, status: "ok", attempt: failures + 1, latencyMs: int(rng, 900, 3200) }, failures * 9000 + 500);
}

function chatTitle(ctx: Ctx): void {
  push(ctx, { provider: "openai", model: "gpt-4.1-nano", usage: { inputTokens: jitter(ctx.rng, 420), outputTokens: jitter(ctx.rng, 12) }, latencyMs: int(ctx.rng, 200, 600) });
}

function summarise(ctx: Ctx): void {
  const { rng, week, cohort } = ctx;
  const doc = jitter(rng, 9000 * cohort.promptScale, 0.6);
  if (week >= 8) {
    const reasoning = jitter(rng, 1500);
    const visible = jitter(rng, 600);
    push(ctx, { provider: "openai", model: "o4-mini", rawUsage: { input_tokens: doc, input_tokens_details: { cached_tokens: 0 }, output_tokens: visible + reasoning, output_tokens_details: { reasoning_tokens: reasoning } }, latencyMs: int(rng, 6000, 14000) });
  } else {
    // A shared system prompt cached for an hour, the document written to the 5-minute cache.
    const system = 1800;
    push(ctx, { provider: "anthropic", model: "claude-haiku-4-5", rawUsage: { input_tokens: 40, cache_read_input_tokens: system, cache_creation_input_tokens: doc, cache_creation: { ephemeral_5m_input_tokens: doc, ephemeral_1h_input_tokens: 0 }, output_tokens: jitter(rng, 450) }, latencyMs: int(rng, 2500, 7000) });
  }
}

function search(ctx: Ctx): void {
  const { rng } = ctx;
  push(ctx, { kind: "embedding", provider: "openai", model: "text-embedding-3-small", usage: { inputTokens: jitter(rng, 24) }, latencyMs: int(rng, 40, 120) });
  push(ctx, { kind: "retrieval", latencyMs: int(rng, 15, 60) }, 150);
  push(ctx, { kind: "gpu", pool: DEMO_GPU_POOL.name, gpuSeconds: Math.round((0.25 + rng() * 0.5) * 1000) / 1000, latencyMs: int(rng, 80, 300) }, 250);
  if (rng() < 0.3) push(ctx, { provider: "openai", model: "gpt-4.1-mini", usage: { inputTokens: jitter(rng, 1500), outputTokens: jitter(rng, 160) }, latencyMs: int(rng, 700, 1600) }, 600);
}

function triage(ctx: Ctx): void {
  const { rng } = ctx;
  const prompt = jitter(rng, 1400);
  const cached = rng() < 0.6 ? 1024 : 0;
  push(ctx, { provider: "google", model: "gemini-2.5-flash", rawUsage: { usageMetadata: { promptTokenCount: prompt + cached, cachedContentTokenCount: cached, candidatesTokenCount: jitter(rng, 90), thoughtsTokenCount: jitter(rng, 220), totalTokenCount: prompt + cached + 0 } } }, 0);
  const last = ctx.events[ctx.events.length - 1]!;
  const meta = (last.rawUsage as { usageMetadata: Record<string, number> }).usageMetadata;
  meta.totalTokenCount = meta.promptTokenCount! + meta.candidatesTokenCount! + meta.thoughtsTokenCount!;
  // A few tickets go through an internal fine-tune that has no price yet: they stay unpriced.
  if (rng() < 0.02) push(ctx, { provider: "self-hosted", model: "triage-ft-v2", usage: { inputTokens: prompt, outputTokens: 20 } }, 300);
}

const ENDPOINTS: { slug: string; perWeek: number; run: (ctx: Ctx) => void }[] = [
  { slug: "chat.answer", perWeek: 700, run: chatAnswer },
  { slug: "chat.title", perWeek: 250, run: chatTitle },
  { slug: "docs.summarise", perWeek: 160, run: summarise },
  { slug: "search.query", perWeek: 420, run: search },
  { slug: "support.triage", perWeek: 220, run: triage },
];

/**
 * The events of the twelve complete ISO weeks before `now`'s week, and of its current week up to `now`.
 * Same `now` week (and same `now` within it) → same events.
 */
export function generateDemoEvents(now: Date): RawEvent[] {
  const currentWeek = isoWeekStart(now);
  const first = new Date(currentWeek.getTime() - DEMO_WEEKS * WEEK_MS);
  const events: RawEvent[] = [];
  for (let week = 0; week <= DEMO_WEEKS; week++) {
    const weekStart = new Date(first.getTime() + week * WEEK_MS);
    const rng = seededRandom(1000 + week);
    const growth = 1 + week * 0.02;
    for (const ep of ENDPOINTS) {
      const count = Math.round(ep.perWeek * growth);
      for (let i = 0; i < count; i++) {
        const at = new Date(weekStart.getTime() + Math.floor(rng() * WEEK_MS));
        const untagged = rng() < 0.01;
        const ctx: Ctx = { rng, week, cohort: pickCohort(rng, week), requestId: `demo-w${week}-${ep.slug}-${i}`, at, endpoint: untagged ? null : ep.slug, n: 0, events: [] };
        ep.run(ctx);
        for (const e of ctx.events) if (new Date(String(e.timestamp)).getTime() <= now.getTime()) events.push(e);
      }
    }
  }
  events.push(...spikeEvents(first));
  return events;
}

/** The spike's requests: a stuck client re-sends each long ticket five times, so the hour's cost per request is several times the usual. */
function spikeEvents(first: Date): RawEvent[] {
  const rng = seededRandom(9001);
  const start = first.getTime() + DEMO_SPIKE.week * WEEK_MS + DEMO_SPIKE.startHourOfWeek * 3_600_000;
  const events: RawEvent[] = [];
  for (let h = 0; h < DEMO_SPIKE.hours; h++) {
    for (let i = 0; i < DEMO_SPIKE.requestsPerHour; i++) {
      const at = new Date(start + h * 3_600_000 + Math.floor(rng() * 3_000_000));
      const ctx: Ctx = { rng, week: DEMO_SPIKE.week, cohort: pickCohort(rng, DEMO_SPIKE.week), requestId: `demo-spike-${h}-${i}`, at, endpoint: DEMO_SPIKE.endpoint, n: 0, events: [] };
      const prompt = jitter(rng, 6000);
      for (let a = 1; a <= 5; a++) {
        const thoughts = jitter(rng, 900);
        const out = jitter(rng, 90);
        push(ctx, { provider: "google", model: "gemini-2.5-flash", rawUsage: { usageMetadata: { promptTokenCount: prompt, cachedContentTokenCount: 0, candidatesTokenCount: out, thoughtsTokenCount: thoughts, totalTokenCount: prompt + out + thoughts } }, status: a < 5 ? "error" : "ok", attempt: a, latencyMs: int(rng, 4000, 9000) }, a * 10_000);
      }
      events.push(...ctx.events);
    }
  }
  return events;
}

export function demoCohortSlugs(): string[] {
  return COHORTS.map((c) => c.slug);
}

