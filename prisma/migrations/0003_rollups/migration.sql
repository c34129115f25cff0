-- Rollups for the weekly review: one row per request (its fully-loaded cost and what it used), and
-- per week the figures per endpoint × cohort with exact percentiles, kept fresh by the app.

CREATE INDEX "cost_events_received_at_idx" ON "cost_events"("received_at");

-- Requests whose figures must be recomputed (re-pricing, GPU and overhead changes put them here).
CREATE TABLE "rollup_dirty_requests" (
    "request_id" TEXT NOT NULL,
    CONSTRAINT "rollup_dirty_requests_pkey" PRIMARY KEY ("request_id")
);

CREATE TABLE "request_facts" (
    "request_id" TEXT NOT NULL,
    "first_ts" TIMESTAMPTZ(3) NOT NULL,
    -- Monday of the ISO week of the first event, in the organisation's time zone.
    "week" DATE NOT NULL,
    "endpoint" TEXT,
    "feature" TEXT,
    "team" TEXT,
    "cohort" TEXT,
    "events" INTEGER NOT NULL,
    "unpriced_events" INTEGER NOT NULL,
    "direct_cost" NUMERIC(30,12) NOT NULL,
    "gpu_cost" NUMERIC(30,12) NOT NULL,
    "overhead_cost" NUMERIC(30,12) NOT NULL,
    "total_cost" NUMERIC(30,12) NOT NULL,
    "input_tokens" BIGINT NOT NULL,
    "cache_read_tokens" BIGINT NOT NULL,
    "cache_write_tokens" BIGINT NOT NULL,
    "output_tokens" BIGINT NOT NULL,
    "reasoning_tokens" BIGINT NOT NULL,
    "tool_output_tokens" BIGINT NOT NULL,
    "latency_ms" DOUBLE PRECISION,
    "is_error" BOOLEAN NOT NULL,
    CONSTRAINT "request_facts_pkey" PRIMARY KEY ("request_id")
);
CREATE INDEX "request_facts_week_idx" ON "request_facts"("week", "endpoint", "cohort");
CREATE INDEX "request_facts_first_ts_idx" ON "request_facts"("first_ts");

-- The exact p-quantile of a sorted array with linear interpolation: what percentile_cont computes,
-- but in numeric instead of double precision.
CREATE FUNCTION cr_percentile(v NUMERIC[], p NUMERIC) RETURNS NUMERIC
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE WHEN cardinality(v) = 0 THEN NULL ELSE
    v[floor(p * (cardinality(v) - 1))::int + 1]
    + (v[ceil(p * (cardinality(v) - 1))::int + 1] - v[floor(p * (cardinality(v) - 1))::int + 1])
      * (p * (cardinality(v) - 1) - floor(p * (cardinality(v) - 1)))
  END
$$;

-- Per week: one row per endpoint × cohort, per endpoint (all cohorts), per cohort (all endpoints) and
-- the whole week (both "all"). A NULL endpoint or cohort with its *_all flag false is unattributed.
CREATE TABLE "weekly_stats" (
    "id" BIGSERIAL NOT NULL,
    "week" DATE NOT NULL,
    "endpoint" TEXT,
    "cohort" TEXT,
    "endpoint_all" BOOLEAN NOT NULL,
    "cohort_all" BOOLEAN NOT NULL,
    "requests" INTEGER NOT NULL,
    "total_cost" NUMERIC(30,12) NOT NULL,
    "mean_cost" NUMERIC(30,12) NOT NULL,
    "p50_cost" NUMERIC(30,12) NOT NULL,
    "p95_cost" NUMERIC(30,12) NOT NULL,
    "direct_cost" NUMERIC(30,12) NOT NULL,
    "gpu_cost" NUMERIC(30,12) NOT NULL,
    "overhead_cost" NUMERIC(30,12) NOT NULL,
    "input_tokens" BIGINT NOT NULL,
    "cache_read_tokens" BIGINT NOT NULL,
    "cache_write_tokens" BIGINT NOT NULL,
    "output_tokens" BIGINT NOT NULL,
    "reasoning_tokens" BIGINT NOT NULL,
    "tool_output_tokens" BIGINT NOT NULL,
    "unpriced_requests" INTEGER NOT NULL,
    "unpriced_events" INTEGER NOT NULL,
    "latency_p95_ms" DOUBLE PRECISION,
    "error_requests" INTEGER NOT NULL,
    "computed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "weekly_stats_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "weekly_stats_key" ON "weekly_stats"("week", "endpoint", "cohort", "endpoint_all", "cohort_all") NULLS NOT DISTINCT;
