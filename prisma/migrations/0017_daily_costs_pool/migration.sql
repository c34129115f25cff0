-- The GPU pool of a GPU pool-hour share in the daily rollup (NULL on event rows), so the finance page can
-- name a share's pool where its request's GPU event names no provider or model ("gpu: <pool>").
ALTER TABLE "daily_costs" ADD COLUMN "pool" TEXT;

-- The rows already stored have no pool: the next rollup refresh is a full rebuild.
DELETE FROM "settings" WHERE "key" = 'rollups.watermark';
