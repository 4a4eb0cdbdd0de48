// vitest globalSetup of the "postgres" project: one throwaway PostgreSQL cluster per run
// (postgres-cluster.ts) and in it a template database, migrated and seeded by the portal's own
// `db:seed` script in a child process (DATABASE_URL set there, so nothing in this process is bound
// to it). Each test file then gets its own copy (postgres-database.ts), as SQLite files get theirs.
import { execFileSync } from "node:child_process";
import type { TestProject } from "vitest/node";
import { startPostgresCluster } from "./postgres-cluster";

declare module "vitest" {
  export interface ProvidedContext {
    postgresPort: number;
    postgresTemplate: string;
  }
}

const TEMPLATE = "portal_template";

export default async function setup(project: TestProject) {
  const cluster = await startPostgresCluster();
  await cluster.createDatabase(TEMPLATE);
  execFileSync(process.execPath, ["--import", "tsx", "db/run-seed.ts"], {
    env: { ...process.env, DATABASE_URL: cluster.url(TEMPLATE), NODE_ENV: "test" },
    stdio: ["ignore", "ignore", "inherit"],
    timeout: 120_000,
  });
  project.provide("postgresPort", cluster.port);
  project.provide("postgresTemplate", TEMPLATE);
  return () => cluster.stop();
}
