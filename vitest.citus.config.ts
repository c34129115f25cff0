// Citus cluster tests (tests/citus): rebalancing and a killed worker under ingest, on the three-node cluster
// scripts/test-citus.sh starts. No app server: they ingest through the coordinator directly.
import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["tests/citus/**/*.test.ts"],
    environment: "node",
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
