// Lint (issue 13): typescript-eslint's recommended rules, and the architecture as rules: app/core is
// plain TypeScript — no Remix, React, database or server code — so it can be read and tested alone.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

/** app/server's domain folders (mirroring app/core). */
const DOMAINS = ["auth", "catalog", "dossiers", "forms", "payments", "results", "delivery", "notifications", "staff", "statistics"];

export default tseslint.config(
  { ignores: ["build/**", "public/build/**", "node_modules/**", "test-results/**", ".cache/**", "data/**", "coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  {
    // The data layer is async (issue 13): a store's Promise that is neither awaited nor returned would run
    // its writes unobserved, and an async callback handed to better-sqlite3's `transaction` would commit
    // before its body ran (docs/decisions/022-data-access-seam.md). Type-aware, so only where it matters.
    files: ["app/**/*.{ts,tsx}", "db/**/*.ts", "tests/**/*.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.property.name='transaction'] > :matches(ArrowFunctionExpression, FunctionExpression)[async=true]",
          message: "better-sqlite3 commits when the transaction callback returns: keep its body synchronous (decision 022).",
        },
      ],
    },
  },
  {
    files: ["app/core/**/*.ts"],
    ignores: ["app/core/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@remix-run/*", "react", "react-dom", "react-dom/*", "react-i18next", "react-hook-form"],
              message: "app/core is plain TypeScript: no Remix or React (issue 13).",
            },
            {
              group: [
                "~/server/*",
                "**/server/*",
                "**/*.server",
                "drizzle-orm",
                "drizzle-orm/*",
                "better-sqlite3",
                "pg",
                "**/db/*",
                "~/routes/*",
                "~/components/*",
              ],
              message: "app/core holds no database, server, route or component code (issue 13).",
            },
          ],
        },
      ],
    },
  },
  {
    // platform/ is the infrastructure every domain uses; a domain import there would tie the two together.
    // Only the composition roots may reach into the domains: bootstrap (seed, rebuild counters), jobs (the
    // timers) and body-limits (which forms a route takes, asked before Remix sees the request).
    files: ["app/server/platform/**/*.ts"],
    ignores: ["app/server/platform/bootstrap.server.ts", "app/server/platform/jobs.server.ts", "app/server/platform/body-limits.server.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: DOMAINS.flatMap((domain) => [`../${domain}/*`, `~/server/${domain}/*`]),
              message: "platform/ imports no domain folder (decision 022); only its composition roots do.",
            },
          ],
        },
      ],
    },
  },
);
