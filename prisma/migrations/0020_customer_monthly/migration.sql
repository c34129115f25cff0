-- Per month × customer × feature (customer_monthly) and per month × customer (customer_month_totals):
-- customer_daily summed over the month, so the customer pages and the margin read one row per customer
-- (and feature, where they split by it) instead of one per day. Kept in step with customer_daily
-- by the rollup refresh (lib/finance/daily-costs.ts): the rows of a recomputed day are taken off their
-- month and the new ones added, exact decimals both ways; `parts` counts the daily rows in a month's row,
-- and a row whose parts reach 0 is deleted. Feature '' is "no feature" (an event's empty tag is no tag).
CREATE TABLE "customer_monthly" (
    "month" DATE NOT NULL,
    "customer_id" TEXT NOT NULL,
    "feature" TEXT NOT NULL DEFAULT '',
    "parts" INTEGER NOT NULL,
    "events" INTEGER NOT NULL,
    "requests" INTEGER NOT NULL,
    "direct_cost" DECIMAL NOT NULL,
    "gpu_cost" DECIMAL NOT NULL,
    "overhead_cost" DECIMAL NOT NULL,
    CONSTRAINT "customer_monthly_pkey" PRIMARY KEY ("month", "customer_id", "feature")
);
CREATE INDEX "customer_monthly_customer_idx" ON "customer_monthly"("customer_id", "month");

INSERT INTO "customer_monthly" ("month", "customer_id", "feature", "parts", "events", "requests", "direct_cost", "gpu_cost", "overhead_cost")
SELECT date_trunc('month', "day")::date, "customer_id", coalesce("feature", ''), count(*), sum("events"), sum("requests"),
  sum("direct_cost"), sum("gpu_cost"), sum("overhead_cost")
FROM "customer_daily"
GROUP BY 1, 2, 3;

CREATE TABLE "customer_month_totals" (
    "month" DATE NOT NULL,
    "customer_id" TEXT NOT NULL,
    "parts" INTEGER NOT NULL,
    "events" INTEGER NOT NULL,
    "requests" INTEGER NOT NULL,
    "direct_cost" DECIMAL NOT NULL,
    "gpu_cost" DECIMAL NOT NULL,
    "overhead_cost" DECIMAL NOT NULL,
    CONSTRAINT "customer_month_totals_pkey" PRIMARY KEY ("month", "customer_id")
);
CREATE INDEX "customer_month_totals_customer_idx" ON "customer_month_totals"("customer_id", "month");

INSERT INTO "customer_month_totals" ("month", "customer_id", "parts", "events", "requests", "direct_cost", "gpu_cost", "overhead_cost")
SELECT date_trunc('month', "day")::date, "customer_id", count(*), sum("events"), sum("requests"), sum("direct_cost"), sum("gpu_cost"), sum("overhead_cost")
FROM "customer_daily"
GROUP BY 1, 2;
