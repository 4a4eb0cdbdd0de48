/**
 * How close a dossier is to its legal deadline, in working days (core/calendar). The queue's
 * flags and its bucket counts (app/server/officer-queue.server.ts) follow these rules.
 */
import { addWorkingDays, vnDate, type Calendar } from "../calendar/working-days";
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
