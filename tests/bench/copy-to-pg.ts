// `npm run bench:copy-to-pg [-- --db data/scale-1m.db]`: how long `npm run db:copy-to-pg` takes to move
// a portal's SQLite file into PostgreSQL, and the copying process's peak memory. The target is a
// throwaway cluster (tests/setup/postgres-cluster.ts) on this machine; the baseline is PostgreSQL's
// own bulk path for the same number of event rows (COPY FROM STDIN of generated lines), in the same run.
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import * as z from "zod";
import { openDatabase } from "../../app/server/platform/db.server";
import { copySqliteToPostgres } from "../../db/pg/copy-from-sqlite";
import { startPostgresCluster } from "../setup/postgres-cluster";

const { values } = parseArgs({ options: { db: { type: "string" } } });
const file = z.string().default("data/scale-1m.db").parse(values.db);
const sqlite = openDatabase(file);
const events = z.number().parse(sqlite.$client.prepare("select count(*) from dossier_events").pluck().get());
const cluster = await startPostgresCluster();
let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
try {
  await cluster.createDatabase("portal");
  const pool = new pg.Pool({ connectionString: cluster.url("portal"), max: 2 });
  await migrate(drizzle(pool), { migrationsFolder: path.resolve(import.meta.dirname, "../../db/pg/migrations") });
  const started = performance.now();
  const copied = await copySqliteToPostgres(sqlite, pool);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${path.basename(file)}: ${copied.rows.toLocaleString("en-US")} rows of ${copied.tables} tables (${events.toLocaleString("en-US")} events) in ${seconds.toFixed(1)} s, ${Math.round(copied.rows / seconds).toLocaleString("en-US")} rows/s; peak RSS ${(peak / 2 ** 20).toFixed(0)} MB`,
  );
  // Baseline: the same number of rows through COPY into a bare table of the event log's width.
  await pool.query("create table bare_events (id bigint, type text, occurred_at timestamptz, procedure_id int, agency_id int, dossier_id int, data jsonb)");
  const client = await pool.connect();
  const t = performance.now();
  const chunk = 50_000;
  for (let done = 0; done < events; done += chunk) {
    const n = Math.min(chunk, events - done);
    const lines: string[] = [];
    for (let i = 0; i < n; i++) lines.push(`${done + i}\tprocedure_viewed\t2026-01-01T00:00:00Z\t1\t1\t\\N\t{"a":1}`);
    await client.query(
      `insert into bare_events select * from unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::int[], $5::int[], $6::int[], $7::jsonb[])`,
      [
        lines.map((_, i) => done + i),
        lines.map(() => "procedure_viewed"),
        lines.map(() => "2026-01-01T00:00:00Z"),
        lines.map(() => 1),
        lines.map(() => 1),
        lines.map(() => null),
        lines.map(() => '{"a":1}'),
      ],
    );
  }
  const bare = (performance.now() - t) / 1000;
  client.release();
  console.log(
    `baseline: ${events.toLocaleString("en-US")} event-shaped rows by one unnest insert per 50,000 in ${bare.toFixed(1)} s (${Math.round(events / bare).toLocaleString("en-US")} rows/s)`,
  );
  await pool.end();
} finally {
  clearInterval(sampler);
  cluster.stop();
  sqlite.$client.close();
}
