// Runs the outbox worker (lib/notify/worker.ts) on a timer inside the app process, like the rollup
// scheduler: no external queue or cron. Every app instance may run it; claims never overlap.
import { pool } from "@/lib/db/client";
import { env } from "@/lib/env";
import { getSetting } from "@/lib/settings/settings";
import { runOnce, workerId } from "@/lib/notify/worker";
import { digestStep } from "@/lib/notify/digest";
import { remindersStep } from "@/lib/notify/events";

/** Rounds in a row before the worker rests: a long queue is worked through, but never forever in one go. */
const MAX_ROUNDS = 50;
const BATCH = 10;

const g = globalThis as unknown as { __costReviewNotify?: { timer?: ReturnType<typeof setTimeout>; running: boolean; id: string; digestCheckedHour?: string } };

/**
 * Once an hour: the weekly digest when it is due (once per week and recipient), and the reminders (due
 * tomorrow, overdue, releases to justify; once per follow-up or release and kind). Their idempotency
 * keys make sure several instances or a restart never send one twice.
 */
async function hourlyTick(): Promise<void> {
  const s = g.__costReviewNotify!;
  const hour = new Date().toISOString().slice(0, 13);
  if (s.digestCheckedHour === hour) return;
  s.digestCheckedHour = hour;
  try {
    await digestStep(pool());
  } catch (err) {
    console.error("weekly digest failed:", (err as Error).message);
  }
  try {
    await remindersStep(pool());
  } catch (err) {
    console.error("notification reminders failed:", (err as Error).message);
  }
}

function schedule(ms: number): void {
  const s = g.__costReviewNotify!;
  if (s.timer) clearTimeout(s.timer);
  s.timer = setTimeout(() => void tick(), ms);
  s.timer.unref?.();
}

async function tick(): Promise<void> {
  const s = g.__costReviewNotify!;
  if (s.running) return;
  s.running = true;
  try {
    await hourlyTick();
    const db = pool();
    const delivery = await getSetting(db, "notifications.delivery");
    for (let i = 0; i < MAX_ROUNDS; i++) {
      if ((await runOnce(db, { workerId: s.id, delivery, batch: BATCH, leaseMs: env().NOTIFY_LEASE_SECONDS * 1000 })) < BATCH) break;
    }
  } catch (err) {
    console.error("notification delivery failed:", (err as Error).message);
  } finally {
    s.running = false;
    schedule(env().NOTIFY_POLL_SECONDS * 1000);
  }
}

export function startNotificationWorker(): void {
  if (env().NOTIFY_POLL_SECONDS === 0 || g.__costReviewNotify || !env().DATABASE_URL) return;
  g.__costReviewNotify = { running: false, id: workerId() };
  schedule(2000);
}

/** Look at the outbox now (after a message was enqueued in this process), instead of at the next poll. */
export function wakeNotificationWorker(): void {
  const s = g.__costReviewNotify;
  if (s && !s.running) schedule(50);
}
