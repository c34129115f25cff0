-- Contracts: a negotiated discount, a percentage off the list price of a provider (model NULL) or of one
-- model, over a date range. It applies after list price to estimated and incomplete costs, never to billed
-- (the provider's bill already has it) or GPU costs. lib/pricing/contracts.ts applies and changes them.
CREATE TABLE "contracts" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "provider" TEXT NOT NULL,
    "model" TEXT,
    "percent_off" DECIMAL NOT NULL,
    "effective_from" TIMESTAMPTZ(3) NOT NULL,
    "effective_to" TIMESTAMPTZ(3),
    "note" TEXT NOT NULL DEFAULT '',
    "created_by" TEXT NOT NULL DEFAULT 'system',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retired_at" TIMESTAMPTZ(3),

    CONSTRAINT "contracts_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "contracts_percent_off_check" CHECK ("percent_off" > 0 AND "percent_off" < 100),
    CONSTRAINT "contracts_window_check" CHECK ("effective_to" IS NULL OR "effective_to" > "effective_from")
);

-- The list cost of an event whose cost_usd is contracted (NULL: cost_usd is the list cost, so rows
-- stored before contracts need no rewrite). cost_usd stays what is paid.
ALTER TABLE "cost_events" ADD COLUMN "list_cost_usd" DECIMAL(30,12);
