import { and, asc, eq, inArray, sql, type SQL } from "drizzle-orm";
import * as z from "zod";
import { schema } from "../platform/schema.server";
import { deriveLevel, isOnlineService } from "../../core/catalog/derived-level";
import {
  normalizeDeliveryModes,
  settingsChanges,
  settingsIssues,
  type ProcedureSettings,
  type SettingsChanges,
  type SettingsIssue,
} from "../../core/catalog/procedure-settings";
import { catalogChanged } from "./catalog-version.server";
import { bumpSharedGenerations } from "./shared-generations.server";
import { procedureSearchRow } from "./search-index.server";
import { matchingCodeOrName, pgSearchQuery } from "./search-pg.server";
import { ftsQuery, PROCEDURE_CODE } from "./catalog.server";
import { rederiveProcedureLevel, type Rederived } from "./procedure-level.server";
import { unpublishForm } from "../forms/publishing.server";
import { db, inTransaction, onPostgres, type Tx } from "../platform/db.server";
import { recordEvent } from "../statistics/events.server";
import { withinAgency } from "../staff/agency-scope.server";
import { asNumber, countAll, jsonArrayLength } from "../platform/dialect.server";

export const PROCEDURE_ADMIN_PAGE_SIZE = 50;

/** A GET form sends "" for an empty field; treat it as absent. */
const blank = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** The list's filters; anything malformed is simply ignored (a filter, not a form to correct). */
export const ProcedureAdminQuerySchema = z.object({
  level: z.preprocess(blank, z.coerce.number().int().min(1).max(4).optional()).catch(undefined),
  q: z.preprocess(blank, z.string().trim().max(100).optional()).catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
});
export type ProcedureAdminQuery = z.infer<typeof ProcedureAdminQuerySchema>;

/** Procedure codes are national codes ("1.001193"); anything else in the URL is simply not found. */
export const ProcedureCodeSchema = z.string().regex(PROCEDURE_CODE);

/** Who is acting: `agencyPath` is their scope ("/" for a system administrator). */
export type ProcedureManager = { id: number; role: string; agencyPath: string };

/** The scope filter every query here carries: an agency and everything below it. */

/**
 * Procedures of the agencies in the administrator's scope, by code, 50 a page; narrowed by level
 * and by code or name through the catalog's folded full-text index (its `field` column left out:
 * an administrator looks a procedure up by what it is called, not by its field).
 */
export async function listScopeProcedures(input: { agencyPath: string; query: ProcedureAdminQuery }) {
  const { query } = input;
  const empty = { items: [], total: 0, page: 1, pageCount: 0 };
  const conditions: SQL[] = [withinAgency(input.agencyPath)];
  if (query.level) conditions.push(eq(schema.procedures.level, query.level));
  if (query.q) {
    const match = ftsQuery(query.q);
    if (!match) return empty;
    if (onPostgres(db())) {
      const ids = await codeOrNameMatchesPostgres(query.q, conditions);
      if (ids.length === 0) return empty;
      conditions.push(inArray(schema.procedures.id, ids));
    } else {
      conditions.push(sql`${schema.procedures.id} in (select rowid from procedures_fts where procedures_fts match ${`{code name} : (${match})`})`);
    }
  }
  const where = and(...conditions);
  const [counted] = await db()
    .select({ n: countAll() })
    .from(schema.procedures)
    .innerJoin(schema.agencies, eq(schema.agencies.id, schema.procedures.agencyId))
    .where(where);
  const total = counted?.n ?? 0;
  const pageCount = Math.ceil(total / PROCEDURE_ADMIN_PAGE_SIZE);
  const page = Math.min(query.page, Math.max(pageCount, 1));
  const rows = await db()
    .select({
      id: schema.procedures.id,
      code: schema.procedures.code,
      nameVi: schema.procedures.nameVi,
      nameEn: schema.procedures.nameEn,
      level: schema.procedures.level,
      onlineService: schema.procedures.onlineService,
      processingDays: schema.procedures.processingDays,
      feeVnd: schema.procedures.feeVnd,
      deliveryModes: schema.procedures.deliveryModes,
      agencyVi: schema.agencies.nameVi,
      agencyEn: schema.agencies.nameEn,
    })
    .from(schema.procedures)
    .innerJoin(schema.agencies, eq(schema.agencies.id, schema.procedures.agencyId))
    .where(where)
    .orderBy(asc(schema.procedures.code))
    .limit(PROCEDURE_ADMIN_PAGE_SIZE)
    .offset((page - 1) * PROCEDURE_ADMIN_PAGE_SIZE);
  return { items: rows.map((r) => ({ ...r, deliveryModes: normalizeDeliveryModes(r.deliveryModes) })), total, page, pageCount };
}

/**
 * The procedures in scope whose code or names match a typed search, on PostgreSQL: those whose whole
 * document matches (the index), narrowed to those that match without their field (search-pg.server.ts).
 */
async function codeOrNameMatchesPostgres(q: string, scope: SQL[]): Promise<number[]> {
  const tsquery = pgSearchQuery(q);
  if (!tsquery) return [];
  const candidates = await db()
    .select({ id: schema.procedures.id, code: schema.procedures.code, nameVi: schema.procedures.nameVi, nameEn: schema.procedures.nameEn })
    .from(schema.procedures)
    .innerJoin(schema.agencies, eq(schema.agencies.id, schema.procedures.agencyId))
    .where(and(...scope, sql`${schema.procedures.id} in (select procedure_id from procedures_search where document @@ ${tsquery}::tsquery)`));
  const named = candidates.map((c) => ({ id: c.id, code: c.code, name: procedureSearchRow({ ...c, fieldVi: "", fieldEn: null }).name }));
  return matchingCodeOrName(db(), tsquery, named);
}

/** One procedure in scope with what its level depends on; undefined when missing or outside the scope (both answered 404). */
async function findInScope(tx: Tx, input: { agencyPath: string; code: string }) {
  const [row] = await tx
    .select({
      id: schema.procedures.id,
      code: schema.procedures.code,
      nameVi: schema.procedures.nameVi,
      nameEn: schema.procedures.nameEn,
      agencyId: schema.procedures.agencyId,
      level: schema.procedures.level,
      onlineService: schema.procedures.onlineService,
      formVersion: schema.procedures.formVersion,
      processingDays: schema.procedures.processingDays,
      feeVnd: schema.procedures.feeVnd,
      paymentOnline: schema.procedures.paymentOnline,
      deliveryModes: schema.procedures.deliveryModes,
      inPersonStep: schema.procedures.inPersonStep,
      updatedAt: schema.procedures.updatedAt,
      agencyVi: schema.agencies.nameVi,
      agencyEn: schema.agencies.nameEn,
      templateCount: asNumber(sql`coalesce(${jsonArrayLength(schema.procedures.details, "templates")}, 0)`),
    })
    .from(schema.procedures)
    .innerJoin(schema.agencies, eq(schema.agencies.id, schema.procedures.agencyId))
    .where(and(eq(schema.procedures.code, input.code), withinAgency(input.agencyPath)))
    .limit(1);
  if (!row) return undefined;
  const settings: ProcedureSettings = {
    processingDays: row.processingDays,
    feeVnd: row.feeVnd,
    paymentOnline: row.paymentOnline,
    deliveryModes: normalizeDeliveryModes(row.deliveryModes),
    inPersonStep: row.inPersonStep,
  };
  return {
    id: row.id,
    code: row.code,
    nameVi: row.nameVi,
    nameEn: row.nameEn,
    agencyId: row.agencyId,
    agencyVi: row.agencyVi,
    agencyEn: row.agencyEn,
    settings,
    /** The stored (derived) level and class; `derived` below is what the facts give now (the same once saved). */
    level: row.level,
    onlineService: isOnlineService(row.onlineService) ? row.onlineService : null,
    formVersion: row.formVersion,
    derived: deriveLevel({ ...settings, hasTemplate: row.templateCount > 0, hasPublishedForm: row.formVersion !== null }),
    templateCount: row.templateCount,
    updatedAt: row.updatedAt,
  };
}

/** A procedure for the edit page, with the rules its stored settings already break (seeded or older data). */
export async function getScopeProcedure(input: { agencyPath: string; code: string }) {
  const found = await findInScope(db(), input);
  return found ? { ...found, issues: settingsIssues(found.settings) } : undefined;
}
export type ScopeProcedure = NonNullable<Awaited<ReturnType<typeof getScopeProcedure>>>;

export type UpdateProcedureOutcome =
  | { ok: true; changes: SettingsChanges; level: Rederived | null }
  | { ok: false; error: "not_found" }
  | { ok: false; error: "stale"; current: ScopeProcedure }
  | { ok: false; error: "rules"; issues: SettingsIssue[] };

/**
 * Saves an administrator's change to a procedure's settings in one transaction with its
 * `procedure_updated` event (changed fields only, each from → to), then derives the level again from
 * the new facts (procedure-level.server.ts: a change of level or class is its own
 * `procedure_level_changed` event, the counters moved with it, in this transaction).
 * `expectedUpdatedAt` is the version the form was loaded at: when another administrator saved in
 * between, nothing is written ("stale"). Saving what is already stored writes nothing and logs nothing.
 */
export async function updateProcedureSettings(input: {
  manager: ProcedureManager;
  code: string;
  expectedUpdatedAt: number;
  settings: ProcedureSettings;
  now?: Date;
}): Promise<UpdateProcedureOutcome> {
  const now = input.now ?? new Date();
  const outcome = await inTransaction(async (tx): Promise<UpdateProcedureOutcome> => {
    const found = await findInScope(tx, { agencyPath: input.manager.agencyPath, code: input.code });
    if (!found) return { ok: false, error: "not_found" };
    if (found.updatedAt.getTime() !== input.expectedUpdatedAt)
      return { ok: false, error: "stale", current: { ...found, issues: settingsIssues(found.settings) } };
    const issues = settingsIssues(input.settings);
    if (issues.length > 0) return { ok: false, error: "rules", issues };
    const changes = settingsChanges(found.settings, input.settings);
    if (Object.keys(changes).length === 0) return { ok: true, changes, level: null };
    // Strictly later than the version read, even within the same millisecond, so the next stale form is caught.
    const updatedAt = new Date(Math.max(now.getTime(), found.updatedAt.getTime() + 1));
    await tx
      .update(schema.procedures)
      .set({
        ...(changes.processingDays ? { processingDays: changes.processingDays.to } : {}),
        ...(changes.feeVnd ? { feeVnd: changes.feeVnd.to } : {}),
        ...(changes.paymentOnline ? { paymentOnline: changes.paymentOnline.to } : {}),
        ...(changes.deliveryModes ? { deliveryModes: changes.deliveryModes.to } : {}),
        ...(changes.inPersonStep ? { inPersonStep: changes.inPersonStep.to } : {}),
        updatedAt,
      })
      .where(eq(schema.procedures.id, found.id));
    await recordEvent(tx, {
      type: "procedure_updated",
      occurredAt: now,
      procedureId: found.id,
      agencyId: found.agencyId,
      actorId: input.manager.id,
      actorRole: input.manager.role,
      data: { code: found.code, changes },
    });
    const level = await rederiveProcedureLevel(tx, found.id, { actorId: input.manager.id, actorRole: input.manager.role, now, reason: "settings" });
    // Every process on the database empties its catalog pages once this commits.
    await bumpSharedGenerations(tx, ["catalog"]);
    return { ok: true, changes, level: level ?? null };
  });
  // The catalog lists level, fee and processing days: its cached pages are stale once this commits.
  if (outcome.ok && Object.keys(outcome.changes).length > 0) catalogChanged();
  return outcome;
}

export type UnpublishScopeOutcome = { ok: true; level: Rederived } | { ok: false; error: "not_found" | "not_published" | "stale" };

/**
 * An administrator withdraws a procedure in scope's published form (publishing.server.ts): citizens
 * can no longer apply online, drafts and dossiers keep their version, and the level is derived again
 * (the `form_unpublished` and `procedure_level_changed` events in this one transaction).
 * `expectedFormVersion` is the version the page showed: when it has changed since, nothing is done.
 */
export async function unpublishScopeForm(input: {
  manager: ProcedureManager;
  code: string;
  expectedFormVersion: number;
  now?: Date;
}): Promise<UnpublishScopeOutcome> {
  const now = input.now ?? new Date();
  return inTransaction(async (tx): Promise<UnpublishScopeOutcome> => {
    const found = await findInScope(tx, { agencyPath: input.manager.agencyPath, code: input.code });
    if (!found) return { ok: false, error: "not_found" };
    if (found.formVersion === null) return { ok: false, error: "not_published" };
    if (found.formVersion !== input.expectedFormVersion) return { ok: false, error: "stale" };
    const outcome = await unpublishForm(tx, { procedureId: found.id, actorId: input.manager.id, actorRole: input.manager.role, now });
    return outcome.ok ? { ok: true, level: outcome.level } : outcome;
  });
}
