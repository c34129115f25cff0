// Runs once when the server starts: background work that keeps derived data fresh.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startRollupScheduler } = await import("@/lib/rollups/scheduler");
    startRollupScheduler();
    const { startNotificationWorker } = await import("@/lib/notify/scheduler");
    startNotificationWorker();
  }
}
