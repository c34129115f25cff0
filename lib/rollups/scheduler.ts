// Refreshes the rollups on a timer inside the app process, so no external cron is needed.
import { pool } from "@/lib/db/client";
import { env } from "@/lib/env";
import { refreshRollups } from "@/lib/rollups/refresh-rollups";
import { detectIncidents } from "@/lib/incidents/detect";
import { checkBudgets } from "@/lib/budgets/budgets";
import { recentIngestRate } from "@/lib/ingest/activity";

/** Cost-incident detection and the budgets' forecast check run after a rollup refresh, at most this often. */
const INCIDENT_EVERY_MS = 5 * 60_000;
/**
 * The arrival rate that holds a refresh back is the last three seconds': long enough to span the gaps
 * between a backfill's batches, short enough that the catch-up starts within seconds of its end (over ten
 * seconds, a burst kept refreshes back for nine seconds after its last batch).
 */
const RATE_WINDOW_SECONDS = 3;
let lastDetection = 0;

/**
 * Whether to hold this refresh back: events are arriving faster than the threshold (a backfill), and the
 * last refresh is recent enough. A refresh then costs as much CPU and I/O as the ingest it competes with;
 * held back, the figures are at most `maxDeferSeconds` (plus one refresh) behind, and catch up in one go.
 */
export function shouldDeferRefresh(opts: { ratePerSecond: number; deferAbove: number; sinceLastRefreshMs: number; maxDeferSeconds: number }): boolean {
  return opts.maxDeferSeconds > 0 && opts.deferAbove > 0 && opts.ratePerSecond > opts.deferAbove && opts.sinceLastRefreshMs < opts.maxDeferSeconds * 1000;
}

const g = globalThis as unknown as { __costReviewRollups?: ReturnType<typeof setTimeout> };

export function startRollupScheduler(): void {
  const seconds = env().ROLLUP_INTERVAL_SECONDS;
  if (seconds === 0 || g.__costReviewRollups || !env().DATABASE_URL) return;
  let lastRefresh = Date.now();
  const tick = async () => {
    const started = Date.now();
    const e = env();
    if (shouldDeferRefresh({ ratePerSecond: recentIngestRate(Date.now(), RATE_WINDOW_SECONDS), deferAbove: e.ROLLUP_DEFER_ABOVE_EVENTS_PER_SECOND, sinceLastRefreshMs: started - lastRefresh, maxDeferSeconds: e.ROLLUP_MAX_DEFER_SECONDS })) {
      g.__costReviewRollups = setTimeout(() => void tick(), 2000); // look again soon: the burst may be over
      g.__costReviewRollups.unref?.();
      return;
    }
    try {
      const db = pool();
      await refreshRollups(db);
      lastRefresh = Date.now();
      if (Date.now() - lastDetection >= INCIDENT_EVERY_MS) {
        lastDetection = Date.now();
        await detectIncidents(db);
        await checkBudgets(db);
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
