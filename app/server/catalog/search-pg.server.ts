import { sql } from "drizzle-orm";
import type pg from "pg";
import * as z from "zod";
import { selectRaw, type Db } from "../platform/db.server";
import type { SearchPage } from "./search-rank.server";
import { searchTokens, spellingVariants } from "../../core/text/fold";

/**
 * The catalog search on PostgreSQL (issue 15, decision 025), the twin of SQLite's FTS5 search: the
 * index holds the same folded words, split by the portal the way FTS5's tokenizer splits them, and
 * the query has the same meaning as `ftsQuery` — every word must match, a word followed by another
 * whole, the last also as a prefix, ký/kí spelling variants whole. The lexemes are written and
 * queried literally (`array_to_tsvector`, `::tsquery`), never through a text-search configuration,
 * so no dictionary can stem or drop a word one database keeps.
 */

/** FTS5's unicode61 tokenizer with `tokenchars '_'` on folded text: runs of a–z, 0–9 and "_". */
const TOKEN = /[a-z0-9_]+/g;

/**
 * A procedure's lexemes: the words of its code, folded names and field, and each word written with
 * dots ("1.001193", "tp.hcm") also whole, since a typed word keeps its dots (queryWords) and FTS5
 * matches it as the phrase of its parts.
 */
export function searchLexemes(row: { code: string; name: string; field: string }): string[] {
  const text = `${row.code} ${row.name} ${row.field}`.toLowerCase();
  const words = new Set(text.match(TOKEN) ?? []);
  for (const dotted of text.match(/[a-z0-9_]+(?:\.[a-z0-9_]+)+/g) ?? []) words.add(dotted);
  return [...words];
}

const lexeme = (word: string) => `'${word.replace(/[^a-z0-9_.]/g, "")}'`;

/** A typed search as a tsquery, or null when it has no word (the twin of ftsQuery). */
export function pgSearchQuery(q: string): string | null {
  const typed = searchTokens(q)
    .map((t) => t.replace(/[^a-z0-9_.]/g, ""))
    .filter((t) => t.length > 0);
  const last = typed.at(-1);
  const tokens = [...new Set(typed)];
  if (tokens.length === 0) return null;
  return tokens
    .map((t) => {
      const self = t === last ? `${lexeme(t)}:*` : lexeme(t);
      const others = spellingVariants(t).slice(1).map(lexeme);
      return others.length === 0 ? self : `(${[self, ...others].join(" | ")})`;
    })
    .join(" & ");
}

type Queryable = Pick<pg.Pool, "query">;

/** Writes the search rows of procedures (folded text and filter words, as SQLite's index holds them), 1,000 per statement. */
export async function writeSearchRows(
  client: Queryable,
  rows: readonly { procedureId: number; code: string; name: string; field: string; facets: string }[],
): Promise<void> {
  for (let start = 0; start < rows.length; start += 1_000) {
    const batch = rows.slice(start, start + 1_000);
    const values = batch.map((_, i) => `($${3 * i + 1}::integer, array_to_tsvector($${3 * i + 2}::text[]), $${3 * i + 3}::text[])`);
    await client.query(
      `insert into procedures_search (procedure_id, document, facets) values ${values.join(", ")}
       on conflict (procedure_id) do update set document = excluded.document, facets = excluded.facets`,
      batch.flatMap((r) => [r.procedureId, searchLexemes(r), r.facets.split(" ").filter((w) => w.length > 0)]),
    );
  }
}

const CountSchema = z.object({ n: z.coerce.number() });
const IdsSchema = z.array(z.object({ id: z.number() }));

/** searchPagePg through the portal's client (a pool or a transaction): the catalog's search on PostgreSQL. */
export async function searchPagePostgres(client: Db, query: string, facets: readonly string[], limit: number, offset: number): Promise<SearchPage> {
  const where = sql`document @@ ${query}::tsquery and facets @> ${sql.param([...facets])}::text[]`;
  const counted = CountSchema.parse((await selectRaw(client, sql`select count(*) as n from procedures_search where ${where}`))[0]);
  if (counted.n <= offset) return { matches: counted.n, ids: [] };
  const ranked = await selectRaw(
    client,
    sql`select procedure_id as id from procedures_search where ${where} order by ts_rank(document, ${query}::tsquery) desc, procedure_id limit ${limit} offset ${offset}`,
  );
  return { matches: counted.n, ids: IdsSchema.parse(ranked).map((r) => r.id) };
}

/**
 * Which of `candidates` match a tsquery on their code and names alone, their field left out: the
 * administrators' procedure list looks a procedure up by what it is called, as SQLite's `{code name} :`
 * column filter does (procedure-admin.server.ts). The index holds one document per procedure, so the
 * candidates' own words are made here, as the index's are, and PostgreSQL matches the same tsquery.
 */
export async function matchingCodeOrName(client: Db, query: string, candidates: readonly { id: number; code: string; name: string }[]): Promise<number[]> {
  if (candidates.length === 0) return [];
  const ids = candidates.map((c) => c.id);
  // Lexemes hold no space (TOKEN): each candidate's are one text, split again in the query.
  const words = candidates.map((c) => searchLexemes({ code: c.code, name: c.name, field: "" }).join(" "));
  const rows = await selectRaw(
    client,
    sql`select c.id from unnest(${sql.param(ids)}::integer[], ${sql.param(words)}::text[]) as c(id, words)
        where array_to_tsvector(string_to_array(c.words, ' ')) @@ ${query}::tsquery`,
  );
  return IdsSchema.parse(rows).map((r) => r.id);
}

const VocabularyRowSchema = z.array(z.object({ word: z.string(), docs: z.coerce.number() }));

/**
 * The index's words and how many procedures hold each (readSearchVocabulary's twin): the parts of
 * a dotted word, as FTS5 keeps them, not the dotted whole; numbers and codes left out.
 */
export async function readSearchVocabularyPostgres(client: Db): Promise<{ word: string; docs: number }[]> {
  return VocabularyRowSchema.parse(
    await selectRaw(client, sql`select word, ndoc as docs from ts_stat('select document from procedures_search') where word !~ '[0-9.]'`),
  );
}

/** A search's number of matches and its page's procedure ids, best first, ties by id. */
export async function searchPagePg(
  client: Queryable,
  query: string,
  facets: readonly string[],
  limit: number,
  offset: number,
): Promise<{ matches: number; ids: number[] }> {
  const where = "document @@ $1::tsquery and facets @> $2::text[]";
  const counted = CountSchema.parse((await client.query(`select count(*) as n from procedures_search where ${where}`, [query, facets])).rows[0]);
  if (counted.n <= offset) return { matches: counted.n, ids: [] };
  const ranked = await client.query(
    `select procedure_id as id from procedures_search where ${where} order by ts_rank(document, $1::tsquery) desc, procedure_id limit $3 offset $4`,
    [query, facets, limit, offset],
  );
  return { matches: counted.n, ids: IdsSchema.parse(ranked.rows).map((r) => r.id) };
}
