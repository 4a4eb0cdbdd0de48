/**
 * How close a dossier is to its legal deadline, in working days (core/calendar). The queue's
 * flags and its bucket counts (app/server/dossiers/officer-queue.server.ts) follow these rules.
 */
import { addWorkingDays, vnDate, workingDaysBetween, type Calendar } from "../calendar/working-days";
import type { DueBucket } from "./queue";
import { STATUS, type StatusCode } from "./status";

/**
 * Statuses whose legal clock runs. A submitted dossier only has a provisional date (the clock
 * starts at receipt) and a supplement request pauses it, so neither can be overdue.
 */
export const CLOCK_STATUSES: readonly StatusCode[] = [STATUS.received, STATUS.processing, STATUS.paymentRequested];

/** A dossier is "due soon" when due within this many working days from today. */
export const SOON_WORKING_DAYS = 2;

/** Dates (YYYY-MM-DD, Vietnam) separating the due buckets: overdue < today ≤ soon ≤ soonUntil < later. */
export type DueThresholds = { today: string; soonUntil: string };

export function dueThresholds(cal: Calendar, now: Date): DueThresholds {
  const today = vnDate(now);
  return { today, soonUntil: addWorkingDays(cal, today, SOON_WORKING_DAYS) };
}

export function dueBucket(dueOn: string, t: DueThresholds): DueBucket {
  if (dueOn < t.today) return "overdue";
  if (dueOn <= t.soonUntil) return "soon";
  return "later";
}

/** Whether the legal clock runs for a dossier (same rule as the SQL bucket counts). */
export function clockRuns(d: { status: number; pausedAt: Date | null }): boolean {
  return d.pausedAt === null && CLOCK_STATUSES.some((s) => s === d.status);
}

/** The deadline flag a queue row shows; null when the clock does not run or there is no date. */
export function deadlineFlag(d: { status: number; pausedAt: Date | null; dueOn: string | null }, t: DueThresholds): DueBucket | null {
  if (!d.dueOn || !clockRuns(d)) return null;
  return dueBucket(d.dueOn, t);
}

/**
 * The deadline clock of a dossier (Decree 61/2018 and 107/2021): it runs in working days from
 * receipt, stops while the agency waits on the citizen (a supplement request) and never counts the
 * waiting time against the agency. A new date promised with an apology does not move the legal
 * deadline: a dossier finished after its deadline is late, whatever was promised later.
 */

/**
 * Working days the clock stood still: the days after the request up to and including the day the
 * citizen answered. The request day was the agency's; asked and answered the same day costs nothing.
 */
export function pausedWorkingDays(cal: Calendar, pausedAt: Date, resumedAt: Date): number {
  return Math.max(0, workingDaysBetween(cal, vnDate(pausedAt), vnDate(resumedAt)));
}

/** The deadline once the clock resumes: moved later by the working days spent waiting. */
export function resumeClock(cal: Calendar, input: { dueOn: string | null; pausedAt: Date; resumedAt: Date }): { dueOn: string | null; pausedDays: number } {
  const pausedDays = pausedWorkingDays(cal, input.pausedAt, input.resumedAt);
  if (!input.dueOn || pausedDays === 0) return { dueOn: input.dueOn, pausedDays };
  return { dueOn: addWorkingDays(cal, input.dueOn, pausedDays), pausedDays };
}

export const TIMELINESS = ["early", "on_time", "late"] as const;
export type Timeliness = (typeof TIMELINESS)[number];

/** Early: finished before the deadline day; on time: on it; late: after it (Vietnam dates). */
export function classifyTimeliness(finishedOn: string, dueOn: string): Timeliness {
  if (finishedOn < dueOn) return "early";
  return finishedOn === dueOn ? "on_time" : "late";
}

export type ApologyError = "not_late" | "date_not_later" | "not_working_day";

/**
 * Whether an apology with a new appointment may be issued (phiếu xin lỗi và hẹn lại ngày trả kết quả):
 * only when the dossier is late or will be (the decree asks for the apology no later than the day
 * before the deadline, so from one working day before it), and only for a working day after both
 * today and the current deadline.
 */
export function checkApology(cal: Calendar, input: { today: string; dueOn: string; newDate: string }): { ok: true } | { ok: false; error: ApologyError } {
  if (!apologyAllowed(cal, input.today, input.dueOn)) return { ok: false, error: "not_late" };
  if (input.newDate <= input.dueOn || input.newDate <= input.today) return { ok: false, error: "date_not_later" };
  if (!cal.isWorkingDay(input.newDate)) return { ok: false, error: "not_working_day" };
  return { ok: true };
}

/** Late, or due within one working day: the time to apologise and set a new date. */
export function apologyAllowed(cal: Calendar, today: string, dueOn: string): boolean {
  return dueOn <= addWorkingDays(cal, today, 1);
}
