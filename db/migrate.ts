// `npm run db:migrate`: applies the committed migrations to DATABASE_PATH without seeding.
// (The portal also does this by itself at start-up.)
import { openDatabase } from "../app/server/platform/db.server";
import { env } from "../app/server/platform/env.server";

const db = openDatabase(env().DATABASE_PATH, { seed: false, synchronous: env().SQLITE_SYNCHRONOUS });
db.$client.close();
console.log(`migrated ${env().DATABASE_PATH}`);
