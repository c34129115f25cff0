-- Finance: the daily cost rollup the monthly views read, provider invoices for reconciliation.

-- Per day (in the organisation's time zone) × team × feature × endpoint × cohort × provider × model ×
-- cost source: what was spent. Rebuilt day by day by the rollup refresh.
CREATE TABLE "daily_costs" (
    "id" BIGSERIAL NOT NULL,
    "day" DATE NOT NULL,
    "team" TEXT,
    "feature" TEXT,
    "endpoint" TEXT,
    "cohort" TEXT,
    -- lower-cased and trimmed, as the price book matches it
    "provider" TEXT,
    "model" TEXT,
    -- billed | estimated | unpriced | none | gpu (GPU pool-hour shares)
    "cost_source" TEXT NOT NULL,
    "events" INTEGER NOT NULL,
    -- Requests whose first event of the month (org time zone) is on this day and in this group.
    "requests" INTEGER NOT NULL,
    "unpriced_events" INTEGER NOT NULL,
    "direct_cost" NUMERIC(30,12) NOT NULL,
    "gpu_cost" NUMERIC(30,12) NOT NULL,
    -- (direct + gpu) × the feature's overhead percentage / 100, exact (no rounding).
    "overhead_cost" NUMERIC NOT NULL,
    "input_tokens" BIGINT NOT NULL,
    "cache_read_tokens" BIGINT NOT NULL,
    "cache_write_tokens" BIGINT NOT NULL,
    "output_tokens" BIGINT NOT NULL,
    "reasoning_tokens" BIGINT NOT NULL,
    CONSTRAINT "daily_costs_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "daily_costs_day_idx" ON "daily_costs"("day");

-- What a provider invoiced for a month, entered by finance.
CREATE TABLE "finance_invoices" (
    "month" DATE NOT NULL,
    "provider" TEXT NOT NULL,
    "amount_usd" NUMERIC(30,12) NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "entered_by" TEXT NOT NULL,
    "entered_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "finance_invoices_pkey" PRIMARY KEY ("month", "provider")
);

-- The next rollup refresh is a full rebuild, which fills daily_costs from the events already stored.
DELETE FROM "settings" WHERE "key" = 'rollups.watermark';
