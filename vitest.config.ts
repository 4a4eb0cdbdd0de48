import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

export default defineConfig({
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  test: {
    include: ["app/**/*.test.{ts,tsx}", "tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts", "db/**/*.test.ts"],
    globalSetup: ["tests/setup/template-db.ts"],
    setupFiles: ["tests/setup/vitest-setup.ts"],
    environment: "node",
    globals: false,
    pool: "forks",
    testTimeout: 20_000,
    reporters: ["default", "json"],
    outputFile: { json: "test-results/vitest.json" },
  },
});
