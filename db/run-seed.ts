// `npm run db:seed`: migrates and seeds DATABASE_PATH (idempotent; existing rows are kept).
import { openDatabase } from "../app/server/platform/db.server";
import { env } from "../app/server/platform/env.server";

const db = openDatabase(env().DATABASE_PATH, { seed: true, synchronous: env().SQLITE_SYNCHRONOUS });
db.$client.close();
console.log(`seeded ${env().DATABASE_PATH}`);
