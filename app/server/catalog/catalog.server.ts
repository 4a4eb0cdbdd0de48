import { and, asc, desc, eq, inArray, isNull, type SQL } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import * as z from "zod";
import { schema } from "../platform/schema.server";
import { nearestOneStop, pathIds, type OneStopOffice } from "../../core/catalog/one-stop";
import { ProcedureDetailsSchema } from "../../core/catalog/procedure";
import { FormDefinitionSchema, type FormDefinition } from "../../core/forms/definition";
import { searchTokens, spellingVariants } from "../../core/text/fold";
import { SpellingCorrector } from "../../core/text/spelling";
import { catalogGeneration, searchIndexGeneration } from "./catalog-version.server";
import { db, onPostgres, perDatabase, type Tx } from "../platform/db.server";
import { facetWord, readSearchVocabulary } from "./search-index.server";
import { pgSearchQuery, readSearchVocabularyPostgres, searchPagePostgres } from "./search-pg.server";
import { searchPage, startRankWorkers, type SearchPage } from "./search-rank.server";
import type { Language } from "../../i18n";
import { pickLang } from "../../utils/format";
import { agencyTreeColumns, withinAgency } from "../staff/agency-scope.server";
import { countAll } from "../platform/dialect.server";

/** The catalog query, shared by /procedures and /api/v1/procedures so both return the same results. */
export const CatalogQuerySchema = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  level: z.coerce.number().int().min(1).max(4).optional().catch(undefined),
  agency: z
    .string()
    .trim()
    .regex(/^[a-z0-9-]{2,80}$/)
    .optional()
    .catch(undefined),
  field: z
    .string()
    .trim()
    .regex(/^[a-z0-9-]{2,60}$/)
    .optional()
    .catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
});
export type CatalogQuery = z.infer<typeof CatalogQuerySchema>;

export const PAGE_SIZE = 20;

/**
 * Turns folded tokens into an FTS5 query: every token must match. A word followed by another is
 * whole — a Vietnamese word is a syllable, and "hộ" must not find hóa, học, hỏi (nor "thủ" thuế,
 * thương); the last word also matches as a prefix, for someone who stopped typing mid-word ("khai
 * si"). A word also matches its other spelling (ky/ki, ly/li: fold.ts) as a whole word, so "dang ki"
 * finds "Đăng ký" without "ky" finding every word that starts with "ki" (kiểm, kinh). A word typed
 * twice ("ký đăng ký") is matched once: the same matches, and bm25 does not rank them twice.
 * Whole words are also cheaper to rank (decision 024): a prefix is a merge of every word it starts.
 */
export function ftsQuery(q: string): string | null {
  const typed = searchTokens(q);
  const last = typed.at(-1);
  const tokens = [...new Set(typed)];
  if (tokens.length === 0) return null;
  const phrase = (t: string) => `"${t.replaceAll('"', "")}"`;
  return tokens
    .map((t) => {
      const others = spellingVariants(t).slice(1);
      const self = t === last ? `${phrase(t)}*` : phrase(t);
      return others.length === 0 ? self : `(${[self, ...others.map(phrase)].join(" OR ")})`;
    })
    .join(" AND "); // FTS5's implicit AND joins phrases only, not a parenthesised group
}

/**
 * A page of the catalog. `correction` is set when the query as typed matched nothing and a
 * corrected one ("khai sinhh" → "khai sinh") did: the page then holds the corrected query's results.
 */
export type CatalogPage = { items: CatalogItem[]; total: number; page: number; pageCount: number; correction: string | null };

/**
 * The spelling corrector over the index's words, made on the first search that needs it and kept
 * until the index's words change (a new or renamed procedure, in this process or another:
 * shared-generations.server.ts); the TTL bounds what a change written by hand could leave stale.
 */
const correctors = perDatabase(() => new LRUCache<string, SpellingCorrector>({ max: 1, ttl: 5 * 60_000 }));

/**
 * Makes the first searches as fast as the later ones: the ranking workers started and the spelling
 * corrector's vocabulary read (60–75 ms on the national catalog, which the first search matching
 * nothing would otherwise wait for). Run by the background jobs at start and then every minute, so
 * a change of the index is read again before a citizen needs it.
 */
export async function readySearch(): Promise<void> {
  if (!onPostgres(db())) startRankWorkers();
  await searchCorrector();
}

export async function searchCorrector(): Promise<SpellingCorrector> {
  const key = searchIndexGeneration();
  const cached = correctors().get(key);
  if (cached) return cached;
  const client = db();
  const corrector = new SpellingCorrector(onPostgres(client) ? await readSearchVocabularyPostgres(client) : readSearchVocabulary(client));
  correctors().set(key, corrector);
  return corrector;
}

/**
 * Catalog pages, cached: citizens repeat the same few searches, and ranking a broad one ("cấp")
 * scores every match of a 125,336-procedure catalog (~100 ms). The catalog changes only when an
 * administrator edits a procedure or a seed run adds one, through this process or another
 * (catalog-version.server.ts); the TTL bounds what a change written by hand could leave stale.
 */
const pageCache = perDatabase(() => new LRUCache<string, CatalogPage>({ max: 1000, ttl: 5 * 60_000 }));

export async function listProcedures(query: CatalogQuery): Promise<CatalogPage> {
  const key = JSON.stringify([catalogGeneration(), query.q ?? "", query.level ?? 0, query.agency ?? "", query.field ?? "", query.page]);
  const cached = pageCache().get(key);
  if (cached) return cached;
  const page = await queryProcedures(query);
  pageCache().set(key, page);
  return page;
}

/** A catalog row as the list shows it, with its agency and field. */
function selectItems() {
  return db()
    .select({
      id: schema.procedures.id,
      code: schema.procedures.code,
      nameVi: schema.procedures.nameVi,
      nameEn: schema.procedures.nameEn,
      level: schema.procedures.level,
      onlineService: schema.procedures.onlineService,
      feeVnd: schema.procedures.feeVnd,
      processingDays: schema.procedures.processingDays,
      agencyCode: schema.agencies.code,
      agencyVi: schema.agencies.nameVi,
      agencyEn: schema.agencies.nameEn,
      fieldCode: schema.fields.code,
      fieldVi: schema.fields.nameVi,
      fieldEn: schema.fields.nameEn,
    })
    .from(schema.procedures)
    .innerJoin(schema.agencies, eq(schema.agencies.id, schema.procedures.agencyId))
    .innerJoin(schema.fields, eq(schema.fields.id, schema.procedures.fieldId));
}

/** The catalog page for a query; when its words match nothing, the page for the corrected words, if they match. */
async function queryProcedures(query: CatalogQuery): Promise<CatalogPage> {
  const page = await queryCatalog(query);
  if (page.total > 0 || !query.q || !ftsQuery(query.q)) return page;
  const correction = (await searchCorrector()).correctQuery(query.q);
  if (!correction) return page;
  const corrected = await queryCatalog({ ...query, q: correction });
  return corrected.total > 0 ? { ...corrected, correction } : page;
}

async function queryCatalog(query: CatalogQuery): Promise<CatalogPage> {
  const match = query.q ? ftsQuery(query.q) : null;
  if (query.q && !match) return emptyPage();
  return match ? searchCatalog(query, match) : browseCatalog(query);
}

const emptyPage = (): CatalogPage => ({ items: [], total: 0, page: 1, pageCount: 0, correction: null });

/**
 * A search: FTS5 counts and ranks (on two worker threads, each on half the ids: search-rank.server.ts),
 * the filters being words of the index's `facets` column (search-index.server.ts), so a broad
 * search narrowed to a province intersects posting lists instead of joining every match of the
 * country to its procedure (85 ms → 5 ms for "đăng ký" in Hà Nội on the national catalog). Only
 * the page's 20 rows are then read.
 * Relevance is bm25 over the code, name and field columns (the facets weigh nothing), ties in
 * procedure id order: ordering ties by code read every match's code (+40 % on a broad search).
 */
async function searchCatalog(query: CatalogQuery, match: string): Promise<CatalogPage> {
  const facets: string[] = [];
  if (query.level) facets.push(facetWord("level", query.level));
  if (query.field) {
    const [field] = await db().select({ id: schema.fields.id }).from(schema.fields).where(eq(schema.fields.code, query.field)).limit(1);
    if (!field) return emptyPage();
    facets.push(facetWord("field", field.id));
  }
  if (query.agency) {
    const [agency] = await db().select({ id: schema.agencies.id }).from(schema.agencies).where(eq(schema.agencies.code, query.agency)).limit(1);
    if (!agency) return emptyPage();
    facets.push(facetWord("agency", agency.id));
  }
  const { matches: total, ids } = await rankedPage(query, match, facets);
  const pageCount = Math.ceil(total / PAGE_SIZE);
  if (total === 0 || query.page > pageCount) return { items: [], total, page: query.page, pageCount, correction: null };
  const byId = new Map((await selectItems().where(inArray(schema.procedures.id, ids))).map((item) => [item.id, item]));
  const items = ids.flatMap((id) => {
    const item = byId.get(id);
    return item ? [withoutId(item)] : [];
  });
  return { items, total, page: query.page, pageCount, correction: null };
}

/** A search's matches and page of ids, best first: FTS5 and bm25 on SQLite, the tsvector twin and ts_rank on PostgreSQL (search-pg.server.ts). */
async function rankedPage(query: CatalogQuery, match: string, facets: readonly string[]): Promise<SearchPage> {
  const offset = (query.page - 1) * PAGE_SIZE;
  const client = db();
  if (onPostgres(client)) {
    const tsquery = query.q ? pgSearchQuery(query.q) : null;
    return tsquery ? searchPagePostgres(client, tsquery, facets, PAGE_SIZE, offset) : { matches: 0, ids: [] };
  }
  const expression = [`(${match})`, ...facets.map((word) => `facets : "${word}"`)].join(" AND ");
  return searchPage(expression, PAGE_SIZE, offset);
}

/** The catalog without search words: filters only, level 4 first, then by code. */
async function browseCatalog(query: CatalogQuery): Promise<CatalogPage> {
  const conditions: SQL[] = [];
  if (query.level) conditions.push(eq(schema.procedures.level, query.level));
  if (query.field) conditions.push(eq(schema.fields.code, query.field));
  if (query.agency) {
    const [agency] = await db().select({ path: schema.agencies.path }).from(schema.agencies).where(eq(schema.agencies.code, query.agency)).limit(1);
    if (!agency) return emptyPage();
    // The agency and every sub-agency: one GLOB on the materialised path (index-friendly, unlike LIKE).
    conditions.push(withinAgency(agency.path));
  }
  const where = conditions.length ? and(...conditions) : undefined;
  // The count joins only what the filters need (every procedure has its agency and field).
  const [counted] = await db()
    .select({ n: countAll() })
    .from(schema.procedures)
    .innerJoin(schema.agencies, eq(schema.agencies.id, schema.procedures.agencyId))
    .innerJoin(schema.fields, eq(schema.fields.id, schema.procedures.fieldId))
    .where(where);
  const total = counted?.n ?? 0;
  const pageCount = Math.ceil(total / PAGE_SIZE);
  if (total === 0 || query.page > pageCount) return { items: [], total, page: query.page, pageCount, correction: null };
  const rows = await selectItems()
    .where(where)
    .orderBy(desc(schema.procedures.level), asc(schema.procedures.code))
    .limit(PAGE_SIZE)
    .offset((query.page - 1) * PAGE_SIZE);
  const items = rows.map(withoutId);
  return { items, total, page: query.page, pageCount, correction: null };
}

/** The list's rows carry no database ids (they reach the page's HTML): the id is only how a search's page is read back. */
function withoutId<T extends { id: number }>({ id: _id, ...item }: T): Omit<T, "id"> {
  return item;
}

export type CatalogItem = Omit<Awaited<ReturnType<typeof selectItems>>[number], "id">;

/**
 * Procedures by code, cached like the catalog pages (every application step and procedure page
 * reads one: a three-table join and a zod parse of its details) until a procedure changes.
 */
const procedureCache = perDatabase(() => new LRUCache<string, ProcedureRow>({ max: 5000, ttl: 5 * 60_000 }));
type ProcedureRow = NonNullable<Awaited<ReturnType<typeof readProcedure>>>;

export async function getProcedure(code: string): Promise<ProcedureRow | null> {
  // No procedure has such a code; and PostgreSQL refuses a NUL byte in a text parameter outright.
  if (!PROCEDURE_CODE.test(code)) return null;
  const key = `${catalogGeneration()}:${code}`;
  const cached = procedureCache().get(key);
  if (cached) return cached;
  const found = await readProcedure(code);
  if (found) procedureCache().set(key, found);
  return found;
}

/** What a procedure code is made of (the national catalog's "1.001193", the scale catalog's "S.000001"). */
export const PROCEDURE_CODE = /^[0-9A-Za-z.-]{1,40}$/;

async function readProcedure(code: string) {
  const [row] = await db()
    .select({ procedure: schema.procedures, agency: schema.agencies, field: schema.fields })
    .from(schema.procedures)
    .innerJoin(schema.agencies, eq(schema.agencies.id, schema.procedures.agencyId))
    .innerJoin(schema.fields, eq(schema.fields.id, schema.procedures.fieldId))
    .where(eq(schema.procedures.code, code))
    .limit(1);
  if (!row) return null;
  return { ...row, details: ProcedureDetailsSchema.parse(row.procedure.details), oneStop: await oneStopFor(row.agency) };
}

/**
 * Where a citizen goes in person for an agency's procedures: its one-stop shop, or the nearest
 * ancestor's when its own is not recorded (null when none is). One indexed read of the agency's chain.
 */
export async function oneStopFor(agency: { path: string }): Promise<OneStopOffice | null> {
  const ids = pathIds(agency.path);
  if (ids.length === 0) return null;
  const chain = await db()
    .select({
      depth: schema.agencies.depth,
      nameVi: schema.agencies.nameVi,
      nameEn: schema.agencies.nameEn,
      oneStopAddress: schema.agencies.oneStopAddress,
      oneStopHoursVi: schema.agencies.oneStopHoursVi,
      oneStopHoursEn: schema.agencies.oneStopHoursEn,
      oneStopPhone: schema.agencies.oneStopPhone,
    })
    .from(schema.agencies)
    .where(inArray(schema.agencies.id, ids));
  return nearestOneStop(chain);
}
export type ProcedureDetail = NonNullable<Awaited<ReturnType<typeof getProcedure>>>;

/**
 * Parsed form definitions by procedure and version. A version is never changed once stored (a new
 * form is a new version), so an entry never goes stale; keeping the parsed object also lets
 * `buildAnswersSchema` reuse its schema.
 */
const parsedForms = perDatabase(() => new LRUCache<string, FormDefinition>({ max: 500 }));

/**
 * The form a procedure offers now — its published version (`procedures.form_version`), null when it
 * has none (never published, or withdrawn) — or a given version, found whether published or not (a
 * draft or dossier keeps the version it was filled on).
 */
export async function getForm(procedureId: number, version?: number): Promise<{ version: number; definition: FormDefinition } | null> {
  return formIn(db(), procedureId, version);
}

/** getForm inside a caller's transaction. */
export async function formIn(tx: Tx, procedureId: number, version?: number): Promise<{ version: number; definition: FormDefinition } | null> {
  const [found] =
    version === undefined
      ? await tx
          .select({ version: schema.procedureForms.version })
          .from(schema.procedureForms)
          .innerJoin(
            schema.procedures,
            and(eq(schema.procedures.id, schema.procedureForms.procedureId), eq(schema.procedures.formVersion, schema.procedureForms.version)),
          )
          .where(eq(schema.procedureForms.procedureId, procedureId))
          .limit(1)
      : await tx
          .select({ version: schema.procedureForms.version })
          .from(schema.procedureForms)
          .where(and(eq(schema.procedureForms.procedureId, procedureId), eq(schema.procedureForms.version, version)))
          .limit(1);
  if (!found) return null;
  const key = `${procedureId}:${found.version}`;
  const cached = parsedForms().get(key);
  if (cached) return { version: found.version, definition: cached };
  const [row] = await tx
    .select({ definition: schema.procedureForms.definition })
    .from(schema.procedureForms)
    .where(and(eq(schema.procedureForms.procedureId, procedureId), eq(schema.procedureForms.version, found.version)))
    .limit(1);
  if (!row) return null;
  const definition = FormDefinitionSchema.parse(row.definition);
  parsedForms().set(key, definition);
  return { version: found.version, definition };
}

/** Agencies for the catalog filter, in tree order: current (not dissolved) units, each followed by its sub-agencies. */
/**
 * The catalog's filter lists (agencies as an indented tree, fields), named in one language: the
 * same on every catalog page, so made once per catalog change and language. Only the page's
 * language is sent, which halves what the page carries for hydration.
 */
export async function catalogFilterOptions(language: Language) {
  const key = `filters:${catalogGeneration()}:${language}`;
  const cached = optionCache().get(key);
  if (cached) return cached;
  const agencies = await readAgencyOptions();
  const fields = await db()
    .select({ code: schema.fields.code, nameVi: schema.fields.nameVi, nameEn: schema.fields.nameEn })
    .from(schema.fields)
    .orderBy(asc(schema.fields.nameVi));
  const options = {
    agencies: agencies.map((a) => ({ code: a.code, depth: a.depth, name: pickLang(a.nameVi, a.nameEn, language) })),
    fields: fields.map((f) => ({ code: f.code, name: pickLang(f.nameVi, f.nameEn, language) })),
  };
  optionCache().set(key, options);
  return options;
}
type FilterOptions = { agencies: { code: string; depth: number; name: string }[]; fields: { code: string; name: string }[] };
const optionCache = perDatabase(() => new LRUCache<string, FilterOptions>({ max: 8, ttl: 5 * 60_000 }));
const byVi = new Intl.Collator("vi").compare;

async function readAgencyOptions() {
  const rows = await db().select(agencyTreeColumns).from(schema.agencies).where(isNull(schema.agencies.dissolvedOn));
  const byParent = new Map<number | null, typeof rows>();
  for (const r of rows) byParent.set(r.parentId, [...(byParent.get(r.parentId) ?? []), r]);
  const kindOrder = { ministry: 0, province: 1, department: 2, district: 3, commune: 4 };
  const ordered: typeof rows = [];
  const walk = (parentId: number | null) => {
    // Namesakes by id: the rows come in no order of the database's (PostgreSQL keeps none).
    const children = [...(byParent.get(parentId) ?? [])].sort((a, b) => kindOrder[a.kind] - kindOrder[b.kind] || byVi(a.nameVi, b.nameVi) || a.id - b.id);
    for (const c of children) {
      ordered.push(c);
      walk(c.id);
    }
  };
  walk(null);
  return ordered.map(({ id: _id, parentId: _p, ...r }) => r);
}
