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
 * The arrival rate that holds a refresh back is the last two seconds' (this one and the one before): long
 * enough to span the gaps between a backfill's batches, short enough that the catch-up starts about two
 * seconds after its end (over ten seconds, a burst kept refreshes back for nine seconds after its last batch;
 * over three, with a look every two seconds, for 4.4 s).
 */
const RATE_WINDOW_SECONDS = 2;
/** While refreshes are held back, how often the scheduler looks again whether the burst is over. */
const DEFER_RECHECK_MS = 500;
let lastDetection = 0;

/**
 * Whether to hold this refresh back: events are arriving faster than the threshold (a backfill), and the
 * last refresh is recent enough. A refresh then costs as much CPU and I/O as the ingest it competes with;
 * held back, the figures are at most `maxDeferSeconds` (plus one refresh) behind, and catch up in one go.
 */
export function shouldDeferRefresh(opts: { ratePerSecond: number; deferAbove: number; sinceLastRefreshMs: number; maxDeferSeconds: number }): boolean {
  return opts.maxDeferSeconds > 0 && opts.deferAbove > 0 && opts.ratePerSecond > opts.deferAbove && opts.sinceLastRefreshMs < opts.maxDeferSeconds * 1000;
}

/**
 * Whether to wait before this refresh because the last one ran long: after a refresh, the scheduler rests
 * as long as it took (until `restUntil`), so under steady traffic or a backfill the background work keeps
 * to half of one core; but once no event has arrived for `RATE_WINDOW_SECONDS` there is nothing to share
 * the machine with, and the refresh that catches the figures up runs at once.
 */
export function shouldRest(opts: { nowMs: number; restUntilMs: number; ratePerSecond: number }): boolean {
  return opts.nowMs < opts.restUntilMs && opts.ratePerSecond > 0;
}

const g = globalThis as unknown as { __costReviewRollups?: ReturnType<typeof setTimeout> };

export function startRollupScheduler(): void {
  const seconds = env().ROLLUP_INTERVAL_SECONDS;
  if (seconds === 0 || g.__costReviewRollups || !env().DATABASE_URL) return;
  let lastRefresh = Date.now();
  let restUntil = 0;
  const tick = async () => {
    const started = Date.now();
    const e = env();
    const rate = recentIngestRate(started, RATE_WINDOW_SECONDS);
    if (
      shouldRest({ nowMs: started, restUntilMs: restUntil, ratePerSecond: rate }) ||
      shouldDeferRefresh({ ratePerSecond: rate, deferAbove: e.ROLLUP_DEFER_ABOVE_EVENTS_PER_SECOND, sinceLastRefreshMs: started - lastRefresh, maxDeferSeconds: e.ROLLUP_MAX_DEFER_SECONDS })
    ) {
      g.__costReviewRollups = setTimeout(() => void tick(), DEFER_RECHECK_MS); // look again soon: the burst may be over
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
      // Rest as long as the refresh took while events keep arriving (shouldRest), and the interval always.
      restUntil = Date.now() + (Date.now() - started);
      g.__costReviewRollups = setTimeout(() => void tick(), seconds * 1000);
      g.__costReviewRollups.unref?.();
    }
  };
  g.__costReviewRollups = setTimeout(() => void tick(), 1000);
  g.__costReviewRollups.unref?.();
}
