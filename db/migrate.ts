// `npm run db:migrate`: applies the committed migrations to DATABASE_PATH without seeding.
// (The portal's start-up does this too: bootstrap in app/server/platform/bootstrap.server.ts.)
import { bootstrap } from "../app/server/platform/bootstrap.server";
import { closeDatabase } from "../app/server/platform/db.server";
import { env } from "../app/server/platform/env.server";

await closeDatabase(await bootstrap({ seed: false }));
// Never the address itself: it may hold a password.
console.log(`migrated ${env().DATABASE_URL ? "the PostgreSQL database (DATABASE_URL)" : env().DATABASE_PATH}`);
