-- Provider cost reports: what OpenAI's organisation Costs API and Anthropic's Admin API cost report say was
-- spent, per UTC day, model (NULL when the report names none) and report line. The daily reconciliation sets
-- them against the events; a line reported where no events were seen is dark spend on the week's coverage.
-- line_key is the report's own grouping of the line (OpenAI: line item and project; Anthropic: workspace,
-- description, cost type, model, token type, service tier, context window), so re-importing the same report
-- replaces the line instead of doubling it.
CREATE TABLE "provider_costs" (
    "provider" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "line_key" TEXT NOT NULL,
    "model" TEXT,
    "amount_usd" DECIMAL(30,12) NOT NULL,
    "source" TEXT NOT NULL,
    "imported_by" TEXT NOT NULL,
    "imported_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "provider_costs_pkey" PRIMARY KEY ("provider", "day", "line_key"),
    CONSTRAINT "provider_costs_source_check" CHECK ("source" IN ('file', 'pull'))
);
CREATE INDEX "provider_costs_day_idx" ON "provider_costs"("day");
