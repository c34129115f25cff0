// How fast events are arriving at this app process: a ring of per-second counts over the last ten
// seconds. The rollup scheduler reads it to hold its refreshes back while a backfill pours in, so that
// accepting events keeps the machine and the figures catch up right after (within a bounded delay).
const WINDOW_SECONDS = 10;

type Ring = { counts: number[]; seconds: number[]; lastMs: number };
// On globalThis: the server may load this module once per route bundle; the scheduler must see all of them.
const g = globalThis as unknown as { __costReviewIngestActivity?: Ring };

function ring(): Ring {
  return (g.__costReviewIngestActivity ??= { counts: new Array<number>(WINDOW_SECONDS).fill(0), seconds: new Array<number>(WINDOW_SECONDS).fill(-1), lastMs: -Infinity });
}

/** Counts `events` newly stored at `nowMs`. */
export function noteIngested(events: number, nowMs = Date.now()): void {
  if (events <= 0) return;
  const r = ring();
  const second = Math.floor(nowMs / 1000);
  const slot = second % WINDOW_SECONDS;
  if (r.seconds[slot] !== second) {
    r.seconds[slot] = second;
    r.counts[slot] = 0;
  }
  r.counts[slot]! += events;
  r.lastMs = Math.max(r.lastMs, nowMs);
}

/** Milliseconds since events were last stored (Infinity before any): a burst's end shows at once, not when it leaves a rate's window. */
export function msSinceIngest(nowMs = Date.now()): number {
  return Math.max(0, nowMs - ring().lastMs);
}

/** Events stored per second over the last `seconds` seconds (at most ten; the current second included). */
export function recentIngestRate(nowMs = Date.now(), seconds = WINDOW_SECONDS): number {
  const r = ring();
  const second = Math.floor(nowMs / 1000);
  const window = Math.min(Math.max(1, Math.floor(seconds)), WINDOW_SECONDS);
  let total = 0;
  for (let i = 0; i < WINDOW_SECONDS; i++) if (second - r.seconds[i]! < window) total += r.counts[i]!;
  return total / window;
}
