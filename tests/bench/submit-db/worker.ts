// One process of `npm run bench:submit-db` (run.ts): on the database its environment names
// (DATABASE_URL for PostgreSQL, else the SQLite file at DATABASE_PATH), either prepares it
// (`setup`: migrated, one agency, field and procedure) or writes submit-like transactions for a
// number of seconds from several concurrent requests, and prints what it measured as JSON.
//   portal: the real write — a dossier row and its `submitted` event with the counters store
//           (recordEvent), through inTransaction (SERIALIZABLE with retries on PostgreSQL);
//   bare:   the same two rows through the driver alone, in one transaction, no counters — what the
//           database itself costs for the write.
import { parseArgs } from "node:util";
import pg from "pg";
import { bootstrap } from "../../../app/server/platform/bootstrap.server";
import { closeDatabase, db, postgresPool } from "../../../app/server/platform/db.server";
import { recordEvent } from "../../../app/server/statistics/events.server";
import { benchProcedure, submitLike } from "../submit-like";

const { values } = parseArgs({
  options: {
    task: { type: "string" },
    mode: { type: "string", default: "portal" },
    seconds: { type: "string", default: "10" },
    concurrency: { type: "string", default: "8" },
  },
});
const tag = `${process.pid}`;

if (values.task === "setup") {
  const client = await bootstrap({ seed: false });
  process.stdout.write(JSON.stringify(await benchProcedure(client)));
  await closeDatabase(client);
  process.exit(0);
}

const procedureId = Number(process.env.BENCH_PROCEDURE_ID);
const agencyId = Number(process.env.BENCH_AGENCY_ID);
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const client = db();
const pool = postgresPool(client);
const ANSWERS = JSON.stringify({ applicant_name: "Nguyễn Thị Hoa", applicant_cccd: "001099012345", applicant_phone: "0912345678", note: "x".repeat(600) });

/** The bare write on PostgreSQL: BEGIN, the dossier, its event, COMMIT, on one pooled connection. */
async function barePostgres(p: pg.Pool, code: string): Promise<void> {
  const connection = await p.connect();
  try {
    await connection.query("begin");
    const inserted = await connection.query(
      `insert into dossiers (receipt_code, procedure_id, agency_id, form_version, channel, status, answers, language, delivery_mode, submitted_at, due_on)
       values ($1, $2, $3, 1, 'online', 1, $4, 'vi', 'counter', now(), '2026-12-31') returning id`,
      [code, procedureId, agencyId, ANSWERS],
    );
    const dossierId: unknown = inserted.rows[0]?.id;
    await connection.query(
      `insert into dossier_events (type, occurred_at, procedure_id, agency_id, dossier_id, channel, from_status, to_status, data)
       values ('submitted', now(), $1, $2, $3, 'online', 0, 1, '{"formVersion":1}')`,
      [procedureId, agencyId, dossierId],
    );
    await connection.query("commit");
  } catch (error) {
    await connection.query("rollback");
    throw error;
  } finally {
    connection.release();
  }
}

/** The bare write on SQLite: the same two rows in one IMMEDIATE transaction through better-sqlite3 alone. */
const bareSqlite = pool
  ? null
  : (() => {
      const sqlite = client.$client;
      const now = () => Date.now();
      const dossier = sqlite.prepare(
        `insert into dossiers (receipt_code, procedure_id, agency_id, form_version, channel, status, answers, language, delivery_mode, submitted_at, due_on)
         values (?, ?, ?, 1, 'online', 1, ?, 'vi', 'counter', ?, '2026-12-31') returning id`,
      );
      const event = sqlite.prepare(
        `insert into dossier_events (type, occurred_at, procedure_id, agency_id, dossier_id, channel, from_status, to_status, data)
         values ('submitted', ?, ?, ?, ?, 'online', 0, 1, '{"formVersion":1}')`,
      );
      return sqlite.transaction((code: string) => {
        const t = now();
        const row: unknown = dossier.get(code, procedureId, agencyId, ANSWERS, t);
        event.run(t, procedureId, agencyId, Reflect.get(Object(row), "id"));
      });
    })();

let n = 0;
const latencies: number[] = [];
const deadline = performance.now() + seconds * 1000;
async function loop(lane: number): Promise<void> {
  while (performance.now() < deadline) {
    const code = `B${tag}-${lane}-${(n += 1)}`;
    const t0 = performance.now();
    if (values.mode === "bare") {
      if (pool) await barePostgres(pool, code);
      else bareSqlite?.immediate(code);
    } else {
      await submitLike(client, { receiptCode: code, procedureId, agencyId, now: new Date(), feeVnd: 0, record: recordEvent });
    }
    latencies.push(performance.now() - t0);
    // Let the other lanes and the event loop run between writes, as requests would.
    await new Promise((resolve) => setImmediate(resolve));
  }
}
const start = performance.now();
await Promise.all(Array.from({ length: concurrency }, (_, lane) => loop(lane)));
const elapsed = (performance.now() - start) / 1000;
await closeDatabase(client);
process.stdout.write(JSON.stringify({ commits: latencies.length, seconds: elapsed, latencies }));
