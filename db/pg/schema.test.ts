// Issue 15: db/pg/schema.ts must stay the PostgreSQL twin of db/schema.ts. The structure is compared here at
// run time; the TypeScript select and insert types of every table are compared by `expectTypeOf`, which
// `tsc --noEmit` (npm run typecheck) checks.
import { describe, expect, expectTypeOf, it } from "vitest";
import { is, SQL, Table, type InferInsertModel, type InferSelectModel } from "drizzle-orm";
import { getTableConfig as getPgTableConfig, PgDialect, PgTable } from "drizzle-orm/pg-core";
import { getTableConfig as getSqliteTableConfig, SQLiteSyncDialect, SQLiteTable } from "drizzle-orm/sqlite-core";
import * as sqliteSchema from "../schema";
import * as pgSchema from "./schema";

/** A table as both dialects can describe it. */
interface Shape {
  columns: { name: string; dataType: string; notNull: boolean; primary: boolean; hasDefault: boolean; unique: string | null; enumValues: string[] }[];
  primaryKeys: { name: string; columns: string[] }[];
  uniqueConstraints: { name: string | undefined; columns: string[] }[];
  indexes: { name: string; unique: boolean; columns: string[]; where: string | null }[];
  foreignKeys: { name: string; columns: string[]; foreignTable: string; foreignColumns: string[]; onDelete: string }[];
  checks: { name: string; sql: string }[];
}

/**
 * INTEGER PRIMARY KEY columns that are not autoincrement ids: in SQLite they alias the rowid, so drizzle
 * gives them a default (optional on insert); in PostgreSQL they are plain keys the caller must give.
 */
const ROWID_KEYS = new Set(["procedure_portal_use.procedure_id"]);

const sqliteDialect = new SQLiteSyncDialect();
const pgDialect = new PgDialect();
const render = (dialect: { sqlToQuery(sql: SQL): { sql: string } }, sql: SQL | undefined) => (sql === undefined ? null : dialect.sqlToQuery(sql).sql);
const columnName = (c: object) => ("name" in c && typeof c.name === "string" ? c.name : "<expression>");
const byName = <T extends { name?: string }>(items: T[]) => [...items].sort((a, b) => (a.name ?? "").localeCompare(b.name ?? ""));

/** A foreign key of either dialect, its target table named by `tableName`. */
function foreignKeyShape<T>(
  fk: { getName(): string; onDelete?: string; reference(): { columns: { name: string }[]; foreignTable: T; foreignColumns: { name: string }[] } },
  tableName: (table: T) => string,
): Shape["foreignKeys"][number] {
  const ref = fk.reference();
  return {
    name: fk.getName(),
    columns: ref.columns.map((c) => c.name),
    foreignTable: tableName(ref.foreignTable),
    foreignColumns: ref.foreignColumns.map((c) => c.name),
    onDelete: fk.onDelete ?? "no action",
  };
}

function sqliteShape(table: SQLiteTable): Shape {
  const config = getSqliteTableConfig(table);
  return {
    columns: config.columns.map((c) => ({
      name: c.name,
      dataType: c.dataType,
      notNull: c.notNull,
      primary: c.primary,
      hasDefault: c.hasDefault && !ROWID_KEYS.has(`${config.name}.${c.name}`),
      unique: c.isUnique ? (c.uniqueName ?? "") : null,
      enumValues: c.enumValues ?? [],
    })),
    primaryKeys: byName(config.primaryKeys.map((pk) => ({ name: pk.getName(), columns: pk.columns.map((c) => c.name) }))),
    uniqueConstraints: byName(config.uniqueConstraints.map((u) => ({ name: u.name, columns: u.columns.map((c) => c.name) }))),
    indexes: byName(
      config.indexes.map(({ config: i }) => ({ name: i.name, unique: i.unique, columns: i.columns.map(columnName), where: render(sqliteDialect, i.where) })),
    ),
    foreignKeys: byName(config.foreignKeys.map((fk) => foreignKeyShape(fk, (t) => getSqliteTableConfig(t).name))),
    checks: byName(config.checks.map((c) => ({ name: c.name, sql: render(sqliteDialect, c.value) ?? "" }))),
  };
}

function pgShape(table: PgTable): Shape {
  const config = getPgTableConfig(table);
  return {
    columns: config.columns.map((c) => ({
      name: c.name,
      // The bytea customType stands for SQLite's blob({ mode: "buffer" }).
      dataType: c.dataType === "custom" && c.getSQLType() === "bytea" ? "buffer" : c.dataType,
      notNull: c.notNull,
      primary: c.primary,
      hasDefault: c.hasDefault,
      unique: c.isUnique ? (c.uniqueName ?? "") : null,
      enumValues: c.enumValues ?? [],
    })),
    primaryKeys: byName(config.primaryKeys.map((pk) => ({ name: pk.getName(), columns: pk.columns.map((c) => c.name) }))),
    uniqueConstraints: byName(config.uniqueConstraints.map((u) => ({ name: u.name, columns: u.columns.map((c) => c.name) }))),
    indexes: byName(
      config.indexes.map(({ config: i }) => ({ name: i.name ?? "", unique: i.unique, columns: i.columns.map(columnName), where: render(pgDialect, i.where) })),
    ),
    foreignKeys: byName(config.foreignKeys.map((fk) => foreignKeyShape(fk, (t) => getPgTableConfig(t).name))),
    // Name and SQL text: identical today; a check translated to other SQL (glob, json_*) would be compared by name only.
    checks: byName(config.checks.map((c) => ({ name: c.name, sql: render(pgDialect, c.value) ?? "" }))),
  };
}

const sqliteTables = new Map(
  Object.values(sqliteSchema)
    .filter((value) => is(value, SQLiteTable))
    .map((table) => [getSqliteTableConfig(table).name, table]),
);
const pgTables = new Map(
  Object.values(pgSchema)
    .filter((value) => is(value, PgTable))
    .map((table) => [getPgTableConfig(table).name, table]),
);

describe("db/pg/schema.ts, the PostgreSQL twin of db/schema.ts", () => {
  it("has the same tables, under the same export names", () => {
    expect(sqliteTables.size).toBe(38);
    expect([...pgTables.keys()].sort()).toEqual([...sqliteTables.keys()].sort());
    const exportNames = (schema: Record<string, unknown>, table: (value: unknown) => boolean) =>
      Object.entries(schema)
        .filter(([, value]) => table(value))
        .map(([name]) => name)
        .sort();
    expect(exportNames(pgSchema, (v) => is(v, PgTable))).toEqual(exportNames(sqliteSchema, (v) => is(v, SQLiteTable)));
    expect(pgSchema.AGENCY_KINDS).toBe(sqliteSchema.AGENCY_KINDS);
  });

  describe.each([...sqliteTables.keys()])("%s", (name) => {
    const sqlite = sqliteShape(sqliteTables.get(name) ?? expect.unreachable(`no SQLite table ${name}`));
    const pg = pgShape(pgTables.get(name) ?? expect.unreachable(`no PostgreSQL table ${name}`));

    it("has the same columns in the same order: type class, nullability, key, default, unique, enum", () => {
      expect(pg.columns).toEqual(sqlite.columns);
    });
    it("has the same composite primary key and unique constraints", () => {
      expect(pg.primaryKeys).toEqual(sqlite.primaryKeys);
      expect(pg.uniqueConstraints).toEqual(sqlite.uniqueConstraints);
    });
    it("has the same indexes", () => {
      expect(pg.indexes).toEqual(sqlite.indexes);
    });
    it("has the same foreign keys", () => {
      expect(pg.foreignKeys).toEqual(sqlite.foreignKeys);
    });
    it("has the same checks", () => {
      expect(pg.checks).toEqual(sqlite.checks);
    });
  });

  it("uses PostgreSQL's own types", () => {
    expect(pgSchema.dossiers.createdAt.getSQLType()).toBe("timestamp (3) with time zone");
    expect(pgSchema.dossiers.submittedAt.getSQLType()).toBe("timestamp (3) with time zone");
    expect(pgSchema.dossiers.answers.getSQLType()).toBe("jsonb");
    expect(pgSchema.procedures.details.getSQLType()).toBe("jsonb");
    expect(pgSchema.reportedImports.content.getSQLType()).toBe("bytea");
    expect(pgSchema.dossierEvents.id.getSQLType()).toBe("bigint");
    expect(pgSchema.subtreeMonthly.count.getSQLType()).toBe("bigint");
    expect(pgSchema.dossiers.id.getSQLType()).toBe("integer");
    expect(pgSchema.dossiers.channel.getSQLType()).toBe("text");
    // db/schema.ts has no integer({ mode: "boolean" }) column (nor real) today; when one comes, its twin is boolean().
    const sqliteBooleans = [...sqliteTables.values()].flatMap((t) => getSqliteTableConfig(t).columns.filter((c) => c.dataType === "boolean"));
    const pgBooleans = [...pgTables.values()].flatMap((t) => getPgTableConfig(t).columns.filter((c) => c.dataType === "boolean"));
    expect(pgBooleans.map((c) => c.getSQLType())).toEqual(sqliteBooleans.map(() => "boolean"));
  });

  it("gives every table the same select and insert types (checked by tsc)", () => {
    type Tables<M> = { [K in keyof M as M[K] extends Table ? K : never]: M[K] };
    type Selects<M> = { [K in keyof Tables<M>]: Tables<M>[K] extends Table ? InferSelectModel<Tables<M>[K]> : never };
    type Inserts<M> = { [K in keyof Tables<M>]: Tables<M>[K] extends Table ? InferInsertModel<Tables<M>[K]> : never };
    expectTypeOf<Selects<typeof pgSchema>>().toEqualTypeOf<Selects<typeof sqliteSchema>>();
    expectTypeOf<Omit<Inserts<typeof pgSchema>, "procedurePortalUse">>().toEqualTypeOf<Omit<Inserts<typeof sqliteSchema>, "procedurePortalUse">>();
    // The one difference (ROWID_KEYS): SQLite makes procedure_id optional (the rowid); PostgreSQL requires it.
    expectTypeOf<Inserts<typeof sqliteSchema>["procedurePortalUse"]>().toEqualTypeOf<{
      procedureId?: number;
      agencyId: number;
      level: number;
      lastDay: string;
    }>();
    expectTypeOf<Inserts<typeof pgSchema>["procedurePortalUse"]>().toEqualTypeOf<{ procedureId: number; agencyId: number; level: number; lastDay: string }>();
    expectTypeOf<InferSelectModel<typeof pgSchema.dossierEvents>["id"]>().toEqualTypeOf<number>();
    expectTypeOf<InferSelectModel<typeof pgSchema.dossiers>["createdAt"]>().toEqualTypeOf<Date>();
  });
});
