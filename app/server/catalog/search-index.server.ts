import { eq, inArray, sql } from "drizzle-orm";
import * as z from "zod";
import * as schema from "../../../db/schema";
import { fold } from "../../core/text/fold";
import type { VocabularyWord } from "../../core/text/spelling";
import { searchIndexChanged } from "./catalog-version.server";
import type { Db, Tx } from "../platform/db.server";

/**
 * Keeps the FTS5 index (procedures_fts, migration 0001) in step with procedures.
 * The index holds folded text only, so "dang ky", "ĐĂNG KÝ" and "đăng ký" meet
 * the same tokens; queries are folded the same way in catalog.server.ts.
 */
export function reindexProcedureSearch(db: Tx, procedureIds: readonly number[]): void {
  if (procedureIds.length === 0) return;
  const rows = db
    .select({
      id: schema.procedures.id,
      code: schema.procedures.code,
      nameVi: schema.procedures.nameVi,
      nameEn: schema.procedures.nameEn,
      fieldVi: schema.fields.nameVi,
      fieldEn: schema.fields.nameEn,
    })
    .from(schema.procedures)
    .innerJoin(schema.fields, eq(schema.fields.id, schema.procedures.fieldId))
    .where(inArray(schema.procedures.id, [...procedureIds]))
    .all();
  for (const r of rows) {
    const row = procedureSearchRow(r);
    db.run(sql`delete from procedures_fts where rowid = ${r.id}`);
    db.run(sql`insert into procedures_fts (rowid, code, name, field) values (${r.id}, ${row.code}, ${row.name}, ${row.field})`);
  }
  searchIndexChanged();
}

/** What the index holds for a procedure: its code and its folded names (also used by the scale generator's bulk load). */
export function procedureSearchRow(r: { code: string; nameVi: string; nameEn: string | null; fieldVi: string; fieldEn: string | null }): {
  code: string;
  name: string;
  field: string;
} {
  return { code: r.code, name: fold(`${r.nameVi} ${r.nameEn ?? ""}`), field: fold(`${r.fieldVi} ${r.fieldEn ?? ""}`) };
}

const VocabularySchema = z.array(z.object({ word: z.string(), docs: z.number().int() }));

/**
 * The index's own words (folded, as indexed) and how many procedures use each: the vocabulary the
 * spelling corrector suggests from, so it never suggests a word no procedure has. Read through an
 * fts5vocab table in the connection's temp schema (nothing is stored); it walks the whole index,
 * ~80 ms for the national catalog of 125,336 procedures, so callers keep the result until the index
 * changes. Numbers and codes are left out: they are never corrected.
 */
export function readSearchVocabulary(client: Db): VocabularyWord[] {
  client.$client.exec("create virtual table if not exists temp.procedures_fts_words using fts5vocab(main, procedures_fts, 'row')");
  return VocabularySchema.parse(client.$client.prepare("select term as word, doc as docs from temp.procedures_fts_words where term not glob '*[0-9]*'").all());
}
