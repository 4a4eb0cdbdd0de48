/**
 * The daily counters (`daily_counts`) recomputed from the raw event log: a rebuild that replaces
 * them, and a check that compares them cell by cell; likewise their sums per agency subtree
 * (`subtree_daily`, `subtree_monthly`, docs/decisions/009-subtree-counters.md). The functions take
 * the database as an argument so openDatabase can call them before `db()` exists (and without an
 * import cycle).
 */
import * as z from "zod";
import * as schema from "../../db/schema";
import { RollupTally, rollupKeyId, type RollupKey, type RollupRow } from "../core/statistics/rollup";
import { SubtreeTally, subtreeKeyId, type SubtreeKey, type SubtreeRow } from "../core/statistics/subtree";
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

/** The agency ids of a path "/12/40/77/" as the JSON array [0,12,40,77]: 0, the country, and every subtree the agency is in (as in migration 0005's triggers). */
const SUBTREES_OF_PATH = "json_each('[0' || replace(rtrim(a.path, '/'), '/', ',') || ']')";

/**
 * Recomputes the subtree tables from `daily_counts` in two aggregate passes (what the triggers of
 * migration 0005 add up cell by cell): the cells without their procedure first, then each of those
 * added to its agency's subtrees. Inside the caller's transaction.
 */
export function refillSubtreeCounters(db: Db): { daily: number; monthly: number } {
  db.$client.exec("delete from subtree_daily; delete from subtree_monthly;");
  const daily = db.$client
    .prepare(
      `with own as (
         select dc.agency_id, dc.day, dc.metric, dc.channel, coalesce(p.level, 0) as level, sum(dc.count) as n
         from daily_counts dc left join procedures p on p.id = dc.procedure_id group by 1, 2, 3, 4, 5
       )
       insert into subtree_daily (agency_id, day, metric, channel, level, count)
       select s.value, o.day, o.metric, o.channel, o.level, sum(o.n) from own o join agencies a on a.id = o.agency_id, ${SUBTREES_OF_PATH} s
       where true group by 1, 2, 3, 4, 5`,
    )
    .run().changes;
  const monthly = db.$client
    .prepare("insert into subtree_monthly (agency_id, month, metric, channel, level, count) select agency_id, substr(day, 1, 7), metric, channel, level, sum(count) from subtree_daily where true group by 1, 2, 3, 4, 5")
    .run().changes;
  return { daily, monthly };
}

/**
 * Bulk-loads `daily_counts` (`load`) without the per-cell triggers that keep the subtree tables,
 * then recomputes those in one pass: for millions of cells, far faster than the triggers. The
 * triggers are dropped and re-created from their own stored SQL (migration 0005 stays their one
 * definition), inside the caller's transaction, so no other connection ever sees them missing.
 */
export function loadCountersInBulk<T>(db: Db, load: () => T): T {
  const TriggerSchema = z.array(z.object({ name: z.string(), sql: z.string() }));
  const triggers = TriggerSchema.parse(db.$client.prepare("select name, sql from sqlite_master where type = 'trigger' and tbl_name = 'daily_counts' and name glob 'daily_counts_subtree_*'").all());
  for (const t of triggers) db.$client.exec(`drop trigger "${t.name}"`);
  try {
    const result = load();
    refillSubtreeCounters(db);
    return result;
  } finally {
    for (const t of triggers) db.$client.exec(t.sql);
  }
}

/** Deletes and rewrites every counter; the caller holds the write lock (an immediate transaction). */
function replaceCounters(db: Db, tx: Tx): { events: number; rows: number } {
  const { tally, events } = tallyEvents(db);
  loadCountersInBulk(db, () => {
    tx.delete(schema.dailyCounts).run();
    // One prepared statement run per row inside the transaction: SQLite's fast bulk load (drizzle's
    // multi-row insert spends far longer building the SQL than SQLite spends writing it).
    const insert = db.$client.prepare("insert into daily_counts (metric, day, agency_id, procedure_id, channel, count) values (?, ?, ?, ?, ?, ?)");
    for (const r of tally.cells.values()) insert.run(r.metric, r.day, r.agencyId, r.procedureId, r.channel, r.count);
  });
  return { events, rows: tally.cells.size };
}

/**
 * Replaces every daily counter with one recomputed from the raw log, and the subtree counters with
 * their sums, in one immediate transaction (no event can be recorded between the read and the
 * write). Returns what it wrote to `daily_counts`.
 */
export function rebuildRollups(db: Db): { events: number; rows: number } {
  return db.transaction((tx) => replaceCounters(db, tx), { behavior: "immediate" });
}

/**
 * A database from before the counters existed (events logged, no counter): fills them once; one
 * from before the subtree counters (daily counters of known agencies, no subtree row): sums those.
 * Checked again under the write lock, so processes starting together rebuild only once.
 */
export function rebuildRollupsIfMissing(db: Db): boolean {
  const missing = () => db.$client.prepare("select (exists (select 1 from dossier_events) and not exists (select 1 from daily_counts)) as missing").pluck().get() === 1;
  const subtreeMissing = () =>
    db.$client.prepare("select (exists (select 1 from daily_counts dc join agencies a on a.id = dc.agency_id) and not exists (select 1 from subtree_daily)) as missing").pluck().get() === 1;
  if (!missing() && !subtreeMissing()) return false;
  return db.transaction(
    (tx) => {
      if (missing()) replaceCounters(db, tx);
      else if (subtreeMissing()) refillSubtreeCounters(db);
      else return false;
      return true;
    },
    { behavior: "immediate" },
  );
}

export type RollupMismatch = { key: RollupKey; expected: number | null; actual: number | null };
export type SubtreeMismatch = { table: "subtree_daily" | "subtree_monthly"; key: SubtreeKey; expected: number | null; actual: number | null };
export type RollupCheck = {
  checkedEvents: number;
  expectedRows: number;
  actualRows: number;
  /** `daily_counts`, cell by cell. */
  mismatches: RollupMismatch[];
  /** The subtree tables, row by row, against the log's own counters summed per subtree. */
  subtree: { expectedRows: number; actualRows: number; mismatches: SubtreeMismatch[] };
};

/**
 * Recomputes the counters from the raw log in memory and compares them with the table, row by
 * row: a different count, a row the log does not explain, and a row missing from the table are
 * each one mismatch (null stands for the missing side). The same for the subtree tables, summed
 * from the log's counters with the agencies' paths and the procedures' levels as they are now
 * (a stored 0 is the same as no row: a level change leaves zeros behind). One read transaction,
 * so events recorded meanwhile cannot make the two sides disagree.
 */
export function verifyRollups(db: Db): RollupCheck {
  return db.transaction((tx) => {
    const { tally, events } = tallyEvents(db);
    const subtree = verifySubtree(db, tally);
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
    return { checkedEvents: events, expectedRows: tally.cells.size, actualRows: actual.length, mismatches, subtree };
  });
}

const SubtreeStoredSchema = z.object({ period: z.string(), agency_id: z.number(), metric: z.string(), channel: z.string(), level: z.number(), count: z.number() });

function verifySubtree(db: Db, tally: RollupTally): RollupCheck["subtree"] {
  const paths = new Map(z.array(z.object({ id: z.number(), path: z.string() })).parse(db.$client.prepare("select id, path from agencies").all()).map((r) => [r.id, r.path]));
  const levels = new Map(z.array(z.object({ id: z.number(), level: z.number() })).parse(db.$client.prepare("select id, level from procedures").all()).map((r) => [r.id, r.level]));
  const expected = new SubtreeTally((id) => paths.get(id), (id) => levels.get(id));
  for (const cell of tally.cells.values()) expected.add(cell);
  const mismatches: SubtreeMismatch[] = [];
  let actualRows = 0;
  const tables = [
    { table: "subtree_daily", cells: expected.daily, sql: "select day as period, agency_id, metric, channel, level, count from subtree_daily" },
    { table: "subtree_monthly", cells: expected.monthly, sql: "select month as period, agency_id, metric, channel, level, count from subtree_monthly" },
  ] as const;
  for (const { table, cells, sql } of tables) {
    const seen = new Set<string>();
    for (const raw of db.$client.prepare(sql).iterate()) {
      const row = SubtreeStoredSchema.parse(raw);
      if (row.count === 0) continue;
      actualRows += 1;
      const key: SubtreeKey = { period: row.period, agencyId: row.agency_id, metric: row.metric, channel: row.channel, level: row.level };
      const id = subtreeKeyId(key);
      seen.add(id);
      const want = cells.get(id)?.count ?? null;
      if (want !== row.count) mismatches.push({ table, key, expected: want, actual: row.count });
    }
    for (const [id, cell] of cells) if (!seen.has(id)) mismatches.push({ table, key: subtreeKeyOf(cell), expected: cell.count, actual: null });
  }
  return { expectedRows: expected.daily.size + expected.monthly.size, actualRows, mismatches };
}

function subtreeKeyOf(row: SubtreeRow): SubtreeKey {
  return { period: row.period, agencyId: row.agencyId, metric: row.metric, channel: row.channel, level: row.level };
}

function keyOf(row: RollupRow): RollupKey {
  return { metric: row.metric, day: row.day, agencyId: row.agencyId, procedureId: row.procedureId, channel: row.channel };
}
