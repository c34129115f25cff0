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
    try {
      await refreshRollups(pool());
      if (Date.now() - lastDetection >= INCIDENT_EVERY_MS) {
        lastDetection = Date.now();
        await detectIncidents();
      }
    } catch (err) {
      console.error("rollup refresh or incident detection failed:", (err as Error).message);
    } finally {
      g.__costReviewRollups = setTimeout(() => void tick(), seconds * 1000);
      g.__costReviewRollups.unref?.();
    }
  };
  g.__costReviewRollups = setTimeout(() => void tick(), 1000);
  g.__costReviewRollups.unref?.();
}
