/**
 * What a statistics request asks for (period, grouping, interval, target) and the calendar
 * arithmetic of its periods. Pure rules; the SQL lives in app/server/statistics/dashboard.server.ts, which
 * builds `StatisticsQuerySchema` from this with today's date and the configured target.
 */
import * as z from "zod";

export const GROUP_BYS = ["agency", "field", "procedure", "level", "channel", "none"] as const;
export type GroupBy = (typeof GROUP_BYS)[number];
export const INTERVALS = ["day", "week", "month"] as const;
export type Interval = (typeof INTERVALS)[number];

/** The default period: the last 30 days, today included. */
export const DEFAULT_PERIOD_DAYS = 30;
/** A longer period would make the day series and the sums needlessly heavy. */
export const MAX_SPAN_YEARS = 3;
export const DEFAULT_LEVEL4_TARGET_PERCENT = 30;

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 for a real calendar date written YYYY-MM-DD, or null (2026-02-30, 2026-2-3…). */
function dayNumber(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === date ? ms / DAY_MS : null;
}

function mustDay(date: string): number {
  const n = dayNumber(date);
  if (n === null) throw new RangeError(`invalid date "${date}": expected YYYY-MM-DD`);
  return n;
}

const fromDay = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

export function isCalendarDate(date: string): boolean {
  return dayNumber(date) !== null;
}

export function addDays(date: string, n: number): string {
  return fromDay(mustDay(date) + n);
}

/** The same day `n` years later; 29 February becomes 28 February in a common year. */
export function addYears(date: string, n: number): string {
  const [y, m, d] = date.split("-").map(Number);
  if (y === undefined || m === undefined || d === undefined) throw new RangeError(`invalid date "${date}"`);
  const year = String(y + n).padStart(4, "0");
  const month = String(m).padStart(2, "0");
  const candidate = `${year}-${month}-${String(d).padStart(2, "0")}`;
  return isCalendarDate(candidate) ? candidate : `${year}-${month}-28`;
}

/**
 * The period of the same length just before from..to (both ends included): what the dashboard's
 * key figures are compared with. 2026-06-01..2026-06-30 → 2026-05-02..2026-05-31.
 */
export function previousPeriod(period: { from: string; to: string }): { from: string; to: string; days: number } {
  const days = mustDay(period.to) - mustDay(period.from) + 1;
  if (days < 1) throw new RangeError(`the period ends before it starts: ${period.from}..${period.to}`);
  return { from: addDays(period.from, -days), to: addDays(period.from, -1), days };
}

/** The first day of the bucket `date` falls in: itself, the Monday of its ISO week, or the 1st of its month. */
export function bucketStart(date: string, interval: Interval): string {
  const n = mustDay(date);
  if (interval === "day") return date;
  if (interval === "month") return `${date.slice(0, 7)}-01`;
  const weekday = new Date(n * DAY_MS).getUTCDay(); // 0 = Sunday
  return fromDay(n - ((weekday + 6) % 7));
}

function nextBucket(start: string, interval: Interval): string {
  if (interval === "day") return addDays(start, 1);
  if (interval === "week") return addDays(start, 7);
  const [y, m] = start.split("-").map(Number);
  if (y === undefined || m === undefined) throw new RangeError(`invalid date "${start}"`);
  return m === 12 ? `${String(y + 1).padStart(4, "0")}-01-01` : `${String(y).padStart(4, "0")}-${String(m + 1).padStart(2, "0")}-01`;
}

/**
 * The buckets covering from..to (inclusive), each named by its first day (`bucket`) and clipped to
 * the period (`from`, `to`): a week series over 2026-06-03..2026-06-20 starts with the week of
 * Monday 1 June, counted from the 3rd.
 */
export function periodBuckets(from: string, to: string, interval: Interval): { bucket: string; from: string; to: string }[] {
  if (mustDay(from) > mustDay(to)) return [];
  const buckets: { bucket: string; from: string; to: string }[] = [];
  for (let start = bucketStart(from, interval); start <= to; start = nextBucket(start, interval)) {
    const end = addDays(nextBucket(start, interval), -1);
    buckets.push({ bucket: start, from: start < from ? from : start, to: end > to ? to : end });
  }
  return buckets;
}

/** A message key per problem, translated when shown (locales/*\/statistics.json, group "stats.errors"). */
export const STATS_ERRORS = {
  dateInvalid: "stats.errors.date_invalid",
  rangeReversed: "stats.errors.range_reversed",
  rangeTooLong: "stats.errors.range_too_long",
  groupByInvalid: "stats.errors.group_by_invalid",
  intervalInvalid: "stats.errors.interval_invalid",
  targetInvalid: "stats.errors.target_invalid",
  agencyNotFound: "stats.errors.agency_not_found",
} as const;

/** A form field left empty arrives as ""; it means "not given", so the default applies. */
const blankIsAbsent = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optionalDate = z.preprocess(blankIsAbsent, z.string().trim().refine(isCalendarDate, STATS_ERRORS.dateInvalid).optional());

/** At most two decimals, so the exact comparison in meetsTarget (hundredths of a percent) is exact. */
const targetPercent = z.coerce
  .number({ error: STATS_ERRORS.targetInvalid })
  .min(0, STATS_ERRORS.targetInvalid)
  .max(100, STATS_ERRORS.targetInvalid)
  .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, STATS_ERRORS.targetInvalid);

/**
 * The request's parameters (URL search parameters or the API's query), with defaults: the last 30
 * days (Vietnam dates, both ends included), grouped by agency, one point a day, the configured
 * level-4 target. A bad value is an issue with a message key, never a silent fallback: the person
 * asked for figures and must know which ones they get.
 */
export function statisticsQuerySchema(options: { today: () => string; defaultTargetPercent: () => number }) {
  return z
    .object({
      from: optionalDate,
      to: optionalDate,
      groupBy: z.preprocess(blankIsAbsent, z.enum(GROUP_BYS, { error: STATS_ERRORS.groupByInvalid }).default("agency")),
      agency: z.preprocess(
        blankIsAbsent,
        z
          .string()
          .trim()
          .regex(/^[a-z0-9-]{1,100}$/, STATS_ERRORS.agencyNotFound)
          .optional(),
      ),
      interval: z.preprocess(blankIsAbsent, z.enum(INTERVALS, { error: STATS_ERRORS.intervalInvalid }).default("day")),
      target: z.preprocess(blankIsAbsent, targetPercent.optional()),
    })
    .transform((q, ctx) => {
      const to = q.to ?? (q.from ? minDate(addDays(q.from, DEFAULT_PERIOD_DAYS - 1), options.today()) : options.today());
      const from = q.from ?? addDays(to, -(DEFAULT_PERIOD_DAYS - 1));
      if (from > to) {
        ctx.issues.push({ code: "custom", path: ["to"], message: STATS_ERRORS.rangeReversed, input: q.to });
        return z.NEVER;
      }
      if (to >= addYears(from, MAX_SPAN_YEARS)) {
        ctx.issues.push({ code: "custom", path: ["from"], message: STATS_ERRORS.rangeTooLong, input: q.from });
        return z.NEVER;
      }
      return { from, to, groupBy: q.groupBy, agency: q.agency ?? null, interval: q.interval, target: q.target ?? options.defaultTargetPercent() };
    });
}
export type StatisticsQuery = z.output<ReturnType<typeof statisticsQuerySchema>>;

const minDate = (a: string, b: string) => (a < b ? a : b);

/** A problem with the request, for the form's error summary or the API's 400 answer. */
export type QueryIssue = { field: string; message: string };

export function queryIssues(error: z.ZodError): QueryIssue[] {
  return error.issues.map((i) => ({
    field: i.path.map(String).join(".") || "query",
    message: i.message.startsWith("stats.") ? i.message : "stats.errors.bad_request",
  }));
}
