/**
 * The metric half of `npm run stats:verify`: every figure the dashboard, the export and the API
 * show, recomputed from the raw event log (through the same event → counter mapping, but without
 * the stored `daily_counts`) and compared with what the query layer computes from the stored
 * counters — for the whole country and for each top-level agency, level and channel.
 */
import { max, min } from "drizzle-orm";
import { schema } from "../platform/schema.server";
import { vnDate } from "../../core/calendar/working-days";
import { addRollupRow, CATALOG_COUNT_KEYS, computeMetrics, emptyCounts, METRICS, SNAPSHOT_COUNT_KEYS, type Counts } from "../../core/statistics/metrics";
import { inTransaction, type Db } from "../platform/db.server";
import { tallyEvents } from "./rollup.server";
import { readLevelHistory } from "./level-history.server";
import { grouped, parseStatisticsQuery, summary } from "./dashboard.server";

type Bucket = { key: string; counts: Counts };

const SNAPSHOT_KEYS = ["procedures_level1", "procedures_level2", "procedures_level3", "procedures_level4", ...SNAPSHOT_COUNT_KEYS] as const;

function compare(label: string, stored: Counts, raw: Counts, out: string[], skip: readonly string[] = []): number {
  // The catalog's size and the backlog are snapshots of tables, not of the log: taken from the stored side.
  for (const k of SNAPSHOT_KEYS) raw[k] = stored[k];
  const a = computeMetrics(stored);
  const b = computeMetrics(raw);
  let checked = 0;
  for (const m of METRICS) {
    if (skip.includes(m.id)) continue;
    checked += 1;
    const x = a[m.id];
    const y = b[m.id];
    const same = typeof x === "number" || typeof y === "number" ? x === y : x.numerator === y.numerator && x.denominator === y.denominator;
    if (!same) out.push(`  ${label} ${m.id}: from counters ${JSON.stringify(x)}, from the log ${JSON.stringify(y)}`);
  }
  return checked;
}

/**
 * Uses `db` as the portal's connection for the query layer (the caller opened it, read-only);
 * the period is the whole span of the log, at most the query layer's longest period.
 */
export async function verifyMetrics(db: Db, now = new Date()): Promise<{ checked: number; mismatches: string[]; period: { from: string; to: string } | null }> {
  globalThis.__portalDb = db;
  const [span] = await db.select({ first: min(schema.dossierEvents.occurredAt), last: max(schema.dossierEvents.occurredAt) }).from(schema.dossierEvents);
  if (!span?.first || !span.last) return { checked: 0, mismatches: [], period: null };
  const last = span.last.getTime();
  const to = vnDate(span.last);
  const earliest = new Date(last - 3 * 365 * 86_400_000 + 86_400_000);
  const from = vnDate(new Date(Math.max(span.first.getTime(), earliest.getTime())));

  // The raw side: the log's own tally, added up per bucket with each procedure's level on the cell's day
  // (level-history.ts); "online services used" is a catalog figure, at the current level.
  const procedures = await db.select({ id: schema.procedures.id, level: schema.procedures.level }).from(schema.procedures);
  const levels = new Map(procedures.map((p) => [p.id, p.level]));
  const history = await readLevelHistory(db, levels);
  const topLevel = new Map<number, string>();
  const codeById = new Map<number, string>();
  for (const agency of await db.select({ id: schema.agencies.id, code: schema.agencies.code, path: schema.agencies.path }).from(schema.agencies)) {
    codeById.set(agency.id, agency.code);
    topLevel.set(agency.id, agency.path.split("/")[1] ?? "");
  }
  const national = emptyCounts();
  const byAgency = new Map<string, Counts>();
  const byLevel = new Map<string, Counts>();
  const byChannel = new Map<string, Counts>();
  const bucket = (map: Map<string, Counts>, key: string) => map.get(key) ?? map.set(key, emptyCounts()).get(key) ?? emptyCounts();
  // Online services used: level-3/4 procedures with a portal dossier (online or assisted) in the period.
  const used = new Map<Counts, { level3: Set<number>; level4: Set<number> }>();
  const markUsed = (counts: Counts, level: number | null, procedureId: number) => {
    const sets = used.get(counts) ?? used.set(counts, { level3: new Set(), level4: new Set() }).get(counts);
    if (level === 3) sets?.level3.add(procedureId);
    if (level === 4) sets?.level4.add(procedureId);
  };
  // In a transaction of its own: one snapshot of the log (and PostgreSQL's cursor lives in one).
  const { tally } = await inTransaction(async (tx) => await tallyEvents(tx), db);
  for (const cell of tally.cells.values()) {
    if (cell.day < from || cell.day > to) continue;
    const level = history.levelOn(cell.procedureId, cell.day) ?? null;
    const current = levels.get(cell.procedureId) ?? null;
    const row = { metric: cell.metric, channel: cell.channel, level, count: cell.count };
    const top = topLevel.get(cell.agencyId);
    const topCode = top ? codeById.get(Number(top)) : undefined;
    const shared = [national, ...(topCode ? [bucket(byAgency, topCode)] : []), bucket(byChannel, cell.channel || "none")];
    const levelKey = (l: number | null) => (l === null ? "none" : String(l));
    for (const counts of [...shared, bucket(byLevel, levelKey(level))]) addRollupRow(counts, row);
    if (cell.metric === "submitted" && (cell.channel === "online" || cell.channel === "assisted"))
      for (const counts of [...shared, bucket(byLevel, levelKey(current))]) markUsed(counts, current, cell.procedureId);
  }
  for (const [counts, sets] of used) {
    counts.procedures_level3_used = sets.level3.size;
    counts.procedures_level4_used = sets.level4.size;
  }

  const mismatches: string[] = [];
  let checked = 0;
  const query = async (groupBy: string) => {
    const parsed = await parseStatisticsQuery({ agencyPath: "/", params: { from, to, groupBy } });
    if (!parsed.success) throw new Error(`verify query refused: ${JSON.stringify(parsed.issues)}`);
    return parsed.query;
  };
  checked += compare("national", (await summary({ agencyPath: "/", query: await query("agency"), now })).counts, national, mismatches);
  for (const [groupBy, raw] of [
    ["agency", byAgency],
    ["level", byLevel],
    ["channel", byChannel],
  ] as const) {
    const result = await grouped({ agencyPath: "/", query: await query(groupBy), now });
    const stored: Bucket[] = result.rows.map((r) => ({ key: r.key, counts: r.counts }));
    const keys = new Set([...stored.map((s) => s.key), ...[...raw.keys()].filter((k) => hasLogFigures(raw.get(k)))]);
    // Figures the grouping does not define (the catalog by channel) are not compared.
    for (const key of keys)
      checked += compare(
        `${groupBy}=${key}`,
        stored.find((s) => s.key === key)?.counts ?? emptyCounts(),
        raw.get(key) ?? emptyCounts(),
        mismatches,
        result.notApplicable,
      );
  }
  return { checked, mismatches, period: { from, to } };
}

function hasLogFigures(c: Counts | undefined): boolean {
  return (
    c !== undefined && Object.entries(c).some(([k, v]) => v !== 0 && !CATALOG_COUNT_KEYS.some((x) => x === k) && !SNAPSHOT_COUNT_KEYS.some((x) => x === k))
  );
}
