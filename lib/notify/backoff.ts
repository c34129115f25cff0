// When a failed delivery is tried again: exponential back-off with jitter, and a receiver's Retry-After.
// Pure functions (the worker in lib/notify/worker.ts passes its clock and its random numbers).

export type BackoffPolicy = {
  /** The wait after the first failure, in milliseconds; each further failure doubles it… */
  baseMs: number;
  /** …up to this. */
  maxMs: number;
};

/**
 * The wait before the next try after `failures` failed tries (1 = the first failure): the exponential
 * step min(max, base × 2^(failures − 1)), jittered into its upper half ("equal jitter"), so messages that
 * failed together do not come back together and no wait is shorter than half its step.
 * `random` is a number in [0, 1).
 */
export function backoffMs(failures: number, policy: BackoffPolicy, random: number = Math.random()): number {
  const n = Math.max(1, Math.floor(failures));
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(n - 1, 52));
  const r = Math.min(Math.max(random, 0), 1);
  return Math.round(step / 2 + (step / 2) * r);
}

/** The wait before the next try: the back-off, or the receiver's Retry-After when it asks for longer. */
export function nextDelayMs(failures: number, policy: BackoffPolicy, retryAfterMs: number | null, random: number = Math.random()): number {
  return Math.max(backoffMs(failures, policy, random), retryAfterMs ?? 0);
}
