/**
 * The daily counters (`daily_counts`) recomputed from the raw event log: a rebuild that replaces
 * them, and a check that compares them cell by cell. The functions take the database as an
 * argument so openDatabase can call them before `db()` exists (and without an import cycle).
 */
import * as z from "zod";
import * as schema from "../../db/schema";
import { RollupTally, rollupKeyId, type RollupKey, type RollupRow } from "../core/statistics/rollup";
import type { Db, Tx } from "./db.server";

/** The columns the mapping reads, as better-sqlite3 returns them (instants in ms, data as JSON text). */
const EventRowSchema = z.object({
  type: z.string(),
  occurred_at: z.number(),
  agency_id: z.number().nullable(),
  procedure_id: z.number().nullable(),
  channel: z.string().nullable(),
  to_status: z.number().nullable(),
  data: z.string().nullable(),
});

/**
 * Every event, oldest first, added up in memory: what `daily_counts` should hold. The log is read
 * with a streaming statement (better-sqlite3's iterate), so memory grows with the counters, not
 * with the events. Run it inside a transaction for a consistent snapshot.
 */
export function tallyEvents(db: Db): { tally: RollupTally; events: number } {
  const tally = new RollupTally();
  let events = 0;
  const rows = db.$client.prepare("select type, occurred_at, agency_id, procedure_id, channel, to_status, data from dossier_events order by id").iterate();
  for (const raw of rows) {
    const row = EventRowSchema.parse(raw);
    events += 1;
    tally.add({
      type: row.type,
      occurredAt: new Date(row.occurred_at),
      agencyId: row.agency_id,
      procedureId: row.procedure_id,
      channel: row.channel,
      toStatus: row.to_status,
      data: row.data === null ? null : JSON.parse(row.data),
    });
  }
  return { tally, events };
}

/** Deletes and rewrites every counter; the caller holds the write lock (an immediate transaction). */
function replaceCounters(db: Db, tx: Tx): { events: number; rows: number } {
  const { tally, events } = tallyEvents(db);
  tx.delete(schema.dailyCounts).run();
  // One prepared statement run per row inside the transaction: SQLite's fast bulk load (drizzle's
  // multi-row insert spends far longer building the SQL than SQLite spends writing it).
  const insert = db.$client.prepare("insert into daily_counts (metric, day, agency_id, procedure_id, channel, count) values (?, ?, ?, ?, ?, ?)");
  for (const r of tally.cells.values()) insert.run(r.metric, r.day, r.agencyId, r.procedureId, r.channel, r.count);
  return { events, rows: tally.cells.size };
}

/**
 * Replaces every daily counter with one recomputed from the raw log, in one immediate
 * transaction (no event can be recorded between the read and the write). Returns what it wrote.
 */
export function rebuildRollups(db: Db): { events: number; rows: number } {
  return db.transaction((tx) => replaceCounters(db, tx), { behavior: "immediate" });
}

/**
 * A database from before the counters existed (events logged, no counter): fills them once.
 * Checked again under the write lock, so processes starting together rebuild only once.
 */
export function rebuildRollupsIfMissing(db: Db): boolean {
  const missing = () => db.$client.prepare("select (exists (select 1 from dossier_events) and not exists (select 1 from daily_counts)) as missing").pluck().get() === 1;
  if (!missing()) return false;
  return db.transaction(
    (tx) => {
      if (!missing()) return false;
      replaceCounters(db, tx);
      return true;
    },
    { behavior: "immediate" },
  );
}

export type RollupMismatch = { key: RollupKey; expected: number | null; actual: number | null };
export type RollupCheck = { checkedEvents: number; expectedRows: number; actualRows: number; mismatches: RollupMismatch[] };

/**
 * Recomputes the counters from the raw log in memory and compares them with the table, row by
 * row: a different count, a row the log does not explain, and a row missing from the table are
 * each one mismatch (null stands for the missing side). One read transaction, so events recorded
 * meanwhile cannot make the two sides disagree.
 */
export function verifyRollups(db: Db): RollupCheck {
  return db.transaction((tx) => {
    const { tally, events } = tallyEvents(db);
    const actual = tx.select().from(schema.dailyCounts).all();
    const mismatches: RollupMismatch[] = [];
    const seen = new Set<string>();
    for (const row of actual) {
      const id = rollupKeyId(row);
      seen.add(id);
      const expected = tally.cells.get(id)?.count ?? null;
      if (expected !== row.count) mismatches.push({ key: keyOf(row), expected, actual: row.count });
    }
    for (const [id, cell] of tally.cells) {
      if (!seen.has(id)) mismatches.push({ key: keyOf(cell), expected: cell.count, actual: null });
    }
    return { checkedEvents: events, expectedRows: tally.cells.size, actualRows: actual.length, mismatches };
  });
}

function keyOf(row: RollupRow): RollupKey {
  return { metric: row.metric, day: row.day, agencyId: row.agencyId, procedureId: row.procedureId, channel: row.channel };
}
