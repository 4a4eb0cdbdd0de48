/**
 * Vietnam days and office hours for the scale generator, on day numbers (days since 1970-01-01
 * in Vietnam time) so the hot loop never parses a date string. Working days and appointment dates
 * come from the app's own calendar (app/core/calendar), so the generated deadlines follow the
 * portal's rules: the same holidays, the same 17:00 receipt cut-off.
 */
import { addWorkingDays, appointmentDate, createCalendar, type Calendar } from "../../app/core/calendar/working-days";

export const DAY_MS = 86_400_000;
export const MINUTE_MS = 60_000;
const VN_OFFSET_MS = 7 * 3_600_000;

/** The Vietnam day number of an instant. */
export const vnDayOf = (ms: number) => Math.floor((ms + VN_OFFSET_MS) / DAY_MS);
/** The instant of Vietnam midnight starting a day. */
export const vnMidnight = (day: number) => day * DAY_MS - VN_OFFSET_MS;
export const dayString = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
export const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;

/** Office hours, minutes after midnight: 7:30–11:30 and 13:30–17:00. */
const OFFICE_END = 17 * 60;
const OFFICE: readonly [number, number][] = [
  [7 * 60 + 30, 11 * 60 + 30],
  [13 * 60 + 30, OFFICE_END],
];
const OFFICE_MINUTES = OFFICE.reduce((s, [a, b]) => s + b - a, 0);

export class WorkCalendar {
  readonly calendar: Calendar = createCalendar();
  private readonly working: Uint8Array;
  private readonly cutoffs = new Map<number, { cutoff: number; before: number; after: number }>();
  private readonly dueDays = new Map<number, number>();

  /** Covers days first…last (both included); the app's calendar throws outside the years it lists. */
  constructor(
    readonly first: number,
    readonly last: number,
  ) {
    this.working = new Uint8Array(last - first + 1);
    for (let d = first; d <= last; d += 1) this.working[d - first] = this.calendar.isWorkingDay(dayString(d)) ? 1 : 0;
  }

  isWorking(day: number): boolean {
    if (day < this.first || day > this.last) throw new RangeError(`day ${dayString(day)} is outside the generator's calendar`);
    return this.working[day - this.first] === 1;
  }

  /** The n-th working day after `day` (n = 0: `day` itself if working, else the next one) — addWorkingDays on numbers. */
  addWorking(day: number, n: number): number {
    if (n === 0 && this.isWorking(day)) return day;
    let d = day;
    for (let left = Math.max(n, 1); left > 0;) {
      d += 1;
      if (this.isWorking(d)) left -= 1;
    }
    return d;
  }

  /** Working days d with from ≤ d < to. */
  workingBetween(from: number, to: number): number {
    let n = 0;
    for (let d = from; d < to; d += 1) if (this.isWorking(d)) n += 1;
    return n;
  }

  /** A uniformly chosen instant within the office hours of `day`. */
  officeInstant(day: number, u: number): number {
    let minute = u * OFFICE_MINUTES;
    for (const [a, b] of OFFICE) {
      if (minute < b - a) return vnMidnight(day) + (a + minute) * MINUTE_MS;
      minute -= b - a;
    }
    return vnMidnight(day) + OFFICE_END * MINUTE_MS - 1;
  }

  /**
   * The app's appointmentDate (core/calendar) as a day number, memoised. Its rule: the day of
   * receipt (the submission day, or the next working day after the 17:00 cut-off, a weekend or a
   * holiday) plus `processingDays` working days. The day of receipt is appointmentDate(t, 0) and
   * within one Vietnam day changes only once, at the cut-off: found per day by bisection over the
   * app's function. The working days are then added with the app's addWorkingDays.
   */
  appointment(ms: number, processingDays: number): number {
    const received = this.receiptDay(ms);
    const key = received * 1024 + processingDays;
    let due = this.dueDays.get(key);
    if (due === undefined) {
      due = dayNumber(addWorkingDays(this.calendar, dayString(received), processingDays));
      this.dueDays.set(key, due);
    }
    return due;
  }

  private receiptDay(ms: number): number {
    const day = vnDayOf(ms);
    let known = this.cutoffs.get(day);
    if (known === undefined) {
      const at = (minute: number) => dayNumber(appointmentDate(this.calendar, new Date(vnMidnight(day) + minute * MINUTE_MS), 0));
      const before = at(0);
      let lo = 0;
      let hi = 1440;
      // The first minute whose day of receipt differs from midnight's (1440: none does).
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (at(mid) !== before) hi = mid;
        else lo = mid + 1;
      }
      known = { cutoff: lo, before, after: lo < 1440 ? at(lo) : before };
      this.cutoffs.set(day, known);
    }
    const minute = Math.floor((ms - vnMidnight(day)) / MINUTE_MS);
    return minute < known.cutoff ? known.before : known.after;
  }
}
