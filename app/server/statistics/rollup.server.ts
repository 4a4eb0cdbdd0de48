/**
 * The daily counters (`daily_counts`) recomputed from the raw event log: a rebuild that replaces
 * them, and a check that compares them cell by cell; likewise their sums per agency subtree
 * (`subtree_daily`, `subtree_monthly`, docs/decisions/009-subtree-counters.md). The functions take
 * the database as an argument so bootstrap can call them on a client other than `db()` (and without an
 * import cycle).
 */
import { eq, getTableColumns, sql } from "drizzle-orm";
import * as z from "zod";
import { schema } from "../platform/schema.server";
import { RollupTally, rollupKeyId, type RollupKey, type RollupRow } from "../../core/statistics/rollup";
import { subtreeTotals, SubtreeTally, TOTAL_KEYS, type SubtreeRow } from "../../core/statistics/subtree";
import { inTransaction, type Db, type Tx } from "../platform/db.server";
import { streamRows } from "../platform/stream-rows.server";
import { refillCounters, replaceAllCounters } from "./counters.server";
import { readLevelHistory } from "./level-history.server";

/** The columns the mapping reads, as streamRows returns them (instants in ms, data as JSON text). */
const EventRowSchema = z.object({
  type: z.string(),
  occurred_at: z.number(),
  dossier_id: z.number().nullable(),
  agency_id: z.number().nullable(),
  procedure_id: z.number().nullable(),
  channel: z.string().nullable(),
  to_status: z.number().nullable(),
  data: z.string().nullable(),
});

/**
 * Every event, oldest first, added up in memory: what `daily_counts` should hold. The log is read
 * a page at a time (streamRows), so memory grows with the counters, not with the events. Run it
 * inside a transaction, on its client: a consistent snapshot (and PostgreSQL's cursor needs one).
 */
export async function tallyEvents(db: Db): Promise<{ tally: RollupTally; events: number }> {
  const tally = new RollupTally();
  let events = 0;
  const e = schema.dossierEvents;
  const rows = streamRows(
    db,
    db
      .select({
        type: e.type,
        occurredAt: e.occurredAt,
        dossierId: e.dossierId,
        agencyId: e.agencyId,
        procedureId: e.procedureId,
        channel: e.channel,
        toStatus: e.toStatus,
        data: e.data,
      })
      .from(e)
      .orderBy(e.id),
  );
  for await (const raw of rows) {
    const row = EventRowSchema.parse(raw);
    events += 1;
    tally.add({
      type: row.type,
      occurredAt: new Date(row.occurred_at),
      dossierId: row.dossier_id,
      agencyId: row.agency_id,
      procedureId: row.procedure_id,
      channel: row.channel,
      toStatus: row.to_status,
      data: row.data === null ? null : JSON.parse(row.data),
    });
  }
  return { tally, events };
}

/** Deletes and rewrites every counter from the log; the caller holds the write lock (an immediate transaction). */
async function replaceCounters(tx: Tx): Promise<{ events: number; rows: number }> {
  const { tally, events } = await tallyEvents(tx);
  await replaceAllCounters(tx, tally.cells.values());
  return { events, rows: tally.cells.size };
}

/**
 * Replaces every daily counter with one recomputed from the raw log, and the subtree counters with
 * their sums, in one immediate transaction (no event can be recorded between the read and the
 * write). Returns what it wrote to `daily_counts`.
 */
export async function rebuildRollups(db: Db): Promise<{ events: number; rows: number }> {
  return inTransaction((tx) => replaceCounters(tx), db);
}

/**
 * A database from before the counters existed (events logged, no counter): fills them once; one
 * from before the subtree counters (daily counters of known agencies, no subtree row): sums those;
 * one from before exits were counted (online_exit events, no online_exit counter): recounts the log.
 * Checked again under the write lock, so processes starting together rebuild only once.
 */
export async function rebuildRollupsIfMissing(db: Db): Promise<boolean> {
  const one = { one: sql<number>`1` };
  const hasRow = async (query: PromiseLike<unknown[]>) => (await query).length > 0;
  const missing = async (tx: Tx) =>
    (await hasRow(tx.select(one).from(schema.dossierEvents).limit(1))) && !(await hasRow(tx.select(one).from(schema.dailyCounts).limit(1)));
  const subtreeMissing = async (tx: Tx) =>
    (await hasRow(tx.select(one).from(schema.dailyCounts).innerJoin(schema.agencies, eq(schema.agencies.id, schema.dailyCounts.agencyId)).limit(1))) &&
    !(await hasRow(tx.select(one).from(schema.subtreeDaily).limit(1)));
  // Exits were logged before they were counted (migration 0018 / pg 0007): the first start-up after it counts them.
  const exitsMissing = async (tx: Tx) =>
    (await hasRow(tx.select(one).from(schema.dossierEvents).where(eq(schema.dossierEvents.type, "online_exit")).limit(1))) &&
    !(await hasRow(tx.select(one).from(schema.dailyCounts).where(eq(schema.dailyCounts.metric, "online_exit")).limit(1)));
  if (!(await missing(db)) && !(await subtreeMissing(db)) && !(await exitsMissing(db))) return false;
  return inTransaction(async (tx) => {
    if ((await missing(tx)) || (await exitsMissing(tx))) await replaceCounters(tx);
    else if (await subtreeMissing(tx)) await refillCounters(tx);
    else return false;
    return true;
  }, db);
}

export type RollupMismatch = { key: RollupKey; expected: number | null; actual: number | null };
/** A row of a table kept from the counters and the catalog (subtree counters and totals, portal use, catalog counts) that the log or catalog does not explain. */
export type DerivedMismatch = { table: string; key: string; expected: string | number | null; actual: string | number | null };
export type RollupCheck = {
  checkedEvents: number;
  expectedRows: number;
  actualRows: number;
  /** `daily_counts`, cell by cell. */
  mismatches: RollupMismatch[];
  /** The tables kept from it by the counters store, row by row, against the log's own counters (and the catalog). */
  derived: { expectedRows: number; actualRows: number; mismatches: DerivedMismatch[] };
};

/**
 * Recomputes the counters from the raw log in memory and compares them with the table, row by
 * row: a different count, a row the log does not explain, and a row missing from the table are
 * each one mismatch (null stands for the missing side). The same for the tables kept from them,
 * summed from the log's counters with the agencies' paths and the procedures' levels on each day
 * (a stored 0 is the same as no row: a level change leaves zeros behind): a wrong figure is
 * one mismatch in each table that holds it. One transaction, so events recorded meanwhile cannot
 * make the two sides disagree (on the portal's connection it holds the write lock while it reads;
 * on stats:verify's read-only connection it takes none and reads one snapshot).
 */
export async function verifyRollups(db: Db): Promise<RollupCheck> {
  return inTransaction(async (tx) => {
    const { tally, events } = await tallyEvents(tx);
    const derived = await verifyDerived(tx, tally);
    const actual = await tx.select().from(schema.dailyCounts);
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
    return { checkedEvents: events, expectedRows: tally.cells.size, actualRows: actual.length, mismatches, derived };
  }, db);
}

const StoredRowSchema = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));

/** Compares a table with what it should hold (rows by key); a stored row whose figures are all 0 counts as absent. */
async function compareTable(
  db: Db,
  table: string,
  query: Parameters<typeof streamRows>[1],
  keyOf: (row: Record<string, unknown>) => string,
  valueOf: (row: Record<string, unknown>) => string | number | null,
  expected: ReadonlyMap<string, string | number>,
  out: DerivedMismatch[],
): Promise<number> {
  const seen = new Set<string>();
  let rows = 0;
  for await (const raw of streamRows(db, query)) {
    const row = StoredRowSchema.parse(raw);
    const value = valueOf(row);
    if (value === 0 || value === "0") continue;
    rows += 1;
    const key = keyOf(row);
    seen.add(key);
    const want = expected.get(key) ?? null;
    if (want !== value) out.push({ table, key, expected: want, actual: value });
  }
  for (const [key, want] of expected) if (!seen.has(key)) out.push({ table, key, expected: want, actual: null });
  return rows;
}

const str = (v: unknown) => (v === null || v === undefined ? "" : String(v));

/** The columns of a subtree counter row but its period (named day or month), for the rows verify streams. */
const subtreeColumns = (t: typeof schema.subtreeDaily | typeof schema.subtreeMonthly) => ({
  agency_id: t.agencyId,
  metric: t.metric,
  channel: t.channel,
  level: t.level,
  count: t.count,
});

async function verifyDerived(db: Db, tally: RollupTally): Promise<RollupCheck["derived"]> {
  const [sd, sm, td, tm] = [schema.subtreeDaily, schema.subtreeMonthly, schema.subtreeTotalsDaily, schema.subtreeTotalsMonthly];
  const agencies = await db.select({ id: schema.agencies.id, path: schema.agencies.path }).from(schema.agencies);
  const procedures = await db
    .select({ id: schema.procedures.id, agency_id: schema.procedures.agencyId, level: schema.procedures.level })
    .from(schema.procedures);
  const paths = new Map(agencies.map((r) => [r.id, r.path]));
  const byId = new Map(procedures.map((r) => [r.id, r]));
  // Each cell at its procedure's level on its day (level-history.ts); the catalog and portal use at the current level.
  const history = await readLevelHistory(db, new Map(procedures.map((p) => [p.id, p.level])));
  const expected = new SubtreeTally(
    (id) => paths.get(id),
    (id, day) => history.levelOn(id, day),
  );
  const lastUse = new Map<number, string>();
  for (const cell of tally.cells.values()) {
    expected.add(cell);
    if (
      cell.metric === "submitted" &&
      (cell.channel === "online" || cell.channel === "assisted") &&
      cell.count > 0 &&
      byId.has(cell.procedureId) &&
      cell.day > (lastUse.get(cell.procedureId) ?? "")
    )
      lastUse.set(cell.procedureId, cell.day);
  }
  const subtreeKey = (r: Record<string, unknown>) =>
    `${str(r.period)} agency=${str(r.agency_id)} ${str(r.metric)} channel=${str(r.channel) || "-"} level=${str(r.level)}`;
  const count = (r: Record<string, unknown>) => (typeof r.count === "number" ? r.count : null);
  // Totals: every count as "key=value" in one string, so a row is one comparison.
  const totalsOf = (cells: Map<string, SubtreeRow>) => {
    const texts = new Map<string, string>();
    for (const r of subtreeTotals(cells.values()).values())
      if (totalsText(r.counts) !== "0") texts.set(`${r.period} agency=${r.agencyId}`, totalsText(r.counts));
    return texts;
  };
  const totalsKey = (r: Record<string, unknown>) => `${str(r.period)} agency=${str(r.agency_id)}`;
  const totalsValue = (r: Record<string, unknown>) => totalsText(r);
  const catalog = new Map<string, number>();
  for (const p of procedures) catalog.set(`agency=${p.agency_id} level=${p.level}`, (catalog.get(`agency=${p.agency_id} level=${p.level}`) ?? 0) + 1);
  const use = new Map([...lastUse].map(([id, day]) => [`procedure=${id} agency=${byId.get(id)?.agency_id ?? ""} level=${byId.get(id)?.level ?? ""}`, day]));

  const mismatches: DerivedMismatch[] = [];
  const tables = [
    {
      table: "subtree_daily",
      query: db.select({ period: sql`${sd.day}`.as("period"), ...subtreeColumns(sd) }).from(sd),
      key: subtreeKey,
      value: count,
      expected: new Map([...expected.daily.values()].map((r) => [subtreeKey({ ...r, agency_id: r.agencyId }), r.count])),
    },
    {
      table: "subtree_monthly",
      query: db.select({ period: sql`${sm.month}`.as("period"), ...subtreeColumns(sm) }).from(sm),
      key: subtreeKey,
      value: count,
      expected: new Map([...expected.monthly.values()].map((r) => [subtreeKey({ ...r, agency_id: r.agencyId }), r.count])),
    },
    {
      table: "subtree_totals_daily",
      query: db.select({ period: sql`${td.day}`.as("period"), ...getTableColumns(td) }).from(td),
      key: totalsKey,
      value: totalsValue,
      expected: totalsOf(expected.daily),
    },
    {
      table: "subtree_totals_monthly",
      query: db.select({ period: sql`${tm.month}`.as("period"), ...getTableColumns(tm) }).from(tm),
      key: totalsKey,
      value: totalsValue,
      expected: totalsOf(expected.monthly),
    },
    {
      table: "procedure_portal_use",
      query: db.select().from(schema.procedurePortalUse),
      key: (r: Record<string, unknown>) => `procedure=${str(r.procedure_id)} agency=${str(r.agency_id)} level=${str(r.level)}`,
      value: (r: Record<string, unknown>) => str(r.last_day),
      expected: use,
    },
    {
      table: "catalog_counts",
      query: db.select().from(schema.catalogCounts),
      key: (r: Record<string, unknown>) => `agency=${str(r.agency_id)} level=${str(r.level)}`,
      value: count,
      expected: catalog,
    },
  ];
  let actualRows = 0;
  let expectedRows = 0;
  for (const t of tables) {
    actualRows += await compareTable(db, t.table, t.query, t.key, t.value, t.expected, mismatches);
    expectedRows += t.expected.size;
  }
  return { expectedRows, actualRows, mismatches };
}

/** A totals row's counts as "name=value …" (only the non-zero ones; "0" when none), from a stored row or a Counts. */
function totalsText(row: Record<string, unknown>): string {
  const parts = TOTAL_KEYS.map((name) => `${name}=${str(row[name])}`).filter((part) => !part.endsWith("=0"));
  return parts.length === 0 ? "0" : parts.join(" ");
}

function keyOf(row: RollupRow): RollupKey {
  return { metric: row.metric, day: row.day, agencyId: row.agencyId, procedureId: row.procedureId, channel: row.channel };
}
