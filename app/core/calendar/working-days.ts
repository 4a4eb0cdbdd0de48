/**
 * Working days of Vietnamese state agencies, for processing deadlines and
 * appointment dates. Dates are calendar dates in Vietnam as "YYYY-MM-DD";
 * arithmetic is done on whole UTC days so the server's time zone never matters.
 */
import * as z from "zod";
import defaultHolidays from "./vn-holidays.json";

const DAY_MS = 86_400_000;
/** Asia/Ho_Chi_Minh is UTC+7 all year (no DST), so a fixed offset is exact. */
const VN_OFFSET_MS = 7 * 3_600_000;
/** Dossiers submitted at or after 17:00 count as received the next working day. */
const RECEIPT_CUTOFF_MINUTES = 17 * 60;

/** Days since 1970-01-01 for a real calendar date, or null (catches 2026-02-30, 2026-2-3, …). */
function dayNumber(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Date.UTC silently rolls overflow into the next month; a round trip rejects it.
  return new Date(ms).toISOString().slice(0, 10) === date ? ms / DAY_MS : null;
}

function parseDate(date: string): number {
  const n = dayNumber(date);
  if (n === null) throw new Error(`invalid date "${date}": expected a real date as YYYY-MM-DD`);
  return n;
}

function formatDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
function weekday(day: number): number {
  return new Date(day * DAY_MS).getUTCDay();
}

const isoDate = z.string().refine((s) => dayNumber(s) !== null, "expected a real date as YYYY-MM-DD");
const localized = z.object({ vi: z.string().min(1), en: z.string().min(1) });

export const holidayDataSchema = z
  .object({
    // vnDate/vnTime hard-code UTC+7, so data for any other zone would be misread.
    timeZone: z.literal("Asia/Ho_Chi_Minh"),
    years: z.array(z.number().int().min(1970).max(9999)).min(1),
    note: z.string().optional(),
    daysOff: z.array(z.object({ date: isoDate, name: localized, provisional: z.boolean().optional() })),
    workingSaturdays: z.array(z.object({ date: isoDate, reason: localized, provisional: z.boolean().optional() })),
  })
  .superRefine((data, ctx) => {
    const years = new Set(data.years);
    const off = new Set<string>();
    data.daysOff.forEach(({ date }, i) => {
      if (!years.has(Number(date.slice(0, 4)))) ctx.addIssue({ code: "custom", path: ["daysOff", i, "date"], message: `${date} is outside the listed years` });
      if (off.has(date)) ctx.addIssue({ code: "custom", path: ["daysOff", i, "date"], message: `${date} is listed twice` });
      off.add(date);
    });
    data.workingSaturdays.forEach(({ date }, i) => {
      const path = ["workingSaturdays", i, "date"];
      const day = dayNumber(date);
      if (day !== null && weekday(day) !== 6) ctx.addIssue({ code: "custom", path, message: `${date} is not a Saturday` });
      if (!years.has(Number(date.slice(0, 4)))) ctx.addIssue({ code: "custom", path, message: `${date} is outside the listed years` });
      if (off.has(date)) ctx.addIssue({ code: "custom", path, message: `${date} is both a day off and a working day` });
    });
  });

export type HolidayData = z.input<typeof holidayDataSchema>;

export type Calendar = {
  /** Not a working day (weekend or public holiday). */
  isDayOff(date: string): boolean;
  isWorkingDay(date: string): boolean;
};

/**
 * Both methods throw Error for a malformed date and RangeError("calendar does not
 * cover YYYY") outside the data's years, so nothing silently treats an unknown
 * year's holidays as working days.
 */
export function createCalendar(data?: HolidayData): Calendar {
  const parsed = holidayDataSchema.parse(data ?? defaultHolidays);
  const years = new Set(parsed.years);
  const daysOff = new Set(parsed.daysOff.map((d) => d.date));
  const workingSaturdays = new Set(parsed.workingSaturdays.map((d) => d.date));

  function isWorkingDay(date: string): boolean {
    const day = parseDate(date);
    const year = Number(date.slice(0, 4));
    if (!years.has(year)) throw new RangeError(`calendar does not cover ${year}`);
    if (daysOff.has(date)) return false;
    if (workingSaturdays.has(date)) return true;
    const wd = weekday(day);
    return wd !== 0 && wd !== 6;
  }
  return { isWorkingDay, isDayOff: (date) => !isWorkingDay(date) };
}

/** The wall-clock date and minutes since midnight in Vietnam at `instant`. */
export function vnTime(instant: Date): { date: string; minutes: number } {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new Error("invalid Date");
  const local = new Date(ms + VN_OFFSET_MS);
  return { date: local.toISOString().slice(0, 10), minutes: local.getUTCHours() * 60 + local.getUTCMinutes() };
}

/** The calendar date in Vietnam at `instant`. */
export function vnDate(instant: Date): string {
  return vnTime(instant).date;
}

/**
 * The n-th working day after startDate (startDate itself never counts). n = 0
 * means startDate if it is a working day, else the next working day.
 */
export function addWorkingDays(cal: Calendar, startDate: string, n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  let day = parseDate(startDate);
  // Also validates startDate's year, even when n ≥ 1 and it is never counted.
  if (cal.isWorkingDay(startDate) && n === 0) return startDate;
  // The loop ends: isWorkingDay throws RangeError once it walks past the covered years.
  for (let left = Math.max(n, 1); left > 0;) {
    day += 1;
    if (cal.isWorkingDay(formatDate(day))) left -= 1;
  }
  return formatDate(day);
}

/** The first working day strictly after date. */
export function nextWorkingDay(cal: Calendar, date: string): string {
  return addWorkingDays(cal, date, 1);
}

/** Working days d with from < d ≤ to; negative when to is before from. */
export function workingDaysBetween(cal: Calendar, from: string, to: string): number {
  const a = parseDate(from);
  const b = parseDate(to);
  if (b < a) {
    const n = workingDaysBetween(cal, to, from);
    return n === 0 ? 0 : -n; // avoid -0
  }
  cal.isWorkingDay(from); // not counted, but an uncovered year must still be rejected
  let count = 0;
  for (let day = a + 1; day <= b; day += 1) if (cal.isWorkingDay(formatDate(day))) count += 1;
  return count;
}

/**
 * Appointment date (ngày hẹn trả kết quả) for a dossier:
 * 1. Receipt: submitted on a working day before 17:00 Vietnam time → received that
 *    day; otherwise (17:00 or later, weekend, holiday) → the next working day.
 * 2. Due at the end of the processingDays-th working day after the day of receipt;
 *    the day of receipt itself does not count, and processingDays = 0 means the
 *    day of receipt.
 */
export function appointmentDate(cal: Calendar, submittedAt: Date, processingDays: number): string {
  const { date, minutes } = vnTime(submittedAt);
  const received = cal.isWorkingDay(date) && minutes < RECEIPT_CUTOFF_MINUTES ? date : nextWorkingDay(cal, date);
  return addWorkingDays(cal, received, processingDays);
}
