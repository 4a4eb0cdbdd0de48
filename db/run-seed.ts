// `npm run db:seed`: migrates and seeds DATABASE_PATH (idempotent; existing rows are kept).
import { bootstrap } from "../app/server/platform/bootstrap.server";
import { closeDatabase } from "../app/server/platform/db.server";
import { env } from "../app/server/platform/env.server";

await closeDatabase(await bootstrap({ seed: true }));
// Never the address itself: it may hold a password.
console.log(`seeded ${env().DATABASE_URL ? "the PostgreSQL database (DATABASE_URL)" : env().DATABASE_PATH}`);
