/**
 * Which daily counters an event of the log adds one to. The statistics dashboard reads these
 * counters (the `daily_counts` table) instead of scanning the raw log; `recordEvent` writes them in
 * the same transaction as the event, and `npm run stats:verify` recomputes them from the log with
 * this same mapping. docs/metrics.md defines the figures built on them.
 */
import { vnDate } from "../calendar/working-days";

/** Every counter name `rollupKeys` can produce. */
export const ROLLUP_METRICS = [
  "viewed",
  "template_downloaded",
  "form_started",
  "submitted",
  "submitted_fee",
  "received",
  "not_received",
  "supplement_requested",
  "payment_requested",
  "withdrawn",
  "stopped",
  "result_ready",
  "returned",
  "finished_early",
  "finished_on_time",
  "finished_late",
  "paid_online",
  "rated_very_satisfied",
  "rated_satisfied",
  "rated_not_satisfied",
  "result_downloaded",
  // An answer meant the procedure cannot be done online (the form's exits): demand the portal could not serve.
  "online_exit",
  // A document from the citizen's data store attached instead of uploaded again (digitisation: data reused).
  "document_reused",
] as const;
export type RollupMetric = (typeof ROLLUP_METRICS)[number];

/** What the mapping needs of an event: columns of dossier_events (missing or null alike). */
export type RollupEvent = {
  type: string;
  dossierId?: number | null;
  agencyId?: number | null;
  procedureId?: number | null;
  channel?: string | null;
  toStatus?: number | null;
  data?: unknown;
};

/** One counter cell: 0 and "" stand for "no agency / procedure / channel" (the primary key cannot hold null). */
export type RollupKey = { metric: string; day: string; agencyId: number; procedureId: number; channel: string };
export type RollupRow = RollupKey & { count: number };

/** A status change counts under the status it reaches (numbers from app/core/dossiers/status.ts). */
const STATUS_METRIC: ReadonlyMap<number, RollupMetric> = new Map([
  [2, "received"],
  [3, "not_received"],
  [5, "supplement_requested"],
  [6, "payment_requested"],
  [7, "withdrawn"],
  [8, "stopped"],
  [9, "result_ready"],
  [10, "returned"],
]);

const TIMELINESS_METRIC: ReadonlyMap<unknown, RollupMetric> = new Map([
  ["early", "finished_early"],
  ["on_time", "finished_on_time"],
  ["late", "finished_late"],
]);

const RATING_METRIC: ReadonlyMap<unknown, RollupMetric> = new Map([
  ["very_satisfied", "rated_very_satisfied"],
  ["satisfied", "rated_satisfied"],
  ["not_satisfied", "rated_not_satisfied"],
]);

const SIMPLE_METRIC: ReadonlyMap<string, RollupMetric> = new Map([
  ["procedure_viewed", "viewed"],
  ["template_downloaded", "template_downloaded"],
  ["form_started", "form_started"],
  ["payment_confirmed", "paid_online"],
  ["result_downloaded", "result_downloaded"],
  // Each pick is one reuse (a draft may reuse several documents, or the same one again after removing it).
  ["document_reused", "document_reused"],
]);

/** An own field of the event's JSON data, or undefined (data may be null, an array, anything). */
function field(data: unknown, name: string): unknown {
  if (typeof data !== "object" || data === null || Array.isArray(data) || !Object.hasOwn(data, name)) return undefined;
  const value: unknown = Reflect.get(data, name);
  return value;
}

/** The counters an event adds one to (the contract in the statistics brief; most events count nowhere). */
export function rollupKeys(event: RollupEvent): RollupMetric[] {
  const simple = SIMPLE_METRIC.get(event.type);
  if (simple) return [simple];
  switch (event.type) {
    case "submitted": {
      const fee = field(event.data, "feeVnd");
      return typeof fee === "number" && fee > 0 ? ["submitted", "submitted_fee"] : ["submitted"];
    }
    case "status_changed": {
      const keys: RollupMetric[] = [];
      const status = STATUS_METRIC.get(event.toStatus ?? -1);
      if (status) keys.push(status);
      const finished = TIMELINESS_METRIC.get(field(event.data, "timeliness"));
      if (finished) keys.push(finished);
      return keys;
    }
    case "rated": {
      const rated = RATING_METRIC.get(field(event.data, "rating"));
      return rated ? [rated] : [];
    }
    case "online_exit":
      // Counted on a draft (the dossier) and naming its exit: what "once per draft and exit" needs (exitOnce).
      return exitOnce(event) === null ? [] : ["online_exit"];
    default:
      return [];
  }
}

/**
 * What makes an `online_exit` event count once: its draft and the exit it names ("draft\u001fexit"),
 * or null when it has neither (it then counts nowhere). The portal records an exit once per draft
 * and exit (recordOnlineExit, under the write lock); replaying the log counts only the first event
 * of each pair, so a repeated one would show up in stats:verify instead of in the figures.
 */
export function exitOnce(event: Pick<RollupEvent, "type" | "dossierId" | "data">): string | null {
  if (event.type !== "online_exit" || typeof event.dossierId !== "number") return null;
  const exit = field(event.data, "exit");
  return typeof exit === "string" && exit !== "" ? `${event.dossierId}\u001f${exit}` : null;
}

/** The day an event counts on: its date in Vietnam (UTC+7), so 17:00 UTC is already tomorrow. */
export function rollupDay(occurredAt: Date): string {
  return vnDate(occurredAt);
}

/** The cells an event adds one to: its counters on its Vietnam day, agency, procedure and channel. */
export function rollupRows(event: RollupEvent & { occurredAt: Date }): RollupKey[] {
  const metrics = rollupKeys(event);
  return metrics.length === 0 ? [] : cellsOn(rollupDay(event.occurredAt), event, metrics);
}

function cellsOn(day: string, event: RollupEvent, metrics: readonly RollupMetric[]): RollupKey[] {
  const rest = { day, agencyId: event.agencyId ?? 0, procedureId: event.procedureId ?? 0, channel: event.channel ?? "" };
  return metrics.map((metric) => ({ metric, ...rest }));
}

/** One string per cell, for maps that add up or compare counters (the unit separator occurs in none of the parts). */
export function rollupKeyId(key: RollupKey): string {
  return `${key.metric}\u001f${key.day}\u001f${key.agencyId}\u001f${key.procedureId}\u001f${key.channel}`;
}

const HOUR_MS = 3_600_000;

/**
 * Adds events' counters up in memory: what the table should hold for the events given. Made to
 * replay the whole log (rebuild and verify), so it remembers the last hour's Vietnam day.
 */
export class RollupTally {
  readonly cells = new Map<string, RollupRow>();
  private lastHour = Number.NaN;
  private lastDay = "";
  /** The (draft, exit) pairs already counted (exitOnce). */
  private readonly exits = new Set<string>();

  add(event: RollupEvent & { occurredAt: Date }): void {
    const metrics = rollupKeys(event);
    if (metrics.length === 0) return;
    const exit = exitOnce(event);
    if (exit !== null) {
      if (this.exits.has(exit)) return;
      this.exits.add(exit);
    }
    for (const key of cellsOn(this.day(event.occurredAt), event, metrics)) {
      const id = rollupKeyId(key);
      const cell = this.cells.get(id);
      if (cell) cell.count += 1;
      else this.cells.set(id, { ...key, count: 1 });
    }
  }

  /** Vietnam is a whole number of hours ahead of UTC, so one UTC hour lies within one Vietnam day; the log comes in time order, so this nearly always hits. */
  private day(at: Date): string {
    const hour = Math.floor(at.getTime() / HOUR_MS);
    if (hour !== this.lastHour) {
      this.lastHour = hour;
      this.lastDay = rollupDay(at);
    }
    return this.lastDay;
  }
}
