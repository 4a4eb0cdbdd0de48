// HTTP load benchmarks (issue 6, part 1): each scenario against the real portal (node server.js,
// production build) and against the bare baseline (tests/bench/bare-server.ts) in the same run, on
// loopback, with autocannon. Prints a table per scenario, the portal/bare ratio and the targets.
//
//   npm run bench:load [-- search procedure submit ipn] [--duration 20] [--warmup 10]
//                      [--connections 50] [--db file.db] [--citizens N] [--payments 2000]
//                      [--open-loop] [--shares 25,50,75] [--postgres [--processes 2] [--fsync]]
//
// --postgres (issue 15): the servers run on PostgreSQL instead of SQLite files: a throwaway cluster
// started by the run (tests/setup/postgres-cluster.ts: fsync off unless --fsync), each prepared
// SQLite database copied once into a template database with db:copy-to-pg's code
// (copySqliteToPostgres), and each server given a fresh database made from that template.
// --processes N: N portal processes on that one database (PostgreSQL only: two processes never
// share an SQLite file, docs/operations.md), the connections split evenly across them (one
// autocannon per process, run together, their results added up; latencies over all responses);
// the bare baseline stays one process.
//
// --open-loop (issue 14): after the closed-loop runs, each server again at a constant arrival rate
// of 25, 50 and 75 % of the bare server's measured capacity (open-loop.ts: latency from each
// operation's intended start), for submission, search and the procedure page; each run on a fresh
// server and database copy, `--warmup` seconds at the same rate first.
//
// --db: a catalog database (e.g. from `npm run db:scale`) for the search and procedure-page
// scenarios; without it they run on the seeded catalog, and the search target is left unchecked.
// Each server gets its own fresh copy of the prepared database for each scenario, and servers run
// one at a time. Setup failures (no build, a server that does not start, a smoke request that is
// not answered as expected) exit non-zero; a missed target does not.
import autocannon from "autocannon";
import { spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import * as z from "zod";
import { openLoop } from "./open-loop";
import { openLoopTable, openLoopVerdicts, percentile, table, verdicts, type Measured, type OpenMeasured } from "./report";
import { makeDriver, newTally, SCENARIOS, searchPaths, type Driver, type ScenarioName } from "./scenarios";
import { benchEnv, ManifestSchema, type Manifest } from "./shared";
import { buildProblem } from "../../integration/portal-process";
import { copyDatabase, startBenchServer, stopServer, type BenchDatabase, type Running } from "./servers";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { openDatabase } from "../../../app/server/platform/db.server";
import { copySqliteToPostgres } from "../../../db/pg/copy-from-sqlite";
import { startPostgresCluster, type PostgresCluster } from "../../setup/postgres-cluster";

const ROOT = path.resolve(import.meta.dirname, "../../..");
/**
 * Submissions per second the prepared citizens are sized for (one citizen per submission): a
 * generous guess for this 2-core machine when quiet, since a submission costs several milliseconds
 * of CPU in one Node process. A run that uses them all stops, says so and is marked invalid; raise
 * --citizens then.
 */
const SIZING_RATE = 300;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    duration: { type: "string" },
    warmup: { type: "string" },
    connections: { type: "string" },
    db: { type: "string" },
    citizens: { type: "string" },
    payments: { type: "string" },
    "open-loop": { type: "boolean" },
    shares: { type: "string" },
    postgres: { type: "boolean" },
    processes: { type: "string" },
    fsync: { type: "boolean" },
  },
});
const parsedOptions = z
  .object({
    scenarios: z.array(z.enum(SCENARIOS)).transform((s) => (s.length ? SCENARIOS.filter((n) => s.includes(n)) : [...SCENARIOS])),
    duration: z.coerce.number().positive().default(20),
    warmup: z.coerce.number().min(0).default(10),
    connections: z.coerce.number().int().positive().default(50),
    db: z.string().optional(),
    citizens: z.coerce.number().int().positive().optional(),
    payments: z.coerce.number().int().positive().default(2000),
    openLoop: z.boolean().default(false),
    shares: z
      .string()
      .default("25,50,75")
      .transform((s) => s.split(",").map((n) => Number(n.trim())))
      .pipe(z.array(z.number().positive().max(200)).min(1)),
    postgres: z.boolean().default(false),
    processes: z.coerce.number().int().min(1).max(4).default(1),
    fsync: z.boolean().default(false),
  })
  .refine((o) => o.postgres || o.processes === 1, {
    message: "--processes above 1 needs --postgres (two processes never share an SQLite file)",
    path: ["processes"],
  })
  .refine((o) => o.postgres || !o.fsync, { message: "--fsync is a setting of the PostgreSQL cluster: use it with --postgres", path: ["fsync"] })
  .refine((o) => !o.openLoop || o.processes === 1, { message: "--open-loop runs against one process", path: ["openLoop"] })
  .safeParse({ ...values, openLoop: values["open-loop"], scenarios: positionals });

/** Servers started by this run and its scratch folder: cleaned up whatever happens, so no server is left listening. */
const children = new Set<ChildProcess>();
let work: string | null = null;
process.on("exit", () => {
  for (const child of children) child.kill("SIGKILL");
  if (work) rmSync(work, { recursive: true, force: true });
});
process.on("SIGINT", () => process.exit(130));
process.on("SIGTERM", () => process.exit(143));

function fail(message: string): never {
  console.error(`bench:load setup failed: ${message}`);
  process.exit(1);
}

if (!parsedOptions.success) fail(`bad options: ${parsedOptions.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
const options = parsedOptions.data;
// The same check as the server tests: a build older than its sources would measure yesterday's code.
const buildIssue = buildProblem();
if (buildIssue) fail(buildIssue);
if (options.db && !existsSync(options.db)) fail(`--db ${options.db}: no such file`);

const scratch = mkdtempSync(path.join(tmpdir(), "portal-load-"));
work = scratch;
const citizensNeeded = options.citizens ?? Math.ceil(SIZING_RATE * (options.warmup + options.duration)) + 2 * options.connections + 10;

/** Runs prepare.ts on a database file (creating and seeding it when new) and reads its manifest. */
function prepare(file: string, counts: { citizens: number; payments: number; seed: boolean }): Manifest {
  const manifest = `${file}.manifest.json`;
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", "tests/bench/load/prepare.ts", "--manifest", manifest, "--citizens", String(counts.citizens), "--payments", String(counts.payments)],
    {
      cwd: ROOT,
      env: benchEnv({ DATABASE_PATH: file, STORAGE_DIR: path.join(scratch, "prepare-storage"), SEED_ON_START: counts.seed ? "true" : "false" }),
      stdio: ["ignore", "inherit", "inherit"],
    },
  );
  if (result.status !== 0) fail(`preparing ${file} exited with ${result.status ?? result.signal}`);
  return ManifestSchema.parse(JSON.parse(readFileSync(manifest, "utf8")));
}

const startServer = (kind: "portal" | "bare", database: BenchDatabase, label?: string): Promise<Running> =>
  startBenchServer(kind, database, children, label).catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));

/** A prepared database: the SQLite file, and with --postgres the template database copied from it. */
type Source = { file: string; manifest: Manifest; pgTemplate: string | null };

/** The --postgres run's cluster, started by main. */
let cluster: PostgresCluster | null = null;
let databases = 0;
const DATABASE_LABEL = options.postgres ? "PostgreSQL" : "SQLite";

/**
 * The prepared SQLite file copied into a new PostgreSQL template database (migrated first, then
 * `vacuum analyze`, as after a site's move), timed; the servers' databases are made from it.
 */
async function postgresTemplate(file: string): Promise<string> {
  if (!cluster) fail("no PostgreSQL cluster");
  databases += 1;
  const name = `template_${databases}`;
  await cluster.createDatabase(name);
  const pool = new pg.Pool({ connectionString: cluster.url(name), max: 2 });
  const sqlite = openDatabase(file);
  try {
    const started = performance.now();
    await migrate(drizzle(pool), { migrationsFolder: path.join(ROOT, "db/pg/migrations") });
    const copied = await copySqliteToPostgres(sqlite, pool);
    await pool.query("vacuum analyze");
    console.log(
      `copied ${path.basename(file)} into PostgreSQL database ${name}: ${copied.rows.toLocaleString("en-US")} rows in ${((performance.now() - started) / 1000).toFixed(1)} s (migrations, copy, vacuum analyze)`,
    );
  } finally {
    sqlite.$client.close();
    await pool.end();
  }
  return name;
}

/** A fresh database for one measured server: a copy of the SQLite file, or a new PostgreSQL database from the template. */
async function freshDatabase(label: string, source: Source): Promise<{ database: BenchDatabase; drop: () => Promise<void> }> {
  if (cluster && source.pgTemplate) {
    databases += 1;
    const name = `run_${databases}`;
    await cluster.createDatabase(name, source.pgTemplate);
    const storage = path.join(scratch, `${name}-storage`);
    const url = cluster.url("postgres");
    return {
      database: { url: cluster.url(name), storage },
      drop: async () => {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.query(`drop database if exists ${name} with (force)`).finally(() => client.end());
        rmSync(storage, { recursive: true, force: true });
      },
    };
  }
  const file = path.join(scratch, `${label}.db`);
  await copyDatabase(source.file, file);
  return {
    database: file,
    drop: async () => {
      for (const suffix of ["", "-wal", "-shm"]) rmSync(`${file}${suffix}`, { force: true });
      rmSync(`${file}-storage`, { recursive: true, force: true });
    },
  };
}

/** The server's processes on one database, started one after another: the portal `--processes` times, the bare baseline once. */
async function startServers(server: "portal" | "bare", database: BenchDatabase): Promise<Running[]> {
  const count = server === "portal" ? options.processes : 1;
  const running: Running[] = [];
  for (let i = 1; i <= count; i += 1) running.push(await startServer(server, database, count > 1 ? `${server} ${i}` : server));
  return running;
}

/** `total` split into `parts` whole shares differing by one at most. */
const split = (total: number, parts: number) => Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));

/** One operation of the scenario, sent with fetch before any load: the server must answer it as the scenario expects. */
async function smoke(name: ScenarioName, server: string, driver: Driver, base: string) {
  const before = { ops: driver.tally.ops, unexpected: driver.tally.unexpected };
  const context: autocannon.Context = {};
  for (const request of driver.requests(base)) {
    const req = request.setupRequest ? request.setupRequest({ ...request }, context) : request;
    const res = await fetch(`${base}${req.path ?? "/"}`, { method: req.method, headers: req.headers, body: req.body, redirect: "manual" });
    request.onResponse?.(res.status, await res.text(), context, Object.fromEntries(res.headers));
  }
  if (driver.tally.ops !== before.ops + 1 || driver.tally.unexpected !== before.unexpected)
    fail(`${name} on the ${server} server (${base}) was not answered as expected: ${driver.tally.samples.join(" | ") || "no operation completed"}`);
}

async function measure(name: ScenarioName, server: "portal" | "bare", source: Source): Promise<Measured> {
  const { database, drop } = await freshDatabase(`${name}-${server}`, source);
  const servers = await startServers(server, database);
  let current: autocannon.Instance[] = [];
  const driver = makeDriver(name, source.manifest, () => current.forEach((instance) => instance.stop()));
  try {
    for (const running of servers) await smoke(name, server, driver, running.base);
    const run = async (seconds: number) => {
      const opTimes: number[] = [];
      // With several processes, each response's latency, for percentiles over all of them (autocannon's are per instance).
      const latencies: number[] = [];
      const perClient = new Map<object, { sum: number; n: number }>();
      const shares = split(options.connections, servers.length);
      current = servers.map((running, i) =>
        autocannon({ url: running.base, connections: shares[i] ?? 1, duration: seconds, timeout: 10, requests: driver.requests(running.base) }),
      );
      for (const instance of current) {
        instance.on("response", (client, _status, _bytes, responseTime) => {
          if (servers.length > 1) latencies.push(responseTime);
          if (name !== "submit") return;
          const acc = perClient.get(client) ?? { sum: 0, n: 0 };
          acc.sum += responseTime;
          acc.n += 1;
          if (acc.n === 2) {
            opTimes.push(acc.sum);
            acc.sum = 0;
            acc.n = 0;
          }
          perClient.set(client, acc);
        });
      }
      const results = await Promise.all(current);
      return { results, opTimes: opTimes.sort((a, b) => a - b), latencies: latencies.sort((a, b) => a - b) };
    };
    if (options.warmup > 0) await run(options.warmup);
    Object.assign(driver.tally, newTally());
    const { results, opTimes, latencies } = await run(options.duration);
    const [only] = results;
    const sum = (of: (r: autocannon.Result) => number) => results.reduce((total, r) => total + of(r), 0);
    const seconds = Math.max(...results.map((r) => r.duration));
    const statusCodes: Record<string, number> = {};
    for (const r of results) for (const [code, s] of Object.entries(r.statusCodeStats)) statusCodes[code] = (statusCodes[code] ?? 0) + s.count;
    const requests = sum((r) => r.requests.total);
    return {
      server,
      database: DATABASE_LABEL,
      processes: servers.length,
      seconds,
      requests,
      reqPerSec: requests / seconds,
      opsPerSec: driver.tally.ops / seconds,
      p50: results.length === 1 && only ? only.latency.p50 : (percentile(latencies, 50) ?? 0),
      p99: results.length === 1 && only ? only.latency.p99 : (percentile(latencies, 99) ?? 0),
      opP50: name === "submit" ? percentile(opTimes, 50) : null,
      opP99: name === "submit" ? percentile(opTimes, 99) : null,
      errors: sum((r) => r.errors + r.timeouts),
      non2xx: sum((r) => r.non2xx),
      statusCodes,
      tally: { ...driver.tally, samples: [...driver.tally.samples] },
    };
  } finally {
    for (const running of servers) await stopServer(running);
    await drop();
  }
}

/** The open-loop scenarios (issue 14); the IPN is a gateway's retry loop, not people arriving. */
const OPEN_LOOP_SCENARIOS: readonly ScenarioName[] = ["submit", "search", "procedure"];

/** One server at a constant arrival rate (open-loop.ts), on its own fresh copy of the database. */
async function measureOpen(name: ScenarioName, server: "portal" | "bare", source: Source, share: number, rate: number): Promise<OpenMeasured> {
  const { manifest } = source;
  const { database, drop } = await freshDatabase(`${name}-${server}-open`, source);
  const running = await startServer(server, database);
  let emptied = false;
  const driver = makeDriver(name, manifest, () => (emptied = true));
  const requests = () => driver.requests(running.base);
  try {
    await smoke(name, server, driver, running.base);
    if (options.warmup > 0) await openLoop({ base: running.base, requests, rate, seconds: options.warmup });
    Object.assign(driver.tally, newTally());
    const result = await openLoop({ base: running.base, requests, rate, seconds: options.duration });
    if (emptied) fail(`${name} open loop at ${share} %: the prepared citizens ran out; rerun with --citizens ${2 * manifest.submit.citizens.length}`);
    return {
      server,
      share,
      rate,
      due: result.due,
      completed: result.completed,
      unfinished: result.unfinished,
      errors: result.errors,
      p50: percentile(result.latencies, 50),
      p99: percentile(result.latencies, 99),
      tally: { ...driver.tally, samples: [...driver.tally.samples] },
    };
  } finally {
    await stopServer(running);
    await drop();
  }
}

function describeScenario(name: ScenarioName, manifest: Manifest, onScaleDb: boolean): string {
  switch (name) {
    case "search":
      return `GET /procedures?… round robin over ${searchPaths().length} searches, catalog of ${manifest.catalogSize.toLocaleString("en-US")} procedures (${onScaleDb ? options.db : "seeded DB"})`;
    case "procedure":
      return `GET /procedures/:code round robin over ${manifest.procedureCodes.length} codes (each view is recorded: one write)`;
    case "submit":
      return `apply POST + check POST per operation (${manifest.submit.code}, level 3), one fresh signed-in citizen with a started draft per operation (${manifest.submit.citizens.length} prepared)`;
    case "ipn":
      return `GET /api/v1/payments/ipn, gateway-signed, round robin over ${manifest.ipnPaths.length} pending payments: the first IPN of each confirms it (00), later ones are idempotent repeats (02)`;
  }
}

async function main() {
  const started = new Date();
  const cpu = cpus();
  console.log(`# Load benchmark ${started.toISOString()}`);
  console.log(
    `machine: ${cpu.length} × ${cpu[0]?.model ?? "?"}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  console.log(
    `run: ${options.scenarios.join(", ")}; warm-up ${options.warmup} s (not measured) + ${options.duration} s measured; ${options.connections} connections; loopback`,
  );
  if (options.postgres) {
    cluster = await startPostgresCluster({ durable: options.fsync });
    const client = new pg.Client({ connectionString: cluster.url("postgres") });
    await client.connect();
    const version = z.object({ server_version: z.string() }).parse((await client.query("show server_version")).rows[0]).server_version;
    await client.end();
    console.log(
      `database: PostgreSQL ${version}, a throwaway cluster on this machine (default memory settings; ${options.fsync ? "fsync, synchronous_commit and full_page_writes on: each commit waits for its WAL to reach the disk" : "fsync, synchronous_commit and full_page_writes off: commits are not synced to the disk, cheaper than a real server's"}); portal: ${options.processes} process${options.processes > 1 ? "es" : ""} on one database (connections split evenly), bare: 1 process`,
    );
  } else console.log("database: SQLite files (synchronous NORMAL, WAL), one process per file");

  const needsMain = options.scenarios.some((s) => s === "submit" || s === "ipn" || !options.db);
  const mainDb = path.join(scratch, "template.db");
  const mainManifest = needsMain
    ? prepare(mainDb, {
        citizens: options.scenarios.includes("submit") ? citizensNeeded : 0,
        payments: options.scenarios.includes("ipn") ? options.payments : 0,
        seed: true,
      })
    : null;
  const pgTemplate = async (file: string) => (options.postgres ? postgresTemplate(file) : null);
  const prepared: Source | null = mainManifest ? { file: mainDb, manifest: mainManifest, pgTemplate: await pgTemplate(mainDb) } : null;
  let catalog: Source | null = null;
  if (options.db && options.scenarios.some((s) => s === "search" || s === "procedure")) {
    const file = path.join(scratch, "catalog.db");
    await copyDatabase(options.db, file);
    catalog = { file, manifest: prepare(file, { citizens: 0, payments: 0, seed: false }), pgTemplate: await pgTemplate(file) };
  }

  const summary: string[] = [];
  for (const name of options.scenarios) {
    const onScaleDb = catalog !== null && (name === "search" || name === "procedure");
    const source = onScaleDb ? catalog : prepared;
    if (!source) fail(`no database for ${name}`);
    console.log(`\n## ${name}: ${describeScenario(name, source.manifest, onScaleDb)}`);
    const rows: Measured[] = [];
    for (const server of ["portal", "bare"] as const) rows.push(await measure(name, server, source));
    console.log(table(name, rows));
    for (const r of rows) {
      if (r.tally.samples.length) console.log(`${r.server} unexpected answers, first ones: ${r.tally.samples.join(" | ")}`);
      if (r.tally.exhausted)
        console.log(
          `${r.server}: INVALID — all ${source.manifest.submit.citizens.length} prepared citizens had submitted after ${r.seconds.toFixed(1)} s; rerun with --citizens ${2 * source.manifest.submit.citizens.length}`,
        );
      if (name === "ipn") console.log(`${r.server}: ${r.tally.settled} first confirmations (00), ${r.tally.duplicates} idempotent repeats (02)`);
    }
    for (const v of verdicts(name, rows, source.manifest.catalogSize)) {
      const line = `${v.status.padEnd(9)} ${v.target}: ${v.figure}`;
      console.log(line);
      summary.push(line);
    }
    const bare = rows.find((r) => r.server === "bare");
    if (options.openLoop && OPEN_LOOP_SCENARIOS.includes(name) && bare && bare.opsPerSec > 0) {
      console.log(`\n### ${name}, open loop: bare capacity ${bare.opsPerSec.toFixed(1)} ops/s (closed loop above)`);
      const open: OpenMeasured[] = [];
      for (const share of options.shares)
        for (const server of ["portal", "bare"] as const) open.push(await measureOpen(name, server, source, share, (bare.opsPerSec * share) / 100));
      console.log(openLoopTable(open));
      for (const r of open)
        if (r.tally.samples.length) console.log(`${r.server} at ${r.share} % unexpected answers, first ones: ${r.tally.samples.join(" | ")}`);
      for (const v of openLoopVerdicts(name, open)) {
        const line = `${v.status.padEnd(9)} ${v.target}: ${v.figure}`;
        console.log(line);
        summary.push(line);
      }
    }
  }
  console.log(`\n## Targets\n${summary.join("\n") || "(none for these scenarios)"}`);
  console.log(
    `load average at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
}

main().catch((error: unknown) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)));
