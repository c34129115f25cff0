-- Every event names the request it is stored with: its request id, or for an event that names no request
-- (a GPU event that served none: a pool's idle or shared time) its own id. This is the key the event store
-- is distributed by on a Citus cluster (0025_citus_layout): a distribution column can hold no NULL, and every
-- unique key of a distributed table must contain it. The column and the key are the same on every layout (plain PostgreSQL, embedded,
-- Citus), so one schema serves them all. Ingest writes it (lib/ingest/store-events.ts).
ALTER TABLE "cost_events" ADD COLUMN "request_key" TEXT;
UPDATE "cost_events" SET "request_key" = COALESCE("request_id", "id");
ALTER TABLE "cost_events" ALTER COLUMN "request_key" SET NOT NULL;
ALTER TABLE "cost_events" ADD CONSTRAINT "cost_events_request_key_check" CHECK ("request_key" = COALESCE("request_id", "id"));
ALTER TABLE "cost_events" DROP CONSTRAINT "cost_events_pkey";
ALTER TABLE "cost_events" ADD CONSTRAINT "cost_events_pkey" PRIMARY KEY ("id", "request_key", "ts");

-- Roles, API key scopes and cohort kinds are text with a CHECK rather than enum types: on Citus these tables
-- are reference tables, and Citus refuses a change whose RETURNING casts an enum to text (the enum's output
-- function is not immutable), which is how the app reads these rows back. The allowed values are unchanged.
ALTER TABLE "users" ALTER COLUMN "role" DROP DEFAULT;
ALTER TABLE "users" ALTER COLUMN "role" TYPE TEXT USING "role"::TEXT;
ALTER TABLE "users" ALTER COLUMN "role" SET DEFAULT 'viewer';
ALTER TABLE "users" ADD CONSTRAINT "users_role_check" CHECK ("role" IN ('admin', 'owner', 'finance', 'viewer'));
ALTER TABLE "api_keys" ALTER COLUMN "scope" TYPE TEXT USING "scope"::TEXT;
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_scope_check" CHECK ("scope" IN ('ingest', 'admin'));
ALTER TABLE "cohorts" ALTER COLUMN "kind" DROP DEFAULT;
ALTER TABLE "cohorts" ALTER COLUMN "kind" TYPE TEXT USING "kind"::TEXT;
ALTER TABLE "cohorts" ALTER COLUMN "kind" SET DEFAULT 'tier';
ALTER TABLE "cohorts" ADD CONSTRAINT "cohorts_kind_check" CHECK ("kind" IN ('tier', 'tenant'));
DROP TYPE "Role";
DROP TYPE "ApiKeyScope";
DROP TYPE "CohortKind";
