-- The Citus layout (docs/scaling.md): applied only where the database has the citus extension, and not
-- where COST_REVIEW_DB_LAYOUT=single asked for one server's layout (lib/db/migrate.ts sets the session's
-- cost_review.layout from it). On plain PostgreSQL and the embedded database this migration does nothing,
-- so the schema is the same everywhere; only where the rows live differs.
--
-- Per-request data is distributed by request and co-located, so a request's events, its facts and its GPU
-- shares sit on one worker and per-request totals are computed there. The id ledger is distributed by
-- event id (exactly-once is decided where the id lives). Everything else (the organisation, its
-- dimensions, prices and settings, the review workflow, and the rollups, which are small next to the
-- events and read with the dimensions on every page) is a reference table: one copy on every node, so
-- joins with it stay on the worker that holds the events.
DO $citus$
DECLARE
  layout text := coalesce(nullif(current_setting('cost_review.layout', true), ''), 'auto');
  t text;
BEGIN
  IF layout = 'single' OR NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
    IF layout = 'citus' THEN
      RAISE EXCEPTION 'COST_REVIEW_DB_LAYOUT=citus, but the database has no citus extension (CREATE EXTENSION citus first)';
    END IF;
    RETURN;
  END IF;
  -- Joins that are not on the distribution column (rare; the hot queries join on it) repartition rather
  -- than fail, and multi-shard changes in one transaction run over one connection per worker.
  EXECUTE format('ALTER DATABASE %I SET citus.enable_repartition_joins = on', current_database());
  -- A transaction that read or changed many shards and then changes a reference table (a release after its
  -- verdict was computed from the events) must have used one connection per worker: Citus refuses it
  -- otherwise. Sequential multi-shard mode does that for every transaction.
  EXECUTE format('ALTER DATABASE %I SET citus.multi_shard_modify_mode = %L', current_database(), 'sequential');
  SET LOCAL citus.multi_shard_modify_mode TO 'sequential';

  -- Reference tables: every table that is not per-request data, in an order where each one's foreign keys
  -- point at tables already made reference tables.
  FOREACH t IN ARRAY ARRAY[
    'users', 'teams', 'features', 'endpoints', 'cohorts', 'customers', 'gpu_pools', 'price_entries', 'contracts',
    'settings', 'closed_months', 'plan_revenue_rates', 'api_keys', 'audit_log', 'sign_in_throttle',
    'cost_targets', 'quality_metrics', 'quality_primary_metrics', 'whatif_scenarios', 'releases', 'release_justifications',
    'review_sessions', 'review_items', 'review_item_comments', 'review_item_justifications', 'follow_ups',
    'review_session_attendees', 'review_session_carryovers', 'cost_incidents', 'budgets', 'budget_alerts',
    'notification_channels', 'notification_preferences', 'finance_invoices', 'provider_costs',
    'customer_revenue', 'gpu_pool_hours', 'weekly_stats', 'weekly_model_stats', 'daily_costs', 'customer_daily',
    'customer_monthly', 'customer_month_totals'
  ] LOOP
    PERFORM create_reference_table(t);
  END LOOP;

  -- The notification outbox stays on the coordinator (a Citus local table, in the metadata so that its
  -- foreign keys to the reference tables hold): its worker claims messages with FOR UPDATE SKIP LOCKED,
  -- which a reference table does not honour across its copies.
  IF NOT EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = 'outbox'::regclass) THEN
    PERFORM citus_add_local_table_to_metadata('outbox');
  END IF;

  -- Per-request data, co-located by request (the events by request_key: the request id, or the event's
  -- own id when it names no request).
  PERFORM create_distributed_table('cost_events', 'request_key');
  PERFORM create_distributed_table('request_facts', 'request_id', colocate_with => 'cost_events');
  PERFORM create_distributed_table('gpu_allocations', 'request_id', colocate_with => 'cost_events');
  PERFORM create_distributed_table('rollup_dirty_requests', 'request_id', colocate_with => 'cost_events');
  -- The id ledger by event id, in a group of its own.
  PERFORM create_distributed_table('event_ids', 'id', colocate_with => 'none');
END
$citus$;
