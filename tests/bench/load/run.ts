// HTTP load benchmarks (issue 6, part 1): each scenario against the real portal (node server.js,
// production build) and against the bare baseline (tests/bench/bare-server.ts) in the same run, on
// loopback, with autocannon. Prints a table per scenario, the portal/bare ratio and the targets.
//
//   npm run bench:load [-- search procedure submit ipn] [--duration 20] [--warmup 10]
//                      [--connections 50] [--db file.db] [--citizens N] [--payments 2000]
//                      [--open-loop] [--shares 25,50,75]
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
import { copyDatabase, startBenchServer, stopServer, type Running } from "./servers";

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
  })
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

const startServer = (kind: "portal" | "bare", database: string): Promise<Running> =>
  startBenchServer(kind, database, children).catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));

/** One operation of the scenario, sent with fetch before any load: the server must answer it as the scenario expects. */
async function smoke(name: ScenarioName, server: string, driver: Driver, base: string) {
  const context: autocannon.Context = {};
  for (const request of driver.requests()) {
    const req = request.setupRequest ? request.setupRequest({ ...request }, context) : request;
    const res = await fetch(`${base}${req.path ?? "/"}`, { method: req.method, headers: req.headers, body: req.body, redirect: "manual" });
    request.onResponse?.(res.status, await res.text(), context, Object.fromEntries(res.headers));
  }
  if (driver.tally.ops !== 1 || driver.tally.unexpected !== 0)
    fail(`${name} on the ${server} server (${base}) was not answered as expected: ${driver.tally.samples.join(" | ") || "no operation completed"}`);
}

async function measure(name: ScenarioName, server: "portal" | "bare", template: string, manifest: Manifest): Promise<Measured> {
  const database = path.join(scratch, `${name}-${server}.db`);
  await copyDatabase(template, database);
  const running = await startServer(server, database);
  let current: autocannon.Instance | null = null;
  const driver = makeDriver(name, manifest, running.base, () => current?.stop());
  try {
    await smoke(name, server, driver, running.base);
    const run = async (seconds: number) => {
      const opTimes: number[] = [];
      const perClient = new Map<object, { sum: number; n: number }>();
      current = autocannon({ url: running.base, connections: options.connections, duration: seconds, timeout: 10, requests: driver.requests() });
      if (name === "submit") {
        current.on("response", (client, _status, _bytes, responseTime) => {
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
      const result = await current;
      return { result, opTimes: opTimes.sort((a, b) => a - b) };
    };
    if (options.warmup > 0) await run(options.warmup);
    Object.assign(driver.tally, newTally());
    const { result, opTimes } = await run(options.duration);
    const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]));
    return {
      server,
      seconds: result.duration,
      requests: result.requests.total,
      reqPerSec: result.requests.total / result.duration,
      opsPerSec: driver.tally.ops / result.duration,
      p50: result.latency.p50,
      p99: result.latency.p99,
      opP50: name === "submit" ? percentile(opTimes, 50) : null,
      opP99: name === "submit" ? percentile(opTimes, 99) : null,
      errors: result.errors + result.timeouts,
      non2xx: result.non2xx,
      statusCodes,
      tally: { ...driver.tally, samples: [...driver.tally.samples] },
    };
  } finally {
    await stopServer(running);
    rmSync(database, { force: true });
    rmSync(`${database}-wal`, { force: true });
    rmSync(`${database}-shm`, { force: true });
  }
}

/** The open-loop scenarios (issue 14); the IPN is a gateway's retry loop, not people arriving. */
const OPEN_LOOP_SCENARIOS: readonly ScenarioName[] = ["submit", "search", "procedure"];

/** One server at a constant arrival rate (open-loop.ts), on its own fresh copy of the database. */
async function measureOpen(
  name: ScenarioName,
  server: "portal" | "bare",
  template: string,
  manifest: Manifest,
  share: number,
  rate: number,
): Promise<OpenMeasured> {
  const database = path.join(scratch, `${name}-${server}-open.db`);
  await copyDatabase(template, database);
  const running = await startServer(server, database);
  let emptied = false;
  const driver = makeDriver(name, manifest, running.base, () => (emptied = true));
  try {
    await smoke(name, server, driver, running.base);
    if (options.warmup > 0) await openLoop({ base: running.base, requests: driver.requests, rate, seconds: options.warmup });
    Object.assign(driver.tally, newTally());
    const result = await openLoop({ base: running.base, requests: driver.requests, rate, seconds: options.duration });
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
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${database}${suffix}`, { force: true });
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

  const needsMain = options.scenarios.some((s) => s === "submit" || s === "ipn" || !options.db);
  const mainDb = path.join(scratch, "template.db");
  const mainManifest = needsMain
    ? prepare(mainDb, {
        citizens: options.scenarios.includes("submit") ? citizensNeeded : 0,
        payments: options.scenarios.includes("ipn") ? options.payments : 0,
        seed: true,
      })
    : null;
  let catalog: { file: string; manifest: Manifest } | null = null;
  if (options.db && options.scenarios.some((s) => s === "search" || s === "procedure")) {
    const file = path.join(scratch, "catalog.db");
    await copyDatabase(options.db, file);
    catalog = { file, manifest: prepare(file, { citizens: 0, payments: 0, seed: false }) };
  }

  const summary: string[] = [];
  for (const name of options.scenarios) {
    const onScaleDb = catalog !== null && (name === "search" || name === "procedure");
    const source = onScaleDb ? catalog : mainManifest ? { file: mainDb, manifest: mainManifest } : null;
    if (!source) fail(`no database for ${name}`);
    console.log(`\n## ${name}: ${describeScenario(name, source.manifest, onScaleDb)}`);
    const rows: Measured[] = [];
    for (const server of ["portal", "bare"] as const) rows.push(await measure(name, server, source.file, source.manifest));
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
        for (const server of ["portal", "bare"] as const)
          open.push(await measureOpen(name, server, source.file, source.manifest, share, (bare.opsPerSec * share) / 100));
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
