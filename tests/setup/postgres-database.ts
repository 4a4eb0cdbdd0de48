// vitest setup file of the "postgres" project, after vitest-setup.ts: the test file's own database,
// a copy of the run's migrated and seeded template (postgres-template.ts), named in DATABASE_URL
// before the test file imports the portal, so its stores run on PostgreSQL.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";

const port = inject("postgresPort");
const name = `portal_test_${process.pid}_${randomBytes(4).toString("hex")}`;
const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
await admin.connect();
try {
  await admin.query(`create database "${name}" template "${inject("postgresTemplate")}"`);
} finally {
  await admin.end();
}
process.env.DATABASE_URL = `postgres://postgres@127.0.0.1:${port}/${name}`;
