import { and, asc, gte, inArray, type SQL } from "drizzle-orm";
import { schema } from "../platform/schema.server";
import { vnDate } from "../../core/calendar/working-days";
import { LEVEL_CHANGE_EVENTS, LevelHistory, levelChangeOf, type LevelChange } from "../../core/statistics/level-history";
import type { Db } from "../platform/db.server";

/** The instant a Vietnam day ("YYYY-MM-DD") starts (UTC+7, no daylight saving). */
export function vnDayStart(day: string): Date {
  return new Date(`${day}T00:00:00+07:00`);
}

/**
 * The level changes the log records (level-history.ts), in the log's order: all of them, or those of
 * some procedures since an instant. Read through the (type, occurred_at) index.
 */
export async function readLevelChanges(db: Db, filter: { procedureIds?: readonly number[]; since?: Date } = {}): Promise<LevelChange[]> {
  const e = schema.dossierEvents;
  const conditions: SQL[] = [inArray(e.type, [...LEVEL_CHANGE_EVENTS])];
  if (filter.since) conditions.push(gte(e.occurredAt, filter.since));
  if (filter.procedureIds) conditions.push(inArray(e.procedureId, [...filter.procedureIds]));
  const rows = await db
    .select({ procedureId: e.procedureId, occurredAt: e.occurredAt, type: e.type, data: e.data })
    .from(e)
    .where(and(...conditions))
    .orderBy(asc(e.id));
  return rows.flatMap((r) => {
    const change = r.procedureId === null ? null : levelChangeOf(r.type, r.data);
    return change && r.procedureId !== null ? [{ procedureId: r.procedureId, day: vnDate(r.occurredAt), ...change }] : [];
  });
}

/** Every procedure's level on every day: the current levels and the whole log's changes. */
export async function readLevelHistory(db: Db, current: ReadonlyMap<number, number>): Promise<LevelHistory> {
  return new LevelHistory((id) => current.get(id), await readLevelChanges(db));
}
