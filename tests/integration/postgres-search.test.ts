// The seeded portal copied from SQLite into PostgreSQL (issue 15, db/pg/copy-from-sqlite.ts) has the
// same rows with the same values, and the catalog search finds the same procedures on both
// databases (app/server/catalog/search-pg.server.ts beside FTS5), filters included.
import { asc, is } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import { PgTable, getTableConfig } from "drizzle-orm/pg-core";
import { spawnSync } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import * as schema from "../../db/schema";
import * as pgSchema from "../../db/pg/schema";
import { copySqliteToPostgres } from "../../db/pg/copy-from-sqlite";
import { ftsQuery } from "../../app/server/catalog/catalog.server";
import { facetWord } from "../../app/server/catalog/search-index.server";
import { pgSearchQuery, searchPagePg } from "../../app/server/catalog/search-pg.server";
import { db } from "../../app/server/platform/db.server";
import { env } from "../../app/server/platform/env.server";
import { startPostgresCluster, type PostgresCluster } from "../setup/postgres-cluster";

let cluster: PostgresCluster;
let pool: pg.Pool;
let copied: { tables: number; rows: number };

beforeAll(async () => {
  cluster = await startPostgresCluster();
  await cluster.createDatabase("portal");
  pool = new pg.Pool({ connectionString: cluster.url("portal"), max: 2 });
  await migrate(drizzle(pool), { migrationsFolder: path.resolve(import.meta.dirname, "../../db/pg/migrations") });
  copied = await copySqliteToPostgres(db(), pool);
}, 60_000);
afterAll(async () => {
  await pool?.end();
  cluster?.stop();
});

const count = async (table: string) => z.coerce.number().parse((await pool.query(`select count(*) as n from "${table}"`)).rows[0]?.n);

describe("the seeded portal copied into PostgreSQL", () => {
  it("has every table's rows, the same values read back with the same types", async () => {
    expect(copied.tables).toBe(38);
    let compared = 0;
    for (const table of Object.values(pgSchema).filter((v) => is(v, PgTable))) {
      const name = getTableConfig(table).name;
      const inSqlite = z.number().parse(db().$client.prepare(`select count(*) from "${name}"`).pluck().get());
      expect(await count(name), name).toBe(inSqlite);
      compared += inSqlite;
    }
    expect(compared).toBe(copied.rows);
    expect(compared).toBeGreaterThan(100);
    const pgDb = drizzle(pool, { schema: pgSchema });
    // Whole rows: text, integers, JSON, instants (Date), amounts.
    expect(await pgDb.select().from(pgSchema.procedures).orderBy(asc(pgSchema.procedures.id))).toEqual(
      db().select().from(schema.procedures).orderBy(asc(schema.procedures.id)).all(),
    );
    expect(await pgDb.select().from(pgSchema.users).orderBy(asc(pgSchema.users.id))).toEqual(
      db().select().from(schema.users).orderBy(asc(schema.users.id)).all(),
    );
  });

  it("moves each identity past the copied ids: the next row gets a new id", async () => {
    const max = z.number().parse(db().$client.prepare("select max(id) from fields").pluck().get());
    const [field] = await drizzle(pool, { schema: pgSchema }).insert(pgSchema.fields).values({ code: "moi", nameVi: "Mới" }).returning();
    expect(field?.id).toBe(max + 1);
  });

  it("finds the same procedures as SQLite for the same searches and filters", async () => {
    const idOf = async (table: "agencies" | "fields", code: string) =>
      z.number().parse(db().$client.prepare(`select id from ${table} where code = ?`).pluck().get(code));
    const hanoi = await idOf("agencies", "ha-noi");
    const hoTich = await idOf("fields", "ho-tich");
    const filters: string[][] = [[], [facetWord("level", 4)], [facetWord("level", 2)], [facetWord("agency", hanoi)], [facetWord("field", hoTich)]];
    const queries = [
      "dang ky",
      "Đăng ký khai sinh",
      "dang ki ket hon",
      "khai si",
      "giấy phép",
      "cấp",
      "hộ tịch",
      "1.001193",
      "1.0011",
      "ho kinh",
      "căn cước",
      "lý lịch tư pháp",
      "marriage",
      "d",
      "zzzq",
    ];
    let nonEmpty = 0;
    for (const q of queries) {
      const fts = ftsQuery(q);
      const tsq = pgSearchQuery(q);
      if (!fts || !tsq) throw new Error(`no query for ${q}`);
      for (const facets of filters) {
        const expression = [`(${fts})`, ...facets.map((w) => `facets : "${w}"`)].join(" AND ");
        const inSqlite = z
          .array(z.number())
          .parse(db().$client.prepare("select rowid from procedures_fts where procedures_fts match ? order by rowid").pluck().all(expression));
        const inPg = await searchPagePg(pool, tsq, facets, 10_000, 0);
        expect(
          [...inPg.ids].sort((a, b) => a - b),
          `${q} ${facets.join(" ")}`,
        ).toEqual(inSqlite);
        expect(inPg.matches).toBe(inSqlite.length);
        if (inSqlite.length > 0) nonEmpty += 1;
      }
    }
    expect(nonEmpty).toBeGreaterThan(30);
  });

  it("pages a search: ranked, ties by id, the count unchanged", async () => {
    const tsq = pgSearchQuery("dang ky") ?? "";
    const all = await searchPagePg(pool, tsq, [], 10_000, 0);
    const second = await searchPagePg(pool, tsq, [], 5, 5);
    expect(second.matches).toBe(all.matches);
    expect(second.ids).toEqual(all.ids.slice(5, 10));
    const beyond = await searchPagePg(pool, tsq, [], 5, all.matches);
    expect(beyond).toEqual({ matches: all.matches, ids: [] });
    expect(await count("procedures_search")).toBe(z.number().parse(db().$client.prepare("select count(*) from procedures").pluck().get()));
  });

  it("is what `npm run db:copy-to-pg` does, once: a second copy into the same database is refused", async () => {
    await cluster.createDatabase("by_cli");
    const copy = () =>
      spawnSync(process.execPath, ["--import", "tsx", "db/pg/copy.ts", cluster.url("by_cli")], {
        encoding: "utf8",
        timeout: 60_000,
        env: { ...process.env, DATABASE_PATH: env().DATABASE_PATH },
      });
    const first = copy();
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain(`copied ${copied.rows} rows of 38 tables`);
    const again = copy();
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/already holds \d+ procedures/);
    const bad = spawnSync(process.execPath, ["--import", "tsx", "db/pg/copy.ts", "mysql://x"], { encoding: "utf8", timeout: 60_000 });
    expect(bad.status).toBe(2);
  }, 60_000);
});
