-- Quality metrics beside cost, cost targets per endpoint (and cohort), and cost incidents.

-- One row per day × endpoint × cohort × metric. Every metric is a success rate: `successes` of
-- `samples` succeeded and `value` = successes / samples. A NULL cohort is the endpoint as a whole.
CREATE TABLE "quality_metrics" (
    "id" BIGSERIAL NOT NULL,
    "day" DATE NOT NULL,
    "endpoint" TEXT NOT NULL,
    "cohort" TEXT,
    "metric" TEXT NOT NULL,
    "value" NUMERIC(20,12) NOT NULL,
    "successes" NUMERIC(30,12) NOT NULL,
    "samples" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "quality_metrics_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "quality_metrics_value_check" CHECK ("value" >= 0 AND "value" <= 1),
    CONSTRAINT "quality_metrics_samples_check" CHECK ("samples" > 0)
);
CREATE UNIQUE INDEX "quality_metrics_key" ON "quality_metrics"("endpoint", "metric", "day", "cohort") NULLS NOT DISTINCT;

-- The metric shown beside cost for an endpoint (otherwise: the first one reported for it).
CREATE TABLE "quality_primary_metrics" (
    "endpoint_id" UUID NOT NULL,
    "metric" TEXT NOT NULL,
    CONSTRAINT "quality_primary_metrics_pkey" PRIMARY KEY ("endpoint_id"),
    CONSTRAINT "quality_primary_metrics_endpoint_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "endpoints"("id") ON DELETE CASCADE
);

-- Target and ceiling cost per request per endpoint and cohort (NULL = all cohorts), revenue per
-- request for the gross margin, and the p95 latency budget.
CREATE TABLE "cost_targets" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "endpoint_id" UUID NOT NULL,
    "cohort" TEXT,
    "target_cost" NUMERIC(30,12),
    "ceiling_cost" NUMERIC(30,12),
    "revenue_per_request" NUMERIC(30,12),
    "latency_budget_ms" INTEGER,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "cost_targets_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "cost_targets_endpoint_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "endpoints"("id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "cost_targets_key" ON "cost_targets"("endpoint_id", "cohort") NULLS NOT DISTINCT;

-- A sustained rise of hourly cost per request over its rolling baseline.
CREATE TABLE "cost_incidents" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "endpoint" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "opened_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    -- The first hot hour and the end of the last one.
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "window_end" TIMESTAMPTZ(3) NOT NULL,
    "factor" NUMERIC(10,4) NOT NULL,
    -- [{hour, requests, costPerRequest, baseline}] for every hot hour.
    "hours" JSONB NOT NULL,
    "owner_id" UUID,
    "resolved_at" TIMESTAMPTZ(3),
    "resolved_by_id" UUID,
    "resolution_note" TEXT,
    CONSTRAINT "cost_incidents_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "cost_incidents_status_check" CHECK ("status" IN ('open', 'resolved')),
    CONSTRAINT "cost_incidents_owner_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE SET NULL,
    CONSTRAINT "cost_incidents_resolved_by_fkey" FOREIGN KEY ("resolved_by_id") REFERENCES "users"("id") ON DELETE SET NULL
);
CREATE UNIQUE INDEX "cost_incidents_one_open" ON "cost_incidents"("endpoint") WHERE "status" = 'open';
CREATE INDEX "cost_incidents_endpoint_idx" ON "cost_incidents"("endpoint", "window_start");
CREATE INDEX "request_facts_endpoint_first_ts_idx" ON "request_facts"("endpoint", "first_ts");
