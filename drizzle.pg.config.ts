import { defineConfig } from "drizzle-kit";

// The PostgreSQL twin of drizzle.config.ts (issue 15): `npx drizzle-kit generate --config drizzle.pg.config.ts`.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/pg/schema.ts",
  out: "./db/pg/migrations",
  dbCredentials: { url: process.env.DATABASE_URL ?? "postgres://localhost/portal" },
});
