/**
 * The one dialect-specific read the statistics need: rows of a query one at a time, so a pass over
 * millions (the raw log in stats:verify and the rebuild, the stored counters in verify) holds one
 * row in memory, not all (drizzle's `.all()` would). The query is built with drizzle, so it is the
 * same on every database; on better-sqlite3 it runs as a statement's iterator. Rows come back as
 * the driver gives them: keyed by column name, instants as numbers, JSON as text — callers parse
 * them (zod). On PostgreSQL this is where a cursor goes (docs/decisions/021).
 */
import type { Db } from "./db.server";

export function streamRows(db: Db, query: { toSQL(): { sql: string; params: unknown[] } }): Iterable<unknown> {
  const { sql, params } = query.toSQL();
  return db.$client.prepare(sql).iterate(...params);
}
