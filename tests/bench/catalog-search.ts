// `DATABASE_PATH=data/scale-1m.db npm run bench:search [-- --runs 20]`
//
// The catalog query alone (listProcedures, no HTTP), on the load benchmark's 24 searches
// (tests/bench/load/scenarios.ts), each `--runs` times: "cold" drops the page cache before every
// call (what the first citizen to type a search waits for: the count, the ranking, the page),
// "cached" is the same call answered from the cache (what every later one gets until a procedure
// changes). Run it on a scale database (npm run db:scale) for the national catalog of 125,336.
import { parseArgs } from "node:util";
import * as z from "zod";
import { catalogChanged } from "../../app/server/catalog-version.server";
import { CatalogQuerySchema, listProcedures } from "../../app/server/catalog.server";
import { db } from "../../app/server/db.server";
import { SEARCH_QUERIES } from "./load/scenarios";

const { values } = parseArgs({ options: { runs: { type: "string" } } });
const runs = z.coerce.number().int().min(3).default(20).parse(values.runs);

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1)).padStart(7);

const catalogSize = Number(db().$client.prepare("select count(*) from procedures").pluck().get());
const queries = SEARCH_QUERIES.map((q) => ({ label: Object.entries(q).map(([k, v]) => `${k}=${v}`).join("&"), query: CatalogQuerySchema.parse(q) }));
for (const { query } of queries) listProcedures(query); // warm SQLite's page cache, as a running server's is

const cold: number[] = [];
const cached: number[] = [];
console.log(`catalog of ${catalogSize.toLocaleString("en-US")} procedures, ${runs} runs per search`);
console.log(`${"search".padEnd(44)} ${"matches".padStart(8)} ${"cold p50".padStart(9)} ${"cold max".padStart(9)} ${"cached p50".padStart(11)}`);
for (const { label, query } of queries) {
  const c: number[] = [];
  const w: number[] = [];
  let total = 0;
  for (let i = 0; i < runs; i++) {
    catalogChanged();
    let t = performance.now();
    total = listProcedures(query).total;
    c.push(performance.now() - t);
    t = performance.now();
    listProcedures(query);
    w.push(performance.now() - t);
  }
  c.sort((a, b) => a - b);
  w.sort((a, b) => a - b);
  cold.push(...c);
  cached.push(...w);
  console.log(`${label.padEnd(44)} ${String(total).padStart(8)} ${fmt(percentile(c, 0.5))}   ${fmt(c.at(-1) ?? 0)}   ${fmt(percentile(w, 0.5))}`);
}
cold.sort((a, b) => a - b);
cached.sort((a, b) => a - b);
console.log(`\nall searches: cold p50 ${fmt(percentile(cold, 0.5)).trim()} ms, p99 ${fmt(percentile(cold, 0.99)).trim()} ms; cached p50 ${fmt(percentile(cached, 0.5)).trim()} ms, p99 ${fmt(percentile(cached, 0.99)).trim()} ms`);
