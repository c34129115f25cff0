-- Model shifts for "why it moved": each request's direct cost per model (provider/model, or "(kind)" for
-- events without a model), and per week and endpoint the requests that used each model and its cost.

ALTER TABLE "request_facts" ADD COLUMN "model_costs" JSONB NOT NULL DEFAULT '{}';

CREATE TABLE "weekly_model_stats" (
    "id" BIGSERIAL NOT NULL,
    "week" DATE NOT NULL,
    "endpoint" TEXT,
    "model" TEXT NOT NULL,
    "requests" INTEGER NOT NULL,
    "direct_cost" NUMERIC(30,12) NOT NULL,
    CONSTRAINT "weekly_model_stats_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "weekly_model_stats_key" ON "weekly_model_stats"("week", "endpoint", "model") NULLS NOT DISTINCT;

-- The existing request facts have no model costs yet: the next refresh rebuilds every rollup.
DELETE FROM "settings" WHERE "key" = 'rollups.watermark';
