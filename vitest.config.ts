import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

const alias = { "~": fileURLToPath(new URL("./app", import.meta.url)) };
const shared = {
  environment: "node",
  globals: false,
  pool: "forks",
  testTimeout: 20_000,
} as const;

/**
 * The integration suite runs on PostgreSQL too (issue 15): each file gets its own database, a copy
 * of a template the portal's seed script filled (tests/setup/postgres-template.ts); the portal
 * processes some files start inherit DATABASE_URL. Left out, the files about SQLite itself:
 */
const SQLITE_ONLY = [
  "tests/integration/postgres-*.test.ts", // start and compare their own clusters
  "tests/integration/transactions.test.ts", // the SQLite connection guard (decision 026)
  "tests/integration/migrations.test.ts", // SQLite's migrations on its own files
  "tests/integration/backup-restore.test.ts", // SQLite's online backup of the file
  "tests/integration/durability.test.ts", // the SQLite file after SIGKILL
  "tests/integration/search-rank.test.ts", // FTS5 ranked on worker threads
  "tests/integration/scale-generator.test.ts", // writes SQLite files through raw statements
  "tests/integration/attempt-limits-process.test.ts", // opens the server's SQLite file beside it
  "tests/integration/page-cache.test.ts", // opens the server's SQLite file beside it
];
// POSTGRES_TRY="tests/integration/x.test.ts,…" runs just those files on PostgreSQL.
const postgresInclude = process.env.POSTGRES_TRY ? process.env.POSTGRES_TRY.split(",") : ["tests/integration/**/*.test.ts"];

export default defineConfig({
  resolve: { alias },
  test: {
    reporters: ["default", "json"],
    outputFile: { json: "test-results/vitest.json" },
    projects: [
      {
        resolve: { alias },
        test: {
          ...shared,
          name: "sqlite",
          include: ["app/**/*.test.{ts,tsx}", "tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts", "db/**/*.test.ts"],
          globalSetup: ["tests/setup/template-db.ts"],
          setupFiles: ["tests/setup/vitest-setup.ts"],
        },
      },
      {
        resolve: { alias },
        test: {
          ...shared,
          name: "postgres",
          include: postgresInclude,
          exclude: process.env.POSTGRES_TRY ? [] : SQLITE_ONLY,
          globalSetup: ["tests/setup/template-db.ts", "tests/setup/postgres-template.ts"],
          setupFiles: ["tests/setup/vitest-setup.ts", "tests/setup/postgres-database.ts"],
        },
      },
    ],
  },
});
