/**
 * The counters store: `daily_counts` and every table kept from it — the subtree counters and their
 * totals, each procedure's last portal use — and the catalog's size per agency and level. The one
 * implementation of them (docs/decisions/021): drizzle statements that SQLite and PostgreSQL both
 * run (upserts with `onConflictDoUpdate`), the rows computed by app/core/statistics/subtree.ts.
 * Whoever changes a counter or a procedure's agency or level goes through here, in the
 * transaction of the change: recordEvent, an administrator's level change, the rebuild, the scale
 * generator, a repair, a test fixture. `npm run stats:verify` recomputes it all from the raw log.
 *
 * Functions that take a `Tx` await each statement and run inside the caller's transaction
 * (`inTransaction`, docs/decisions/026).
 */
import { and, eq, gt, gte, inArray, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { schema } from "../platform/schema.server";
import type { RollupRow } from "../../core/statistics/rollup";
import { isPortalSubmission, subtreeTotals, SubtreeTally, TOTAL_KEYS, type SubtreeRow, type TotalsRow } from "../../core/statistics/subtree";
import { inTransaction, placeholders, preparedPerConnection, type Tx } from "../platform/db.server";
import { vnDate } from "../../core/calendar/working-days";
import { LevelHistory } from "../../core/statistics/level-history";
import { readLevelChanges, readLevelHistory, vnDayStart } from "./level-history.server";

const dc = schema.dailyCounts;
const use = schema.procedurePortalUse;
const cc = schema.catalogCounts;

type ProcedurePlace = { agencyId: number; level: number };

/** `column + excluded.column`: an upsert that adds the new row's amount to the stored one. */
const plusExcluded = (column: SQLiteColumn): SQL => sql`${column} + excluded.${sql.identifier(column.name)}`;

/** Every statement of the store, one row each, with placeholders (values by name: a cell, a subtree row, a totals row's counts). */
function prepareStatements(tx: Tx) {
  const p = sql.placeholder;
  const subtree = { agencyId: p("agencyId"), metric: p("metric"), channel: p("channel"), level: p("level"), count: p("count") };
  const totals = placeholders(TOTAL_KEYS);
  const totalsSet = (table: typeof schema.subtreeTotalsDaily | typeof schema.subtreeTotalsMonthly) =>
    Object.fromEntries(TOTAL_KEYS.map((k) => [k, plusExcluded(table[k])]));
  const cellKey = and(
    eq(dc.metric, p("metric")),
    eq(dc.day, p("day")),
    eq(dc.agencyId, p("agencyId")),
    eq(dc.procedureId, p("procedureId")),
    eq(dc.channel, p("channel")),
  );
  return {
    addCell: tx
      .insert(dc)
      .values({ metric: p("metric"), day: p("day"), agencyId: p("agencyId"), procedureId: p("procedureId"), channel: p("channel"), count: p("count") })
      .onConflictDoUpdate({ target: [dc.metric, dc.day, dc.agencyId, dc.procedureId, dc.channel], set: { count: plusExcluded(dc.count) } })
      .returning({ count: dc.count })
      .prepare(),
    deleteCell: tx.delete(dc).where(cellKey).prepare(),
    agencyPath: tx
      .select({ path: schema.agencies.path })
      .from(schema.agencies)
      .where(eq(schema.agencies.id, p("id")))
      .prepare(),
    procedurePlace: tx
      .select({ agencyId: schema.procedures.agencyId, level: schema.procedures.level })
      .from(schema.procedures)
      .where(eq(schema.procedures.id, p("id")))
      .prepare(),
    addDaily: tx
      .insert(schema.subtreeDaily)
      .values({ day: p("period"), ...subtree })
      .onConflictDoUpdate({
        target: [schema.subtreeDaily.agencyId, schema.subtreeDaily.day, schema.subtreeDaily.metric, schema.subtreeDaily.channel, schema.subtreeDaily.level],
        set: { count: plusExcluded(schema.subtreeDaily.count) },
      })
      .prepare(),
    addMonthly: tx
      .insert(schema.subtreeMonthly)
      .values({ month: p("period"), ...subtree })
      .onConflictDoUpdate({
        target: [
          schema.subtreeMonthly.agencyId,
          schema.subtreeMonthly.month,
          schema.subtreeMonthly.metric,
          schema.subtreeMonthly.channel,
          schema.subtreeMonthly.level,
        ],
        set: { count: plusExcluded(schema.subtreeMonthly.count) },
      })
      .prepare(),
    addTotalsDaily: tx
      .insert(schema.subtreeTotalsDaily)
      .values({ agencyId: p("agencyId"), day: p("period"), ...totals })
      .onConflictDoUpdate({ target: [schema.subtreeTotalsDaily.agencyId, schema.subtreeTotalsDaily.day], set: totalsSet(schema.subtreeTotalsDaily) })
      .prepare(),
    addTotalsMonthly: tx
      .insert(schema.subtreeTotalsMonthly)
      .values({ agencyId: p("agencyId"), month: p("period"), ...totals })
      .onConflictDoUpdate({ target: [schema.subtreeTotalsMonthly.agencyId, schema.subtreeTotalsMonthly.month], set: totalsSet(schema.subtreeTotalsMonthly) })
      .prepare(),
    // A later day than the one stored, or a first one.
    usedOn: tx
      .insert(use)
      .values({ procedureId: p("procedureId"), agencyId: p("agencyId"), level: p("level"), lastDay: p("lastDay") })
      .onConflictDoUpdate({ target: use.procedureId, set: { lastDay: sql`excluded.last_day` }, setWhere: sql`${use.lastDay} < excluded.last_day` })
      .prepare(),
    addCatalog: tx
      .insert(cc)
      .values({ agencyId: p("agencyId"), level: p("level"), count: p("count") })
      .onConflictDoUpdate({ target: [cc.agencyId, cc.level], set: { count: plusExcluded(cc.count) } })
      .prepare(),
  };
}
type Statements = ReturnType<typeof prepareStatements>;

/** The statements, prepared once per connection: building and compiling them was most of an event's cost (~2/3 of the store's time when built per call). */
const statements = preparedPerConnection(prepareStatements);

/** Adds subtree cells (signed amounts) to the subtree tables, and their sums to the totals. */
async function addToSubtrees(s: Statements, daily: Iterable<SubtreeRow>, monthly: Iterable<SubtreeRow>): Promise<void> {
  const dailyRows = [...daily];
  const monthlyRows = [...monthly];
  for (const r of dailyRows) await s.addDaily.execute(r);
  for (const r of monthlyRows) await s.addMonthly.execute(r);
  // A totals row that nets to nothing (a level change of a counter other than submitted) has nothing to add.
  const changed = (r: TotalsRow) => TOTAL_KEYS.some((k) => r.counts[k] !== 0);
  for (const r of subtreeTotals(dailyRows).values()) if (changed(r)) await s.addTotalsDaily.execute({ ...r.counts, agencyId: r.agencyId, period: r.period });
  for (const r of subtreeTotals(monthlyRows).values())
    if (changed(r)) await s.addTotalsMonthly.execute({ ...r.counts, agencyId: r.agencyId, period: r.period });
}

/** Each procedure's last day with a portal dossier, looked up again (a cell that stopped counting may have been that day). */
async function recomputePortalUse(tx: Tx, procedureId: number, place: ProcedurePlace): Promise<void> {
  const [found] = await tx
    .select({ day: sql<string | null>`max(${dc.day})` })
    .from(dc)
    .where(and(eq(dc.procedureId, procedureId), eq(dc.metric, "submitted"), inArray(dc.channel, ["online", "assisted"]), gt(dc.count, 0)));
  const last = found?.day;
  if (!last) await tx.delete(use).where(eq(use.procedureId, procedureId));
  else
    await tx
      .insert(use)
      .values({ procedureId, ...place, lastDay: last })
      .onConflictDoUpdate({ target: use.procedureId, set: { lastDay: last } });
}

/**
 * The levels the cells' procedures had on the cells' days. Events are counted as they happen, so a
 * cell is today's and its level the current one; only a cell of an earlier day (an event recorded
 * with a past date, a repair) may predate a change of level, whose changes are then read from the log.
 */
async function historyOfPastCells(tx: Tx, cells: readonly RollupRow[], places: ReadonlyMap<number, ProcedurePlace>): Promise<LevelHistory> {
  const current = (id: number) => places.get(id)?.level;
  const today = vnDate(new Date());
  const past = cells.filter((c) => c.day < today && places.has(c.procedureId));
  if (past.length === 0) return new LevelHistory(current);
  const since = past.reduce((min, c) => (c.day < min ? c.day : min), today);
  return new LevelHistory(current, await readLevelChanges(tx, { procedureIds: [...new Set(past.map((c) => c.procedureId))], since: vnDayStart(since) }));
}

/**
 * Adds signed amounts to counter cells (`count` is the amount: 1 for an event, any integer for a
 * repair) and the same amounts to every table kept from them, inside `tx` (a savepoint, so a
 * failure leaves nothing half-counted). A cell brought to 0 is deleted: no cell and a cell of 0 are
 * the same count, and verify compares cells.
 */
export async function addToCounters(tx: Tx, cells: readonly RollupRow[]): Promise<void> {
  if (cells.length === 0) return;
  const s = statements(tx);
  await inTransaction(async (inner) => {
    const stored: { cell: RollupRow; after: number }[] = [];
    for (const cell of cells) {
      const [added] = await s.addCell.execute(cell);
      const after = added?.count ?? cell.count;
      if (after === 0) await s.deleteCell.execute(cell);
      stored.push({ cell, after });
    }
    const paths = new Map<number, string>();
    for (const id of new Set(cells.map((c) => c.agencyId))) {
      const [found] = id > 0 ? await s.agencyPath.execute({ id }) : [];
      if (found !== undefined) paths.set(id, found.path);
    }
    const places = new Map<number, ProcedurePlace>();
    for (const id of new Set(cells.map((c) => c.procedureId))) {
      const [place] = id > 0 ? await s.procedurePlace.execute({ id }) : [];
      if (place) places.set(id, place);
    }
    const history = await historyOfPastCells(inner, cells, places);
    const tally = new SubtreeTally(
      (id) => paths.get(id),
      (id, day) => history.levelOn(id, day),
    );
    for (const cell of cells) tally.add(cell);
    await addToSubtrees(s, tally.daily.values(), tally.monthly.values());

    for (const { cell, after } of stored) {
      const place = places.get(cell.procedureId);
      if (!place || !isPortalSubmission(cell)) continue;
      const before = after - cell.count;
      // A cell that starts counting can only push the last day later; one that stops may have been that day.
      if (after > 0 && before <= 0) await s.usedOn.execute({ procedureId: cell.procedureId, ...place, lastDay: cell.day });
      else if (after <= 0 && before > 0) await recomputePortalUse(inner, cell.procedureId, place);
    }
  }, tx);
}

/**
 * A procedure's agency or level changed (the caller updated the row in `tx`): its counts move from
 * the old level's subtree rows to the new one's (rows left at 0 are harmless: verify takes a 0 for
 * no row), and its portal use and the catalog counts follow. Its cells are found through
 * `daily_counts_procedure_idx`, so the administrator's transaction does not scan the table.
 * `since` (a Vietnam day): the change is logged as happening that day, and only the cells from that
 * day on move — the days before keep the level they had (level-history.ts, decision 031). Without
 * it every cell moves (a change the log does not record).
 */
export async function moveProcedure(tx: Tx, procedureId: number, from: ProcedurePlace, to: ProcedurePlace, since?: string): Promise<void> {
  if (from.agencyId === to.agencyId && from.level === to.level) return;
  const s = statements(tx);
  await inTransaction(async (inner) => {
    if (from.level !== to.level) {
      const cells = await inner
        .select()
        .from(dc)
        .where(and(eq(dc.procedureId, procedureId), since === undefined ? undefined : gte(dc.day, since)));
      const paths = new Map<number, string>();
      for (const id of new Set(cells.map((c) => c.agencyId))) {
        const [found] = await s.agencyPath.execute({ id });
        if (found !== undefined) paths.set(id, found.path);
      }
      const out = new SubtreeTally(
        (id) => paths.get(id),
        () => from.level,
      );
      const into = new SubtreeTally(
        (id) => paths.get(id),
        () => to.level,
      );
      for (const cell of cells) {
        out.add({ ...cell, count: -cell.count });
        into.add(cell);
      }
      await addToSubtrees(s, [...out.daily.values(), ...into.daily.values()], [...out.monthly.values(), ...into.monthly.values()]);
    }
    await inner.update(use).set(to).where(eq(use.procedureId, procedureId));
    await addToCatalogCounts(inner, [
      { ...from, count: -1 },
      { ...to, count: 1 },
    ]);
  }, tx);
}

/** Procedures added (count 1 each) or removed (−1) from the catalog's size per agency and level. */
export async function addToCatalogCounts(tx: Tx, rows: readonly (ProcedurePlace & { count: number })[]): Promise<void> {
  const s = statements(tx);
  for (const row of rows) await s.addCatalog.execute(row);
}

/**
 * Every table kept from the counters and the catalog, recomputed from the whole of `daily_counts`
 * given cell by cell (`add`), then written at once (`write`) into tables it first empties: one
 * pass over millions of cells summed in memory (the subtree tally), each row then written once
 * by the store's own statements. For the rebuild, the scale generator, and a database migrated
 * from before the subtree counters.
 */
class Refill {
  private readonly tally: SubtreeTally;
  private readonly lastUse = new Map<number, string>();

  private constructor(
    private readonly tx: Tx,
    private readonly places: Map<number, ProcedurePlace>,
    paths: Map<number, string>,
    history: LevelHistory,
  ) {
    // Each cell at its procedure's level on its day; the portal use and the catalog at the current level.
    this.tally = new SubtreeTally(
      (id) => paths.get(id),
      (id, day) => history.levelOn(id, day),
    );
  }

  static async start(tx: Tx): Promise<Refill> {
    const procedures = await tx
      .select({ id: schema.procedures.id, agencyId: schema.procedures.agencyId, level: schema.procedures.level })
      .from(schema.procedures);
    const agencies = await tx.select({ id: schema.agencies.id, path: schema.agencies.path }).from(schema.agencies);
    const history = await readLevelHistory(tx, new Map(procedures.map((p) => [p.id, p.level])));
    return new Refill(tx, new Map(procedures.map((p) => [p.id, p])), new Map(agencies.map((a) => [a.id, a.path])), history);
  }

  add(cell: RollupRow): void {
    this.tally.add(cell);
    if (isPortalSubmission(cell) && cell.count > 0 && this.places.has(cell.procedureId) && cell.day > (this.lastUse.get(cell.procedureId) ?? ""))
      this.lastUse.set(cell.procedureId, cell.day);
  }

  async write(): Promise<void> {
    const tx = this.tx;
    for (const table of [schema.subtreeDaily, schema.subtreeMonthly, schema.subtreeTotalsDaily, schema.subtreeTotalsMonthly, use, cc]) await tx.delete(table);
    const nonZero = (rows: Map<string, SubtreeRow>) => [...rows.values()].filter((r) => r.count !== 0);
    const s = statements(tx);
    await addToSubtrees(s, nonZero(this.tally.daily), nonZero(this.tally.monthly));
    for (const [procedureId, lastDay] of this.lastUse) {
      const place = this.places.get(procedureId);
      if (place) await s.usedOn.execute({ procedureId, ...place, lastDay });
    }
    const catalog = new Map<string, ProcedurePlace & { count: number }>();
    for (const p of this.places.values()) {
      const id = `${p.agencyId}/${p.level}`;
      const row = catalog.get(id);
      if (row) row.count += 1;
      else catalog.set(id, { agencyId: p.agencyId, level: p.level, count: 1 });
    }
    await addToCatalogCounts(tx, [...catalog.values()]);
  }
}

/**
 * `daily_counts` replaced by `cells` (the log's own tally: the rebuild, the scale generator; in
 * primary-key order it loads fastest) and every table kept from it recomputed, inside the caller's transaction.
 */
export async function replaceAllCounters(tx: Tx, cells: Iterable<RollupRow>): Promise<void> {
  await tx.delete(dc);
  const s = statements(tx);
  const refill = await Refill.start(tx);
  for (const cell of cells) {
    await s.addCell.execute(cell);
    refill.add(cell);
  }
  await refill.write();
}

/** The tables kept from `daily_counts` recomputed from it as stored (a database migrated from before the subtree counters). */
export async function refillCounters(tx: Tx): Promise<void> {
  const refill = await Refill.start(tx);
  for (const cell of await tx.select().from(dc)) refill.add(cell);
  await refill.write();
}
