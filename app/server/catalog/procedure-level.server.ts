import { eq, sql } from "drizzle-orm";
import { schema } from "../platform/schema.server";
import { deriveLevel, isOnlineService, type DerivedLevel, type LevelFacts, type OnlineService } from "../../core/catalog/derived-level";
import { normalizeDeliveryModes } from "../../core/catalog/procedure-settings";
import { vnDate } from "../../core/calendar/working-days";
import type { Tx } from "../platform/db.server";
import { asNumber, jsonArrayLength } from "../platform/dialect.server";
import { recordEvent } from "../statistics/events.server";
import { moveProcedure } from "../statistics/counters.server";
import { refreshProcedureFacets } from "./search-index.server";
import { catalogChanged } from "./catalog-version.server";
import { bumpSharedGenerations } from "./shared-generations.server";

/** Why a level was derived again: the change of fact that caused it (recorded on the event). */
export type LevelChangeReason = "settings" | "form_published" | "form_unpublished" | "seed";

/** A procedure's facts, its stored level and class, as the row holds them now (in `tx`). */
export async function procedureLevelFacts(tx: Tx, procedureId: number) {
  const [row] = await tx
    .select({
      code: schema.procedures.code,
      agencyId: schema.procedures.agencyId,
      level: schema.procedures.level,
      onlineService: schema.procedures.onlineService,
      feeVnd: schema.procedures.feeVnd,
      paymentOnline: schema.procedures.paymentOnline,
      deliveryModes: schema.procedures.deliveryModes,
      inPersonStep: schema.procedures.inPersonStep,
      formVersion: schema.procedures.formVersion,
      templateCount: asNumber(sql`coalesce(${jsonArrayLength(schema.procedures.details, "templates")}, 0)`),
    })
    .from(schema.procedures)
    .where(eq(schema.procedures.id, procedureId))
    .limit(1);
  if (!row) return undefined;
  const facts: LevelFacts = {
    hasTemplate: row.templateCount > 0,
    hasPublishedForm: row.formVersion !== null,
    feeVnd: row.feeVnd,
    paymentOnline: row.paymentOnline,
    deliveryModes: normalizeDeliveryModes(row.deliveryModes),
    inPersonStep: row.inPersonStep,
  };
  const onlineService: OnlineService | null = isOnlineService(row.onlineService) ? row.onlineService : null;
  return { code: row.code, agencyId: row.agencyId, stored: { level: row.level, onlineService }, facts };
}

export type Rederived = {
  changed: boolean;
  from: { level: number; onlineService: OnlineService | null };
  derived: DerivedLevel;
};

/**
 * Derives a procedure's level and online-service class again from its facts as they now are in
 * `tx` (call it after writing the fact that changed, in the same transaction). When either differs
 * from the stored one: the row takes the derived values, the statistics counters and the search
 * index's level word move with it (as an administrator's level change always did), every catalog
 * cache is made stale, and ONE event `procedure_level_changed` {code, from, to, serviceFrom,
 * serviceTo, reason} is recorded. Undefined when there is no such procedure.
 */
export async function rederiveProcedureLevel(
  tx: Tx,
  procedureId: number,
  input: { actorId?: number | null; actorRole?: string | null; now: Date; reason: LevelChangeReason },
): Promise<Rederived | undefined> {
  const found = await procedureLevelFacts(tx, procedureId);
  if (!found) return undefined;
  const derived = deriveLevel(found.facts);
  const from = found.stored;
  const changed = from.level !== derived.level || from.onlineService !== derived.onlineService;
  if (!changed) return { changed, from, derived };
  await tx.update(schema.procedures).set({ level: derived.level, onlineService: derived.onlineService }).where(eq(schema.procedures.id, procedureId));
  if (from.level !== derived.level) {
    // From the day of the change on: the days before keep counting at the level they had (decision 031).
    await moveProcedure(
      tx,
      procedureId,
      { agencyId: found.agencyId, level: from.level },
      { agencyId: found.agencyId, level: derived.level },
      vnDate(input.now),
    );
    await refreshProcedureFacets(tx, procedureId);
  }
  await recordEvent(tx, {
    type: "procedure_level_changed",
    occurredAt: input.now,
    procedureId,
    agencyId: found.agencyId,
    actorId: input.actorId ?? null,
    actorRole: input.actorRole ?? null,
    data: { code: found.code, from: from.level, to: derived.level, serviceFrom: from.onlineService, serviceTo: derived.onlineService, reason: input.reason },
  });
  await bumpSharedGenerations(tx, ["catalog"]);
  // This process's caches at once; the others follow the shared generation once this commits.
  catalogChanged();
  return { changed, from, derived };
}
