// Random token usage for the pricing property tests: every bucket, zeros and huge counts included.
import fc from "fast-check";
import type { TokenUsage } from "@/lib/pricing/price-event";

const tokens = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }));

export const fullUsage: fc.Arbitrary<Required<TokenUsage>> = fc.record({
  inputTokens: tokens,
  cacheReadTokens: tokens,
  cacheWriteTokens: tokens,
  cacheWrite1hTokens: tokens,
  outputTokens: tokens,
  reasoningTokens: tokens,
  toolOutputTokens: tokens,
});
