-- Prices that match the bill: long-context tiers, service-tier rates, per-call tool fees and modality
-- rates on price entries; the served service tier, tool calls and modality counts on events; and the
-- "incomplete" cost source (priced in part) counted beside unpriced in the rollups.

-- Each part is JSONB validated by the price-entry schema (lib/pricing/price-entry.ts) on the way in and on
-- every read, with rates as exact decimal strings; it lives on the entry row, so it is versioned and
-- effective-dated with the rest of the entry. NULL: the entry has none.
ALTER TABLE "price_entries"
    ADD COLUMN "tiers" JSONB,
    ADD COLUMN "service_tiers" JSONB,
    ADD COLUMN "tool_fees" JSONB,
    ADD COLUMN "modality_rates" JSONB;

-- The served service tier ("flex", "priority", "batch", ...; NULL for the standard one), calls per tool kind
-- ({"webSearch": 2}), and modality counts, which are parts of input_tokens / output_tokens, not extra tokens.
-- cost_source gains "incomplete": cost_usd holds what could be priced, unpriced_reason says what could not.
ALTER TABLE "cost_events"
    ADD COLUMN "service_tier" TEXT,
    ADD COLUMN "tool_calls" JSONB,
    ADD COLUMN "audio_input_tokens" BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN "audio_output_tokens" BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN "image_input_tokens" BIGINT NOT NULL DEFAULT 0,
    -- Counts in the provider's usage object that nothing accounts for ({"prompt_tokens_details.image_tokens": 120}):
    -- never priced, so the event is incomplete and re-pricing keeps it so.
    ADD COLUMN "unknown_usage" JSONB;

ALTER TABLE "request_facts" ADD COLUMN "incomplete_events" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "weekly_stats" ADD COLUMN "incomplete_events" INTEGER NOT NULL DEFAULT 0;
