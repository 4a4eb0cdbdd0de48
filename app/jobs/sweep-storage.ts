// `npm run storage:sweep`: removes stored files that no row refers to, once, and prints what it did.
import { bootstrap } from "../server/platform/bootstrap.server";
import { sweepStorage } from "../server/platform/storage-sweep.server";

// Run on its own, it prepares the database as the portal's start-up does.
await bootstrap();

console.log(JSON.stringify(await sweepStorage()));
