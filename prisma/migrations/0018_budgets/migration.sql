-- Budgets: a monthly amount for the organisation, a team, a feature, a customer or a plan (cohort), with an
-- owner. Each month's forecast is made from the month-to-date figures (lib/budgets/forecast.ts); a forecast
-- above the budget opens an alert for the owner (one per budget and month), shown in My work.
CREATE TABLE "budgets" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "scope" TEXT NOT NULL,
    -- '' for the organisation
    "scope_value" TEXT NOT NULL DEFAULT '',
    "amount_usd" DECIMAL(30,12) NOT NULL,
    "owner_id" UUID,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "budgets_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "budgets_scope_check" CHECK ("scope" IN ('organisation', 'team', 'feature', 'customer', 'plan')),
    CONSTRAINT "budgets_amount_check" CHECK ("amount_usd" > 0),
    CONSTRAINT "budgets_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "budgets_scope_key" ON "budgets"("scope", "scope_value");

CREATE TABLE "budget_alerts" (
    "budget_id" UUID NOT NULL,
    "month" DATE NOT NULL,
    "opened_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    -- The forecast and budget when the breach was first predicted, and the latest forecast.
    "forecast_usd" DECIMAL(30,12) NOT NULL,
    "latest_forecast_usd" DECIMAL(30,12) NOT NULL,
    "budget_usd" DECIMAL(30,12) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "acknowledged_by_id" UUID,
    "acknowledged_at" TIMESTAMPTZ(3),
    CONSTRAINT "budget_alerts_pkey" PRIMARY KEY ("budget_id", "month"),
    CONSTRAINT "budget_alerts_status_check" CHECK ("status" IN ('open', 'acknowledged')),
    CONSTRAINT "budget_alerts_budget_id_fkey" FOREIGN KEY ("budget_id") REFERENCES "budgets"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
