// `npm run bench:search-pg [-- --db data/scale-1m.db --random 300]`: the catalog search on PostgreSQL
// beside SQLite's, on the same catalog (the scale file copied into a throwaway cluster with
// db:copy-to-pg's code): for the load benchmark's 24 searches and bench:search's random ones, each
// search's number of matches on both databases (they must be equal: the same procedures are
// promised) and the time of the count and the ranked page, each search once and uncached by the
// portal, PostgreSQL (ts_rank) and SQLite on this thread (bm25, SEARCH_WORKERS aside) alternated.
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import * as z from "zod";
import { CatalogQuerySchema, ftsQuery, PAGE_SIZE } from "../../app/server/catalog/catalog.server";
import { facetWord } from "../../app/server/catalog/search-index.server";
import { pgSearchQuery, searchPagePg } from "../../app/server/catalog/search-pg.server";
import { searchHere } from "../../app/server/catalog/search-rank.server";
import { db, openDatabase } from "../../app/server/platform/db.server";
import { copySqliteToPostgres } from "../../db/pg/copy-from-sqlite";
import { startPostgresCluster } from "../setup/postgres-cluster";
import { SEARCH_QUERIES } from "./load/scenarios";
import { randomSearches } from "./random-searches";

const { values } = parseArgs({ options: { db: { type: "string" }, random: { type: "string" } } });
const options = z.object({ db: z.string().default("data/scale-1m.db"), random: z.coerce.number().int().min(0).default(300) }).parse(values);
if (!existsSync(options.db)) throw new Error(`${options.db} does not exist: npm run db:scale first (docs/performance.md)`);
// The portal's client on that file, made here: setting DATABASE_PATH now would come too late, the
// imports above have already read the environment.
globalThis.__portalDb = openDatabase(options.db);
const sqlite = db();
const ids = (table: "agencies" | "fields") =>
  new Map(z.array(z.tuple([z.string(), z.number()])).parse(sqlite.$client.prepare(`select code, id from ${table}`).raw().all()));
const agencyIds = ids("agencies");
const fieldIds = ids("fields");
const names = z.array(z.string()).parse(sqlite.$client.prepare("select name_vi from procedures").pluck().all());
const tops = z.array(z.string()).parse(sqlite.$client.prepare("select code from agencies where depth = 0").pluck().all());
const searches = [...SEARCH_QUERIES.filter((q) => q.q), ...randomSearches(names, tops, options.random, 1)];

const cluster = await startPostgresCluster();
try {
  await cluster.createDatabase("portal");
  const pool = new pg.Pool({ connectionString: cluster.url("portal"), max: 2 });
  await migrate(drizzle(pool), { migrationsFolder: path.resolve(import.meta.dirname, "../../db/pg/migrations") });
  const copied = await copySqliteToPostgres(sqlite, pool);
  await pool.query("vacuum analyze");
  console.log(`${copied.rows.toLocaleString("en-US")} rows copied; ${searches.length} searches`);
  const times = { pg: [] as number[], sqlite: [] as number[] };
  const mismatches: string[] = [];
  for (const [i, raw] of searches.entries()) {
    const query = CatalogQuerySchema.parse(raw);
    const facets = [
      ...(query.level ? [facetWord("level", query.level)] : []),
      ...(query.field ? [facetWord("field", fieldIds.get(query.field) ?? -1)] : []),
      ...(query.agency ? [facetWord("agency", agencyIds.get(query.agency) ?? -1)] : []),
    ];
    const fts = ftsQuery(query.q ?? "");
    const tsq = pgSearchQuery(query.q ?? "");
    if (!fts || !tsq) continue;
    const expression = [`(${fts})`, ...facets.map((w) => `facets : "${w}"`)].join(" AND ");
    const offset = (query.page - 1) * PAGE_SIZE;
    const runPg = async () => {
      const t = performance.now();
      const page = await searchPagePg(pool, tsq, facets, PAGE_SIZE, offset);
      times.pg.push(performance.now() - t);
      return page.matches;
    };
    const runSqlite = () => {
      const t = performance.now();
      const page = searchHere(expression, PAGE_SIZE, offset);
      times.sqlite.push(performance.now() - t);
      return page.matches;
    };
    let a: number;
    let b: number;
    if (i % 2 === 0) {
      a = await runPg();
      b = runSqlite();
    } else {
      b = runSqlite();
      a = await runPg();
    }
    if (a !== b) mismatches.push(`${new URLSearchParams(raw)}: PostgreSQL ${a}, SQLite ${b}`);
  }
  await pool.end();
  const line = (what: string, list: number[]) => {
    const s = [...list].sort((x, y) => x - y);
    const p = (q: number) => (s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? Number.NaN).toFixed(1);
    console.log(`${what.padEnd(28)} p50 ${p(0.5)} ms, p95 ${p(0.95)} ms, p99 ${p(0.99)} ms, max ${(s.at(-1) ?? Number.NaN).toFixed(1)} ms`);
  };
  line("PostgreSQL (ts_rank)", times.pg);
  line("SQLite, one thread (bm25)", times.sqlite);
  console.log(`searches whose number of matches differs between the databases: ${mismatches.length} (must be 0)`);
  for (const m of mismatches.slice(0, 10)) console.log(`  ${m}`);
  if (mismatches.length > 0) process.exitCode = 1;
} finally {
  cluster.stop();
  sqlite.$client.close();
}
