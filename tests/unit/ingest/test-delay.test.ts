// The crash test's pause between an ingest commit and its answer can never slow a real server: without
// the explicit test switch the setting is ignored.
import { afterEach, describe, expect, it, vi } from "vitest";

async function timedDelay(vars: Record<string, string | undefined>): Promise<number> {
  vi.resetModules(); // env() reads process.env once per module instance
  for (const [k, v] of Object.entries(vars)) vi.stubEnv(k, v);
  const { testDelayAfterCommit } = await import("@/lib/ingest/test-delay");
  const start = performance.now();
  await testDelayAfterCommit();
  return performance.now() - start;
}

afterEach(() => vi.unstubAllEnvs());

describe("the test-only delay after an ingest commit", () => {
  it("waits the configured time only when COST_REVIEW_TEST_HOOKS=1", async () => {
    expect(await timedDelay({ COST_REVIEW_TEST_HOOKS: "1", COST_REVIEW_TEST_INGEST_DELAY_AFTER_COMMIT_MS: "300" })).toBeGreaterThanOrEqual(295);
  });

  it("is ignored without the switch, or with the switch off", async () => {
    expect(await timedDelay({ COST_REVIEW_TEST_HOOKS: undefined, COST_REVIEW_TEST_INGEST_DELAY_AFTER_COMMIT_MS: "5000" })).toBeLessThan(100);
    expect(await timedDelay({ COST_REVIEW_TEST_HOOKS: "0", COST_REVIEW_TEST_INGEST_DELAY_AFTER_COMMIT_MS: "5000" })).toBeLessThan(100);
  });

  it("does nothing when the switch is on but no delay is set", async () => {
    expect(await timedDelay({ COST_REVIEW_TEST_HOOKS: "1", COST_REVIEW_TEST_INGEST_DELAY_AFTER_COMMIT_MS: undefined })).toBeLessThan(100);
  });
});
