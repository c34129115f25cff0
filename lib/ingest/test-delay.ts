// A test-only pause between an ingest transaction's commit and its answer: the window in which a crash
// leaves a batch stored but unacknowledged, which the crash test must hit. Off unless both
// COST_REVIEW_TEST_HOOKS=1 and COST_REVIEW_TEST_INGEST_DELAY_AFTER_COMMIT_MS are set.
import { env } from "@/lib/env";

export async function testDelayAfterCommit(): Promise<void> {
  const e = env();
  if (e.COST_REVIEW_TEST_HOOKS !== "1" || e.COST_REVIEW_TEST_INGEST_DELAY_AFTER_COMMIT_MS <= 0) return;
  await new Promise((resolve) => setTimeout(resolve, e.COST_REVIEW_TEST_INGEST_DELAY_AFTER_COMMIT_MS));
}
