// `npm run db:copy-to-pg -- postgres://user@host:5432/portal`: moves a portal from its SQLite file
// (DATABASE_PATH, brought up to date first) into an empty PostgreSQL database, which this migrates
// (db/pg/migrations) and fills in one transaction (copy-from-sqlite.ts). Refuses a database that
// already holds procedures, so it cannot copy twice over the same rows.
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import path from "node:path";
import pg from "pg";
import * as z from "zod";
import { bootstrap } from "../../app/server/platform/bootstrap.server";
import { env } from "../../app/server/platform/env.server";
import { copySqliteToPostgres } from "./copy-from-sqlite";

const url = z
  .string({ error: "usage: npm run db:copy-to-pg -- postgres://user@host:port/database" })
  .regex(/^postgres(ql)?:\/\//, "the target is a postgres:// address")
  .safeParse(process.argv[2]);
if (!url.success) {
  console.error(url.error.issues[0]?.message);
  process.exit(2);
}
const sqlite = await bootstrap({ seed: false });
const pool = new pg.Pool({ connectionString: url.data, max: 2 });
try {
  await migrate(drizzle(pool), { migrationsFolder: path.resolve(import.meta.dirname, "migrations") });
  const existing = z.coerce.number().parse((await pool.query("select count(*) as n from procedures")).rows[0]?.n);
  if (existing > 0) {
    console.error(`the target already holds ${existing} procedures: copy into an empty database`);
    process.exitCode = 1;
  } else {
    const copied = await copySqliteToPostgres(sqlite, pool);
    console.log(`copied ${copied.rows} rows of ${copied.tables} tables from ${env().DATABASE_PATH}`);
  }
} finally {
  await pool.end();
  sqlite.$client.close();
}
