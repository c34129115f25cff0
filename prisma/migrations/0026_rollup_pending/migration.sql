-- Events the daily rollups (daily_costs, customer_daily and its monthly sums) have not taken in yet. Ingest
-- writes a row for every event it stores, in the transaction that stores it; the rollup refresh adds those
-- events' contributions to the daily rollups and deletes the rows, in one transaction. So an event is in the
-- daily rollups exactly when it has no row here, and each is added once (docs/architecture.md, "Rollups").
CREATE TABLE "rollup_pending_events" (
    "request_key" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "rollup_pending_events_pkey" PRIMARY KEY ("request_key", "id")
);

-- Events stored before this migration have no row here: the next refresh rebuilds the rollups in full
-- (it does so whenever the watermark is missing), which takes every one of them in.
DELETE FROM "settings" WHERE "key" = 'rollups.watermark';

-- On a Citus cluster (as 0025_citus_layout decides), co-located with the events it names.
DO $citus$
DECLARE
  layout text := coalesce(nullif(current_setting('cost_review.layout', true), ''), 'auto');
BEGIN
  IF layout = 'single' OR NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
    RETURN;
  END IF;
  PERFORM create_distributed_table('rollup_pending_events', 'request_key', colocate_with => 'cost_events');
END
$citus$;
