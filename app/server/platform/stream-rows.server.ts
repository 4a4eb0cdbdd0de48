/**
 * The one dialect-specific read the statistics need: rows of a query a page at a time, so a pass
 * over millions (the raw log in stats:verify and the rebuild, the stored counters in verify) holds
 * a page in memory, not all (an awaited select would). The query is built with drizzle, so it is
 * the same on every database. Rows come back as SQLite gives them, on either database: keyed by
 * column name, instants as milliseconds, JSON as text, integers as numbers — callers parse them (zod).
 * - SQLite: the statement's iterator (better-sqlite3's iterate).
 * - PostgreSQL: a cursor (DECLARE … FETCH), which lives in a transaction: call it inside
 *   `inTransaction`, with the transaction's client. Each page's values are brought to SQLite's
 *   forms by the column types the server reports (bigint and numeric as text, timestamps as text,
 *   JSON parsed, in node-postgres under drizzle).
 */
import { sql, type SQLWrapper } from "drizzle-orm";
import pg from "pg";
import * as z from "zod";
import { onPostgres, runRaw, type Db } from "./db.server";
import { currentTransaction } from "./sqlite-guard.server";

type Query = SQLWrapper & { toSQL(): { sql: string; params: unknown[] } };

/** Rows fetched from a PostgreSQL cursor at a time. */
const PAGE = 2000;

export function streamRows(db: Db, query: Query): AsyncIterable<unknown> {
  if (onPostgres(db)) return cursorRows(db, query);
  const { sql: text, params } = query.toSQL();
  return sqliteRows(db.$client.prepare(text).iterate(...params));
}

async function* sqliteRows(rows: Iterable<unknown>): AsyncIterable<unknown> {
  yield* rows;
}

let cursors = 0;

async function* cursorRows(db: Db, query: Query): AsyncIterable<unknown> {
  if (currentTransaction()?.postgres !== db) throw new Error("streamRows on PostgreSQL reads through a cursor: call it inside inTransaction, on its client");
  const cursor = sql.raw(`stream_rows_${(cursors += 1)}`);
  await runRaw(db, sql`declare ${cursor} no scroll cursor for ${query.getSQL()}`);
  let failed = false;
  try {
    for (;;) {
      const page = await execute(db, sql`fetch forward ${sql.raw(String(PAGE))} from ${cursor}`).catch((error: unknown) => {
        failed = true;
        throw error;
      });
      const convert = page.fields.map((f) => [f.name, converterOf(f.dataTypeID)] as const);
      for (const row of page.rows) {
        for (const [name, to] of convert) if (to) row[name] = to(row[name]);
        yield row;
      }
      if (page.rows.length < PAGE) break;
    }
  } finally {
    // An aborted transaction takes its cursors with it (and would refuse the close).
    if (!failed) await runRaw(db, sql`close ${cursor}`);
  }
}

const ResultSchema = z.object({
  rows: z.array(z.record(z.string(), z.unknown())),
  fields: z.array(z.object({ name: z.string(), dataTypeID: z.number() })),
});

/** drizzle's `execute` on a node-postgres client: the driver's result, with the column types the rows need. */
async function execute(db: Db, query: SQLWrapper): Promise<z.infer<typeof ResultSchema>> {
  // The client is node-postgres's under the SQLite type (db.server.ts, openPostgres), whose execute SQLite's lacks.
  const run: unknown = Reflect.get(db, "execute");
  if (typeof run !== "function") throw new Error("not a PostgreSQL client");
  const result: unknown = await Reflect.apply(run, db, [query]);
  return ResultSchema.parse(result);
}

const { builtins } = pg.types;
const parseTimestamp = pg.types.getTypeParser(builtins.TIMESTAMPTZ);

/** How a value of a PostgreSQL type, as drizzle's node-postgres reads it, becomes SQLite's; undefined when it already is. */
function converterOf(type: number): ((value: unknown) => unknown) | undefined {
  switch (type) {
    case builtins.INT8:
    case builtins.NUMERIC:
      return (v) => (typeof v === "string" ? Number(v) : v);
    case builtins.TIMESTAMPTZ:
      return (v) => {
        const parsed: unknown = typeof v === "string" ? parseTimestamp(v) : v;
        return parsed instanceof Date ? parsed.getTime() : parsed;
      };
    case builtins.JSON:
    case builtins.JSONB:
      return (v) => (v === null ? null : JSON.stringify(v));
    case builtins.BOOL:
      return (v) => (typeof v === "boolean" ? Number(v) : v);
    default:
      return undefined;
  }
}
