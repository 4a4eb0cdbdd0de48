/**
 * A procedure's online level on each day, from the changes the log records (decision 031): the
 * statistics count an event at the level its procedure had on the event's Vietnam day, so a change
 * of level counts from its own day on and the periods before it keep their figures. A change is
 * logged as `procedure_level_changed` {from, to} (a level derived again) or, in logs from when an
 * administrator typed the level, as `procedure_updated` {changes: {level: {from, to}}}.
 */
export type LevelChange = { procedureId: number; day: string; from: number; to: number };

const LEVEL_EVENTS = ["procedure_level_changed", "procedure_updated"] as const;
export const LEVEL_CHANGE_EVENTS: readonly string[] = LEVEL_EVENTS;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const levelPair = (v: unknown): { from: number; to: number } | null =>
  isRecord(v) && typeof v.from === "number" && typeof v.to === "number" && v.from !== v.to ? { from: v.from, to: v.to } : null;

/** The level change an event records, if any (a class-only change of `procedure_level_changed` is none). */
export function levelChangeOf(type: string, data: unknown): { from: number; to: number } | null {
  if (type === "procedure_level_changed") return levelPair(data);
  if (type === "procedure_updated" && isRecord(data) && isRecord(data.changes)) return levelPair(data.changes.level);
  return null;
}

export class LevelHistory {
  /** Each procedure's changes, in the log's order. */
  private readonly changes = new Map<number, LevelChange[]>();

  /** `current`: a procedure's level now (the catalog's); `changes` in the order they were logged. */
  constructor(
    private readonly current: (procedureId: number) => number | undefined,
    changes: Iterable<LevelChange> = [],
  ) {
    for (const c of changes) {
      const list = this.changes.get(c.procedureId);
      if (list) list.push(c);
      else this.changes.set(c.procedureId, [c]);
    }
  }

  /** Whether the procedure's level changed on a day after `day` (only then does levelOn differ from the current level). */
  changedAfter(procedureId: number, day: string): boolean {
    return (this.changes.get(procedureId) ?? []).some((c) => c.day > day);
  }

  /**
   * The level on `day`: the one the first change after that day changed from; with no later change,
   * the current level. A change counts from its own day (a day's events are counted at the level the
   * day ended with).
   */
  levelOn(procedureId: number, day: string): number | undefined {
    const later = (this.changes.get(procedureId) ?? []).find((c) => c.day > day);
    return later ? later.from : this.current(procedureId);
  }
}
