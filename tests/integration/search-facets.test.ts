// The catalog's filters are words of the search index (migration 0013, search-index.server.ts): a
// filtered search must return exactly what the unfiltered search returns narrowed by the filter, a
// typed search must never match a filter word, and the migration's SQL must write the same words as
// the TypeScript that keeps them afterwards.
import Database from "better-sqlite3";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { schema } from "../../app/server/platform/schema.server";
import { listProcedures, type CatalogQuery } from "../../app/server/catalog/catalog.server";
import { procedureFacets } from "../../app/server/catalog/search-index.server";
import { db, onPostgres } from "../../app/server/platform/db.server";

/** Every result of a query, all pages. */
async function everyCode(query: Omit<CatalogQuery, "page">): Promise<string[]> {
  const codes: string[] = [];
  for (let page = 1; ; page += 1) {
    const result = await listProcedures({ ...query, page });
    codes.push(...result.items.map((p) => p.code));
    if (page >= result.pageCount) return codes;
  }
}

describe("a filtered search", () => {
  const procedures = () =>
    db()
      .select({ code: schema.procedures.code, level: schema.procedures.level, field: schema.fields.code, path: schema.agencies.path })
      .from(schema.procedures)
      .innerJoin(schema.fields, eq(schema.fields.id, schema.procedures.fieldId))
      .innerJoin(schema.agencies, eq(schema.agencies.id, schema.procedures.agencyId));

  it("returns exactly the unfiltered search's results that pass the filter, in the same order", async () => {
    const byCode = new Map((await procedures()).map((p) => [p.code, p]));
    const agencies = await db().select({ code: schema.agencies.code, path: schema.agencies.path }).from(schema.agencies);
    const hanoi = agencies.find((a) => a.code === "ha-noi");
    expect(hanoi).toBeDefined();
    let compared = 0;
    for (const q of ["dang ky", "giay", "cap", "ho tich", "khai sinh"]) {
      const all = await everyCode({ q });
      const filters: { query: Omit<CatalogQuery, "page" | "q">; keep: (code: string) => boolean }[] = [
        { query: { level: 4 }, keep: (c) => byCode.get(c)?.level === 4 },
        { query: { level: 2 }, keep: (c) => byCode.get(c)?.level === 2 },
        { query: { field: "ho-tich" }, keep: (c) => byCode.get(c)?.field === "ho-tich" },
        { query: { agency: "ha-noi" }, keep: (c) => byCode.get(c)?.path.startsWith(hanoi?.path ?? "-") === true },
        { query: { agency: "ha-noi", level: 3 }, keep: (c) => byCode.get(c)?.path.startsWith(hanoi?.path ?? "-") === true && byCode.get(c)?.level === 3 },
      ];
      for (const f of filters) {
        const filtered = await everyCode({ q, ...f.query });
        expect(filtered, `${q} ${JSON.stringify(f.query)}`).toEqual(all.filter(f.keep));
        compared += filtered.length;
      }
    }
    expect(compared).toBeGreaterThan(20); // the comparison compared something
    // Sub-agencies count: Hà Nội's searches include its wards' procedures.
    expect((await everyCode({ q: "dang ky", agency: "ha-noi" })).some((c) => byCode.get(c)?.path !== hanoi?.path)).toBe(true);
  });

  it("finds nothing for an unknown agency or field, and a typed filter word matches nothing", async () => {
    expect((await listProcedures({ q: "dang ky", agency: "no-such-agency", page: 1 })).total).toBe(0);
    expect((await listProcedures({ q: "dang ky", field: "no-such-field", page: 1 })).total).toBe(0);
    for (const q of ["_lv4", "lv4", "_ag1", "ag1", "_fd1", "fd", "_"]) expect((await listProcedures({ q, page: 1 })).total, q).toBe(0);
  });
});

// SQLite's migration and FTS5 index, on a file of its own: the same on either project.
describe.skipIf(onPostgres(db()))("migration 0013 (the filter words)", () => {
  it("writes for each procedure the same words as procedureFacets, agencies deeper than the padding included", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "portal-facets-"));
    const folder = path.join(dir, "migrations");
    mkdirSync(path.join(folder, "meta"), { recursive: true });
    const JournalSchema = z.looseObject({ entries: z.array(z.looseObject({ idx: z.number(), tag: z.string() })) });
    const journal = JournalSchema.parse(JSON.parse(readFileSync("db/migrations/meta/_journal.json", "utf8")));
    const before = journal.entries.filter((e) => e.idx < 13);
    expect(before.at(-1)?.tag).toBe("0012_counters-without-triggers");
    for (const e of before) copyFileSync(path.join("db/migrations", `${e.tag}.sql`), path.join(folder, `${e.tag}.sql`));
    writeFileSync(path.join(folder, "meta/_journal.json"), JSON.stringify({ ...journal, entries: before }));

    const sqlite = new Database(path.join(dir, "portal.db"));
    sqlite.pragma("foreign_keys = OFF");
    migrate(drizzle(sqlite), { migrationsFolder: folder });
    // A chain of eight agencies (deeper than the six padded words) and a procedure at each depth.
    let parentPath = "/";
    sqlite.prepare("insert into fields (id, code, name_vi) values (3, 'ho-tich', 'Hộ tịch')").run();
    for (let depth = 1; depth <= 8; depth += 1) {
      const id = depth * 10;
      const agencyPath = `${parentPath}${id}/`;
      sqlite
        .prepare("insert into agencies (id, code, kind, name_vi, path, depth, parent_id) values (?, ?, 'department', ?, ?, ?, ?)")
        .run(id, `a-${depth}`, `Cơ quan ${depth}`, agencyPath, depth - 1, depth === 1 ? null : id - 10);
      sqlite
        .prepare(
          "insert into procedures (id, code, name_vi, agency_id, field_id, level, processing_days, details, delivery_modes) values (?, ?, ?, ?, 3, ?, 5, '{}', '[]')",
        )
        .run(100 + depth, `P.${depth}`, `Thủ tục ${depth}`, id, (depth % 4) + 1);
      sqlite.prepare("insert into procedures_fts (rowid, code, name, field) values (?, ?, ?, 'ho tich')").run(100 + depth, `p.${depth}`, `thu tuc ${depth}`);
      parentPath = agencyPath;
    }
    migrate(drizzle(sqlite), { migrationsFolder: "db/migrations" });

    const RowSchema = z.object({ rowid: z.number(), code: z.string(), name: z.string(), facets: z.string(), level: z.number(), path: z.string() });
    const rows = z
      .array(RowSchema)
      .parse(
        sqlite
          .prepare(
            "select f.rowid, f.code, f.name, f.facets, p.level, a.path from procedures_fts f join procedures p on p.id = f.rowid join agencies a on a.id = p.agency_id order by f.rowid",
          )
          .all(),
      );
    expect(rows).toHaveLength(8);
    for (const r of rows) {
      expect(r.facets).toBe(procedureFacets({ level: r.level, fieldId: 3, agencyPath: r.path }));
      expect(r.name).toBe(`thu tuc ${r.rowid - 100}`); // the words were carried over
    }
    expect(rows[0]?.facets).toBe("_lv2 _fd3 _ag10 _ag10 _ag10 _ag10 _ag10 _ag10");
    expect(rows[7]?.facets).toBe("_lv1 _fd3 _ag10 _ag20 _ag30 _ag40 _ag50 _ag60 _ag70 _ag80");
    // And the new index answers a filtered search: the agency 30 and everything under it.
    const under30 = sqlite.prepare("select rowid from procedures_fts where procedures_fts match ? order by rowid").pluck().all('"thu"* AND facets : "_ag30"');
    expect(under30).toEqual([103, 104, 105, 106, 107, 108]);
    sqlite.close();
  });
});
