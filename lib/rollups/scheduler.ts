// Refreshes the rollups on a timer inside the app process, so no external cron is needed.
import { pool } from "@/lib/db/client";
import { env } from "@/lib/env";
import { refreshRollups } from "@/lib/rollups/refresh-rollups";
import { detectIncidents } from "@/lib/incidents/detect";

/** Cost-incident detection runs after a rollup refresh, at most this often. */
const INCIDENT_EVERY_MS = 5 * 60_000;
let lastDetection = 0;

const g = globalThis as unknown as { __costReviewRollups?: ReturnType<typeof setTimeout> };

export function startRollupScheduler(): void {
  const seconds = env().ROLLUP_INTERVAL_SECONDS;
  if (seconds === 0 || g.__costReviewRollups || !env().DATABASE_URL) return;
  const tick = async () => {
    const started = Date.now();
    try {
      await refreshRollups(pool());
      if (Date.now() - lastDetection >= INCIDENT_EVERY_MS) {
        lastDetection = Date.now();
        await detectIncidents();
      }
    } catch (err) {
      console.error("rollup refresh or incident detection failed:", (err as Error).message);
    } finally {
      // Rest at least as long as the refresh took: under a heavy backfill, when a refresh recomputes
      // many days, the background work keeps to half of one core instead of running back to back.
      g.__costReviewRollups = setTimeout(() => void tick(), Math.max(seconds * 1000, Date.now() - started));
      g.__costReviewRollups.unref?.();
    }
  };
  g.__costReviewRollups = setTimeout(() => void tick(), 1000);
  g.__costReviewRollups.unref?.();
}
