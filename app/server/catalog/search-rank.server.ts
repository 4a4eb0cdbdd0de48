import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import * as z from "zod";
import { db, perDatabase, type Db } from "../platform/db.server";
import { env } from "../platform/env.server";

/**
 * Searching on the machine's other core too (decision 024). FTS5's bm25 scores every match before
 * the first page is known: 23 ms for "đăng ký" over the national catalog's 37,001 matches, on the
 * one thread that also answers every other request. The id range is cut in two and each half is
 * counted and ranked by a worker thread with its own read-only connection; the two sorted lists
 * are merged. bm25's inputs (each phrase's number of matching
 * rows, the average row length) are read from the whole index whatever the rowid range, so a
 * half's scores are the very numbers one query would give and the merge is the same page, in the
 * same order (tested). A worker that fails leaves its search to this thread: slower, never wrong.
 */

/** A match's id and bm25 score, as the workers send them. */
type Ranked = readonly [id: number, score: number];
/** A worker's answer: how many matches its half of the ids holds, and the first of them by relevance. */
type RankedHalf = { matches: number; rows: Ranked[] };

const COUNT_SQL = "select count(*) from procedures_fts where procedures_fts match ? and rowid between ? and ?";
const RANK_SQL = `select rowid, bm25(procedures_fts, 1.0, 1.0, 1.0, 0.0) as score from procedures_fts
  where procedures_fts match ? and rowid between ? and ? order by score, rowid limit ?`;

// The worker is a few lines of plain JavaScript evaluated from this string: a separate file would
// not be part of the Remix server bundle, and a path to it would depend on where the bundle runs.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
db.pragma("busy_timeout = 5000");
const count = db.prepare(workerData.countSql).pluck();
const rank = db.prepare(workerData.rankSql).raw();
parentPort.on("message", (m) => {
  try {
    const matches = count.get(m.expression, m.low, m.high);
    const rows = matches > 0 ? rank.all(m.expression, m.low, m.high, m.limit) : [];
    parentPort.postMessage({ id: m.id, matches, rows });
  } catch (error) {
    parentPort.postMessage({ id: m.id, error: String(error && error.message ? error.message : error) });
  }
});
`;

// The driver resolved from here: an evaluated worker's `require` starts from the working directory, which need not be the portal's.
const DRIVER = createRequire(import.meta.url).resolve("better-sqlite3");

const AnswerSchema = z.union([
  z.object({ id: z.number(), matches: z.number(), rows: z.array(z.tuple([z.number(), z.number()])) }),
  z.object({ id: z.number(), error: z.string() }),
]);

/** A worker thread and the requests it has not answered yet. */
class RankWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (half: RankedHalf) => void; reject: (error: Error) => void }>();
  private next = 0;
  broken = false;

  constructor(file: string) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver: DRIVER, countSql: COUNT_SQL, rankSql: RANK_SQL } });
    this.worker.on("message", (message: unknown) => {
      const answer = AnswerSchema.safeParse(message);
      // An answer this side cannot read means the two sides disagree: stop using this worker.
      if (!answer.success) return this.fail(new Error("unreadable answer from a search ranking worker"));
      const waiting = this.pending.get(answer.data.id);
      if (!waiting) return;
      this.pending.delete(answer.data.id);
      failuresInARow = 0;
      if ("rows" in answer.data) waiting.resolve({ matches: answer.data.matches, rows: answer.data.rows });
      else waiting.reject(new Error(answer.data.error));
    });
    this.worker.on("error", (error: unknown) => this.fail(error instanceof Error ? error : new Error(String(error))));
    this.worker.on("exit", (code) => this.fail(new Error(`search ranking worker stopped (exit code ${code})`)));
    // An idle worker does not keep the process alive (scripts, tests and a stopping server exit);
    // after the listeners, which would take the reference again.
    this.worker.unref();
  }

  /** Every waiting search is handed back (to be ranked on the request's thread) and the worker is replaced. */
  private fail(error: Error): void {
    if (!this.broken) {
      void this.worker.terminate();
      if (!this.stopping) noteFailure(error);
    }
    this.broken = true;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }

  rank(expression: string, low: number, high: number, limit: number): Promise<RankedHalf> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      // A worker that has not answered in 5 s (a search takes milliseconds) is taken for stuck.
      const timer = setTimeout(() => this.fail(new Error("a search ranking worker did not answer in 5 s")), 5_000);
      this.pending.set(id, {
        resolve: (half) => {
          clearTimeout(timer);
          resolve(half);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.worker.postMessage({ id, expression, low, high, limit });
    });
  }

  private stopping = false;

  stop(): void {
    this.stopping = true;
    this.fail(new Error("search ranking workers stopped"));
  }
}

/**
 * Workers that fail again and again (a file they cannot open, a driver they cannot load) would be
 * replaced on every search, each start costing ~30 ms: after three failures with no answer between
 * them, this process searches on the request thread only, and says so once.
 */
let failuresInARow = 0;
let givenUp = false;
function noteFailure(error: Error): void {
  failuresInARow += 1;
  if (failuresInARow >= 3 && !givenUp) {
    givenUp = true;
    console.error(`search workers failed ${failuresInARow} times in a row; searching on the request thread from now on: ${error.message}`);
  }
}

/** Two workers per database file, started by the background jobs or the first search; a broken one is replaced by the next. */
const pools = perDatabase((client: Db) => ({ file: client.$client.name, workers: new Array<RankWorker | null>(2).fill(null) }));

function workers(): RankWorker[] {
  const pool = pools();
  return pool.workers.map((w, i) => {
    if (w && !w.broken) return w;
    const fresh = new RankWorker(pool.file);
    pool.workers[i] = fresh;
    return fresh;
  });
}

/** Starts the ranking workers ahead of the first search (a worker takes ~30 ms to start and open the file). */
export function startRankWorkers(): void {
  if (env().SEARCH_WORKERS === "on" && !givenUp && !db().$client.memory) workers();
}

/** Stops the current database's ranking workers (tests that close their database; a graceful stop). */
export function stopRankWorkers(): void {
  const pool = pools();
  for (const w of pool.workers) w?.stop();
  pool.workers.fill(null);
}

/** Deeper pages than this are ranked on this thread: each half would have to send all the rows before the page. */
const MAX_PARALLEL_DEPTH = 1_000;

const countStatement = perDatabase((client: Db) => client.$client.prepare("select count(*) from procedures_fts where procedures_fts match ?").pluck());
const rankStatement = perDatabase((client: Db) =>
  client.$client
    .prepare(`select rowid from procedures_fts where procedures_fts match ? order by bm25(procedures_fts, 1.0, 1.0, 1.0, 0.0), rowid limit ? offset ?`)
    .pluck(),
);
// Two subqueries: SQLite answers a lone min() or max() from the index's ends, but scans every row for both at once.
const idRangeStatement = perDatabase((client: Db) =>
  client.$client.prepare("select (select min(id) from procedures) as low, (select max(id) from procedures) as high"),
);
const IdRangeSchema = z.object({ low: z.number(), high: z.number() });

/** A search's number of matches and its page's ids in relevance order. */
export type SearchPage = { matches: number; ids: number[] };

/** A search counted and ranked on this thread: ids by bm25 then id, `limit` from `offset`. */
export function searchHere(expression: string, limit: number, offset: number): SearchPage {
  const matches = z.number().parse(countStatement().get(expression));
  if (matches <= offset) return { matches, ids: [] };
  const ids = rankStatement()
    .all(expression, limit, offset)
    .filter((id): id is number => typeof id === "number");
  return { matches, ids };
}

/**
 * A search's matches and page: on the two workers when they are on (SEARCH_WORKERS) and the page
 * is not too deep, each counting and ranking its half of the ids, else on this thread.
 */
export async function searchPage(expression: string, limit: number, offset: number, useWorkers: boolean = env().SEARCH_WORKERS === "on"): Promise<SearchPage> {
  const client = db().$client;
  if (!useWorkers || givenUp || offset + limit > MAX_PARALLEL_DEPTH || client.memory) return searchHere(expression, limit, offset);
  const range = IdRangeSchema.safeParse(idRangeStatement().get());
  if (!range.success) return searchHere(expression, limit, offset); // an empty catalog
  const { low, high } = range.data;
  const middle = Math.floor((low + high) / 2);
  const [first, second] = workers();
  if (!first || !second) return searchHere(expression, limit, offset);
  try {
    const [a, b] = await Promise.all([first.rank(expression, low, middle, offset + limit), second.rank(expression, middle + 1, high, offset + limit)]);
    return { matches: a.matches + b.matches, ids: mergeRanked(a.rows, b.rows).slice(offset, offset + limit) };
  } catch {
    return searchHere(expression, limit, offset);
  }
}

/** Two lists sorted by (score, id) as one, the ids only. Exported for its test. */
export function mergeRanked(a: readonly Ranked[], b: readonly Ranked[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (x && (!y || x[1] < y[1] || (x[1] === y[1] && x[0] < y[0]))) {
      out.push(x[0]);
      i++;
    } else if (y) {
      out.push(y[0]);
      j++;
    }
  }
  return out;
}
