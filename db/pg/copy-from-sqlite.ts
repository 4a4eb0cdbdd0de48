import { getTableColumns, is } from "drizzle-orm";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { getTableConfig as getSqliteTableConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import type pg from "pg";
import * as z from "zod";
import { writeSearchRows } from "../../app/server/catalog/search-pg.server";
import type { Db } from "../../app/server/platform/db.server";
import * as schema from "../schema";
import * as pgSchema from "./schema";

/**
 * Copies a portal's SQLite file (up to date: its migrations applied) into an empty, migrated
 * PostgreSQL database (issue 15): every table of the schema, parents before children, read as a
 * stream and written in batches, in one transaction; the identity sequences moved past the
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
    for (const table of order) {
      const name = getTableConfig(table).name;
      const source = sqliteTables.get(name);
      if (!source) throw new Error(`no SQLite table ${name}`);
      // Read as a stream (the event log of a national portal does not fit in memory as objects),
      // each raw value turned into what drizzle's SQLite column gives (Date, JSON…) and then into
      // what its PostgreSQL twin sends; written a column array each through unnest, one statement
      // per 10,000 rows (bench:copy-to-pg, 1 M events: 175 s and 2 GB as objects and multi-row
      // VALUES → 54 s and 539 MB).
      const pgColumns = getTableColumns(table);
      const columns = Object.entries(getTableColumns(source)).map(([key, column]) => {
        const twin = pgColumns[key];
        if (!twin) throw new Error(`${name}.${column.name} has no PostgreSQL twin`);
        return { column, twin };
      });
      const statement = sqlite.$client.prepare(`select ${columns.map(({ column }) => `"${column.name}"`).join(", ")} from "${name}"`).raw();
      const insert = `insert into "${name}" (${columns.map(({ twin }) => `"${twin.name}"`).join(", ")})
        select * from unnest(${columns.map(({ twin }, i) => `$${i + 1}::${twin.getSQLType()}[]`).join(", ")})`;
      let batch = columns.map(() => new Array<unknown>());
      let size = 0;
      const flush = async () => {
        if (size === 0) return;
        await client.query(insert, batch);
        rows += size;
        batch = columns.map(() => new Array<unknown>());
        size = 0;
      };
      for (const raw of statement.iterate()) {
        if (!Array.isArray(raw)) throw new Error(`unexpected row from ${name}`);
        columns.forEach(({ column, twin }, i) => batch[i]?.push(raw[i] === null ? null : twin.mapToDriverValue(column.mapFromDriverValue(raw[i]))));
        size += 1;
        if (size === 10_000) await flush();
      }
      await flush();
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
