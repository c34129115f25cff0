// Anthropic Messages usage → canonical buckets, including the 5-minute / 1-hour cache-write split.
import type { FieldError } from "@/lib/errors";
import { CountReader, finishUsage, isRecord, describe, readServiceTier, toolKindFromSnake, unknownCounts, type UsageResult } from "@/lib/ingest/usage";

/** The counts the buckets and tool calls account for; every server_tool_use count becomes a tool call. */
const KNOWN = new Set([
  "input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens",
  "cache_creation.ephemeral_5m_input_tokens", "cache_creation.ephemeral_1h_input_tokens", "server_tool_use.*",
]);

/*
 * Anthropic already separates: input_tokens excludes cache reads and cache writes, so the
 * three map straight onto buckets with no subtraction. Cache writes are priced by lifetime;
 * the `cache_creation` breakdown says which, and without it (older API versions, which only
 * had the 5-minute lifetime) every write is a 5-minute write.
 *
 * output_tokens includes extended thinking and the API gives no separate count, so
 * reasoningTokens stays 0 rather than being guessed. `server_tool_use` counts requests, not
 * tokens: each `<tool>_requests` count becomes a tool-call count (web_search_requests -> webSearch),
 * priced per call by the entry's toolFees. `service_tier` ("standard", "priority", "batch") is the tier
 * that served the request.
 */
export function normaliseAnthropicUsage(raw: unknown, path = "rawUsage"): UsageResult {
  if (!isRecord(raw)) return { ok: false, errors: [{ path, message: `usage must be an object, got ${describe(raw)}` }] };
  const errors: FieldError[] = [];
  const r = new CountReader(raw, path, errors);

  const input = r.count("input_tokens");
  const output = r.count("output_tokens");
  const cacheRead = r.count("cache_read_input_tokens");
  const hasCreationTotal = r.has("cache_creation_input_tokens");
  const creationTotal = r.count("cache_creation_input_tokens");
  const breakdown = r.child("cache_creation");

  let write5m = creationTotal;
  let write1h = 0;
  if (breakdown) {
    write5m = breakdown.count("ephemeral_5m_input_tokens");
    write1h = breakdown.count("ephemeral_1h_input_tokens");
    // The breakdown and the total are two views of one number; if they disagree we cannot know which to bill.
    if (errors.length === 0 && hasCreationTotal && write5m + write1h !== creationTotal) {
      errors.push({
        path: `${breakdown.path}`,
        message:
          `cache_creation.ephemeral_5m_input_tokens + ephemeral_1h_input_tokens (${write5m + write1h}) ` +
          `does not equal cache_creation_input_tokens (${creationTotal})`,
      });
    }
  }

  const serviceTier = readServiceTier(raw, "service_tier", path, errors);
  const tools = r.child("server_tool_use");
  let toolCalls: Record<string, number> | null = null;
  if (tools) {
    for (const key of Object.keys(tools.obj)) {
      if (!/_requests$/.test(key)) continue;
      const n = tools.count(key);
      if (n > 0) (toolCalls ??= {})[toolKindFromSnake(key)] = n;
    }
  }

  return finishUsage(
    {
      inputTokens: input,
      cacheReadTokens: cacheRead,
      cacheWriteTokens: write5m,
      cacheWrite1hTokens: write1h,
      outputTokens: output,
      reasoningTokens: 0,
      toolOutputTokens: 0,
    },
    path,
    errors,
    { serviceTier, toolCalls, unknownUsage: unknownCounts(raw, KNOWN) },
  );
}
