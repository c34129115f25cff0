-- Revenue per request assumed for a plan: the fallback for a customer without uploaded revenue in a month
-- (its revenue is then its requests × the rate of its plan, labelled as an assumption everywhere it shows).
CREATE TABLE "plan_revenue_rates" (
    "plan" TEXT NOT NULL,
    "revenue_per_request" DECIMAL(30,12) NOT NULL,
    "updated_by" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "plan_revenue_rates_pkey" PRIMARY KEY ("plan"),
    CONSTRAINT "plan_revenue_rates_rate_check" CHECK ("revenue_per_request" >= 0)
);
