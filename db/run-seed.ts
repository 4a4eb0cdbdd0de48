// `npm run db:seed`: migrates and seeds DATABASE_PATH (idempotent; existing rows are kept).
import { bootstrap } from "../app/server/platform/bootstrap.server";
import { env } from "../app/server/platform/env.server";

(await bootstrap({ seed: true })).$client.close();
console.log(`seeded ${env().DATABASE_PATH}`);
