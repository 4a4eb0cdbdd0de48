import { eq, inArray, sql } from "drizzle-orm";
import * as z from "zod";
import { schema } from "../platform/schema.server";
import { fold } from "../../core/text/fold";
import type { VocabularyWord } from "../../core/text/spelling";
import { searchIndexChanged } from "./catalog-version.server";
import { bumpSharedGenerations } from "./shared-generations.server";
import { onPostgres, runRaw, type Db, type Tx } from "../platform/db.server";
import { searchLexemes } from "./search-pg.server";

/**
 * Keeps the FTS5 index (procedures_fts, migration 0001) in step with procedures.
 * The index holds folded text only, so "dang ky", "ĐĂNG KÝ" and "đăng ký" meet
 * the same tokens; queries are folded the same way in catalog.server.ts.
 */
export async function reindexProcedureSearch(db: Tx, procedureIds: readonly number[]): Promise<void> {
  if (procedureIds.length === 0) return;
  const rows = await db
    .select({
      id: schema.procedures.id,
      code: schema.procedures.code,
      nameVi: schema.procedures.nameVi,
      nameEn: schema.procedures.nameEn,
      fieldVi: schema.fields.nameVi,
      fieldEn: schema.fields.nameEn,
      level: schema.procedures.level,
      fieldId: schema.procedures.fieldId,
      agencyPath: schema.agencies.path,
    })
    .from(schema.procedures)
    .innerJoin(schema.fields, eq(schema.fields.id, schema.procedures.fieldId))
    .innerJoin(schema.agencies, eq(schema.agencies.id, schema.procedures.agencyId))
    .where(inArray(schema.procedures.id, [...procedureIds]));
  for (const r of rows) {
    const row = procedureSearchRow(r);
    const facets = procedureFacets(r);
    if (onPostgres(db)) {
      // The twin index (db/pg/migrations/0001_search-index.sql, search-pg.server.ts): the same words.
      await runRaw(
        db,
        sql`insert into procedures_search (procedure_id, document, facets) values (${r.id}, array_to_tsvector(${sql.param(searchLexemes(row))}::text[]), ${sql.param(facets.split(" "))}::text[])
            on conflict (procedure_id) do update set document = excluded.document, facets = excluded.facets`,
      );
      continue;
    }
    await runRaw(db, sql`delete from procedures_fts where rowid = ${r.id}`);
    await runRaw(db, sql`insert into procedures_fts (rowid, code, name, field, facets) values (${r.id}, ${row.code}, ${row.name}, ${row.field}, ${facets})`);
  }
  // Other processes on the database read the index's words again once this commits.
  await bumpSharedGenerations(db, ["search_index", "catalog"]);
  searchIndexChanged();
}

/**
 * A procedure's filter words after a change of its level (procedure-admin.server.ts): its words
 * stay, so the spelling corrector's vocabulary is not read again; the caller reports the catalog
 * change once its transaction commits.
 */
export async function refreshProcedureFacets(db: Tx, procedureId: number): Promise<void> {
  const [r] = await db
    .select({ level: schema.procedures.level, fieldId: schema.procedures.fieldId, agencyPath: schema.agencies.path })
    .from(schema.procedures)
    .innerJoin(schema.agencies, eq(schema.agencies.id, schema.procedures.agencyId))
    .where(eq(schema.procedures.id, procedureId))
    .limit(1);
  if (!r) return;
  if (onPostgres(db))
    await runRaw(db, sql`update procedures_search set facets = ${sql.param(procedureFacets(r).split(" "))}::text[] where procedure_id = ${procedureId}`);
  else await runRaw(db, sql`update procedures_fts set facets = ${procedureFacets(r)} where rowid = ${procedureId}`);
}

/** Agency words per row, whatever the agency's depth: bm25 counts a row's words, so equal counts keep relevance agency-neutral. */
const AGENCY_WORDS = 6;

/**
 * The catalog's filters as words of the index's `facets` column (migration 0013 writes the same in
 * SQL): the level, the field, and the agency with every agency above it, so "this agency and its
 * sub-agencies" is one word. They start with "_", which the index's tokenizer keeps inside a word
 * and a typed search never produces (queryWords splits on it), so no search can match a filter word.
 */
export function procedureFacets(r: { level: number; fieldId: number; agencyPath: string }): string {
  const agencies = r.agencyPath.split("/").filter((id) => id !== "");
  const padded = [...agencies, ...Array<string>(Math.max(0, AGENCY_WORDS - agencies.length)).fill(agencies.at(-1) ?? "")];
  return [facetWord("level", r.level), facetWord("field", r.fieldId), ...padded.map((id) => facetWord("agency", Number(id)))].join(" ");
}

const FACET_PREFIX = { level: "_lv", field: "_fd", agency: "_ag" } as const;

/** One filter word: `facetWord("agency", 12)` is "_ag12", matching the agency 12 and every agency under it. */
export function facetWord(kind: keyof typeof FACET_PREFIX, id: number): string {
  return `${FACET_PREFIX[kind]}${id}`;
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
