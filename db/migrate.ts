// `npm run db:migrate`: applies the committed migrations to DATABASE_PATH without seeding.
// (The portal's start-up does this too: bootstrap in app/server/platform/bootstrap.server.ts.)
import { bootstrap } from "../app/server/platform/bootstrap.server";
import { env } from "../app/server/platform/env.server";

(await bootstrap({ seed: false })).$client.close();
console.log(`migrated ${env().DATABASE_PATH}`);
