// `npm run bench:search-http [-- --db data/scale-1m.db --random 300 --seed 1]`
//
// The first search as a citizen waits for it: the whole results page over HTTP (production build,
// gzip, to the last byte), for searches nobody has made yet — bench:search's random ones
// (random-searches.ts), each address once, so neither the page cache nor the query cache has it.
// One request at a time, as a person types. The bare baseline (tests/bench/bare-server.ts: the
// same query code, JSON, no framework) answers the same searches in the same run, alternated.
// Both servers run on one copy of the catalog database; before measuring, each answers 30 other
// random searches (another seed) so their code and SQLite's page cache are warm.
import Database from "better-sqlite3";
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import * as z from "zod";
import { buildProblem } from "../integration/portal-process";
import { BROWSER_HEADERS } from "./load/scenarios";
import { copyDatabase, startBenchServer, stopServer } from "./load/servers";
import { randomSearches } from "./random-searches";

const { values } = parseArgs({ options: { db: { type: "string" }, random: { type: "string" }, seed: { type: "string" } } });
const options = z
  .object({
    db: z.string().default("data/scale-1m.db"),
    random: z.coerce.number().int().min(10).default(300),
    seed: z.coerce.number().int().default(1),
  })
  .parse(values);

const children = new Set<ChildProcess>();
const scratch = mkdtempSync(path.join(tmpdir(), "portal-search-http-"));
process.on("exit", () => {
  for (const child of children) child.kill("SIGKILL");
  rmSync(scratch, { recursive: true, force: true });
});
function fail(message: string): never {
  console.error(`bench:search-http: ${message}`);
  process.exit(1);
}
const buildIssue = buildProblem();
if (buildIssue) fail(buildIssue);
if (!existsSync(options.db)) fail(`--db ${options.db}: no such file (npm run db:scale makes one)`);

const file = path.join(scratch, "catalog.db");
await copyDatabase(options.db, file);
const copy = new Database(file, { readonly: true });
const names = z.array(z.string()).parse(copy.prepare("select name_vi from procedures").pluck().all());
const tops = z.array(z.string()).parse(copy.prepare("select code from agencies where depth = 0").pluck().all());
copy.close();
const address = (raw: Record<string, string>) => `/procedures?${new URLSearchParams(raw)}`;
const measured = [...new Set(randomSearches(names, tops, options.random, options.seed).map(address))];
const seen = new Set(measured);
const warmup = [...new Set(randomSearches(names, tops, 60, options.seed + 1000).map(address))].filter((a) => !seen.has(a)).slice(0, 30);

const portal = await startBenchServer("portal", file, children).catch((e: unknown) => fail(String(e)));
const bare = await startBenchServer("bare", file, children).catch((e: unknown) => fail(String(e)));

/** One GET to the last byte (fetch decodes the gzip body, as a browser does); the time, and whether the page cache answered. */
async function timed(base: string, target: string): Promise<{ ms: number; cached: boolean }> {
  const started = performance.now();
  const res = await fetch(`${base}${target}`, { headers: BROWSER_HEADERS });
  const body = await res.text();
  const ms = performance.now() - started;
  if (res.status !== 200) fail(`${base}${target} answered ${res.status}: ${body.slice(0, 120)}`);
  return { ms, cached: res.headers.get("x-page-cache") === "hit" };
}

for (const target of warmup) {
  await timed(portal.base, target);
  await timed(bare.base, target);
}
const times = { portal: [] as number[], bare: [] as number[] };
const slowest: { target: string; ms: number }[] = [];
let fromCache = 0;
for (const [i, target] of measured.entries()) {
  // Alternated, so neither server always runs just after the other.
  const order = i % 2 === 0 ? (["portal", "bare"] as const) : (["bare", "portal"] as const);
  for (const which of order) {
    const answer = await timed(which === "portal" ? portal.base : bare.base, target);
    times[which].push(answer.ms);
    if (which === "portal") {
      slowest.push({ target, ms: answer.ms });
      if (answer.cached) fromCache += 1;
    }
  }
}
await stopServer(portal);
await stopServer(bare);

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
const line = (list: number[]) => {
  const s = [...list].sort((a, b) => a - b);
  return { p50: percentile(s, 0.5), p95: percentile(s, 0.95), p99: percentile(s, 0.99), max: s.at(-1) ?? Number.NaN };
};
const p = line(times.portal);
const b = line(times.bare);
const f = (ms: number) => ms.toFixed(1).padStart(7);
console.log(
  `${measured.length} first searches (seed ${options.seed}) over HTTP, one at a time, on ${path.basename(options.db)} (SEARCH_WORKERS=${process.env.SEARCH_WORKERS ?? "default"})`,
);
console.log(`${"server".padEnd(8)} ${"p50 ms".padStart(7)} ${"p95 ms".padStart(7)} ${"p99 ms".padStart(7)} ${"max ms".padStart(7)}`);
console.log(`${"portal".padEnd(8)} ${f(p.p50)} ${f(p.p95)} ${f(p.p99)} ${f(p.max)}`);
console.log(`${"bare".padEnd(8)} ${f(b.p50)} ${f(b.p95)} ${f(b.p99)} ${f(b.max)}`);
console.log(`portal ÷ bare: p50 ${(p.p50 / b.p50).toFixed(2)}×, p99 ${(p.p99 / b.p99).toFixed(2)}×; answered from the page cache: ${fromCache} (must be 0)`);
console.log("the slowest pages:");
for (const s of slowest.sort((x, y) => y.ms - x.ms).slice(0, 5)) console.log(`  ${decodeURIComponent(s.target).padEnd(64)} ${f(s.ms)} ms`);
if (fromCache > 0) fail("a measured search was answered from the page cache: the figures are not first searches");
