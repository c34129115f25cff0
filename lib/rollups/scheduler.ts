// Refreshes the rollups on a timer inside the app process, so no external cron is needed.
import { pool } from "@/lib/db/client";
import { env } from "@/lib/env";
import { refreshRollups } from "@/lib/rollups/refresh-rollups";
import { detectIncidents } from "@/lib/incidents/detect";
import { checkBudgets } from "@/lib/budgets/budgets";
import { msSinceIngest, recentIngestRate } from "@/lib/ingest/activity";

/** Cost-incident detection and the budgets' forecast check run after a rollup refresh, at most this often. */
const INCIDENT_EVERY_MS = 5 * 60_000;
/**
 * The arrival rate that holds a refresh back (ROLLUP_DEFER_ABOVE_EVENTS_PER_SECOND) or makes refreshes
 * follow a burst is the last two seconds' (this one and the one before): long enough to span the gaps
 * between a backfill's batches (over ten seconds, a burst kept refreshes back for nine seconds after its
 * last batch; over three, with a look every two seconds, for 4.4 s).
 */
const RATE_WINDOW_SECONDS = 2;
/**
 * Events have stopped when none was stored for this long: then the rest after a refresh ends and the
 * catch-up starts, within QUIET_MS + DEFER_RECHECK_MS of the last batch. Batches of a burst from several
 * clients commit tens of milliseconds apart; one client's, a round trip apart (about 0.2 s at 1,000
 * events). Read off the rate, the end showed two seconds late.
 */
const QUIET_MS = 500;
/**
 * After a refresh, while events keep arriving, the scheduler rests this many times as long as the refresh
 * took: background work keeps to a third of the time during a burst. Measured on a 1M-event burst on two
 * cores, following it: resting as long (1×) caught up 8–10 s after the last batch but slowed ingest to
 * 21,000–22,000 events/s; 2× caught up in 14–15 s with ingest at 25,000–29,500 events/s, as fast as
 * holding every refresh back (which caught up in 23 s).
 */
const REST_FACTOR = 2;
/** While refreshes are held back or follow a burst, how often the scheduler looks again. */
const DEFER_RECHECK_MS = 250;
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
 * REST_FACTOR times as long as it took (until `restUntil`), so under steady traffic or a burst the
 * background work keeps to a third of the time; but once no event has been stored for QUIET_MS there is
 * nothing to share the machine with, and the refresh that catches the figures up runs at once.
 */
export function shouldRest(opts: { nowMs: number; restUntilMs: number; msSinceIngest: number }): boolean {
  return opts.nowMs < opts.restUntilMs && opts.msSinceIngest < QUIET_MS;
}

/**
 * Whether the refreshes follow a burst: the next one comes as soon as the rest allows (DEFER_RECHECK_MS),
 * not after the interval. A tick that sees events arriving faster than `followAbove` starts following; a
 * refresh that starts at a lower rate (the burst is over: it takes in the tail) stops it. 0 = never follow.
 */
export function followsBurst(opts: { was: boolean; ratePerSecond: number; followAbove: number; refreshing: boolean }): boolean {
  const burst = opts.followAbove > 0 && opts.ratePerSecond > opts.followAbove;
  return opts.refreshing ? burst : opts.was || burst;
}

const g = globalThis as unknown as { __costReviewRollups?: ReturnType<typeof setTimeout> };

export function startRollupScheduler(): void {
  const seconds = env().ROLLUP_INTERVAL_SECONDS;
  if (seconds === 0 || g.__costReviewRollups || !env().DATABASE_URL) return;
  let lastRefresh = Date.now();
  let restUntil = 0;
  let following = false;
  const tick = async () => {
    const started = Date.now();
    const e = env();
    const rate = recentIngestRate(started, RATE_WINDOW_SECONDS);
    const follow = { was: following, ratePerSecond: rate, followAbove: e.ROLLUP_FOLLOW_ABOVE_EVENTS_PER_SECOND };
    if (
      shouldRest({ nowMs: started, restUntilMs: restUntil, msSinceIngest: msSinceIngest(started) }) ||
      shouldDeferRefresh({ ratePerSecond: rate, deferAbove: e.ROLLUP_DEFER_ABOVE_EVENTS_PER_SECOND, sinceLastRefreshMs: started - lastRefresh, maxDeferSeconds: e.ROLLUP_MAX_DEFER_SECONDS })
    ) {
      following = followsBurst({ ...follow, refreshing: false });
      g.__costReviewRollups = setTimeout(() => void tick(), DEFER_RECHECK_MS); // look again soon: the burst may be over
      g.__costReviewRollups.unref?.();
      return;
    }
    following = followsBurst({ ...follow, refreshing: true });
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
      // Rest twice as long as the refresh took while events keep arriving (shouldRest); then, following a
      // burst, refresh again at once, or else after the interval.
      restUntil = Date.now() + REST_FACTOR * (Date.now() - started);
      g.__costReviewRollups = setTimeout(() => void tick(), following ? DEFER_RECHECK_MS : seconds * 1000);
      g.__costReviewRollups.unref?.();
    }
  };
  g.__costReviewRollups = setTimeout(() => void tick(), 1000);
  g.__costReviewRollups.unref?.();
}
