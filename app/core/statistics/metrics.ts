/**
 * Every figure of the statistics dashboard, the CSV export and the API, each defined once here.
 * docs/metrics.md is the prose of these functions (numerator, denominator, period, channels,
 * roll-up, rounding). Functions take plain summed counts and never see SQL: the server sums
 * `daily_counts` rows (app/server/statistics/dashboard.server.ts) and hands the sums to these.
 */
import * as z from "zod";
import { ROLLUP_METRICS, type RollupMetric } from "./rollup";
import { formatNumber } from "../../utils/format";

/** The counters written to `daily_counts`: defined once, by the event → counter mapping. */
export const DAILY_COUNT_METRICS = ROLLUP_METRICS;
export type DailyCountMetric = RollupMetric;

/**
 * Sums split by what a rollup row carries besides its counter: the channel, and the procedure's
 * current level (level ≥ 3 = offered online).
 */
export const DERIVED_COUNT_KEYS = [
  "submitted_online",
  "submitted_assisted",
  "submitted_counter",
  /** Submitted on any channel for a procedure of level 3 or 4. */
  "submitted_level34",
  /** Submitted through the portal (online + assisted) for a procedure of level 3 or 4. */
  "submitted_level34_portal",
] as const;

/** From the catalog (the procedures table as it is now) and its use in the period. */
export const CATALOG_COUNT_KEYS = [
  "procedures_level1",
  "procedures_level2",
  "procedures_level3",
  "procedures_level4",
  /** Level-3 procedures with at least one portal dossier (online or assisted) submitted in the period. */
  "procedures_level3_used",
  "procedures_level4_used",
] as const;

/** A snapshot of the dossiers table at the moment of the query, whatever the period. */
export const SNAPSHOT_COUNT_KEYS = ["late_backlog"] as const;

export const COUNT_KEYS = [...DAILY_COUNT_METRICS, ...DERIVED_COUNT_KEYS, ...CATALOG_COUNT_KEYS, ...SNAPSHOT_COUNT_KEYS] as const;
export type CountKey = (typeof COUNT_KEYS)[number];
export type Counts = Record<CountKey, number>;

/** Every count key present (an exhaustive record), non-negative integers. */
export const CountsSchema = z.record(z.enum(COUNT_KEYS), z.number().int().min(0));

/** Every count at 0, checked once; each call copies it (a page adds up hundreds of these: no parse per call). */
const ZERO_COUNTS: Readonly<Counts> = CountsSchema.parse(Object.fromEntries(COUNT_KEYS.map((k) => [k, 0])));

export function emptyCounts(): Counts {
  return { ...ZERO_COUNTS };
}

const isDailyCountMetric = (metric: string): metric is DailyCountMetric => DAILY_COUNT_METRICS.some((m) => m === metric);
const PORTAL_CHANNELS: readonly string[] = ["online", "assisted"];

/**
 * Adds one summed rollup row to `counts` (an accumulator): the counter itself, and for `submitted`
 * its channel split and whether the procedure is offered online (current level ≥ 3; null when the
 * row names no procedure). Unknown counters are ignored, so a counter added later cannot break sums.
 */
export function addRollupRow(counts: Counts, row: { metric: string; channel: string; level: number | null; count: number }): void {
  if (!isDailyCountMetric(row.metric)) return;
  counts[row.metric] += row.count;
  if (row.metric !== "submitted") return;
  if (row.channel === "online") counts.submitted_online += row.count;
  else if (row.channel === "assisted") counts.submitted_assisted += row.count;
  else if (row.channel === "counter") counts.submitted_counter += row.count;
  if (row.level !== null && row.level >= 3) {
    counts.submitted_level34 += row.count;
    if (PORTAL_CHANNELS.includes(row.channel)) counts.submitted_level34_portal += row.count;
  }
}

/** Sub-agencies roll up by adding counts; ratios are then recomputed from the sums, never averaged. */
export function sumCounts(...all: readonly Counts[]): Counts {
  const total = emptyCounts();
  for (const counts of all) for (const key of COUNT_KEYS) total[key] += counts[key];
  return total;
}

// ── Ratios ──────────────────────────────────────────────────────────────────────────────────────

/** An exact fraction; `value` is null when the denominator is 0 (shown as "—", never as 0 %). */
export type Ratio = { numerator: number; denominator: number; value: number | null };

export function ratio(numerator: number, denominator: number): Ratio {
  for (const n of [numerator, denominator]) {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`a ratio is made of counts, got ${n}`);
  }
  return { numerator, denominator, value: denominator === 0 ? null : numerator / denominator };
}

/**
 * Whether the exact fraction reaches `targetPercent` (given to at most two decimals). Judged on the
 * fraction, never on its rounded display: 2 996 / 10 000 shows "30,0 %" but does not meet 30 %.
 * Null when there is nothing to judge (empty denominator).
 */
export function meetsTarget(r: Ratio, targetPercent: number): boolean | null {
  if (r.denominator === 0) return null;
  const hundredths = Math.round(targetPercent * 100);
  // n / d ≥ t / 10 000 (t in hundredths of a percent) ⇔ n · 10 000 ≥ t · d, in integers.
  return BigInt(r.numerator) * 10_000n >= BigInt(hundredths) * BigInt(r.denominator);
}

/** Compares two ratios exactly (for rankings): negative when a < b. Both must have a value. */
export function compareRatios(a: Ratio, b: Ratio): number {
  const left = BigInt(a.numerator) * BigInt(b.denominator);
  const right = BigInt(b.numerator) * BigInt(a.denominator);
  return left < right ? -1 : left > right ? 1 : 0;
}

// ── The metrics, one function each ──────────────────────────────────────────────────────────────

type Needs<K extends CountKey> = Readonly<Pick<Counts, K>>;

/** Procedures in the catalog, all levels. */
export function proceduresTotal(c: Needs<"procedures_level1" | "procedures_level2" | "procedures_level3" | "procedures_level4">): number {
  return c.procedures_level1 + c.procedures_level2 + c.procedures_level3 + c.procedures_level4;
}

/** Level-4 procedures among all procedures of the catalog (compared with the configurable target). */
export function level4Share(c: Needs<"procedures_level1" | "procedures_level2" | "procedures_level3" | "procedures_level4">): Ratio {
  return ratio(c.procedures_level4, proceduresTotal(c));
}

/** Level-3 procedures that received at least one portal dossier in the period. */
export function onlineServicesUsedLevel3(c: Needs<"procedures_level3_used" | "procedures_level3">): Ratio {
  return ratio(c.procedures_level3_used, c.procedures_level3);
}

/** Level-4 procedures that received at least one portal dossier in the period. */
export function onlineServicesUsedLevel4(c: Needs<"procedures_level4_used" | "procedures_level4">): Ratio {
  return ratio(c.procedures_level4_used, c.procedures_level4);
}

/** Dossiers submitted through the portal: by the citizen (online) or by an officer for them (assisted). */
export function onlineDossiers(c: Needs<"submitted_online" | "submitted_assisted">): number {
  return c.submitted_online + c.submitted_assisted;
}

/** Portal dossiers among all dossiers submitted for procedures offered online (level ≥ 3). */
export function onlineShare(c: Needs<"submitted_level34_portal" | "submitted_level34">): Ratio {
  return ratio(c.submitted_level34_portal, c.submitted_level34);
}

/**
 * Online exits: drafts whose answers the server found to mean "this cannot be done online" (a
 * form's exits), once per draft and exit — demand the portal could not serve. A count, not a share:
 * a draft that exits is not a dossier, so no dossier count is its denominator.
 */
export function onlineExits(c: Needs<"online_exit">): number {
  return c.online_exit;
}

/**
 * Data reused: documents the citizen already had with the portal (a result issued to them, a file
 * they sent with an earlier dossier) attached to a new application instead of uploaded again —
 * the digitisation indicators' "data reused". A count: each pick is one reuse.
 */
export function dataReused(c: Needs<"document_reused">): number {
  return c.document_reused;
}

/** Dossiers the citizen submitted themselves among portal dossiers. */
export function selfServiceShare(c: Needs<"submitted_online" | "submitted_assisted">): Ratio {
  return ratio(c.submitted_online, c.submitted_online + c.submitted_assisted);
}

/**
 * Results issued among dossiers whose handling ended with the agency's decision (result or stop).
 * Refusals at intake have their own rate; withdrawals are the citizen's choice (docs/metrics.md).
 */
export function successRate(c: Needs<"result_ready" | "stopped">): Ratio {
  return ratio(c.result_ready, c.result_ready + c.stopped);
}

/** Dossiers refused at intake among those the agency decided to take in or not. */
export function refusalRate(c: Needs<"not_received" | "received">): Ratio {
  return ratio(c.not_received, c.received + c.not_received);
}

/** Finished early or on the appointment day among finished dossiers with a deadline. */
export function onTimeRate(c: Needs<"finished_early" | "finished_on_time" | "finished_late">): Ratio {
  return ratio(c.finished_early + c.finished_on_time, c.finished_early + c.finished_on_time + c.finished_late);
}

/** Open dossiers, clock running, past their appointment date (a snapshot, not a period figure). */
export function lateBacklog(c: Needs<"late_backlog">): number {
  return c.late_backlog;
}

/** Payments confirmed online among dossiers submitted with a fee. */
export function onlinePaymentShare(c: Needs<"paid_online" | "submitted_fee">): Ratio {
  return ratio(c.paid_online, c.submitted_fee);
}

function ratings(c: Needs<"rated_very_satisfied" | "rated_satisfied" | "rated_not_satisfied">): number {
  return c.rated_very_satisfied + c.rated_satisfied + c.rated_not_satisfied;
}

/** Satisfied or very satisfied among all ratings. */
export function satisfaction(c: Needs<"rated_very_satisfied" | "rated_satisfied" | "rated_not_satisfied">): Ratio {
  return ratio(c.rated_very_satisfied + c.rated_satisfied, ratings(c));
}

/** Ratings given among results returned. */
export function ratingCoverage(c: Needs<"rated_very_satisfied" | "rated_satisfied" | "rated_not_satisfied" | "returned">): Ratio {
  return ratio(ratings(c), c.returned);
}

/** Procedure pages read. */
export function visits(c: Needs<"viewed">): number {
  return c.viewed;
}

export const FUNNEL_STEPS = ["viewed", "form_started", "submitted", "paid_online", "result_ready"] as const;
export type FunnelStep = (typeof FUNNEL_STEPS)[number];
export type FunnelCounts = Readonly<Record<FunnelStep, number>>;

/**
 * The citizen's path on the portal: each step's count, its share of the step before and of the
 * first step. Steps are events in the period, not one cohort followed through, so a step may
 * exceed the one before (a dossier started last month and submitted this month).
 */
export function funnel(c: FunnelCounts) {
  return FUNNEL_STEPS.map((step, i) => {
    const previous = i > 0 ? FUNNEL_STEPS[i - 1] : undefined;
    return { step, count: c[step], fromPrevious: previous ? ratio(c[step], c[previous]) : null, fromFirst: ratio(c[step], c.viewed) };
  });
}

// ── The registry the dashboard, export and API iterate over ─────────────────────────────────────

export type MetricSource = "events" | "catalog" | "snapshot";
type Common<Id extends string> = {
  id: Id;
  /** i18n keys (locales/*\/statistics.json). */
  labelKey: `stats.metric.${Id}`;
  descriptionKey: `stats.metric_description.${Id}`;
  source: MetricSource;
  /** The counts the value is computed from, for the export's numerator/denominator columns. */
  needs: readonly CountKey[];
};
export type RatioMetric<Id extends string = string> = Common<Id> & { kind: "ratio"; compute: (c: Counts) => Ratio; hasTarget: boolean };
export type CountMetric<Id extends string = string> = Common<Id> & { kind: "count"; compute: (c: Counts) => number };

function ratioMetric<const Id extends string>(
  id: Id,
  source: MetricSource,
  needs: readonly CountKey[],
  compute: (c: Counts) => Ratio,
  hasTarget = false,
): RatioMetric<Id> {
  return { id, kind: "ratio", labelKey: `stats.metric.${id}`, descriptionKey: `stats.metric_description.${id}`, source, needs, compute, hasTarget };
}
function countMetric<const Id extends string>(id: Id, source: MetricSource, needs: readonly CountKey[], compute: (c: Counts) => number): CountMetric<Id> {
  return { id, kind: "count", labelKey: `stats.metric.${id}`, descriptionKey: `stats.metric_description.${id}`, source, needs, compute };
}

const LEVEL_KEYS = ["procedures_level1", "procedures_level2", "procedures_level3", "procedures_level4"] as const;
const RATING_KEYS = ["rated_very_satisfied", "rated_satisfied", "rated_not_satisfied"] as const;

/** Every metric, in the order the dashboard shows them. */
export const METRICS = [
  countMetric("procedures_total", "catalog", LEVEL_KEYS, proceduresTotal),
  countMetric("procedures_level1", "catalog", ["procedures_level1"], (c) => c.procedures_level1),
  countMetric("procedures_level2", "catalog", ["procedures_level2"], (c) => c.procedures_level2),
  countMetric("online_services_level3", "catalog", ["procedures_level3"], (c) => c.procedures_level3),
  countMetric("online_services_level4", "catalog", ["procedures_level4"], (c) => c.procedures_level4),
  ratioMetric("level4_share", "catalog", LEVEL_KEYS, level4Share, true),
  ratioMetric("online_services_used_level3", "catalog", ["procedures_level3_used", "procedures_level3"], onlineServicesUsedLevel3),
  ratioMetric("online_services_used_level4", "catalog", ["procedures_level4_used", "procedures_level4"], onlineServicesUsedLevel4),
  countMetric("visits", "events", ["viewed"], visits),
  countMetric("dossiers_submitted", "events", ["submitted"], (c) => c.submitted),
  countMetric("online_dossiers", "events", ["submitted_online", "submitted_assisted"], onlineDossiers),
  ratioMetric("online_share", "events", ["submitted_level34_portal", "submitted_level34"], onlineShare),
  countMetric("online_exits", "events", ["online_exit"], onlineExits),
  countMetric("data_reused", "events", ["document_reused"], dataReused),
  ratioMetric("self_service_share", "events", ["submitted_online", "submitted_assisted"], selfServiceShare),
  ratioMetric("success_rate", "events", ["result_ready", "stopped"], successRate),
  ratioMetric("refusal_rate", "events", ["not_received", "received"], refusalRate),
  ratioMetric("on_time_rate", "events", ["finished_early", "finished_on_time", "finished_late"], onTimeRate),
  countMetric("late_backlog", "snapshot", ["late_backlog"], lateBacklog),
  ratioMetric("online_payment_share", "events", ["paid_online", "submitted_fee"], onlinePaymentShare),
  ratioMetric("satisfaction", "events", RATING_KEYS, satisfaction),
  ratioMetric("rating_coverage", "events", [...RATING_KEYS, "returned"], ratingCoverage),
] as const;

export type MetricId = (typeof METRICS)[number]["id"];
export type MetricDefinition = (typeof METRICS)[number];
/** A metric's value as it leaves the server: a Ratio or a count; JSON as it is. */
export type MetricValues = { [M in MetricDefinition as M["id"]]: M extends RatioMetric ? Ratio : number };

/** Every metric computed from one set of summed counts. */
export function computeMetrics(c: Counts): MetricValues {
  // The one cast: the object is filled from METRICS, whose ids are exactly MetricValues' keys.
  return Object.fromEntries(METRICS.map((m) => [m.id, m.compute(c)])) as MetricValues;
}

// ── Change against the previous period ──────────────────────────────────────────────────────────

/**
 * How a figure moved from the previous period of the same length to this one. A count by its
 * difference and that difference relative to before (null when before was 0); a ratio by its
 * difference in percentage points (null when either period has nothing to divide).
 */
export type MetricChange =
  { kind: "count"; previous: number; delta: number; relative: number | null } | { kind: "ratio"; previous: Ratio; points: number | null };

export function metricChange(current: Ratio | number, previous: Ratio | number): MetricChange {
  if (typeof current === "number" && typeof previous === "number") {
    return { kind: "count", previous, delta: current - previous, relative: previous === 0 ? null : (current - previous) / previous };
  }
  if (typeof current !== "number" && typeof previous !== "number") {
    return { kind: "ratio", previous, points: current.value === null || previous.value === null ? null : 100 * (current.value - previous.value) };
  }
  throw new TypeError("a count is compared with a count, a ratio with a ratio");
}

// ── Display ─────────────────────────────────────────────────────────────────────────────────────

/** Shown for a ratio with an empty denominator (and any missing figure). */
export const EMPTY_DISPLAY = "—";

/**
 * A ratio as a percentage with `digits` decimals, rounded half away from zero on the exact
 * fraction (23 / 80 = 28,75 % → "28,8 %", where 23 / 80 * 100 in floating point is 28,7499… → "28,7"): vi "29,6 %" (no-break
 * space before the sign), en "29.6%"; "—" when the denominator is 0.
 */
export function percentDisplay(r: Ratio, lang: string, digits = 1): string {
  if (r.value === null) return EMPTY_DISPLAY;
  if (!Number.isInteger(digits) || digits < 0 || digits > 6) throw new RangeError(`digits must be 0–6, got ${digits}`);
  const scale = 10n ** BigInt(digits);
  const scaled = BigInt(r.numerator) * 100n * scale;
  const d = BigInt(r.denominator);
  // Half away from zero on non-negative integers: floor((2n + d) / 2d).
  const rounded = (2n * scaled + d) / (2n * d);
  // One formatter per language and precision (utils/format): building an Intl.NumberFormat per call was half the dashboard page's CPU.
  const text = formatNumber(Number(rounded) / Number(scale), lang, digits);
  return lang === "en" ? `${text}%` : `${text}\u00a0%`;
}

/** A count as each language writes it: vi "1.234.567", en "1,234,567"; "—" for null. */
export function numberDisplay(n: number | null, lang: string): string {
  if (n === null) return EMPTY_DISPLAY;
  return formatNumber(n, lang);
}
