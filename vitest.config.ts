// Unit tests: pure logic in lib/, no database, no server.
import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: { include: ["tests/unit/**/*.test.ts"], environment: "node", testTimeout: 20_000 },
});
