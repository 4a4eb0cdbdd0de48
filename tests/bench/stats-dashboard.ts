// `npm run bench:stats -- [--sizes 1000000,10000000] [--runs 30] [--warmup 3] [--min-runs 10] [--budget 180]
//                         [--raw-runs 3] [--raw-warmup 1] [--raw-from-check] [--province ha-noi] [--explain]
//                         [--http-runs 200] [--http-connections 10] [--http-seconds 10] [--skip-http] [--profile dir]`
//
// Times the statistics dashboard's queries on scale databases (db/generate-scale.ts; generated
// here when missing, as data/scale-<size>.db, seed 1, the last 365 days): for a 30-day and a
// 365-day period, national scope (a system administrator, path "/") and one province's scope (its
// agency administrator), the five calls a dashboard page makes — summary, grouped by agency,
// rankings, time series, funnel — through the real query layer (app/server/statistics/dashboard.server.ts),
// each `--runs` times after `--warmup` runs (stopping after `--budget` seconds once `--min-runs`
// are done: a national yearly page takes seconds at 10 M), and the five together as one page.
// Baseline: the same figures computed straight from the raw log (dossier_events, GROUP BY, no
// rollups), `--raw-runs` times after `--raw-warmup`, checked equal to the rollup figures first;
// with --raw-from-check, the one timed run is the check's own (a raw national year takes minutes at 10 M).
// Prints a Markdown table (size, scope, period, query, p50, p95, p99, raw p50, raw ÷ rollup) for
// docs/performance.md, and with --explain the query plans of the rollup queries.
// Then the page people open (issue 14): GET /admin/statistics over HTTP from the production server
// on the same file, signed in as the scope's administrator, `--http-runs` times one after another
// for each scope and period, and the national year at `--http-connections` concurrent
// administrators for `--http-seconds`; each beside the in-process time of its five queries
// (page ÷ queries). `--skip-http` leaves it out (it needs `npm run build`); `--profile dir` has the
// server write a V8 CPU profile there (summed up by tests/bench/profile-summary.ts).
//
// --postgres (issue 15): the same in-process timings and pages on PostgreSQL. Each scale file is
// copied (db:copy-to-pg's code, then `vacuum analyze`; both timed) into a database of a throwaway
// cluster started here (tests/setup/postgres-cluster.ts: fsync off, default memory settings), and
// this script runs again as a child on it (DATABASE_URL set, --pg-reference): the dialect and the
// tables the query layer uses are chosen once per process, from its environment. The raw-scan
// baseline is SQLite's SQL and is left out there; instead every figure of the four calls is checked
// equal to what the same query layer gives on the SQLite file (the reference, written by the parent).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, freemem, loadavg, tmpdir, totalmem } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { count, eq, max } from "drizzle-orm";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import * as z from "zod";
import { schema } from "../../app/server/platform/schema.server";
import { generateScaleDb } from "../../db/scale/generate";
import { dayNumber, vnMidnight } from "../../db/scale/clock";
import { addRollupRow, CATALOG_COUNT_KEYS, COUNT_KEYS, CountsSchema, emptyCounts, sumCounts, type Counts } from "../../app/core/statistics/metrics";
import { addDays, bucketStart, type Interval, type StatisticsQuery } from "../../app/core/statistics/query";
import { bootstrap, bootstrapFile } from "../../app/server/platform/bootstrap.server";
import { closeDatabase, onPostgres, type Db } from "../../app/server/platform/db.server";
import { env } from "../../app/server/platform/env.server";
import { copySqliteToPostgres } from "../../db/pg/copy-from-sqlite";
import { startPostgresCluster, type PostgresCluster } from "../setup/postgres-cluster";
// The query layer reads its database from the one client (db()); the bench points that client at each scale file in turn.
import { funnel, grouped, parseStatisticsQuery, rankings, summary, timeSeries } from "../../app/server/statistics/dashboard.server";
import { numberDisplay } from "../../app/core/statistics/metrics";
import { ensureBenchAdmin, signInCookie, startScalePortal, timeConcurrent, timeSequential, type HttpTiming } from "./stats-http";

const ArgsSchema = z.object({
  sizes: z
    .string()
    .default("1000000,10000000")
    .transform((s) => s.split(",").map((n) => Number(n.trim())))
    .pipe(z.array(z.number().int().min(1_000)).min(1)),
  runs: z.coerce.number().int().min(1).default(30),
  warmup: z.coerce.number().int().min(0).default(3),
  rawRuns: z.coerce.number().int().min(1).default(3),
  budget: z.coerce.number().positive().default(180),
  minRuns: z.coerce.number().int().min(1).default(10),
  rawWarmup: z.coerce.number().int().min(0).default(1),
  province: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .default("ha-noi"),
  seed: z.coerce.number().int().default(1),
  explain: z.boolean().default(false),
  rawFromCheck: z.boolean().default(false),
  httpRuns: z.coerce.number().int().min(1).default(200),
  httpConnections: z.coerce.number().int().min(2).default(10),
  httpSeconds: z.coerce.number().positive().default(10),
  skipHttp: z.boolean().default(false),
  profile: z.string().optional(),
  postgres: z.boolean().default(false),
  /** Set by the --postgres parent for its child: the SQLite figures to check PostgreSQL's against. */
  pgReference: z.string().optional(),
});
const { values } = parseArgs({
  options: {
    sizes: { type: "string" },
    runs: { type: "string" },
    warmup: { type: "string" },
    "raw-runs": { type: "string" },
    budget: { type: "string" },
    "min-runs": { type: "string" },
    "raw-warmup": { type: "string" },
    province: { type: "string" },
    seed: { type: "string" },
    explain: { type: "boolean" },
    "raw-from-check": { type: "boolean" },
    "http-runs": { type: "string" },
    "http-connections": { type: "string" },
    "http-seconds": { type: "string" },
    "skip-http": { type: "boolean" },
    profile: { type: "string" },
    postgres: { type: "boolean" },
    "pg-reference": { type: "string" },
  },
});
const args = ArgsSchema.parse({
  ...values,
  rawRuns: values["raw-runs"],
  minRuns: values["min-runs"],
  rawWarmup: values["raw-warmup"],
  rawFromCheck: values["raw-from-check"],
  httpRuns: values["http-runs"],
  httpConnections: values["http-connections"],
  httpSeconds: values["http-seconds"],
  skipHttp: values["skip-http"],
  pgReference: values["pg-reference"],
});
/** This process runs on PostgreSQL (the --postgres parent's child): DATABASE_URL names its database. */
const onPg = args.pgReference !== undefined;
if (onPg && !env().DATABASE_URL) throw new Error("--pg-reference is for the child of bench:stats --postgres, with DATABASE_URL set");

const label = (n: number) => (n % 1_000_000 === 0 ? `${n / 1_000_000}m` : n % 1_000 === 0 ? `${n / 1_000}k` : String(n));

// ── Timing ──────────────────────────────────────────────────────────────────────────────────────

/** Nearest-rank percentile of sorted samples. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}

/**
 * `runs` timed calls after `warmup` untimed ones, sorted. A measurement stops early once it has
 * used `budgetMs` and has at least `minRuns` samples (national yearly figures take seconds per call
 * at 10 M); the table reports how many runs each figure is from.
 */
async function time(fn: () => unknown, runs: number, warmup: number, budgetMs = Number.POSITIVE_INFINITY, minRuns = args.minRuns): Promise<number[]> {
  // Awaited: a call of the async query layer is over when its promise settles, not when it returns.
  for (let i = 0; i < warmup; i += 1) await fn();
  const samples: number[] = [];
  const start = performance.now();
  for (let i = 0; i < runs; i += 1) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
    if (samples.length >= minRuns && performance.now() - start > budgetMs) break;
  }
  return samples.sort((a, b) => a - b);
}

// ── The raw-scan baseline: the same figures from dossier_events ─────────────────────────────────

/** The counters of app/core/statistics/rollup.ts written as SQL over the raw log (one SUM each). */
const RAW_COUNTERS: readonly [string, string][] = [
  ["viewed", "e.type = 'procedure_viewed'"],
  ["template_downloaded", "e.type = 'template_downloaded'"],
  ["form_started", "e.type = 'form_started'"],
  ["submitted", "e.type = 'submitted'"],
  ["submitted_fee", "e.type = 'submitted' and json_type(e.data, '$.feeVnd') in ('integer', 'real') and json_extract(e.data, '$.feeVnd') > 0"],
  ["received", "e.type = 'status_changed' and e.to_status = 2"],
  ["not_received", "e.type = 'status_changed' and e.to_status = 3"],
  ["supplement_requested", "e.type = 'status_changed' and e.to_status = 5"],
  ["payment_requested", "e.type = 'status_changed' and e.to_status = 6"],
  ["withdrawn", "e.type = 'status_changed' and e.to_status = 7"],
  ["stopped", "e.type = 'status_changed' and e.to_status = 8"],
  ["result_ready", "e.type = 'status_changed' and e.to_status = 9"],
  ["returned", "e.type = 'status_changed' and e.to_status = 10"],
  ["finished_early", "e.type = 'status_changed' and json_extract(e.data, '$.timeliness') = 'early'"],
  ["finished_on_time", "e.type = 'status_changed' and json_extract(e.data, '$.timeliness') = 'on_time'"],
  ["finished_late", "e.type = 'status_changed' and json_extract(e.data, '$.timeliness') = 'late'"],
  ["paid_online", "e.type = 'payment_confirmed'"],
  ["rated_very_satisfied", "e.type = 'rated' and json_extract(e.data, '$.rating') = 'very_satisfied'"],
  ["rated_satisfied", "e.type = 'rated' and json_extract(e.data, '$.rating') = 'satisfied'"],
  ["rated_not_satisfied", "e.type = 'rated' and json_extract(e.data, '$.rating') = 'not_satisfied'"],
  ["result_downloaded", "e.type = 'result_downloaded'"],
];

/** A scope and its administrator's agency (null: a system administrator, the whole country). */
type Scope = { name: string; agencyPath: string; agencyId: number | null };
type Period = { name: string; from: string; to: string; interval: Interval };

const periodMs = (p: Period) => ({ fromMs: vnMidnight(dayNumber(p.from)), toMs: vnMidnight(dayNumber(p.to) + 1) - 1 });
const RowSchema = z.record(z.string(), z.union([z.number(), z.string(), z.null()]));
const rows = (db: Db, sql: string, params: unknown[]) => z.array(RowSchema).parse(db.$client.prepare(sql).all(...params));
const num = (v: unknown) => (typeof v === "number" ? v : 0);
const key = (v: unknown) => (v === null || v === undefined ? "" : String(v));

/** Event counts per key (agency id or "") from the raw log, plus the catalog and its use in the period. */
function rawCounts(db: Db, scope: Scope, period: Period, byAgency: boolean): Map<string, Counts> {
  const { fromMs, toMs } = periodMs(period);
  const glob = `${scope.agencyPath}*`;
  const byKey = new Map<string, Counts>();
  const at = (k: string) => {
    let c = byKey.get(k);
    if (!c) byKey.set(k, (c = emptyCounts()));
    return c;
  };
  const keyCol = byAgency ? "e.agency_id" : "''";
  const events = rows(
    db,
    `select ${keyCol} as k, coalesce(e.channel, '') as channel, p.level as level, ${RAW_COUNTERS.map(([name, cond]) => `sum(${cond}) as ${name}`).join(", ")}
     from dossier_events e join agencies a on a.id = e.agency_id left join procedures p on p.id = e.procedure_id
     where e.occurred_at between ? and ? and a.path glob ?
     group by k, channel, level`,
    [fromMs, toMs, glob],
  );
  for (const r of events) {
    const counts = at(key(r.k));
    for (const [name] of RAW_COUNTERS)
      addRollupRow(counts, { metric: name, channel: key(r.channel), level: typeof r.level === "number" ? r.level : null, count: num(r[name]) });
  }
  const catalogKey = byAgency ? "p.agency_id" : "''";
  for (const r of rows(
    db,
    `select ${catalogKey} as k, p.level as level, count(*) as n from procedures p join agencies a on a.id = p.agency_id where a.path glob ? group by k, level`,
    [glob],
  )) {
    const c = at(key(r.k));
    const level = num(r.level);
    if (level >= 1 && level <= 4) c[CATALOG_COUNT_KEYS[level - 1] ?? "procedures_level1"] += num(r.n);
  }
  const used = rows(
    db,
    `select ${catalogKey} as k, p.level as level, count(distinct p.id) as n from dossier_events e join procedures p on p.id = e.procedure_id join agencies a on a.id = p.agency_id
     where e.type = 'submitted' and e.occurred_at between ? and ? and e.channel in ('online', 'assisted') and p.level in (3, 4) and a.path glob ? group by k, level`,
    [fromMs, toMs, glob],
  );
  for (const r of used) {
    const c = at(key(r.k));
    if (num(r.level) === 3) c.procedures_level3_used += num(r.n);
    else c.procedures_level4_used += num(r.n);
  }
  return byKey;
}

/** The raw per-agency counts rolled up into the scope's direct children (what the grouped rows and rankings show). */
function rawByChild(db: Db, scope: Scope, period: Period): Map<string, Counts> {
  const byAgency = rawCounts(db, scope, period, true);
  const agencies = z
    .array(z.object({ id: z.number(), code: z.string(), path: z.string() }))
    .parse(db.$client.prepare("select id, code, path from agencies where path glob ?").all(`${scope.agencyPath}*`));
  const codeById = new Map(agencies.map((a) => [String(a.id), a.code]));
  const out = new Map<string, Counts[]>();
  for (const a of agencies) {
    const counts = byAgency.get(String(a.id));
    if (!counts) continue;
    const first = a.path.slice(scope.agencyPath.length).split("/")[0] ?? "";
    const child = codeById.get(first) ?? "self";
    out.set(child, [...(out.get(child) ?? []), counts]);
  }
  return new Map([...out].map(([k, list]) => [k, sumCounts(...list)]));
}

function rawTimeSeries(db: Db, scope: Scope, period: Period) {
  const { fromMs, toMs } = periodMs(period);
  const series = rows(
    db,
    `select (e.occurred_at + 25200000) / 86400000 as day, e.type as type, coalesce(e.channel, '') as channel, count(*) as n
     from dossier_events e join agencies a on a.id = e.agency_id
     where e.occurred_at between ? and ? and a.path glob ? and (e.type in ('procedure_viewed', 'submitted') or (e.type = 'status_changed' and e.to_status = 9))
     group by day, type, channel`,
    [fromMs, toMs, `${scope.agencyPath}*`],
  );
  const points = new Map<string, { viewed: number; submitted: number; result_ready: number }>();
  for (const r of series) {
    const bucket = bucketStart(addDays("1970-01-01", num(r.day)), period.interval);
    const pt = points.get(bucket) ?? { viewed: 0, submitted: 0, result_ready: 0 };
    if (r.type === "procedure_viewed") pt.viewed += num(r.n);
    else if (r.type === "submitted") pt.submitted += num(r.n);
    else pt.result_ready += num(r.n);
    points.set(bucket, pt);
  }
  return points;
}

function rawFunnel(db: Db, scope: Scope, period: Period) {
  const { fromMs, toMs } = periodMs(period);
  const steps = rows(
    db,
    `select case e.type when 'procedure_viewed' then 'viewed' when 'payment_confirmed' then 'paid_online' when 'status_changed' then 'result_ready' else e.type end as step, count(*) as n
     from dossier_events e join agencies a on a.id = e.agency_id
     where e.occurred_at between ? and ? and a.path glob ?
       and (e.type = 'procedure_viewed' or (e.channel = 'online' and (e.type in ('form_started', 'submitted', 'payment_confirmed') or (e.type = 'status_changed' and e.to_status = 9))))
     group by step`,
    [fromMs, toMs, `${scope.agencyPath}*`],
  );
  return new Map(steps.map((r) => [key(r.step), num(r.n)]));
}

// ── Checks: the baseline must give the dashboard's figures ──────────────────────────────────────

function sameCounts(what: string, expected: Counts, actual: Counts): void {
  // The late backlog is a snapshot of the dossiers table, not of the log: the baseline leaves it out.
  const diff = COUNT_KEYS.filter((k) => k !== "late_backlog" && expected[k] !== actual[k]);
  if (diff.length > 0) throw new Error(`${what}: raw scan and rollups disagree on ${diff.map((k) => `${k} (${actual[k]} vs ${expected[k]})`).join(", ")}`);
}

// ── One scale database ──────────────────────────────────────────────────────────────────────────

type Row = { size: number; scope: string; period: string; query: string; runs: number; p50: number; p95: number; p99: number; rawP50: number | null };

/** A page timed over HTTP, beside the in-process time of its five queries. */
type HttpRow = { size: number; scope: string; period: string; timing: HttpTiming; queriesP50: number; queriesP99: number };
/** What the HTTP part needs of each scope and period measured in process. */
type PageCase = { scope: Scope; period: Period; expect: string; queries: Row };

/** The scale file of a size, generated first when missing. */
async function scaleFile(size: number): Promise<string> {
  const file = `data/scale-${label(size)}.db`;
  if (!existsSync(file)) {
    console.log(`${file} missing: generating ${size} events (seed ${args.seed})…`);
    await generateScaleDb({ file, events: size, seed: args.seed, days: 365, log: (line) => console.log(`  ${line}`) });
  }
  return file;
}

/** The scopes and periods measured: the country and one province, the last 30 and 365 days of the counters. Through drizzle, so on either database. */
async function casesOf(db: Db): Promise<{ scopes: Scope[]; periods: Period[]; last: string; events: number }> {
  const [province] = await db
    .select({ id: schema.agencies.id, path: schema.agencies.path })
    .from(schema.agencies)
    .where(eq(schema.agencies.code, args.province));
  if (!province) throw new Error(`no agency ${args.province}`);
  const [latest] = await db.select({ day: max(schema.dailyCounts.day) }).from(schema.dailyCounts);
  if (!latest?.day) throw new Error("the database has no counters");
  const last = latest.day;
  const [logged] = await db.select({ n: count() }).from(schema.dossierEvents);
  return {
    scopes: [
      { name: "national", agencyPath: "/", agencyId: null },
      { name: args.province, agencyPath: province.path, agencyId: province.id },
    ],
    periods: [
      { name: "30 days", from: addDays(last, -29), to: last, interval: "day" },
      { name: "365 days", from: addDays(last, -364), to: last, interval: "month" },
    ],
    last,
    events: logged?.n ?? 0,
  };
}

async function queryOf(scope: Scope, period: Period): Promise<StatisticsQuery> {
  const parsed = await parseStatisticsQuery({
    agencyPath: scope.agencyPath,
    params: { from: period.from, to: period.to, interval: period.interval, groupBy: "agency" },
  });
  if (!parsed.success) throw new Error(`bad query: ${JSON.stringify(parsed.issues)}`);
  return parsed.query;
}

/** Every figure of the four calls a page makes: what --postgres checks equal on both databases. */
const FiguresSchema = z.object({
  summary: CountsSchema,
  grouped: z.record(z.string(), CountsSchema),
  points: z.array(z.object({ bucket: z.string(), viewed: z.number(), submitted: z.number(), result_ready: z.number() })),
  steps: z.record(z.string(), z.number()),
});
type Figures = z.infer<typeof FiguresSchema>;
const ReferenceSchema = z.record(z.string(), FiguresSchema);
const caseKey = (scope: Scope, period: Period) => `${scope.name} ${period.name}`;

async function figuresOf(input: { agencyPath: string; query: StatisticsQuery }): Promise<Figures> {
  const g = await grouped(input);
  return {
    summary: (await summary(input)).counts,
    grouped: Object.fromEntries(g.rows.map((r) => [r.self ? "self" : r.key, r.counts])),
    points: (await timeSeries(input)).points.map(({ bucket, viewed, submitted, result_ready }) => ({ bucket, viewed, submitted, result_ready })),
    steps: Object.fromEntries((await funnel(input)).steps.map((step) => [step.step, step.count])),
  };
}

/** PostgreSQL's figures against SQLite's on the same data (the late backlog, a snapshot of today, aside: sameCounts). */
function sameFigures(what: string, expected: Figures, actual: Figures): void {
  sameCounts(`${what} summary`, expected.summary, actual.summary);
  const keys = new Set([...Object.keys(expected.grouped), ...Object.keys(actual.grouped)]);
  for (const k of keys) sameCounts(`${what} grouped ${k}`, expected.grouped[k] ?? emptyCounts(), actual.grouped[k] ?? emptyCounts());
  if (JSON.stringify(expected.points) !== JSON.stringify(actual.points)) throw new Error(`${what}: the time series differ between the databases`);
  if (JSON.stringify(expected.steps) !== JSON.stringify(actual.steps))
    throw new Error(`${what}: the funnel differs: ${JSON.stringify(actual.steps)} vs ${JSON.stringify(expected.steps)}`);
}

/**
 * The raw scans checked equal to the dashboard's answers (SQLite only: their SQL is SQLite's), each
 * timed once into `checkMs`: with --raw-from-check they are the raw figures' one run.
 */
async function rawCheck(db: Db, scope: Scope, period: Period, input: { agencyPath: string; query: StatisticsQuery }, checkMs: Map<string, number[]>) {
  const s = await summary(input);
  const g = await grouped(input);
  const ts = await timeSeries(input);
  const f = await funnel(input);
  const timedOnce = <T>(name: string, fn: () => T): T => {
    const t = performance.now();
    const result = fn();
    checkMs.set(name, [performance.now() - t]);
    return result;
  };
  sameCounts(`summary ${scope.name} ${period.name}`, s.counts, sumCounts(...timedOnce("summary", () => rawCounts(db, scope, period, false)).values()));
  const rawChildren = timedOnce("grouped by agency", () => rawByChild(db, scope, period));
  for (const r of g.rows) sameCounts(`grouped ${r.key}`, r.counts, rawChildren.get(r.self ? "self" : r.key) ?? emptyCounts());
  const rawPoints = timedOnce("time series", () => rawTimeSeries(db, scope, period));
  for (const pt of ts.points) {
    const raw = rawPoints.get(pt.bucket) ?? { viewed: 0, submitted: 0, result_ready: 0 };
    if (raw.viewed !== pt.viewed || raw.submitted !== pt.submitted || raw.result_ready !== pt.result_ready)
      throw new Error(`time series ${pt.bucket}: raw ${JSON.stringify(raw)} vs ${JSON.stringify(pt)}`);
  }
  const rawSteps = timedOnce("funnel", () => rawFunnel(db, scope, period));
  for (const step of f.steps)
    if ((rawSteps.get(step.step) ?? 0) !== step.count) throw new Error(`funnel ${step.step}: raw ${rawSteps.get(step.step) ?? 0} vs ${step.count}`);
}

async function benchSize(size: number): Promise<{ rows: Row[]; http: HttpRow[] }> {
  let db: Db;
  let file: string | null = null;
  if (onPg) {
    // The --postgres child: the portal's own client on DATABASE_URL, already migrated and filled by the parent.
    db = await bootstrap({ seed: false });
  } else {
    file = await scaleFile(size);
    globalThis.__portalDb?.$client.close();
    db = await bootstrapFile(file, { seed: false });
    globalThis.__portalDb = db;
  }
  const { scopes, periods, last, events } = await casesOf(db);
  console.log(`\n${file ?? `PostgreSQL copy of data/scale-${label(size)}.db`}: ${events} events, counters up to ${last}`);
  const reference = args.pgReference ? ReferenceSchema.parse(JSON.parse(readFileSync(args.pgReference, "utf8"))) : null;

  const out: Row[] = [];
  const pages: PageCase[] = [];
  for (const scope of scopes) {
    for (const period of periods) {
      const query = await queryOf(scope, period);
      const input = { agencyPath: scope.agencyPath, query };
      const fresh = () => ({ agencyPath: scope.agencyPath, query: { ...query } });

      const s = await summary(input);
      const checkMs = new Map<string, number[]>();
      if (reference) {
        // On PostgreSQL: the same figures as the query layer on the SQLite file, instead of the raw scan.
        const expected = reference[caseKey(scope, period)];
        if (!expected) throw new Error(`no SQLite reference for ${caseKey(scope, period)}`);
        sameFigures(caseKey(scope, period), expected, await figuresOf(fresh()));
      } else {
        // The baseline first, checked against the dashboard's answers.
        await rawCheck(db, scope, period, input, checkMs);
      }

      const queries: { name: string; rollup: () => unknown; raw: () => unknown }[] = [
        // A fresh query object per call, as each request parses its own: the query layer keeps a
        // page's shared sums per query object, which must not carry over from one run to the next.
        { name: "summary", rollup: async () => await summary(fresh()), raw: () => rawCounts(db, scope, period, false) },
        { name: "grouped by agency", rollup: async () => await grouped(fresh()), raw: () => rawByChild(db, scope, period) },
        { name: "rankings", rollup: async () => await rankings(fresh()), raw: () => rawByChild(db, scope, period) },
        { name: "time series", rollup: async () => await timeSeries(fresh()), raw: () => rawTimeSeries(db, scope, period) },
        { name: "funnel", rollup: async () => await funnel(fresh()), raw: () => rawFunnel(db, scope, period) },
      ];
      const page = { name: "page (all five)", rollup: async () => await appPage(fresh()), raw: null };
      const rawSamples = new Map<string, number[]>();
      for (const q of [...queries, page]) {
        const samples = await time(q.rollup, args.runs, args.warmup, args.budget * 1000);
        // The raw rankings are the raw grouped scan (same figures, then ranked); the raw page is the sum of its five parts' p50.
        let raw: number[];
        if (onPg) raw = [];
        else if (q.name === "rankings") raw = rawSamples.get("grouped by agency") ?? [];
        else if (q.raw) raw = args.rawFromCheck ? (checkMs.get(q.name) ?? []) : await time(q.raw, args.rawRuns, args.rawWarmup);
        else raw = [queries.reduce((sum, x) => sum + percentile(rawSamples.get(x.name) ?? [], 0.5), 0)];
        rawSamples.set(q.name, raw);
        const row: Row = {
          size,
          scope: scope.name,
          period: period.name,
          query: q.name,
          runs: samples.length,
          p50: percentile(samples, 0.5),
          p95: percentile(samples, 0.95),
          p99: percentile(samples, 0.99),
          rawP50: raw.length > 0 ? percentile(raw, 0.5) : null,
        };
        console.log(
          `  ${scope.name.padEnd(9)} ${period.name.padEnd(8)} ${q.name.padEnd(18)} ${String(row.runs).padStart(3)} runs p50 ${fmt(row.p50)}  p95 ${fmt(row.p95)}  p99 ${fmt(row.p99)}  raw p50 ${row.rawP50 === null ? "      —" : fmt(row.rawP50)} ms`,
        );
        out.push(row);
        // The page shows the period's submitted dossiers: the HTTP answer is checked for that figure.
        const submitted = s.metrics.dossiers_submitted;
        if (q === page) pages.push({ scope, period, expect: typeof submitted === "number" ? numberDisplay(submitted, "vi") : "", queries: row });
      }
    }
  }
  if (args.explain && onPostgres(db)) console.log("--explain shows SQLite's plans: left out on PostgreSQL");
  else if (args.explain) await explain(db, scopes, periods);
  const http = args.skipHttp ? [] : await benchHttp(db, file, size, pages);
  return { rows: out, http };
}

/** The same scopes and periods as pages over HTTP (see the header). */
async function benchHttp(db: Db, file: string | null, size: number, pages: PageCase[]): Promise<HttpRow[]> {
  const admins = new Map<Scope, { email: string; password: string }>();
  for (const { scope } of pages) if (!admins.has(scope)) admins.set(scope, await ensureBenchAdmin(db, { agencyId: scope.agencyId }));
  const portal = await startScalePortal(file, args.profile);
  const out: HttpRow[] = [];
  try {
    const cookies = new Map<Scope, string>();
    for (const [scope, admin] of admins) cookies.set(scope, await signInCookie(portal.base, admin));
    const report = (c: PageCase, timing: HttpTiming) => {
      const row = { size, scope: c.scope.name, period: c.period.name, timing, queriesP50: c.queries.p50, queriesP99: c.queries.p99 };
      console.log(
        `  HTTP ${c.scope.name.padEnd(9)} ${c.period.name.padEnd(8)} ${String(timing.connections).padStart(2)} conn ${String(timing.requests).padStart(5)} req p50 ${fmt(timing.p50)}  p99 ${fmt(timing.p99)} ms (queries p50 ${fmt(c.queries.p50).trim()})`,
      );
      out.push(row);
    };
    for (const c of pages) {
      const url = `${portal.base}/admin/statistics?${new URLSearchParams({ from: c.period.from, to: c.period.to, interval: c.period.interval, groupBy: "agency" })}`;
      const cookie = cookies.get(c.scope) ?? "";
      report(c, await timeSequential(url, cookie, c.expect, args.httpRuns, args.warmup));
      if (c.scope.agencyId === null && c.period.name === "365 days") report(c, await timeConcurrent(url, cookie, args.httpConnections, args.httpSeconds));
    }
  } finally {
    await portal.stop();
  }
  return out;
}

/**
 * The plans SQLite chose for each statement the query layer runs for the national page, and each
 * statement's own time (p50 of 5 after a warm-up), so the page's time can be split by statement.
 * The statements are captured through a drizzle logger on the same connection.
 */
async function explain(db: Db, scopes: Scope[], periods: Period[]): Promise<void> {
  const scope = scopes[0];
  if (!scope) return;
  for (const period of periods) {
    const logged: { query: string; params: unknown[] }[] = [];
    globalThis.__portalDb = drizzle(db.$client, { schema, logger: { logQuery: (query, params) => logged.push({ query, params }) } });
    const parsed = await parseStatisticsQuery({
      agencyPath: scope.agencyPath,
      params: { from: period.from, to: period.to, interval: period.interval, groupBy: "agency" },
    });
    if (!parsed.success) continue;
    await appPage({ agencyPath: scope.agencyPath, query: parsed.query });
    globalThis.__portalDb = db;
    console.log(`\nstatements of the ${scope.name} page, ${period.name} (${logged.length} run; each distinct one with its plan and p50):`);
    const seen = new Map<string, number>();
    for (const { query } of logged) seen.set(query, (seen.get(query) ?? 0) + 1);
    for (const [query, times] of seen) {
      const params = logged.find((l) => l.query === query)?.params ?? [];
      const statement = db.$client.prepare(query);
      const samples = await time(() => (statement.reader ? statement.all(...params) : statement.run(...params)), 5, 1);
      const plan = z.array(z.object({ detail: z.string() })).parse(db.$client.prepare(`explain query plan ${query}`).all(...params));
      console.log(`\n[${times}× per page, p50 ${fmt(percentile(samples, 0.5)).trim()} ms] ${query}\n${plan.map((p) => `  ${p.detail}`).join("\n")}`);
    }
  }
}

// ── Experiments: what would make the page fast (candidates, not in the app) ─────────────────────

/** The dashboard page through the query layer, as in the main table. */
async function appPage(input: { agencyPath: string; query: StatisticsQuery }) {
  await summary(input);
  await grouped(input);
  await rankings(input);
  await timeSeries(input);
  await funnel(input);
}

const fmt = (ms: number) => ms.toFixed(ms < 10 ? 2 : ms < 100 ? 1 : 0).padStart(7);

// ── Main ────────────────────────────────────────────────────────────────────────────────────────

/**
 * --postgres: each scale file brought up to date on SQLite, its reference figures written, copied
 * into a fresh database of one throwaway cluster (timed), then measured there by this script as a
 * child with DATABASE_URL (see the header); the database is dropped after, to free the disk.
 */
async function viaPostgres(): Promise<void> {
  const cluster: PostgresCluster = await startPostgresCluster();
  const scratch = mkdtempSync(path.join(tmpdir(), "stats-pg-"));
  // The child gets this run's options, but one size at a time and its reference.
  const forwarded = Object.entries(values).flatMap(([name, value]) =>
    ["postgres", "sizes", "pg-reference"].includes(name) || value === undefined || value === false
      ? []
      : value === true
        ? [`--${name}`]
        : [`--${name}`, String(value)],
  );
  console.log(
    `bench:stats on PostgreSQL: a throwaway cluster (fsync off, default memory settings); load average ${loadavg()
      .map((n) => n.toFixed(2))
      .join(" ")}`,
  );
  try {
    for (const size of args.sizes) {
      const file = await scaleFile(size);
      const sqlite = await bootstrapFile(file, { seed: false });
      globalThis.__portalDb = sqlite;
      const { scopes, periods } = await casesOf(sqlite);
      const reference: Record<string, Figures> = {};
      for (const scope of scopes)
        for (const period of periods)
          reference[caseKey(scope, period)] = await figuresOf({ agencyPath: scope.agencyPath, query: await queryOf(scope, period) });
      const referenceFile = path.join(scratch, `reference-${label(size)}.json`);
      writeFileSync(referenceFile, JSON.stringify(reference));

      const name = `scale_${label(size)}`;
      await cluster.createDatabase(name);
      const pool = new pg.Pool({ connectionString: cluster.url(name), max: 2 });
      try {
        const t = performance.now();
        await migratePg(drizzlePg(pool), { migrationsFolder: path.resolve("db/pg/migrations") });
        const copied = await copySqliteToPostgres(sqlite, pool);
        const copySeconds = (performance.now() - t) / 1000;
        const a = performance.now();
        await pool.query("vacuum analyze");
        const analyzeSeconds = (performance.now() - a) / 1000;
        const bytes = z.coerce.number().parse((await pool.query("select pg_database_size(current_database()) as n")).rows[0]?.n);
        console.log(
          `
${file} (${(statSync(file).size / 2 ** 30).toFixed(2)} GiB) → PostgreSQL: ${copied.rows.toLocaleString("en-US")} rows of ${copied.tables} tables in ${copySeconds.toFixed(1)} s (${Math.round(copied.rows / copySeconds).toLocaleString("en-US")} rows/s), vacuum analyze ${analyzeSeconds.toFixed(1)} s; database ${(bytes / 2 ** 30).toFixed(2)} GiB`,
        );
      } finally {
        await pool.end();
        sqlite.$client.close();
        globalThis.__portalDb = undefined;
      }
      const child = spawnSync(
        process.execPath,
        ["--import", "tsx", path.join(import.meta.dirname, "stats-dashboard.ts"), ...forwarded, "--sizes", String(size), "--pg-reference", referenceFile],
        { stdio: "inherit", env: { ...process.env, DATABASE_URL: cluster.url(name), SEED_ON_START: "false" } },
      );
      if (child.status !== 0) throw new Error(`the PostgreSQL run at ${label(size)} events exited with ${child.status ?? child.signal}`);
      const admin = new pg.Client({ connectionString: cluster.url("postgres") });
      await admin.connect();
      await admin.query(`drop database ${name} with (force)`).finally(() => admin.end());
    }
  } finally {
    cluster.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (args.postgres) {
  await viaPostgres();
  process.exit(0);
}

const started = new Date();
const results: Row[] = [];
const httpResults: HttpRow[] = [];
for (const size of args.sizes) {
  const { rows, http } = await benchSize(size);
  results.push(...rows);
  httpResults.push(...http);
}
if (globalThis.__portalDb) await closeDatabase(globalThis.__portalDb);

console.log(
  `\n${onPg ? "PostgreSQL (the --postgres child): " : ""}${started.toISOString().slice(0, 10)} — ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM (${(freemem() / 2 ** 30).toFixed(0)} GB free), node ${process.version}, load average ${loadavg()
    .map((n) => n.toFixed(1))
    .join(" ")}`,
);
console.log(
  `up to ${args.runs} runs after ${args.warmup} warm-up runs per query (at least ${args.minRuns}; fewer only once ${args.budget} s are used); raw scan: ${args.rawFromCheck ? "1 run (the equality check's)" : `${args.rawRuns} runs after ${args.rawWarmup} warm-up`}\n`,
);
console.log("| events | scope | period | query | runs | p50 ms | p95 ms | p99 ms | raw scan p50 ms | raw ÷ rollup (p50) |");
console.log("| ---: | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const r of results) {
  const ratio = r.rawP50 === null ? "—" : `${(r.rawP50 / r.p50).toFixed(1)}×`;
  console.log(
    `| ${label(r.size)} | ${r.scope} | ${r.period} | ${r.query} | ${r.runs} | ${fmt(r.p50).trim()} | ${fmt(r.p95).trim()} | ${fmt(r.p99).trim()} | ${r.rawP50 === null ? "—" : fmt(r.rawP50).trim()} | ${ratio} |`,
  );
}
if (httpResults.length > 0) {
  console.log(
    `\nThe page over HTTP (GET /admin/statistics, production build, gzip; ${args.httpRuns} runs one after another after ${args.warmup} warm-up, and ${args.httpSeconds} s at ${args.httpConnections} connections)\n`,
  );
  console.log(
    "| events | scope | period | connections | requests | p50 ms | p95 ms | p99 ms | req/s | HTML KiB | queries p50 / p99 ms | page ÷ queries (p50) |",
  );
  console.log("| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const r of httpResults) {
    const t = r.timing;
    console.log(
      `| ${label(r.size)} | ${r.scope} | ${r.period} | ${t.connections} | ${t.requests} | ${fmt(t.p50).trim()} | ${t.p95 === null ? "—" : fmt(t.p95).trim()} | ${fmt(t.p99).trim()} | ${t.reqPerSec.toFixed(1)} | ${t.htmlKib === null ? "—" : t.htmlKib.toFixed(0)} | ${fmt(r.queriesP50).trim()} / ${fmt(r.queriesP99).trim()} | ${(t.p50 / r.queriesP50).toFixed(1)}× |`,
    );
  }
  const target = httpResults.find((r) => r.size === Math.max(...args.sizes) && r.scope === "national" && r.period === "365 days" && r.timing.connections === 1);
  if (target)
    console.log(
      `\n${target.timing.p99 <= 50 ? "PASS" : "MISS"} the country over 365 days at ${label(target.size)} events, 1 connection: page p99 ${fmt(target.timing.p99).trim()} ms (target ≤ 50 ms)`,
    );
}
