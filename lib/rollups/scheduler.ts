// Refreshes the rollups on a timer inside the app process, so no external cron is needed.
import { pool } from "@/lib/db/client";
import { env } from "@/lib/env";
import { refreshRollups } from "@/lib/rollups/refresh-rollups";

const g = globalThis as unknown as { __costReviewRollups?: ReturnType<typeof setTimeout> };

export function startRollupScheduler(): void {
  const seconds = env().ROLLUP_INTERVAL_SECONDS;
  if (seconds === 0 || g.__costReviewRollups || !env().DATABASE_URL) return;
  const tick = async () => {
    try {
      await refreshRollups(pool());
    } catch (err) {
      console.error("rollup refresh failed:", (err as Error).message);
    } finally {
      g.__costReviewRollups = setTimeout(() => void tick(), seconds * 1000);
      g.__costReviewRollups.unref?.();
    }
  };
  g.__costReviewRollups = setTimeout(() => void tick(), 1000);
  g.__costReviewRollups.unref?.();
}
