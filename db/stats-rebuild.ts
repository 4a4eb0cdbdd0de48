// `npm run stats:rebuild`: recomputes every daily counter (daily_counts) from the raw event log,
// and their sums per agency subtree (subtree_daily, subtree_monthly), replacing what is stored, in
// one transaction. It holds the write lock while it runs (seconds on a large log), so writes in the
// portal wait (on PostgreSQL, writes that touch the counters meanwhile make one side retry); run it
// when the portal is quiet. SQLite's file (DATABASE_PATH) or PostgreSQL (DATABASE_URL). Also the way to bring the subtree counters in line
// after agencies move in the tree (a changed path), which nothing in the portal does
// (docs/decisions/009-subtree-counters.md).
import { bootstrap } from "../app/server/platform/bootstrap.server";
import { closeDatabase } from "../app/server/platform/db.server";
import { rebuildRollups } from "../app/server/statistics/rollup.server";

// Brought up to date as at the portal's start-up, so the counter tables exist.
const db = await bootstrap({ seed: false });
try {
  const { events, rows } = await rebuildRollups(db);
  console.log(`rebuilt ${rows} rollup rows from ${events} events`);
} finally {
  await closeDatabase(db);
}
