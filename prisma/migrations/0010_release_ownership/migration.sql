-- Who may change a release, and a variance verdict that an edit cannot wash away.
-- created_by_key_id: the API key that recorded the release (an ingest key may change only its own).
-- justification_required_at: when the variance check first found that the release needs a
-- justification; from then on it needs one until it is justified, whatever later edits do.
ALTER TABLE "releases" ADD COLUMN "created_by_key_id" UUID;
ALTER TABLE "releases" ADD COLUMN "justification_required_at" TIMESTAMPTZ(3);
ALTER TABLE "releases" ADD CONSTRAINT "releases_created_by_key_id_fkey" FOREIGN KEY ("created_by_key_id") REFERENCES "api_keys"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Releases recorded by a key before this migration name the key's prefix in their label.
UPDATE "releases" r SET "created_by_key_id" = k."id" FROM "api_keys" k WHERE r."created_by_label" = 'api-key:' || k."prefix";
