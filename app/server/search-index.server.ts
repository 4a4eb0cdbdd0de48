import { eq, inArray, sql } from "drizzle-orm";
import * as schema from "../../db/schema";
import { fold } from "../core/text/fold";
import { catalogChanged } from "./catalog-version.server";
import type { Tx } from "./db.server";

/**
 * Keeps the FTS5 index (procedures_fts, migration 0001) in step with procedures.
 * The index holds folded text only, so "dang ky", "ĐĂNG KÝ" and "đăng ký" meet
 * the same tokens; queries are folded the same way in catalog.server.ts.
 */
export function reindexProcedureSearch(db: Tx, procedureIds: readonly number[]): void {
  if (procedureIds.length === 0) return;
  const rows = db
    .select({ id: schema.procedures.id, code: schema.procedures.code, nameVi: schema.procedures.nameVi, nameEn: schema.procedures.nameEn, fieldVi: schema.fields.nameVi, fieldEn: schema.fields.nameEn })
    .from(schema.procedures)
    .innerJoin(schema.fields, eq(schema.fields.id, schema.procedures.fieldId))
    .where(inArray(schema.procedures.id, [...procedureIds]))
    .all();
  for (const r of rows) {
    const row = procedureSearchRow(r);
    db.run(sql`delete from procedures_fts where rowid = ${r.id}`);
    db.run(sql`insert into procedures_fts (rowid, code, name, field) values (${r.id}, ${row.code}, ${row.name}, ${row.field})`);
  }
  catalogChanged();
}

/** What the index holds for a procedure: its code and its folded names (also used by the scale generator's bulk load). */
export function procedureSearchRow(r: { code: string; nameVi: string; nameEn: string | null; fieldVi: string; fieldEn: string | null }): { code: string; name: string; field: string } {
  return { code: r.code, name: fold(`${r.nameVi} ${r.nameEn ?? ""}`), field: fold(`${r.fieldVi} ${r.fieldEn ?? ""}`) };
}
