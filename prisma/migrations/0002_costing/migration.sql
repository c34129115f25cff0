-- Costing core: the versioned price book, cost events (monthly partitions) with their idempotency
-- ledger, self-hosted GPU pools and their per-hour allocation, and closed months.

CREATE TABLE "price_entries" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "provider" TEXT NOT NULL,
    "model" TEXT,
    "model_pattern" TEXT,
    "effective_from" TIMESTAMPTZ(3) NOT NULL,
    "effective_to" TIMESTAMPTZ(3),
    "input_per_mtok" NUMERIC NOT NULL,
    "cache_read_per_mtok" NUMERIC,
    "cache_write_per_mtok" NUMERIC,
    "cache_write_1h_per_mtok" NUMERIC,
    "output_per_mtok" NUMERIC NOT NULL,
    "reasoning_per_mtok" NUMERIC,
    "tool_output_per_mtok" NUMERIC,
    "per_call_usd" NUMERIC,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "source" TEXT NOT NULL DEFAULT '',
    "version" INTEGER NOT NULL DEFAULT 1,
    -- An edit creates a new version and retires the old one; retired entries stay for history and for
    -- the events they priced.
    "retired_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT NOT NULL DEFAULT 'system',
    CONSTRAINT "price_entries_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "price_entries_model_xor_pattern" CHECK (("model" IS NULL) <> ("model_pattern" IS NULL)),
    CONSTRAINT "price_entries_dates" CHECK ("effective_to" IS NULL OR "effective_to" > "effective_from")
);
CREATE INDEX "price_entries_lookup_idx" ON "price_entries"("provider", "model") WHERE "retired_at" IS NULL;

-- Every event id ever accepted, with a fingerprint of its content: re-sending the same event is a
-- duplicate, the same id with other content a conflict. Kept apart from the partitioned events table
-- because a unique key there would have to include the timestamp.
CREATE TABLE "event_ids" (
    "id" TEXT NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "fingerprint" TEXT NOT NULL,
    CONSTRAINT "event_ids_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "cost_events" (
    "id" TEXT NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "request_id" TEXT,
    "endpoint" TEXT,
    "feature" TEXT,
    "team" TEXT,
    "cohort" TEXT,
    "kind" TEXT NOT NULL,
    "provider" TEXT,
    "model" TEXT,
    "input_tokens" BIGINT NOT NULL DEFAULT 0,
    "cache_read_tokens" BIGINT NOT NULL DEFAULT 0,
    "cache_write_tokens" BIGINT NOT NULL DEFAULT 0,
    "cache_write_1h_tokens" BIGINT NOT NULL DEFAULT 0,
    "output_tokens" BIGINT NOT NULL DEFAULT 0,
    "reasoning_tokens" BIGINT NOT NULL DEFAULT 0,
    "tool_output_tokens" BIGINT NOT NULL DEFAULT 0,
    -- NULL when unpriced (and for gpu events, whose cost is their pool-hour share).
    "cost_usd" NUMERIC(30,12),
    -- billed | estimated | unpriced | gpu | none
    "cost_source" TEXT NOT NULL,
    "price_entry_id" UUID,
    "unpriced_reason" TEXT,
    "status" TEXT NOT NULL DEFAULT 'ok',
    "attempt" INTEGER NOT NULL DEFAULT 1,
    "latency_ms" DOUBLE PRECISION,
    "pool" TEXT,
    "gpu_seconds" DOUBLE PRECISION,
    "metadata" JSONB,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "cost_events_pkey" PRIMARY KEY ("id", "ts")
) PARTITION BY RANGE ("ts");
CREATE INDEX "cost_events_request_idx" ON "cost_events"("request_id", "ts");
CREATE INDEX "cost_events_ts_idx" ON "cost_events"("ts");

-- Monthly partitions are created on demand by the ingest path (lib/ingest/partitions.ts).

CREATE TABLE "gpu_pools" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "hourly_usd" NUMERIC NOT NULL,
    "effective_from" TIMESTAMPTZ(3) NOT NULL,
    "effective_to" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "gpu_pools_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "gpu_pools_rate" CHECK ("hourly_usd" >= 0),
    CONSTRAINT "gpu_pools_dates" CHECK ("effective_to" IS NULL OR "effective_to" > "effective_from")
);
CREATE INDEX "gpu_pools_name_idx" ON "gpu_pools"("name");

-- Each pool-hour's full cost (idle capacity included) spread over the requests it served.
CREATE TABLE "gpu_pool_hours" (
    "pool" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "cost_usd" NUMERIC(30,12),
    "status" TEXT NOT NULL,
    "split" TEXT NOT NULL,
    "requests" INTEGER NOT NULL,
    "gpu_seconds" DOUBLE PRECISION,
    "utilisation" DOUBLE PRECISION,
    "computed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "gpu_pool_hours_pkey" PRIMARY KEY ("pool", "hour")
);

CREATE TABLE "gpu_allocations" (
    "pool" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "request_id" TEXT NOT NULL,
    "gpu_seconds" DOUBLE PRECISION,
    "cost_usd" NUMERIC(30,12),
    CONSTRAINT "gpu_allocations_pkey" PRIMARY KEY ("pool", "hour", "request_id")
);
CREATE INDEX "gpu_allocations_request_idx" ON "gpu_allocations"("request_id");

-- Months finance has closed: re-pricing may not change them.
CREATE TABLE "closed_months" (
    "month" DATE NOT NULL,
    "closed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closed_by" TEXT NOT NULL,
    CONSTRAINT "closed_months_pkey" PRIMARY KEY ("month")
);
