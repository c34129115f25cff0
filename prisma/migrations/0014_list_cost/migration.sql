-- What contracts saved: list cost − contracted cost of the events (0 where no contract applied), beside the
-- direct cost in each rollup, so the review and finance show the list price next to what is paid. The rollups
-- are rebuilt from the events on the next refresh.
ALTER TABLE "request_facts" ADD COLUMN "contract_discount" DECIMAL(30,12) NOT NULL DEFAULT 0;
ALTER TABLE "weekly_stats" ADD COLUMN "contract_discount" DECIMAL(30,12) NOT NULL DEFAULT 0;
ALTER TABLE "daily_costs" ADD COLUMN "contract_discount" DECIMAL(30,12) NOT NULL DEFAULT 0;
DELETE FROM "settings" WHERE "key" = 'rollups.watermark';
