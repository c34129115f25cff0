-- What-if scenarios saved under a name, so a team can share one by link and evaluate it again later
-- (lib/whatif/scenarios.ts). The scenario is the API's input as validated (lib/whatif/schemas.ts); it is
-- evaluated afresh each time, against the traffic and the price book as they are then.
CREATE TABLE "whatif_scenarios" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "endpoint" TEXT NOT NULL,
    "scenario" JSONB NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "whatif_scenarios_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "whatif_scenarios_name_check" CHECK (length(btrim("name")) > 0)
);
CREATE INDEX "whatif_scenarios_endpoint_idx" ON "whatif_scenarios"("endpoint", "created_at");
