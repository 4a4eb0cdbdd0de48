// Lint (issue 13): typescript-eslint's recommended rules, and the architecture as rules: app/core is
// plain TypeScript — no Remix, React, database or server code — so it can be read and tested alone.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

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
);
