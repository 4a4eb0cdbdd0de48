// `npm run stats:rebuild`: recomputes every daily counter (daily_counts) from the raw event log,
// replacing what is stored, in one transaction. It holds the write lock while it runs (seconds on a
// large log), so writes in the portal wait; run it when the portal is quiet.
import { openDatabase } from "../app/server/db.server";
import { env } from "../app/server/env.server";
import { rebuildRollups } from "../app/server/statistics-rollup.server";

const db = openDatabase(env().DATABASE_PATH, { seed: false });
try {
  const { events, rows } = rebuildRollups(db);
  console.log(`rebuilt ${rows} rollup rows from ${events} events`);
} finally {
  db.$client.close();
}
