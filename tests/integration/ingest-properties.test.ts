// Property tests of the ingest API over real HTTP (fast-check, a bounded number of runs): random JSON
// values, random mutations of valid events (wrong types, huge numbers, negative counts, unicode,
// missing fields, extra keys, deep nesting) and NDJSON with broken lines. Whatever arrives:
// - never a 5xx;
// - the answer accounts for every row: accepted + duplicates + rejected = rows in the batch;
// - every row not rejected is stored exactly once, with its ledger entry; a rejected row is not stored;
// - no partial rows: every stored row has its token columns and a cost source consistent with its cost.
// A failing run prints fast-check's seed and the shrunk batch; FC_SEED=<seed> replays it.
// FC_RUNS_SCALE=<n> multiplies the number of runs for a longer hunt.
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createIngestKey, postEvents, type IngestResponse } from "../support/ingest";

const baseUrl = inject("baseUrl");
const db = new pg.Pool({ connectionString: inject("databaseUrl"), max: 2 });
const run = `prop${Date.now().toString(36)}`;
let key: string;
let counter = 0;
const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
/** FC_RUNS_SCALE=10 runs every property ten times as often (a longer bug hunt; the suite uses 1). */
const scale = Number(process.env.FC_RUNS_SCALE ?? 1);
const params = (numRuns: number) => ({ numRuns: Math.max(1, Math.round(numRuns * scale)), seed, interruptAfterTimeLimit: 420_000 * scale });

beforeAll(async () => {
  key = await createIngestKey(baseUrl, `property tests ${run}`);
});
afterAll(() => db.end());

// ---- generators --------------------------------------------------------------------------------------

/** Placeholders replaced in the JSON text, for values JSON.stringify cannot write (1e400) or would recurse on. */
const HUGE = ["1e400", "-1e400", "123456789012345678901234567890", "9007199254740993", "1e21", "4294967296", "2147483648", "1.5", "-0", "0.1e1"];
const rawToken = (s: string) => `\u0001RAW:${s}\u0001`;
const hugeNumber = fc.constantFrom(...HUGE).map(rawToken);
/** Objects nested this deep ({"a":{"a":…1}}); the limit for metadata is 32. */
const deepValue = fc.constantFrom(5, 31, 33, 40, 500, 5_000).map((d) => rawToken(`deep${d}`));

function toJson(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0001RAW:([^"]*)\\u0001"/g, (_, t: string) => {
    const deep = /^deep(\d+)$/.exec(t);
    return deep ? `${'{"a":'.repeat(Number(deep[1]))}1${"}".repeat(Number(deep[1]))}` : t;
  });
}

const tricky = fc.constantFrom(
  "", " ", "\u0000", "a\u0000b", "\ud800", "\udfff", "\uffff", "\ufeff", "🙂", "e\u0301", "\u202etxet", "日本語", "\n", "\\", '"', "x".repeat(256), "x".repeat(5000),
);
const unicodeText = fc.oneof(fc.string({ unit: "binary", maxLength: 20 }), fc.string({ unit: "grapheme", maxLength: 12 }), tricky);
const anyJson = fc.jsonValue({ maxDepth: 3 });

const MODELS: [string, string][] = [
  ["openai", "gpt-4o-mini"],
  ["openai", "gpt-5"],
  ["anthropic", "claude-haiku-4-5"],
  ["google", "gemini-2.5-flash"],
  ["openai", "text-embedding-3-small"],
  ["acme", "acme-finetune-7b"], // unknown: stored unpriced
];

/** A valid event; the id is filled in later so that ids are unique per run. */
const validEvent = fc
  .record({
    minute: fc.integer({ min: 0, max: 300 * 24 * 60 }),
    kind: fc.constantFrom("llm", "llm", "llm", "embedding", "tool", "retrieval", "other", "gpu"),
    model: fc.constantFrom(...MODELS),
    usage: fc.record(
      { inputTokens: fc.nat(2_000_000), cacheReadTokens: fc.nat(100_000), outputTokens: fc.nat(50_000), reasoningTokens: fc.nat(10_000) },
      { requiredKeys: [] },
    ),
    costUsd: fc.option(fc.tuple(fc.nat(1000), fc.nat(999_999_999_999)).map(([i, f]) => `${i}.${String(f).padStart(12, "0")}`), { nil: undefined }),
    endpoint: fc.option(fc.constantFrom("chat.answer", "search.query", "unregistered.endpoint"), { nil: undefined }),
    cohort: fc.option(fc.constantFrom("free", "pro", "acme", "🙂 tenant"), { nil: undefined }),
    status: fc.option(fc.constantFrom("ok", "error"), { nil: undefined }),
    attempt: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
    latencyMs: fc.option(fc.double({ min: 0, max: 1e6, noNaN: true }), { nil: undefined }),
    metadata: fc.option(fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean())), { nil: undefined }),
  })
  .map((r) => {
    const e: Record<string, unknown> = {
      timestamp: new Date(Date.UTC(2026, 0, 1) + r.minute * 60_000).toISOString(),
      requestId: `req-${r.minute}`,
      kind: r.kind,
      endpoint: r.endpoint,
      cohort: r.cohort,
      status: r.status,
      attempt: r.attempt,
      latencyMs: r.latencyMs,
      metadata: r.metadata,
    };
    if (r.kind === "gpu") {
      Object.assign(e, { pool: "a100-pool", gpuSeconds: (r.minute % 100) / 10 });
    } else {
      Object.assign(e, { provider: r.model[0], model: r.model[1], usage: r.usage, costUsd: r.costUsd });
    }
    return e;
  });

const FIELDS = ["id", "timestamp", "requestId", "endpoint", "feature", "team", "cohort", "kind", "provider", "model", "usage", "rawUsage", "costUsd", "status", "attempt", "latencyMs", "pool", "gpuSeconds", "metadata"];
const NUMERIC = ["attempt", "latencyMs", "gpuSeconds", "costUsd", "usage.inputTokens", "usage.outputTokens", "usage.cacheReadTokens", "usage.reasoningTokens"];

type Mutation = (e: Record<string, unknown>) => void;
function setPath(e: Record<string, unknown>, path: string, value: unknown): void {
  const [head, tail] = path.split(".") as [string, string | undefined];
  if (tail === undefined) e[head] = value;
  else e[head] = { ...(typeof e[head] === "object" && e[head] !== null ? (e[head] as object) : {}), [tail]: value };
}
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // a wrong type (or any JSON value) in any field
  fc.tuple(fc.constantFrom(...FIELDS), anyJson).map(([f, v]): Mutation => (e) => void (e[f] = v)),
  // huge, fractional or out-of-range numbers
  fc.tuple(fc.constantFrom(...NUMERIC), fc.oneof(hugeNumber, fc.double(), fc.integer({ min: -1e9, max: 1e12 }))).map(([p, v]): Mutation => (e) => setPath(e, p, v)),
  // negative counts
  fc.tuple(fc.constantFrom(...NUMERIC.filter((p) => p.startsWith("usage."))), fc.integer({ min: -1e12, max: -1 })).map(([p, v]): Mutation => (e) => setPath(e, p, v)),
  // unicode and odd strings in text fields (an id keeps its unique prefix, so it stays unique)
  fc.tuple(fc.constantFrom("id", "requestId", "endpoint", "feature", "team", "cohort", "provider", "model", "pool", "status", "kind", "timestamp"), unicodeText).map(
    ([f, s]): Mutation => (e) => void (e[f] = f === "id" ? `${String(e.id)}${s}` : s),
  ),
  fc.tuple(unicodeText, unicodeText).map(([k, v]): Mutation => (e) => void (e.metadata = { [k]: v, nested: { [v]: [k] } })),
  // missing fields
  fc.constantFrom("id", "timestamp", "requestId", "usage", "provider", "model").map((f): Mutation => (e) => void delete e[f]),
  // unknown keys, top level or in usage
  fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), anyJson, fc.boolean()).map(([k, v, inUsage]): Mutation => (e) => {
    if (inUsage) setPath(e, `usage.${k.replace(/\./g, "_")}`, v);
    else e[k] = v;
  }),
  // deep nesting in metadata or rawUsage
  fc.tuple(fc.constantFrom("metadata", "rawUsage"), deepValue).map(([f, v]): Mutation => (e) => void (e[f] = f === "metadata" ? { deep: v } : v)),
  // timestamps out of range or without a zone
  fc.constantFrom("1999-12-31T23:59:59Z", "2999-01-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-03-01T10:00:00", "2026-03-01T10:00:00.123456789+14:00").map(
    (t): Mutation => (e) => void (e.timestamp = t),
  ),
  // a cost with too many decimals, in exponent form, negative
  fc.constantFrom("0.0000000000001", "1e-7", "-0.5", "0x10", "1,5", " 1.0").map((c): Mutation => (e) => void (e.costUsd = c)),
);

/** One row of a batch: a valid event, a mutated one, any JSON value, or a copy of an earlier row. */
type RowSpec =
  | { t: "valid"; e: Record<string, unknown> }
  | { t: "mutated"; e: Record<string, unknown>; m: Mutation[] }
  | { t: "json"; v: unknown }
  | { t: "copy"; of: number; change: boolean };
const rowSpec: fc.Arbitrary<RowSpec> = fc.oneof(
  { weight: 4, arbitrary: validEvent.map((e): RowSpec => ({ t: "valid", e })) },
  { weight: 4, arbitrary: fc.tuple(validEvent, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([e, m]): RowSpec => ({ t: "mutated", e, m })) },
  { weight: 1, arbitrary: anyJson.map((v): RowSpec => ({ t: "json", v })) },
  { weight: 1, arbitrary: fc.record({ of: fc.nat(), change: fc.boolean() }).map((c): RowSpec => ({ t: "copy", ...c })) },
);

/** Turns specs into the JSON text of each row, with ids unique to this batch. */
function buildRows(specs: RowSpec[], prefix: string): string[] {
  const rows: string[] = [];
  const objects: (Record<string, unknown> | undefined)[] = [];
  specs.forEach((s, i) => {
    let obj: Record<string, unknown> | undefined;
    if (s.t === "valid" || s.t === "mutated") {
      obj = { id: `${prefix}${i}`, ...s.e };
      if (s.t === "mutated") for (const m of s.m) m(obj);
      rows.push(toJson(obj));
    } else if (s.t === "json") {
      rows.push(toJson(s.v));
    } else {
      const earlier = i > 0 ? objects[s.of % i] : undefined;
      obj = earlier ? structuredClone(earlier) : { id: `${prefix}${i}` };
      if (s.change) obj.latencyMs = 123_456.5; // same id, other content: a conflict
      rows.push(toJson(obj));
    }
    objects.push(obj);
  });
  return rows;
}

// ---- checks ------------------------------------------------------------------------------------------

type Sent = { rows: string[]; status: number; json: unknown };

function parsedRows(rows: string[]): unknown[] {
  return rows.map((r) => {
    try {
      return JSON.parse(r) as unknown;
    } catch {
      return undefined;
    }
  });
}

async function checkAnswer(sent: Sent): Promise<void> {
  const context = `status ${sent.status}: ${JSON.stringify(sent.json).slice(0, 400)}\nrows: ${sent.rows.join("\n").slice(0, 1500)}`;
  expect(sent.status, context).toBeLessThan(500);
  expect([200, 207, 400, 413], context).toContain(sent.status);
  const raws = parsedRows(sent.rows);
  const ids = (rows: unknown[]) =>
    rows.flatMap((r) => (r && typeof r === "object" && !Array.isArray(r) && typeof (r as { id?: unknown }).id === "string" ? [(r as { id: string }).id] : []));
  const storable = (id: string) => !id.includes("\u0000"); // PostgreSQL text cannot hold NUL: such an id is never stored

  if (sent.status === 400 || sent.status === 413) {
    // The whole request was refused: nothing of it may be stored.
    const candidates = ids(raws).filter(storable);
    if (candidates.length) {
      const { rows } = await db.query("SELECT id FROM cost_events WHERE id = ANY($1::text[]) UNION ALL SELECT id FROM event_ids WHERE id = ANY($1::text[])", [candidates]);
      expect(rows, context).toEqual([]);
    }
    return;
  }

  const body = sent.json as IngestResponse;
  expect(body.accepted + body.duplicates + body.rejected.length, context).toBe(sent.rows.length);
  expect(body.unpriced, context).toBeLessThanOrEqual(body.accepted);
  expect(sent.status === 207, context).toBe(body.rejected.length > 0);
  const rejectedIdx = new Set(body.rejected.map((r) => r.index));
  expect(rejectedIdx.size, context).toBe(body.rejected.length);
  for (const r of body.rejected) {
    expect(r.index, context).toBeGreaterThanOrEqual(0);
    expect(r.index, context).toBeLessThan(sent.rows.length);
    expect(r.errors.length, context).toBeGreaterThan(0);
    for (const e of r.errors) expect(e.path.startsWith(`events.${r.index}`), context).toBe(true);
  }

  const keptIds = new Set(ids(raws.filter((_, i) => !rejectedIdx.has(i))));
  const keptRows = raws.length - rejectedIdx.size;
  // Every id in this batch is new (unique per run), so: one stored row per distinct kept id, the rest duplicates.
  expect(body.accepted, context).toBe(keptIds.size);
  expect(body.duplicates, context).toBe(keptRows - keptIds.size);

  const rejectedIds = body.rejected.flatMap((r) => {
    const raw = raws[r.index];
    const id = raw && typeof raw === "object" && typeof (raw as { id?: unknown }).id === "string" ? (raw as { id: string }).id : null;
    return id !== null && !keptIds.has(id) && storable(id) ? [id] : [];
  });
  if (rejectedIds.length) {
    const { rows } = await db.query("SELECT id FROM cost_events WHERE id = ANY($1::text[]) UNION ALL SELECT id FROM event_ids WHERE id = ANY($1::text[])", [rejectedIds]);
    expect(rows, `rejected rows were stored; ${context}`).toEqual([]);
  }

  if (keptIds.size) {
    // The events and the ledger read apart: on a Citus cluster they are distributed by different keys.
    const { rows: stored } = await db.query<{
      id: string;
      ts: Date;
      tokens_ok: boolean;
      cost_source: string;
      cost_usd: string | null;
      unpriced_reason: string | null;
      price_entry_id: string | null;
    }>(
      `SELECT c.id, c.ts,
              (c.input_tokens >= 0 AND c.cache_read_tokens >= 0 AND c.cache_write_tokens >= 0 AND c.cache_write_1h_tokens >= 0
               AND c.output_tokens >= 0 AND c.reasoning_tokens >= 0 AND c.tool_output_tokens >= 0) AS tokens_ok,
              c.cost_source, c.cost_usd::text, c.unpriced_reason, c.price_entry_id::text
         FROM cost_events c
        WHERE c.id = ANY($1::text[])`,
      [[...keptIds]],
    );
    const ledger = new Map(
      (await db.query<{ id: string; ts: Date }>("SELECT id, ts FROM event_ids WHERE id = ANY($1::text[])", [[...keptIds]])).rows.map((r) => [r.id, r.ts.getTime()]),
    );
    const copies = new Map<string, number>();
    for (const r of stored) copies.set(r.id, (copies.get(r.id) ?? 0) + 1);
    const rows = stored.map((r) => ({ ...r, n: copies.get(r.id)!, ledger_ts_matches: ledger.get(r.id) === r.ts.getTime() }));
    expect(rows.length, `every kept row stored once; ${context}`).toBe(keptIds.size);
    for (const r of rows) {
      const where = `${r.id}: ${JSON.stringify(r)}; ${context}`;
      expect(r.n, where).toBe(1);
      expect(r.ledger_ts_matches, where).toBe(true);
      expect(r.tokens_ok, where).toBe(true);
      expect(["billed", "estimated", "unpriced", "gpu", "none"], where).toContain(r.cost_source);
      if (r.cost_source === "billed" || r.cost_source === "estimated") expect(r.cost_usd, where).not.toBeNull();
      if (r.cost_source === "estimated") expect(r.price_entry_id, where).not.toBeNull();
      if (r.cost_source === "unpriced") expect([r.cost_usd, typeof r.unpriced_reason], where).toEqual([null, "string"]);
      if (r.cost_source === "none") expect(Number(r.cost_usd), where).toBe(0);
      if (r.cost_source === "gpu") expect(r.cost_usd, where).toBeNull();
    }
  }
}

async function send(rows: string[], body: string, contentType: string): Promise<Sent> {
  const res = await postEvents(baseUrl, key, body, contentType);
  return { rows, status: res.status, json: res.json };
}

// ---- properties --------------------------------------------------------------------------------------

describe("ingest over HTTP, for any input", () => {
  it("never answers 5xx and accounts for every row of a JSON batch of valid, mutated and random events", { timeout: 600_000 * scale }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(rowSpec, { minLength: 1, maxLength: 25 }), async (specs) => {
        const rows = buildRows(specs, `${run}-j${counter++}-`);
        await checkAnswer(await send(rows, `{"events":[${rows.join(",")}]}`, "application/json"));
      }),
      params(60),
    );
  });

  it("re-sending a batch stores nothing new and reports every stored row as a duplicate", { timeout: 600_000 * scale }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(rowSpec, { minLength: 1, maxLength: 15 }), async (specs) => {
        const rows = buildRows(specs, `${run}-r${counter++}-`);
        const body = `{"events":[${rows.join(",")}]}`;
        const first = await send(rows, body, "application/json");
        await checkAnswer(first);
        const again = await postEvents(baseUrl, key, body);
        expect(again.status).toBe(first.status);
        // A refused batch (NUL, an inexact number, …) is refused again; checkAnswer showed nothing of it was stored.
        if (first.status === 400 || first.status === 413) return;
        const a = first.json as IngestResponse;
        const b = again.json as IngestResponse;
        expect(b.accepted).toBe(0);
        expect(b.duplicates).toBe(a.accepted + a.duplicates);
        expect(b.rejected.map((r) => r.index)).toEqual(a.rejected.map((r) => r.index));
      }),
      params(25),
    );
  });

  it("never answers 5xx and accounts for every line of NDJSON with broken lines", { timeout: 600_000 * scale }, async () => {
    const broken = fc.oneof(
      fc.tuple(validEvent, fc.nat()).map(([e, cut]) => {
        const s = JSON.stringify(e);
        return s.slice(0, 1 + (cut % (s.length - 1)));
      }),
      fc.string({ unit: "binary", minLength: 1, maxLength: 40 }),
      fc.constantFrom("{", "}", "[", "null", "42", '"text"', "{]", "\u0000", "{\"id\":", "undefined", "NaN"),
    );
    const ndjsonType = fc.constantFrom("application/x-ndjson", "application/jsonl", "application/x-jsonlines; charset=utf-8");
    const line = fc.oneof(
      { weight: 3, arbitrary: rowSpec.map((s) => ({ spec: s as RowSpec | null, text: "" })) },
      { weight: 2, arbitrary: broken.map((text) => ({ spec: null as RowSpec | null, text })) },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 25 }), fc.constantFrom("\n", "\r\n"), fc.boolean(), ndjsonType, async (lines, eol, blankLines, type) => {
        const prefix = `${run}-n${counter++}-`;
        const built = buildRows(lines.map((l) => l.spec ?? { t: "json", v: null }), prefix);
        const rows = lines
          .map((l, i) => (l.spec ? built[i]! : l.text.replace(/[\r\n]/g, " ")))
          .filter((t) => t.trim() !== ""); // the server skips blank lines: they are not rows
        fc.pre(rows.length > 0);
        const text = rows.map((r) => (blankLines ? `${r}${eol}  ${eol}` : r)).join(eol) + eol;
        await checkAnswer(await send(rows, text, type));
      }),
      params(40),
    );
  });

  it("never answers 5xx to any JSON value or random bytes as the body", { timeout: 600_000 * scale }, async () => {
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? "null"),
      fc.array(anyJson, { maxLength: 10 }).map((events) => JSON.stringify({ events })),
      fc.uint8Array({ maxLength: 200 }),
      deepValue.map((v) => toJson({ events: [v] })),
    );
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom("application/json", "text/plain", "application/x-ndjson"), async (text, contentType) => {
        const res = await postEvents(baseUrl, key, text, contentType);
        const shown = typeof text === "string" ? text.slice(0, 300) : `bytes ${Buffer.from(text).toString("hex").slice(0, 300)}`;
        expect(res.status, `${res.status} ${JSON.stringify(res.json).slice(0, 300)} for ${shown}`).toBeLessThan(500);
        if (res.status === 200 || res.status === 207) {
          const b = res.json as IngestResponse;
          expect(b.accepted + b.duplicates + b.rejected.length).toBeGreaterThan(0);
        } else {
          expect([400, 413]).toContain(res.status);
          expect((res.json as { error?: { message?: string } }).error?.message).toEqual(expect.any(String));
        }
      }),
      params(40),
    );
  });
});
