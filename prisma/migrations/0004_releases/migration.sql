-- Releases: what shipped, when, and which endpoints and features it touched; and the written
-- justifications for releases that made cost per request rise, every edit kept as a version.

CREATE TABLE "releases" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    -- Set by a deploy pipeline so that posting the same release again does not record it twice.
    "external_id" TEXT,
    "version" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "shipped_at" TIMESTAMPTZ(3) NOT NULL,
    -- Endpoint slugs (as sent in events' endpoint tag) and feature slugs the release touched.
    "endpoints" TEXT[] NOT NULL DEFAULT '{}',
    "features" TEXT[] NOT NULL DEFAULT '{}',
    "author" TEXT,
    "link" TEXT,
    "created_by_id" UUID,
    "created_by_label" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "releases_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "releases_external_id_key" ON "releases"("external_id");
CREATE INDEX "releases_shipped_at_idx" ON "releases"("shipped_at");
CREATE INDEX "releases_endpoints_idx" ON "releases" USING GIN ("endpoints");

-- One row per version of a release's justification; the highest version is the current one.
CREATE TABLE "release_justifications" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "release_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "class" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "author_id" UUID,
    "author_label" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "release_justifications_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "release_justifications_release_version_key" ON "release_justifications"("release_id", "version");

ALTER TABLE "releases" ADD CONSTRAINT "releases_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "release_justifications" ADD CONSTRAINT "release_justifications_release_id_fkey" FOREIGN KEY ("release_id") REFERENCES "releases"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "release_justifications" ADD CONSTRAINT "release_justifications_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
