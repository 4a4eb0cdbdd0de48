/**
 * The dashboard's quick periods and the time-series interval it suggests for a period. Pure
 * calendar rules on Vietnam dates (YYYY-MM-DD); the figures themselves come from the query layer.
 */
import { addDays, isCalendarDate, type Interval } from "./query";

export const PERIOD_PRESETS = ["last_7_days", "last_30_days", "this_month", "this_year"] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

/** The period a quick link stands for, ending today (both ends included, like every period). */
export function presetPeriod(preset: PeriodPreset, today: string): { from: string; to: string } {
  if (!isCalendarDate(today)) throw new RangeError(`invalid date "${today}"`);
  switch (preset) {
    case "last_7_days":
      return { from: addDays(today, -6), to: today };
    case "last_30_days":
      return { from: addDays(today, -29), to: today };
    case "this_month":
      return { from: `${today.slice(0, 7)}-01`, to: today };
    case "this_year":
      return { from: `${today.slice(0, 4)}-01-01`, to: today };
  }
}

/** Longest period still drawn one point a day, then one a week; beyond, one a month. */
export const DAY_SERIES_MAX_DAYS = 62;
export const WEEK_SERIES_MAX_DAYS = 183;

/**
 * The interval used when the request names none: a period of three years drawn day by day would be
 * 1 096 points (and as many table rows), unreadable and heavy; a week of months would be one point.
 */
export function suggestedInterval(from: string, to: string): Interval {
  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
  if (days <= DAY_SERIES_MAX_DAYS) return "day";
  if (days <= WEEK_SERIES_MAX_DAYS) return "week";
  return "month";
}
