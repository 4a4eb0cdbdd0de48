/**
 * The one query layer of the statistics: the dashboard, the CSV export and the API all call these
 * functions. Event figures are SUMs over the rollups of the event log, never the raw log: the
 * subtree counters (`subtree_monthly` for whole months, `subtree_daily` for the other days; one
 * agency's subtree per row, docs/decisions/009-subtree-counters.md), or `daily_counts` where a
 * grouping needs the procedure (by field, by procedure, the services used). The catalog counts
 * come from the procedures table as it is now, the late backlog from a snapshot of the dossiers
 * table at the moment of the query. Every ratio is computed by the domain core
 * (app/core/statistics/metrics.ts) from summed counts; docs/metrics.md defines each figure.
 * Every function filters by the caller's scope (its subtree rows, or `agencies.path GLOB
 * '<agencyPath>*'`) and returns plain JSON-serialisable objects with stable keys.
 */
import { and, asc, between, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import { schema } from "../platform/schema.server";
import { vnDate } from "../../core/calendar/working-days";
import { CHANNELS } from "../../core/dossiers/queue";
import { CLOCK_STATUSES } from "../../core/dossiers/deadline";
import {
  addRollupRow,
  compareRatios,
  computeMetrics,
  DAILY_COUNT_METRICS,
  DERIVED_COUNT_KEYS,
  emptyCounts,
  funnel as funnelSteps,
  FUNNEL_STEPS,
  level4Share,
  meetsTarget,
  metricChange,
  METRICS,
  onlineDossiers,
  onlineShare,
  sumCounts,
  type Counts,
  type MetricId,
  type MetricValues,
  type Ratio,
} from "../../core/statistics/metrics";
import {
  bucketStart,
  periodBuckets,
  previousPeriod,
  queryIssues,
  statisticsQuerySchema,
  STATS_ERRORS,
  type GroupBy,
  type QueryIssue,
  type StatisticsQuery,
} from "../../core/statistics/query";
import { NATIONAL, periodParts } from "../../core/statistics/subtree";
import { db, onPostgres, perDatabase, selectRaw } from "../platform/db.server";
import { env } from "../platform/env.server";
import { withinAgency } from "../staff/agency-scope.server";
import { asNumber } from "../platform/dialect.server";

export type { GroupBy, Interval, QueryIssue, StatisticsQuery } from "../../core/statistics/query";

/** The request's parameters with today's Vietnam date and the configured level-4 target as defaults. */
export const StatisticsQuerySchema = statisticsQuerySchema({
  today: () => vnDate(new Date()),
  defaultTargetPercent: () => env().LEVEL4_TARGET_PERCENT,
});

/** How many procedures a procedure grouping lists (the most submitted first). */
export const TOP_PROCEDURES = 50;

const dc = schema.dailyCounts;
const sd = schema.subtreeDaily;
const sm = schema.subtreeMonthly;
const cc = schema.catalogCounts;
const use = schema.procedurePortalUse;
const a = schema.agencies;
const p = schema.procedures;
const d = schema.dossiers;

const inScope = (path: string) => withinAgency(path, a.path);
const PORTAL_CHANNELS = ["online", "assisted"];

// ── Parsing and scope ───────────────────────────────────────────────────────────────────────────

/**
 * Parses a request's parameters and checks the agency asked for is within the caller's scope (an
 * unknown code and one outside the scope get the same answer, so the form leaks nothing).
 * Problems come back as issues with message keys, never as exceptions.
 */
export async function parseStatisticsQuery(input: {
  agencyPath: string;
  params: URLSearchParams | Record<string, unknown>;
}): Promise<{ success: true; query: StatisticsQuery } | { success: false; issues: QueryIssue[] }> {
  const raw = input.params instanceof URLSearchParams ? Object.fromEntries(input.params) : input.params;
  const parsed = StatisticsQuerySchema.safeParse(raw);
  if (!parsed.success) return { success: false, issues: queryIssues(parsed.error) };
  if (parsed.data.agency && !(await findScopedAgency(input.agencyPath, parsed.data.agency))) {
    return { success: false, issues: [{ field: "agency", message: STATS_ERRORS.agencyNotFound }] };
  }
  return { success: true, query: parsed.data };
}

type AgencyRow = {
  id: number;
  code: string;
  nameVi: string;
  nameEn: string | null;
  path: string;
  parentId: number | null;
  depth: number;
  dissolvedOn: string | null;
};
const agencyColumns = {
  id: a.id,
  code: a.code,
  nameVi: a.nameVi,
  nameEn: a.nameEn,
  path: a.path,
  parentId: a.parentId,
  depth: a.depth,
  dissolvedOn: a.dissolvedOn,
};

async function findScopedAgency(agencyPath: string, code: string): Promise<AgencyRow | undefined> {
  const [agency] = await db()
    .select(agencyColumns)
    .from(a)
    .where(and(eq(a.code, code), inScope(agencyPath)))
    .limit(1);
  return agency;
}

/** The subtree the figures cover: the agency asked for (which must be within the scope), else the whole scope. */
type Root = { path: string; agency: AgencyRow | null };

async function resolveRoot(agencyPath: string, query: StatisticsQuery): Promise<Root> {
  if (query.agency) {
    const agency = await findScopedAgency(agencyPath, query.agency);
    // parseStatisticsQuery reports a foreign or unknown code to the user; reaching here with one is a bug in the caller.
    if (!agency) throw new Error(`statistics: agency ${query.agency} is not within ${agencyPath}`);
    return { path: agency.path, agency };
  }
  if (agencyPath === "/") return { path: "/", agency: null };
  const [agency] = await db().select(agencyColumns).from(a).where(eq(a.path, agencyPath)).limit(1);
  if (!agency) throw new Error(`statistics: no agency at the scope ${agencyPath}`);
  return { path: agency.path, agency };
}

const agencyRef = (r: AgencyRow | null) => (r ? { code: r.code, nameVi: r.nameVi, nameEn: r.nameEn } : null);

/** The agency a caller's scope is (null: every agency), for answers that say whose figures they may see. */
export async function scopeAgency(agencyPath: string) {
  if (agencyPath === "/") return null;
  const [agency] = await db().select(agencyColumns).from(a).where(eq(a.path, agencyPath)).limit(1);
  return agencyRef(agency ?? null);
}

// ── Sums of the subtree counters ────────────────────────────────────────────────────────────────

/** The subtree row of a root: its agency's, or the national one. */
const subtreeOf = (root: Root) => root.agency?.id ?? NATIONAL;

type SubtreeSum = { agencyId: number; metric: string; channel: string; level: number; n: number };

/**
 * The subtree counters of `agencyIds` summed over from..to, per agency, counter, channel and
 * level: the whole months from `subtree_monthly`, the days at either end from `subtree_daily`
 * (one primary-key range per agency and part). The parts do not overlap, so their rows just add up.
 */
async function subtreeSums(agencyIds: readonly number[], period: { from: string; to: string }, metrics: readonly string[]): Promise<SubtreeSum[]> {
  const parts = periodParts(period.from, period.to);
  const out: SubtreeSum[] = [];
  if (parts.months) {
    out.push(
      ...(await db()
        .select({ agencyId: sm.agencyId, metric: sm.metric, channel: sm.channel, level: sm.level, n: asNumber(sql`sum(${sm.count})`) })
        .from(sm)
        .where(and(inArray(sm.agencyId, [...agencyIds]), between(sm.month, parts.months.from, parts.months.to), inArray(sm.metric, [...metrics])))
        .groupBy(sm.agencyId, sm.metric, sm.channel, sm.level)),
    );
  }
  for (const days of parts.days) {
    out.push(
      ...(await db()
        .select({ agencyId: sd.agencyId, metric: sd.metric, channel: sd.channel, level: sd.level, n: asNumber(sql`sum(${sd.count})`) })
        .from(sd)
        .where(and(inArray(sd.agencyId, [...agencyIds]), between(sd.day, days.from, days.to), inArray(sd.metric, [...metrics])))
        .groupBy(sd.agencyId, sd.metric, sd.channel, sd.level)),
    );
  }
  return out;
}

/** Level 0 in the subtree tables is "no procedure", which the metric functions take as null. */
const levelOrNull = (level: number) => (level === 0 ? null : level);

/** The event counts a row of subtree totals holds, one column each. */
const TOTAL_KEYS = [...DAILY_COUNT_METRICS, ...DERIVED_COUNT_KEYS] as const;

/**
 * The subtree totals of `agencyIds` summed over from..to, one row per agency (whole months from
 * `subtree_totals_monthly`, the other days from `subtree_totals_daily`): a handful of rows per
 * agency, read in key order, whatever the size of its subtree.
 */
async function totalsByAgency(agencyIds: readonly number[], period: { from: string; to: string }): Promise<Map<number, Counts>> {
  const parts = periodParts(period.from, period.to);
  const rowsOf = onPostgres(db()) ? totalsRowsPostgres : totalsRowsSqlite;
  const byAgency = new Map<number, Counts>();
  const add = (rows: unknown[]) => {
    for (const raw of rows) {
      // A raw row: the agency id, then TOTAL_KEYS' sums in order.
      if (!Array.isArray(raw) || typeof raw[0] !== "number") continue;
      const counts = byAgency.get(raw[0]) ?? byAgency.set(raw[0], emptyCounts()).get(raw[0]);
      if (!counts) continue;
      for (const [i, k] of TOTAL_KEYS.entries()) {
        const n: unknown = raw[i + 1];
        if (typeof n === "number") counts[k] += n;
      }
    }
  };
  if (parts.months) add(await rowsOf("monthly", agencyIds, parts.months));
  for (const days of parts.days) add(await rowsOf("daily", agencyIds, days));
  return byAgency;
}

type TotalsPart = "daily" | "monthly";
const TOTALS_TABLES = { daily: ["subtree_totals_daily", "day"], monthly: ["subtree_totals_monthly", "month"] } as const;

async function totalsRowsSqlite(part: TotalsPart, agencyIds: readonly number[], range: { from: string; to: string }): Promise<unknown[]> {
  return totalsStatements()[part].all(JSON.stringify(agencyIds), range.from, range.to);
}

/** The same rows on PostgreSQL: the ids as an array parameter, the sums as JS numbers (exact below 2^53). */
async function totalsRowsPostgres(part: TotalsPart, agencyIds: readonly number[], range: { from: string; to: string }): Promise<unknown[]> {
  const [table, period] = TOTALS_TABLES[part];
  const sums = sql.raw(TOTAL_KEYS.map((k) => `sum(${k})::float8 as ${k}`).join(", "));
  const rows = await selectRaw(
    db(),
    sql`select agency_id::integer as agency_id, ${sums} from ${sql.identifier(table)} where agency_id = any(${sql.param([...agencyIds])}::integer[]) and ${sql.identifier(period)} between ${range.from} and ${range.to} group by agency_id`,
  );
  return rows.map((row) => [Reflect.get(Object(row), "agency_id"), ...TOTAL_KEYS.map((k) => Reflect.get(Object(row), k))]);
}

/**
 * The two statements of totalsByAgency, prepared once per connection: the page runs them for every
 * child of the scope, and building a 27-column select through drizzle cost more than running it.
 */
// Raw SQL with the column list made from TOTAL_KEYS, prepared once per database client.
const totalsStatements = perDatabase((database) => {
  const select = (table: string, period: string) =>
    database.$client
      .prepare(
        `select agency_id, ${TOTAL_KEYS.map((k) => `sum(${k})`).join(", ")} from ${table} where agency_id in (select value from json_each(?)) and ${period} between ? and ? group by agency_id`,
      )
      .raw();
  return { daily: select("subtree_totals_daily", "day"), monthly: select("subtree_totals_monthly", "month") };
});

/**
 * The event counts of the scope by agency: each direct child of the root (or each top-level agency
 * for the whole country) from its own subtree totals, and the root's own events — its subtree
 * minus its children's — under the root's id, which `agencyRows` shows as the "self" row.
 */
async function agencyEventCounts(root: Root, query: StatisticsQuery, at: (key: unknown) => Counts): Promise<void> {
  const children = (
    await db()
      .select({ id: a.id })
      .from(a)
      .where(root.agency ? eq(a.parentId, root.agency.id) : eq(a.depth, 0))
  ).map((c) => c.id);
  const rootId = subtreeOf(root);
  const totals = await totalsByAgency([rootId, ...children], query);
  for (const id of children) {
    const counts = totals.get(id);
    if (counts) addCounts(at(id), counts);
  }
  // The whole country has no events of its own: every agency is under a top-level one.
  const own = totals.get(rootId);
  if (!root.agency || !own) return;
  for (const id of children) {
    const counts = totals.get(id);
    if (counts) for (const k of TOTAL_KEYS) own[k] -= counts[k];
  }
  if (TOTAL_KEYS.some((k) => own[k] !== 0)) addCounts(at(rootId), own);
}

function addCounts(into: Counts, counts: Counts): void {
  for (const k of TOTAL_KEYS) into[k] += counts[k];
}

// ── Sums, grouped by one key ────────────────────────────────────────────────────────────────────

/** The SQL expression a grouping keys on, for each of the three sources; null where it means nothing. */
function keyExpressions(groupBy: GroupBy) {
  switch (groupBy) {
    case "agency":
      return { events: sql<unknown>`${dc.agencyId}`, catalog: sql<unknown>`${p.agencyId}`, backlog: sql<unknown>`${d.agencyId}` };
    case "field":
      return { events: sql<unknown>`${p.fieldId}`, catalog: sql<unknown>`${p.fieldId}`, backlog: sql<unknown>`${p.fieldId}` };
    case "procedure":
      return { events: sql<unknown>`${dc.procedureId}`, catalog: sql<unknown>`${p.id}`, backlog: sql<unknown>`${d.procedureId}` };
    case "level":
      return { events: sql<unknown>`${p.level}`, catalog: sql<unknown>`${p.level}`, backlog: sql<unknown>`${p.level}` };
    case "channel":
      // The catalog has no channel: catalog figures are not broken down by channel.
      return { events: sql<unknown>`${dc.channel}`, catalog: null, backlog: sql<unknown>`${d.channel}` };
    case "none":
      return { events: NO_KEY, catalog: NO_KEY, backlog: NO_KEY };
  }
}

/** The one key of the grouping "none", as an expression both databases group by (PostgreSQL reads a bare literal in GROUP BY as a column position, and refuses ''). */
const NO_KEY = sql<unknown>`cast('' as text)`;

/**
 * For the groupings by agency, level or none, the keys in the small tables kept from the catalog:
 * its counts per agency and level, and each procedure's last day with a portal dossier (read
 * instead of the whole procedures table and a distinct count over daily_counts). Null otherwise.
 */
function catalogKeys(groupBy: GroupBy) {
  switch (groupBy) {
    case "agency":
      return { catalog: sql<unknown>`${cc.agencyId}`, use: sql<unknown>`${use.agencyId}` };
    case "level":
      return { catalog: sql<unknown>`${cc.level}`, use: sql<unknown>`${use.level}` };
    case "none":
      return { catalog: NO_KEY, use: NO_KEY };
    default:
      return null;
  }
}

/**
 * Every count of the period and scope, per raw key of the grouping (agency id, field id, procedure
 * id, level, channel, or "" for none): four indexed queries whatever the number of groups.
 */
function countsByKey(root: Root, query: StatisticsQuery, groupBy: GroupBy, today: string): Promise<Map<string, Counts>> {
  // A dashboard page asks for the same sums twice (its grouped table and its rankings) with the
  // same query object: computed once per query, grouping and day (the promise is kept, so two
  // asking at once share one computation). Callers never change them.
  let forQuery = countsMemo.get(query);
  if (!forQuery) countsMemo.set(query, (forQuery = new Map()));
  // Any write since (this connection's total_changes, another's data_version) makes it a new key.
  const memoKey = `${root.path}|${groupBy}|${today}|${dataVersion()}`;
  const known = forQuery.get(memoKey);
  if (known) return known;
  const computed = computeCountsByKey(root, query, groupBy, today);
  forQuery.set(memoKey, computed);
  // A failure is not kept: the next asker computes again.
  computed.catch(() => forQuery.delete(memoKey));
  return computed;
}
const countsMemo = new WeakMap<StatisticsQuery, Map<string, Promise<Map<string, Counts>>>>();
const versionStatement = perDatabase((client) =>
  client.$client.prepare("select total_changes() || '.' || (select data_version from pragma_data_version)").pluck(),
);
/**
 * PostgreSQL has no such counter; there the memo lives as long as its query object (one request).
 * (Its current snapshot would change with any commit, but of every database of the cluster: a
 * write elsewhere would make the same page compute its sums twice.)
 */
const dataVersion = () => (onPostgres(db()) ? "" : String(versionStatement().get()));

async function computeCountsByKey(root: Root, query: StatisticsQuery, groupBy: GroupBy, today: string): Promise<Map<string, Counts>> {
  const keys = keyExpressions(groupBy);
  const byKey = new Map<string, Counts>();
  const at = (key: unknown) => {
    const k = key === null || key === undefined ? "" : String(key);
    let counts = byKey.get(k);
    if (!counts) byKey.set(k, (counts = emptyCounts()));
    return counts;
  };

  // Events: the rollup's counters, by counter, channel and the procedure's current level. From the
  // root's subtree rows, except where the grouping needs the procedure (daily_counts).
  if (groupBy === "agency") await agencyEventCounts(root, query, at);
  else if (groupBy === "none") {
    const totals = (await totalsByAgency([subtreeOf(root)], query)).get(subtreeOf(root));
    if (totals) addCounts(at(""), totals);
  } else if (groupBy === "level" || groupBy === "channel") {
    for (const r of await subtreeSums([subtreeOf(root)], query, DAILY_COUNT_METRICS)) {
      const key = groupBy === "level" ? levelOrNull(r.level) : r.channel;
      addRollupRow(at(key), { metric: r.metric, channel: r.channel, level: levelOrNull(r.level), count: r.n });
    }
  } else {
    const events = await db()
      .select({ key: keys.events, metric: dc.metric, channel: dc.channel, level: p.level, n: asNumber(sql`sum(${dc.count})`) })
      .from(dc)
      .innerJoin(a, eq(a.id, dc.agencyId))
      .leftJoin(p, eq(p.id, dc.procedureId))
      .where(and(inArray(dc.metric, [...DAILY_COUNT_METRICS]), between(dc.day, query.from, query.to), inScope(root.path)))
      .groupBy(keys.events, dc.metric, dc.channel, p.level);
    for (const row of events) addRollupRow(at(row.key), { metric: row.metric, channel: row.channel, level: row.level, count: row.n });
  }

  const small = catalogKeys(groupBy);
  if (keys.catalog) {
    // The catalog as it is now, scoped by the procedure's agency.
    const catalog = small
      ? await db()
          .select({ key: small.catalog, level: cc.level, n: asNumber(sql`sum(${cc.count})`) })
          .from(cc)
          .innerJoin(a, eq(a.id, cc.agencyId))
          .where(inScope(root.path))
          .groupBy(small.catalog, cc.level)
      : await db()
          .select({ key: keys.catalog, level: p.level, n: asNumber(sql`count(*)`) })
          .from(p)
          .innerJoin(a, eq(a.id, p.agencyId))
          .where(inScope(root.path))
          .groupBy(keys.catalog, p.level);
    for (const row of catalog) {
      const counts = at(row.key);
      if (row.level === 1) counts.procedures_level1 += row.n;
      else if (row.level === 2) counts.procedures_level2 += row.n;
      else if (row.level === 3) counts.procedures_level3 += row.n;
      else if (row.level === 4) counts.procedures_level4 += row.n;
    }

    // Level-3/4 procedures (of the scope's catalog) with at least one portal dossier in the period.
    // When no portal dossier is later than the period, those are the ones whose last such day is in it.
    const [latest] = await db()
      .select({ day: sql<string | null>`max(${use.lastDay})` })
      .from(use);
    const lastUse = latest?.day ?? null;
    const used =
      small && (lastUse === null || lastUse <= query.to)
        ? await db()
            .select({ key: small.use, level: use.level, n: asNumber(sql`count(*)`) })
            .from(use)
            .innerJoin(a, eq(a.id, use.agencyId))
            .where(and(inArray(use.level, [3, 4]), sql`${use.lastDay} >= ${query.from}`, inScope(root.path)))
            .groupBy(small.use, use.level)
        : await db()
            .select({ key: keys.catalog, level: p.level, n: asNumber(sql`count(distinct ${p.id})`) })
            .from(dc)
            .innerJoin(p, eq(p.id, dc.procedureId))
            .innerJoin(a, eq(a.id, p.agencyId))
            .where(
              and(
                eq(dc.metric, "submitted"),
                between(dc.day, query.from, query.to),
                inArray(dc.channel, PORTAL_CHANNELS),
                sql`${dc.count} > 0`,
                inArray(p.level, [3, 4]),
                inScope(root.path),
              ),
            )
            .groupBy(keys.catalog, p.level);
    for (const row of used) {
      const counts = at(row.key);
      if (row.level === 3) counts.procedures_level3_used += row.n;
      else if (row.level === 4) counts.procedures_level4_used += row.n;
    }
  }

  // The late backlog: open dossiers, clock running, past due today (a snapshot, not of the period).
  const backlog = await db()
    .select({ key: keys.backlog, n: asNumber(sql`count(*)`) })
    .from(d)
    .innerJoin(a, eq(a.id, d.agencyId))
    .innerJoin(p, eq(p.id, d.procedureId))
    .where(and(inScope(root.path), inArray(d.status, [...CLOCK_STATUSES]), isNull(d.pausedAt), lt(d.dueOn, today)))
    .groupBy(keys.backlog);
  for (const row of backlog) at(row.key).late_backlog += row.n;

  return byKey;
}

/** Vietnamese alphabetical order: localeCompare(…, "vi")'s, with one collator instead of one per comparison (the dashboard sorts hundreds of names). */
const byVi = new Intl.Collator("vi").compare;

const hasFigures = (c: Counts) => Object.values(c).some((n) => n !== 0);

// ── Summary ─────────────────────────────────────────────────────────────────────────────────────

type Period = { from: string; to: string };

function targetOf(metrics: MetricValues, query: StatisticsQuery) {
  return { percent: query.target, met: meetsTarget(metrics.level4_share, query.target) };
}

/** Every metric's counts and value for the whole scope and period (the KPI tiles). */
export async function summary(input: { agencyPath: string; query: StatisticsQuery; now?: Date }) {
  const root = await resolveRoot(input.agencyPath, input.query);
  const today = vnDate(input.now ?? new Date());
  // Grouped by agency, a page also shows the agency table: the same sums (per query object, see
  // countsByKey) give the whole scope's, so the procedures used in the period are counted once.
  const source = input.query.groupBy === "agency" ? "agency" : "none";
  const counts = sumCounts(...(await countsByKey(root, input.query, source, today)).values());
  const metrics = computeMetrics(counts);
  return {
    period: { from: input.query.from, to: input.query.to } satisfies Period,
    /** The day the catalog and backlog snapshots were taken. */
    asOf: today,
    agency: agencyRef(root.agency),
    counts,
    metrics,
    level4Target: targetOf(metrics, input.query),
  };
}

const METRIC_SOURCE = new Map(METRICS.map((m) => [m.id, m.source]));

/**
 * How the key figures `ids` moved against the period of the same length just before the query's.
 * Only figures of a period compare (source "events"): the catalog's and the backlog's are as of
 * today in both periods, so their change is null and the previous period's catalog figures are not
 * computed (the services used in an earlier period cost a scan of the daily counters: 28 ms of a
 * national 30-day page at 10 M events). The events' sums are the summary's own (the subtree totals).
 */
export async function previousChanges(input: { agencyPath: string; query: StatisticsQuery }, current: MetricValues, ids: readonly MetricId[]) {
  const period = previousPeriod(input.query);
  const root = await resolveRoot(input.agencyPath, input.query);
  const counts = emptyCounts();
  const totals = (await totalsByAgency([subtreeOf(root)], period)).get(subtreeOf(root));
  if (totals) addCounts(counts, totals);
  const previous = computeMetrics(counts);
  return {
    period,
    changes: ids.map((id) => ({ id, change: METRIC_SOURCE.get(id) === "events" ? metricChange(current[id], previous[id]) : null })),
  };
}

// ── Grouped ─────────────────────────────────────────────────────────────────────────────────────

export type GroupRow = {
  /** Stable within a grouping: agency (the "self" row: the selected agency's own code), field or procedure code, level "1"–"4", channel, "none" (not attributed) or "all". */
  key: string;
  /** An entity's name (agency, field, procedure); null for levels, channels and the catch-alls. */
  name: { vi: string; en: string | null } | null;
  /** The i18n key naming the row when it has no entity name. */
  labelKey: string | null;
  /** An agency grouping's row for what is attached to the selected agency itself, not to a sub-agency. */
  self: boolean;
  dissolvedOn: string | null;
  counts: Counts;
  metrics: MetricValues;
};

function groupRow(key: string, counts: Counts, extra: Partial<Pick<GroupRow, "name" | "labelKey" | "self" | "dissolvedOn">> = {}): GroupRow {
  return {
    key,
    name: extra.name ?? null,
    labelKey: extra.labelKey ?? null,
    self: extra.self ?? false,
    dissolvedOn: extra.dissolvedOn ?? null,
    counts,
    metrics: computeMetrics(counts),
  };
}

/**
 * The agency tree roll-up: each direct child of the selected agency (or each top-level agency for
 * the whole country) with its whole subtree summed in, plus a "self" row for figures attached to the
 * selected agency itself. The rows add up to the summary. A dissolved agency is listed only when it
 * has figures (its history stays its own; it is not merged into its successor).
 */
function agencyRows(root: Root, byKey: Map<string, Counts>): Promise<GroupRow[]> {
  // Same sums, same rows (the grouped table and the rankings of one page).
  const known = agencyRowsMemo.get(byKey);
  if (known) return known;
  const rows = computeAgencyRows(root, byKey);
  agencyRowsMemo.set(byKey, rows);
  rows.catch(() => agencyRowsMemo.delete(byKey));
  return rows;
}
const agencyRowsMemo = new WeakMap<Map<string, Counts>, Promise<GroupRow[]>>();

async function computeAgencyRows(root: Root, byKey: Map<string, Counts>): Promise<GroupRow[]> {
  const tree = await db().select(agencyColumns).from(a).where(inScope(root.path)).orderBy(asc(a.path));
  const children = tree.filter((r) => (root.agency ? r.parentId === root.agency.id : r.depth === 0));
  const childById = new Map(children.map((c) => [String(c.id), c]));
  const perChild = new Map<number, Counts[]>(children.map((c) => [c.id, []]));
  const own: Counts[] = [];
  for (const agency of tree) {
    const counts = byKey.get(String(agency.id));
    if (!counts) continue;
    // "/12/40/77/" under "/12/": the first id after the root's path names the child the row rolls up into.
    const first = agency.path.slice(root.path.length).split("/")[0] ?? "";
    const child = childById.get(first);
    if (child) perChild.get(child.id)?.push(counts);
    else own.push(counts);
  }
  const rows: GroupRow[] = [];
  const ownCounts = sumCounts(...own);
  if (root.agency && hasFigures(ownCounts))
    rows.push(groupRow(root.agency.code, ownCounts, { name: { vi: root.agency.nameVi, en: root.agency.nameEn }, labelKey: "stats.group.self", self: true }));
  const named = children
    .map((c) => ({ c, counts: sumCounts(...(perChild.get(c.id) ?? [])) }))
    .filter(({ c, counts }) => c.dissolvedOn === null || hasFigures(counts))
    .sort((x, y) => byVi(x.c.nameVi, y.c.nameVi));
  for (const { c, counts } of named) rows.push(groupRow(c.code, counts, { name: { vi: c.nameVi, en: c.nameEn }, dissolvedOn: c.dissolvedOn }));
  return rows;
}

/** Rows for keys outside the named groups (a counter without procedure…), so the rows still add up. */
function leftover(byKey: Map<string, Counts>, named: ReadonlySet<string>): GroupRow[] {
  const rest = sumCounts(...[...byKey].filter(([k]) => !named.has(k)).map(([, c]) => c));
  return hasFigures(rest) ? [groupRow("none", rest, { labelKey: "stats.group.none" })] : [];
}

async function fieldRows(byKey: Map<string, Counts>) {
  const fields = await db()
    .select({ id: schema.fields.id, code: schema.fields.code, nameVi: schema.fields.nameVi, nameEn: schema.fields.nameEn })
    .from(schema.fields);
  const rows = fields
    .filter((f) => byKey.has(String(f.id)))
    .sort((x, y) => byVi(x.nameVi, y.nameVi))
    .map((f) => groupRow(f.code, byKey.get(String(f.id)) ?? emptyCounts(), { name: { vi: f.nameVi, en: f.nameEn } }));
  return [...rows, ...leftover(byKey, new Set(fields.map((f) => String(f.id))))];
}

async function procedureRows(byKey: Map<string, Counts>) {
  const ids = [...byKey.keys()].map(Number).filter((n) => Number.isInteger(n) && n > 0);
  const procs = ids.length === 0 ? [] : await db().select({ id: p.id, code: p.code, nameVi: p.nameVi, nameEn: p.nameEn }).from(p).where(inArray(p.id, ids));
  const rows = procs
    .map((x) => groupRow(x.code, byKey.get(String(x.id)) ?? emptyCounts(), { name: { vi: x.nameVi, en: x.nameEn } }))
    .sort((x, y) => y.counts.submitted - x.counts.submitted || x.key.localeCompare(y.key));
  return { rows: rows.slice(0, TOP_PROCEDURES), total: rows.length };
}

function levelRows(byKey: Map<string, Counts>) {
  const rows = ["1", "2", "3", "4"].map((level) => groupRow(level, byKey.get(level) ?? emptyCounts(), { labelKey: `stats.level.${level}` }));
  return [...rows, ...leftover(byKey, new Set(["1", "2", "3", "4"]))];
}

function channelRows(byKey: Map<string, Counts>) {
  const rows = CHANNELS.map((channel) => groupRow(channel, byKey.get(channel) ?? emptyCounts(), { labelKey: `stats.channel.${channel}` }));
  return [...rows, ...leftover(byKey, new Set(CHANNELS))];
}

/** The catalog has no channel: by channel, its figures are not computed (their counts stay 0). */
const notApplicable = (groupBy: GroupBy): MetricId[] => (groupBy === "channel" ? METRICS.filter((m) => m.source === "catalog").map((m) => m.id) : []);

/**
 * The same figures as `summary`, per group: agency (the direct children of the selected agency,
 * each with its subtree rolled up), field, procedure (the 50 most submitted), level, channel.
 */
export async function grouped(input: { agencyPath: string; query: StatisticsQuery; now?: Date }) {
  const root = await resolveRoot(input.agencyPath, input.query);
  const today = vnDate(input.now ?? new Date());
  const groupBy = input.query.groupBy;
  const byKey = await countsByKey(root, input.query, groupBy, today);
  let rows: GroupRow[];
  let totalGroups: number;
  if (groupBy === "procedure") ({ rows, total: totalGroups } = await procedureRows(byKey));
  else {
    rows =
      groupBy === "agency"
        ? await agencyRows(root, byKey)
        : groupBy === "field"
          ? await fieldRows(byKey)
          : groupBy === "level"
            ? levelRows(byKey)
            : groupBy === "channel"
              ? channelRows(byKey)
              : [groupRow("all", sumCounts(...byKey.values()), { labelKey: "stats.group.all" })];
    totalGroups = rows.length;
  }
  return {
    period: { from: input.query.from, to: input.query.to } satisfies Period,
    asOf: today,
    agency: agencyRef(root.agency),
    groupBy,
    /** Metrics that mean nothing for this grouping (the catalog by channel): show them as not applicable. */
    notApplicable: notApplicable(groupBy),
    /** True when the procedure grouping listed only the first TOP_PROCEDURES of `totalGroups`. */
    truncated: rows.length < totalGroups,
    totalGroups,
    rows,
  };
}

// ── Rankings ────────────────────────────────────────────────────────────────────────────────────

type RankedAgency<V> = { rank: number | null; code: string; name: { vi: string; en: string | null }; value: V };

/** Competition ranking (1, 2, 2, 4) by `compare` (descending); entries without a value come last, unranked. */
function rank<V>(
  entries: { code: string; name: { vi: string; en: string | null }; value: V }[],
  hasValue: (v: V) => boolean,
  compare: (x: V, y: V) => number,
): RankedAgency<V>[] {
  const valued = entries.filter((e) => hasValue(e.value)).sort((x, y) => compare(y.value, x.value) || byVi(x.name.vi, y.name.vi));
  const ranked = valued.map((e, i) => ({ ...e, rank: i + 1 }));
  for (let i = 1; i < ranked.length; i += 1) {
    const prev = ranked[i - 1];
    const cur = ranked[i];
    if (prev && cur && compare(prev.value, cur.value) === 0) cur.rank = prev.rank;
  }
  const rest = entries.filter((e) => !hasValue(e.value)).sort((x, y) => byVi(x.name.vi, y.name.vi));
  return [...ranked, ...rest.map((e) => ({ ...e, rank: null }))];
}

/**
 * The units directly under the selected agency (for the whole country: the ministries and
 * provinces) ranked as in the national report: by online services (level 3 + 4 procedures), by
 * online dossiers in the period, by online share of dossiers. Each unit's subtree is rolled up.
 */
export async function rankings(input: { agencyPath: string; query: StatisticsQuery; now?: Date }) {
  const root = await resolveRoot(input.agencyPath, input.query);
  const today = vnDate(input.now ?? new Date());
  const units = (await agencyRows(root, await countsByKey(root, input.query, "agency", today))).filter((r) => !r.self);
  const base = (r: GroupRow) => ({ code: r.key, name: r.name ?? { vi: r.key, en: null } });
  const services = units.map((r) => ({
    ...base(r),
    value: {
      level3: r.counts.procedures_level3,
      level4: r.counts.procedures_level4,
      total: r.counts.procedures_level3 + r.counts.procedures_level4,
      level4Share: level4Share(r.counts),
    },
  }));
  const dossiers = units.map((r) => ({ ...base(r), value: { online: onlineDossiers(r.counts), submitted: r.counts.submitted } }));
  const shares = units.map((r) => ({ ...base(r), value: onlineShare(r.counts) }));
  return {
    period: { from: input.query.from, to: input.query.to } satisfies Period,
    asOf: today,
    agency: agencyRef(root.agency),
    onlineServices: rank(
      services,
      () => true,
      (x, y) => x.total - y.total,
    ),
    onlineDossiers: rank(
      dossiers,
      () => true,
      (x, y) => x.online - y.online,
    ),
    onlineShare: rank(shares, (v: Ratio) => v.value !== null, compareRatios),
  };
}

// ── Time series ─────────────────────────────────────────────────────────────────────────────────

const SERIES_METRICS = ["viewed", "submitted", "result_ready"] as const;

/**
 * Per day, ISO week (Monday first) or month of the period: procedure views, dossiers submitted
 * (in all and by channel) and results ready. Every bucket is present, with zeros when nothing
 * happened; the first and last buckets are clipped to the period (`from`, `to`).
 */
export async function timeSeries(input: { agencyPath: string; query: StatisticsQuery }) {
  const root = await resolveRoot(input.agencyPath, input.query);
  const { from, to, interval } = input.query;
  const agencyId = subtreeOf(root);
  // A month bucket takes a whole month's row (dated its 1st); days and weeks, and the clipped months at either end, the day rows.
  const parts = interval === "month" ? periodParts(from, to) : { months: null, days: [{ from, to }] };
  const rows: { day: string; metric: string; channel: string; n: number }[] = [];
  if (parts.months) {
    const months = await db()
      .select({ month: sm.month, metric: sm.metric, channel: sm.channel, n: asNumber(sql`sum(${sm.count})`) })
      .from(sm)
      .where(and(eq(sm.agencyId, agencyId), between(sm.month, parts.months.from, parts.months.to), inArray(sm.metric, [...SERIES_METRICS])))
      .groupBy(sm.month, sm.metric, sm.channel);
    for (const r of months) rows.push({ day: `${r.month}-01`, metric: r.metric, channel: r.channel, n: r.n });
  }
  for (const days of parts.days) {
    rows.push(
      ...(await db()
        .select({ day: sd.day, metric: sd.metric, channel: sd.channel, n: asNumber(sql`sum(${sd.count})`) })
        .from(sd)
        .where(and(eq(sd.agencyId, agencyId), between(sd.day, days.from, days.to), inArray(sd.metric, [...SERIES_METRICS])))
        .groupBy(sd.day, sd.metric, sd.channel)),
    );
  }
  const points = periodBuckets(from, to, interval).map((b) => ({
    ...b,
    viewed: 0,
    submitted: 0,
    submitted_online: 0,
    submitted_assisted: 0,
    submitted_counter: 0,
    result_ready: 0,
  }));
  const byBucket = new Map(points.map((pt) => [pt.bucket, pt]));
  for (const r of rows) {
    const pt = byBucket.get(bucketStart(r.day, interval));
    if (!pt) continue;
    if (r.metric === "viewed") pt.viewed += r.n;
    else if (r.metric === "result_ready") pt.result_ready += r.n;
    else if (r.metric === "submitted") {
      pt.submitted += r.n;
      if (r.channel === "online") pt.submitted_online += r.n;
      else if (r.channel === "assisted") pt.submitted_assisted += r.n;
      else if (r.channel === "counter") pt.submitted_counter += r.n;
    }
  }
  return { period: { from, to } satisfies Period, agency: agencyRef(root.agency), interval, points };
}

// ── Funnel ──────────────────────────────────────────────────────────────────────────────────────

/**
 * The citizen's own path on the portal in the period: procedure pages viewed → forms started →
 * submitted → paid online → result ready, the last three for self-service (channel online)
 * dossiers only: counter and assisted dossiers never went through the first steps.
 */
export async function funnel(input: { agencyPath: string; query: StatisticsQuery }) {
  const root = await resolveRoot(input.agencyPath, input.query);
  const { from, to } = input.query;
  const totals = new Map<string, number>();
  for (const r of await subtreeSums([subtreeOf(root)], { from, to }, FUNNEL_STEPS)) {
    if (r.metric === "viewed" || r.channel === "online") totals.set(r.metric, (totals.get(r.metric) ?? 0) + r.n);
  }
  const count = (step: string) => totals.get(step) ?? 0;
  const steps = funnelSteps({
    viewed: count("viewed"),
    form_started: count("form_started"),
    submitted: count("submitted"),
    paid_online: count("paid_online"),
    result_ready: count("result_ready"),
  });
  return { period: { from, to } satisfies Period, agency: agencyRef(root.agency), steps };
}
