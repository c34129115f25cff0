-- A release may name the what-if scenario it was decided on, and which of its candidates shipped, so that
-- the release page can set the scenario's projection (that candidate's cost per request) against the actual
-- cost per request of the endpoint after shipping (lib/releases/scenario-check.ts). Deleting the scenario
-- leaves the release without one.
ALTER TABLE "releases" ADD COLUMN "scenario_id" UUID;
ALTER TABLE "releases" ADD COLUMN "scenario_candidate" INTEGER;
ALTER TABLE "releases" ADD CONSTRAINT "releases_scenario_id_fkey" FOREIGN KEY ("scenario_id") REFERENCES "whatif_scenarios"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "releases" ADD CONSTRAINT "releases_scenario_candidate_check" CHECK ("scenario_candidate" IS NULL OR ("scenario_candidate" >= 0 AND "scenario_candidate" < 5));
CREATE INDEX "releases_scenario_id_idx" ON "releases"("scenario_id");
