-- Customers: the paying account an event served (cost_events.customer_id; the cohort stays the plan, tier
-- or segment). A customer row is made on first sight by the rollup refresh; it can be named and given a
-- plan and attributes. Revenue per customer and month (optionally per feature) comes from uploads.

ALTER TABLE "cost_events" ADD COLUMN "customer_id" TEXT;
ALTER TABLE "request_facts" ADD COLUMN "customer_id" TEXT;
CREATE INDEX "request_facts_customer_idx" ON "request_facts"("customer_id", "first_ts");

CREATE TABLE "customers" (
    "id" TEXT NOT NULL,
    "name" TEXT,
    -- The plan set by hand; NULL: the cohort of the customer's latest event (last_cohort).
    "plan" TEXT,
    "last_cohort" TEXT,
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "first_seen" TIMESTAMPTZ(3) NOT NULL,
    "last_seen" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "customers_pkey" PRIMARY KEY ("id")
);

-- Per day (org time zone) × customer × feature × cohort: the customer's cost, booked like daily_costs (each
-- event on its own day, GPU shares on the day of their hour, overhead on both), so a month's customers add
-- up to finance's month. Rebuilt day by day by the rollup refresh, together with daily_costs.
CREATE TABLE "customer_daily" (
    "id" BIGSERIAL NOT NULL,
    "day" DATE NOT NULL,
    "customer_id" TEXT NOT NULL,
    "feature" TEXT,
    "cohort" TEXT,
    "events" INTEGER NOT NULL,
    "requests" INTEGER NOT NULL,
    "direct_cost" DECIMAL(30,12) NOT NULL,
    "gpu_cost" DECIMAL(30,12) NOT NULL,
    "overhead_cost" DECIMAL NOT NULL,
    CONSTRAINT "customer_daily_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "customer_daily_day_idx" ON "customer_daily"("day", "customer_id");
CREATE INDEX "customer_daily_customer_idx" ON "customer_daily"("customer_id", "day");

-- Revenue per customer and month; feature '' is the customer's whole revenue for the month.
CREATE TABLE "customer_revenue" (
    "month" DATE NOT NULL,
    "customer_id" TEXT NOT NULL,
    "feature" TEXT NOT NULL DEFAULT '',
    "amount_usd" DECIMAL(30,12) NOT NULL,
    "entered_by" TEXT NOT NULL,
    "entered_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "customer_revenue_pkey" PRIMARY KEY ("month", "customer_id", "feature"),
    CONSTRAINT "customer_revenue_amount_check" CHECK ("amount_usd" >= 0)
);

-- The next refresh rebuilds the rollups, which fills customer_daily and customers from the events.
DELETE FROM "settings" WHERE "key" = 'rollups.watermark';
