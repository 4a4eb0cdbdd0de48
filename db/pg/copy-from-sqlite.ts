import { is } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { getTableConfig as getSqliteTableConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import type pg from "pg";
import * as z from "zod";
import { writeSearchRows } from "../../app/server/catalog/search-pg.server";
import type { Db } from "../../app/server/platform/db.server";
import * as schema from "../schema";
import * as pgSchema from "./schema";

/**
 * Copies a portal's SQLite file into an empty, migrated PostgreSQL database (issue 15): every table
 * of the schema, parents before children, in one transaction; the identity sequences moved past the
 * copied ids; the search index written from the same folded text. The twin schemas have the same row
 * types (db/pg/schema.test.ts), so a row read from one is a row for the other.
 */
export async function copySqliteToPostgres(sqlite: Db, pool: pg.Pool): Promise<{ tables: number; rows: number }> {
  const sqliteTables = new Map(
    Object.values(schema)
      .filter((value) => is(value, SQLiteTable))
      .map((table) => [getSqliteTableConfig(table).name, table] as const),
  );
  const order = parentsFirst(Object.values(pgSchema).filter((value) => is(value, PgTable)));
  const client = await pool.connect();
  let rows = 0;
  try {
    await client.query("begin");
    const target = drizzle(client);
    for (const table of order) {
      const name = getTableConfig(table).name;
      const source = sqliteTables.get(name);
      if (!source) throw new Error(`no SQLite table ${name}`);
      const all: Record<string, unknown>[] = sqlite.select().from(source).all();
      // Batches keep each statement under PostgreSQL's 65,535 parameters.
      const perBatch = Math.max(1, Math.floor(60_000 / Math.max(1, getTableConfig(table).columns.length)));
      for (let i = 0; i < all.length; i += perBatch) await target.insert(table).values(all.slice(i, i + perBatch));
      rows += all.length;
      // An integer "id" key is an identity column (a text key, like a session's, has no sequence).
      const identity = getTableConfig(table).columns.find((c) => c.name === "id" && c.primary && ["integer", "bigint"].includes(c.getSQLType()));
      if (identity)
        await client.query(`select setval(pg_get_serial_sequence($1, 'id'), coalesce((select max(id) from "${name}"), 0) + 1, false)`, [`"${name}"`]);
    }
    const search = z
      .array(z.object({ procedureId: z.number(), code: z.string(), name: z.string(), field: z.string(), facets: z.string() }))
      .parse(sqlite.$client.prepare("select rowid as procedureId, code, name, field, facets from procedures_fts").all());
    await writeSearchRows(client, search);
    await client.query("commit");
    return { tables: order.length, rows };
  } catch (error) {
    await client.query("rollback");
    throw error;
  } finally {
    client.release();
  }
}

/** Tables ordered so that every table comes after the tables its foreign keys point to. */
function parentsFirst(tables: PgTable[]): PgTable[] {
  const byName = new Map(tables.map((t) => [getTableConfig(t).name, t]));
  const done = new Set<string>();
  const ordered: PgTable[] = [];
  const visit = (name: string, path: Set<string>) => {
    if (done.has(name)) return;
    if (path.has(name)) throw new Error(`foreign keys form a cycle through ${name}`);
    const table = byName.get(name);
    if (!table) return;
    path.add(name);
    for (const fk of getTableConfig(table).foreignKeys) {
      const parent = getTableConfig(fk.reference().foreignTable).name;
      if (parent !== name) visit(parent, path);
    }
    path.delete(name);
    done.add(name);
    ordered.push(table);
  };
  for (const name of [...byName.keys()].sort()) visit(name, new Set());
  return ordered;
}
