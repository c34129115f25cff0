// The ledger's fingerprint: equal for a retry of the same event however it is spelled, different for any
// change to what was sent, and the same content line that becomes the stored row.
import { describe, expect, it } from "vitest";
import { prepareBatch } from "@/lib/ingest/store-events";

const base = {
  id: "evt-1",
  timestamp: "2026-09-01T10:00:00.250Z",
  requestId: "req-1",
  endpoint: "chat.answer",
  feature: "chat",
  team: "core",
  cohort: "pro",
  kind: "llm",
  provider: "openai",
  model: "gpt-4o-mini",
  usage: { inputTokens: 100, cacheReadTokens: 5, cacheWriteTokens: 6, cacheWrite1hTokens: 7, outputTokens: 8, reasoningTokens: 9, toolOutputTokens: 10 },
  costUsd: "0.5",
  status: "ok",
  attempt: 2,
  latencyMs: 12.5,
  metadata: { b: 1, a: ["x", { d: 2, c: 3 }] },
};

function fingerprint(raw: Record<string, unknown>): string {
  const batch = prepareBatch([raw], [], new Map(), new Date("2026-09-02T00:00:00Z"));
  expect(batch.rejected).toEqual([]);
  return batch.rows[0]!.fingerprint;
}

describe("ledger fingerprint", () => {
  it("is a v2 sha256", () => {
    expect(fingerprint(base)).toMatch(/^v2:[0-9a-f]{64}$/);
  });

  it("is the same for the same event spelled differently", () => {
    const reordered = Object.fromEntries(Object.entries(base).reverse());
    expect(fingerprint(reordered)).toBe(fingerprint(base));
    expect(fingerprint({ ...base, metadata: { a: ["x", { c: 3, d: 2 }], b: 1 } })).toBe(fingerprint(base));
    expect(fingerprint({ ...base, costUsd: "0.50" })).toBe(fingerprint(base));
    expect(fingerprint({ ...base, costUsd: 0.5 })).toBe(fingerprint(base));
    expect(fingerprint({ ...base, timestamp: "2026-09-01T12:00:00.250+02:00" })).toBe(fingerprint(base));
    expect(fingerprint({ ...base, provider: " OpenAI " })).toBe(fingerprint(base));
  });

  it("changes with every field that was sent", () => {
    const changes: Record<string, unknown>[] = [
      { id: "evt-2" },
      { timestamp: "2026-09-01T10:00:00.251Z" },
      { requestId: "req-2" },
      { endpoint: "chat.title" },
      { feature: "other" },
      { team: "other" },
      { cohort: "free" },
      { cohort: undefined },
      { cohort: "\\N" }, // the text \N, not a missing value
      { kind: "embedding" },
      { provider: "anthropic" },
      { model: "gpt-4o" },
      ...Object.keys(base.usage).map((bucket) => ({ usage: { ...base.usage, [bucket]: base.usage[bucket as keyof typeof base.usage] + 1 } })),
      { costUsd: "0.51" },
      { costUsd: undefined },
      { status: "error" },
      { attempt: 3 },
      { latencyMs: 12.6 },
      { latencyMs: undefined },
      { metadata: { b: 2, a: ["x", { d: 2, c: 3 }] } },
      { metadata: undefined },
      { cohort: "pro\tfree" },
    ];
    const seen = new Set([fingerprint(base)]);
    for (const change of changes) {
      const f = fingerprint({ ...base, ...change });
      expect(seen.has(f), JSON.stringify(change)).toBe(false);
      seen.add(f);
    }
  });

  it("tells a repeated id in one batch apart by content", () => {
    const batch = prepareBatch([base, { ...base }, { ...base, attempt: 3 }], [], new Map(), new Date("2026-09-02T00:00:00Z"));
    expect(batch.rows).toHaveLength(1);
    expect(batch.duplicates).toBe(1);
    expect(batch.rejected.map((r) => [r.index, r.errors[0]!.path])).toEqual([[2, "events.2.id"]]);
  });
});
