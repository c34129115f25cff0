// Sign-in throttle: failed sign-ins counted per account and per client address in the database (so the
// limits hold across restarts and app instances). Reaching a limit within the window locks that account
// or address for one window; each further lockout within a day doubles the lock (at most a day).
// A successful sign-in clears the account's count, not the address's.
import type { Db } from "@/lib/db/client";
import { env } from "@/lib/env";

export type Lock = { scope: "account" | "address"; retryAfter: number };

const accountKey = (email: string) => `account:${email.trim().toLowerCase().slice(0, 320)}`;
const addressKey = (address: string) => `address:${address}`;

/** The lock in force for this account or address (the longer one), or null. */
export async function signInLock(db: Db, email: string, address: string): Promise<Lock | null> {
  const { rows } = await db.query<{ key: string; seconds: string }>(
    `SELECT key, ceil(extract(epoch FROM locked_until - now()))::text AS seconds
       FROM sign_in_throttle WHERE key = ANY($1::text[]) AND locked_until > now()`,
    [[accountKey(email), addressKey(address)]],
  );
  let lock: Lock | null = null;
  for (const r of rows) {
    const retryAfter = Math.max(1, Number(r.seconds));
    if (!lock || retryAfter > lock.retryAfter) lock = { scope: r.key.startsWith("account:") ? "account" : "address", retryAfter };
  }
  return lock;
}

async function countFailure(db: Db, key: string, limit: number, windowMinutes: number): Promise<Date | null> {
  // The clock read first and passed in: Citus allows no non-immutable function (now(), timestamp
  // arithmetic) in an ON CONFLICT DO UPDATE.
  const { rows: clock } = await db.query<{ now: Date; epoch: number; window_from: Date; day_ago: Date }>(
    "SELECT now() AS now, extract(epoch FROM now())::float8 AS epoch, now() - $1::int * interval '1 minute' AS window_from, now() - interval '1 day' AS day_ago",
    [windowMinutes],
  );
  const { now, epoch, window_from: windowFrom, day_ago: dayAgo } = clock[0]!;
  await db.query(
    `INSERT INTO sign_in_throttle AS t (key, failures, window_start, lockouts, locked_until, updated_at)
     VALUES ($1, 1, $2, 0, NULL, $2)
     ON CONFLICT (key) DO UPDATE SET
       failures = CASE WHEN t.window_start <= $3::timestamptz THEN 1 ELSE t.failures + 1 END,
       window_start = CASE WHEN t.window_start <= $3::timestamptz THEN $2::timestamptz ELSE t.window_start END,
       lockouts = CASE WHEN t.locked_until < $4::timestamptz THEN 0 ELSE t.lockouts END,
       updated_at = $2::timestamptz`,
    [key, now, windowFrom, dayAgo],
  );
  // Conditional on the count, so two concurrent failures never lock twice.
  const { rows } = await db.query<{ locked_until: Date }>(
    // In seconds from the clock read above (to_timestamp of a number is immutable; now() plus an interval
    // computed from a column is not, and Citus refuses that in an UPDATE).
    `UPDATE sign_in_throttle
        SET locked_until = to_timestamp($4::float8 + least($3::int * power(2, least(lockouts, 16)) * 60, 86400)),
            lockouts = lockouts + 1, failures = 0, window_start = $5, updated_at = $5
      WHERE key = $1 AND failures >= $2
      RETURNING locked_until`,
    [key, limit, windowMinutes, epoch, now],
  );
  return rows[0]?.locked_until ?? null;
}

/** Counts a failed sign-in; returns the locks it started (for the audit log). */
export async function recordSignInFailure(db: Db, email: string, address: string): Promise<{ scope: Lock["scope"]; until: Date }[]> {
  const e = env();
  const started: { scope: Lock["scope"]; until: Date }[] = [];
  const account = await countFailure(db, accountKey(email), e.SIGNIN_MAX_FAILURES_PER_ACCOUNT, e.SIGNIN_WINDOW_MINUTES);
  if (account) started.push({ scope: "account", until: account });
  const addr = await countFailure(db, addressKey(address), e.SIGNIN_MAX_FAILURES_PER_ADDRESS, e.SIGNIN_WINDOW_MINUTES);
  if (addr) started.push({ scope: "address", until: addr });
  // Rows untouched for two days hold nothing any more (locks last at most a day, lockouts are forgotten a day later).
  await db.query(`DELETE FROM sign_in_throttle WHERE updated_at < now() - interval '2 days'`);
  return started;
}

/** A successful sign-in: the account's failures are forgotten. */
export async function clearAccountFailures(db: Db, email: string): Promise<void> {
  await db.query(`DELETE FROM sign_in_throttle WHERE key = $1`, [accountKey(email)]);
}
