/**
 * Builds a scale database for the statistics benchmark: the seeded portal, a national-size
 * catalog (db/scale/catalog.ts) and a synthetic event log with its daily counters
 * (db/scale/events.ts) and their subtree sums. Deterministic: the same options (seed, sizes, end date) give the same rows.
 *
 * What is NOT generated: dossiers, users, payments, ratings rows. The statistics read only the
 * event log, its counters and the catalog, so events carry no dossier_id and no actor_id (a
 * synthetic id would attach the event to whatever real dossier or user later gets that id); the
 * late backlog, a snapshot of the dossiers table, is therefore 0 on a scale database.
 */
import { existsSync } from "node:fs";
import { slugify } from "../../app/core/text/fold";
import { RollupTally } from "../../app/core/statistics/rollup";
import { bootstrapFile } from "../../app/server/platform/bootstrap.server";
import { inTransaction, type Db } from "../../app/server/platform/db.server";
import { replaceAllCounters } from "../../app/server/statistics/counters.server";
import { readReportedCsv } from "../seed";
import { insertSyntheticCatalog, loadCatalog, planCatalog, seededLevels, type AgencyPlan } from "./catalog";
import { dayNumber, dayString, DAY_MS, vnDayOf, vnMidnight, WorkCalendar } from "./clock";
import { EventBuffer, EventModel, eventRow } from "./events";
import { Random } from "./random";

export type ScaleOptions = {
  /** The SQLite file to fill; created (migrated and seeded) if missing. */
  file: string;
  /** Events in the log (exactly). */
  events: number;
  /** Procedures in the catalog; default the appendix's 125,336 (scaled down, each agency keeps its share). */
  procedures?: number;
  seed: number;
  /** The period: `days` Vietnam days ending with `end` (default today), both included. */
  days: number;
  end?: string;
  /** Visits start this many days before the period, so dossiers already open at its start finish inside it. */
  warmupDays?: number;
  /** The generation's "now": events after it are not generated (only matters when the period ends today). */
  now?: Date;
  log?: (line: string) => void;
};

export type ScaleResult = {
  file: string;
  period: { from: string; to: string };
  procedures: number;
  syntheticProcedures: number;
  plans: AgencyPlan[];
  events: number;
  arrivals: number;
  rollupRows: number;
  seconds: { catalog: number; model: number; insert: number; total: number };
};

const INSERT_BATCH = 250_000;
/** Days after the period's end the generator may schedule into (dossiers received late in the period finish after it). */
const FOLLOW_UP_DAYS = 120;

export async function generateScaleDb(options: ScaleOptions): Promise<ScaleResult> {
  const log = options.log ?? (() => {});
  const t0 = performance.now();
  const now = options.now ?? new Date();
  const random = new Random(options.seed);
  const endDay = options.end ? dayNumber(options.end) : vnDayOf(now.getTime());
  if (!Number.isInteger(endDay)) throw new Error(`--end ${options.end}: expected a date YYYY-MM-DD`);
  if (!Number.isInteger(options.days) || options.days < 1) throw new Error("the period needs at least one day");
  if (!Number.isInteger(options.events) || options.events < 1) throw new Error("at least one event");
  const startDay = endDay - options.days + 1;
  const warmupDays = options.warmupDays ?? 60;
  const startMs = vnMidnight(startDay);
  const endMs = Math.min(vnMidnight(endDay + 1) - 1, now.getTime());
  if (endMs < startMs) throw new Error("the period lies in the future");

  let clock: WorkCalendar;
  try {
    clock = new WorkCalendar(startDay - warmupDays - 1, endDay + FOLLOW_UP_DAYS);
  } catch (error) {
    if (error instanceof RangeError)
      throw new Error(
        `the holiday calendar (app/core/calendar/vn-holidays.json) must cover ${dayString(startDay - warmupDays - 1)} … ${dayString(endDay + FOLLOW_UP_DAYS)}: ${error.message}`,
      );
    throw error;
  }

  log(`opening ${options.file} (migrate + seed)…`);
  const db = await bootstrapFile(options.file, { seed: true });
  try {
    refuseIfFilled(db);
    // Speed over durability while generating: a crash leaves a half-built file to delete, nothing
    // else. WAL is the app's mode already; synchronous=OFF skips fsyncs; a large page cache keeps
    // the indexes of dossier_events in memory. Restored below (the pragmas are per connection).
    db.$client.pragma("synchronous = OFF");
    db.$client.pragma("cache_size = -262144");
    db.$client.pragma("temp_store = MEMORY");

    // ── Catalog ──
    const reported = readReportedCsv();
    const plans = planCatalog({
      reported: reported.map((r) => ({ code: slugify(r.agency), totalProcedures: r.total_procedures, level4Services: r.level4_services })),
      totalProcedures: options.procedures,
      seeded: seededLevels(db),
      random: random.fork(1),
    });
    const synthetic = plans.reduce((s, p) => s + p.synthetic.reduce((a, b) => a + b, 0), 0);
    log(`catalog: ${plans.reduce((s, p) => s + p.total, 0)} procedures over ${plans.length} agencies (${synthetic} synthetic)…`);
    insertSyntheticCatalog(db, plans, random.fork(2), log);
    const catalog = loadCatalog(db);
    const t1 = performance.now();
    log(`  catalog done in ${seconds(t1 - t0)} s`);

    // ── Events, in memory ──
    log(`events: drawing ${options.events} events over ${dayString(startDay)} … ${dayString(endDay)}…`);
    const model = new EventModel({
      catalog,
      roots: reported.map((r) => ({ code: slugify(r.agency), kind: r.kind })),
      clock,
      random: random.fork(3),
      startMs,
      endMs,
      warmupDays,
    });
    const buffer = new EventBuffer(options.events);
    const { arrivals } = model.fill(buffer, (n) => log(`  ${n} events drawn…`));
    const order = buffer.timeOrder(startMs - (warmupDays + 1) * DAY_MS);
    const t2 = performance.now();
    log(`  ${buffer.length} events from ${arrivals} arrivals in ${seconds(t2 - t1)} s`);

    // ── Rows and counters ──
    // The counters are added up in the same pass with the app's own mapping (RollupTally →
    // rollupKeys), from the very objects that are written, so they match the log by construction;
    // `npm run stats:verify` re-checks that from the stored rows.
    const tally = new RollupTally();
    const indexes = dropSecondaryIndexes(db, ["dossier_events", "daily_counts"]);
    const insert = db.$client.prepare(
      "insert into dossier_events (type, occurred_at, procedure_id, agency_id, dossier_id, actor_id, actor_role, channel, from_status, to_status, data) values (?, ?, ?, ?, null, null, ?, ?, ?, ?, ?)",
    );
    const writeBatch = db.$client.transaction((from: number, to: number) => {
      for (let k = from; k < to; k += 1) {
        const row = eventRow(buffer, order[k] ?? 0, catalog);
        tally.add(row);
        insert.run(
          row.type,
          row.occurredAt.getTime(),
          row.procedureId,
          row.agencyId,
          row.actorRole,
          row.channel,
          row.fromStatus,
          row.toStatus,
          row.data === null ? null : JSON.stringify(row.data),
        );
      }
    });
    for (let k = 0; k < order.length; k += INSERT_BATCH) {
      writeBatch(k, Math.min(order.length, k + INSERT_BATCH));
      log(`  ${Math.min(order.length, k + INSERT_BATCH)} / ${order.length} events written (${seconds(performance.now() - t2)} s)`);
    }
    // In primary-key order, so the key's b-tree is appended to rather than split all over.
    const cells = [...tally.cells.values()].sort((x, y) =>
      x.metric < y.metric
        ? -1
        : x.metric > y.metric
          ? 1
          : x.day < y.day
            ? -1
            : x.day > y.day
              ? 1
              : x.agencyId - y.agencyId || x.procedureId - y.procedureId || (x.channel < y.channel ? -1 : x.channel > y.channel ? 1 : 0),
    );
    // The counters and every table kept from them, through the counters store's bulk path (the rebuild's).
    await inTransaction((tx) => replaceAllCounters(tx, cells), db);
    log(`  ${cells.length} daily counter rows written, and their subtree sums; rebuilding the indexes…`);
    db.$client.transaction(() => {
      for (const sql of indexes) db.$client.exec(sql);
    })();
    const t3 = performance.now();
    log(`  events, counters and indexes in ${seconds(t3 - t2)} s`);

    db.$client.pragma("synchronous = NORMAL");
    db.$client.pragma("wal_checkpoint(TRUNCATE)");
    return {
      file: options.file,
      period: { from: dayString(startDay), to: dayString(endDay) },
      procedures: catalog.length,
      syntheticProcedures: synthetic,
      plans,
      events: buffer.length,
      arrivals,
      rollupRows: tally.cells.size,
      seconds: { catalog: round1(t1 - t0), model: round1(t2 - t1), insert: round1(t3 - t2), total: round1(performance.now() - t0) },
    };
  } finally {
    db.$client.close();
  }
}

/**
 * Drops the secondary indexes of the tables about to be bulk-loaded and returns their CREATE
 * statements (exactly as the migrations made them): building an index once after the load is
 * several times faster than updating it row by row.
 */
function dropSecondaryIndexes(db: Db, tables: readonly string[]): string[] {
  const rows = db.$client
    .prepare(`select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${tables.map(() => "?").join(", ")})`)
    .all(...tables);
  const statements: string[] = [];
  for (const row of rows) {
    if (!row || typeof row !== "object" || !("name" in row) || !("sql" in row) || typeof row.name !== "string" || typeof row.sql !== "string") continue;
    db.$client.exec(`drop index "${row.name}"`);
    statements.push(row.sql);
  }
  return statements;
}

/** A scale run adds to a freshly seeded database only: twice would double the catalog and the log. */
function refuseIfFilled(db: Db): void {
  const filled = db.$client
    .prepare(
      "select (select count(*) from dossier_events) as events, (select count(*) from daily_counts) as counters, (select count(*) from procedures where code glob 'S.[0-9]*') as synthetic",
    )
    .get();
  const counts = filled && typeof filled === "object" ? Object.values(filled) : [];
  if (counts.some((n) => n !== 0))
    throw new Error("the database already has events, counters or synthetic procedures: generate into a new file (or pass --replace)");
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const round1 = (ms: number) => Math.round(ms / 100) / 10;

/** The files SQLite keeps for a database in WAL mode. */
export function databaseFiles(file: string): string[] {
  return [file, `${file}-wal`, `${file}-shm`].filter((f) => existsSync(f));
}
