import { and, eq, inArray } from "drizzle-orm";
import * as z from "zod";
import { schema } from "../platform/schema.server";
import { checkDraft, draftFrom, emptyDraft, readDraft, type BuilderProblem, type DraftDefinition } from "../../core/forms/builder";
import type { FormDefinition } from "../../core/forms/definition";
import { db, inTransaction, type Tx } from "../platform/db.server";
import { recordEvent } from "../statistics/events.server";
import { withinAgency } from "../staff/agency-scope.server";
import { formIn, PROCEDURE_CODE } from "../catalog/catalog.server";
import { listScopeProcedures } from "../catalog/procedure-admin.server";
import { publishForm } from "./publishing.server";

/**
 * The form builder's store (issue 16): the list of procedures in an administrator's scope with the
 * state of their forms, and each procedure's one draft — started from the published form (or an
 * empty one), saved with a `form_draft_saved` event in the same transaction, published through the
 * levels track's publishForm. Every query carries the scope: a procedure outside it is not found.
 */

/** Who is acting: `agencyPath` is their scope ("/" for a system administrator). */
export type FormManager = { id: number; role: string; agencyPath: string };

const blank = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** The list's filters; anything malformed is ignored (a filter, not a form to correct). */
export const FormsQuerySchema = z.object({
  q: z.preprocess(blank, z.string().trim().max(100).optional()).catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
});
export type FormsQuery = z.infer<typeof FormsQuerySchema>;

/** The version each procedure offers now (`procedures.form_version`; absent: none, never published or withdrawn). */
async function publishedVersions(client: Tx, procedureIds: number[]): Promise<Map<number, number>> {
  if (procedureIds.length === 0) return new Map();
  const rows = await client
    .select({ procedureId: schema.procedures.id, version: schema.procedures.formVersion })
    .from(schema.procedures)
    .where(inArray(schema.procedures.id, procedureIds));
  return new Map(rows.flatMap((r) => (r.version === null ? [] : [[r.procedureId, r.version]])));
}

/** Procedures in scope, 50 a page, found as on the procedures page, each with its published version and whether a draft is open. */
export async function listScopeForms(input: { agencyPath: string; query: FormsQuery }) {
  const result = await listScopeProcedures({ agencyPath: input.agencyPath, query: { q: input.query.q, page: input.query.page } });
  const ids = result.items.map((p) => p.id);
  const versions = await publishedVersions(db(), ids);
  const drafts =
    ids.length === 0
      ? []
      : await db()
          .select({ procedureId: schema.formDrafts.procedureId, updatedAt: schema.formDrafts.updatedAt })
          .from(schema.formDrafts)
          .where(inArray(schema.formDrafts.procedureId, ids));
  const draftAt = new Map(drafts.map((d) => [d.procedureId, d.updatedAt.getTime()]));
  return {
    ...result,
    items: result.items.map((p) => ({
      code: p.code,
      nameVi: p.nameVi,
      nameEn: p.nameEn,
      agencyVi: p.agencyVi,
      agencyEn: p.agencyEn,
      publishedVersion: versions.get(p.id) ?? null,
      draftUpdatedAt: draftAt.get(p.id) ?? null,
    })),
  };
}

/** One procedure in scope (by its code), or undefined: missing and outside the scope look the same. */
async function procedureInScope(client: Tx, input: { agencyPath: string; code: string }) {
  // Not a procedure code (a NUL byte, 5,000 letters…): no such procedure, without asking the database
  // (PostgreSQL refuses a NUL in a text parameter outright).
  if (!PROCEDURE_CODE.test(input.code)) return undefined;
  const [row] = await client
    .select({
      id: schema.procedures.id,
      code: schema.procedures.code,
      nameVi: schema.procedures.nameVi,
      nameEn: schema.procedures.nameEn,
      agencyId: schema.procedures.agencyId,
      feeVnd: schema.procedures.feeVnd,
    })
    .from(schema.procedures)
    .innerJoin(schema.agencies, eq(schema.agencies.id, schema.procedures.agencyId))
    .where(and(eq(schema.procedures.code, input.code), withinAgency(input.agencyPath)))
    .limit(1);
  return row;
}

async function draftOf(client: Tx, procedureId: number) {
  const [row] = await client
    .select({
      definition: schema.formDrafts.definition,
      basedOnVersion: schema.formDrafts.basedOnVersion,
      updatedAt: schema.formDrafts.updatedAt,
      updatedByName: schema.users.fullName,
    })
    .from(schema.formDrafts)
    .leftJoin(schema.users, eq(schema.users.id, schema.formDrafts.updatedBy))
    .where(eq(schema.formDrafts.procedureId, procedureId))
    .limit(1);
  return row ? { definition: readDraft(row.definition), basedOnVersion: row.basedOnVersion, updatedAt: row.updatedAt, updatedByName: row.updatedByName } : null;
}

/** The form a procedure offers now, or null. */
async function publishedOf(client: Tx, procedureId: number): Promise<{ version: number; definition: FormDefinition } | null> {
  return formIn(client, procedureId);
}

/** The builder's page: the procedure, its published form and its draft (null when none is open); undefined outside the scope. */
export async function openFormBuilder(input: { agencyPath: string; code: string }) {
  const procedure = await procedureInScope(db(), input);
  if (!procedure) return undefined;
  return { procedure, published: await publishedOf(db(), procedure.id), draft: await draftOf(db(), procedure.id) };
}
export type FormBuilder = NonNullable<Awaited<ReturnType<typeof openFormBuilder>>>;

export type DraftWrite = { ok: true; updatedAt: number } | { ok: false; error: "not_found" | "stale" };

/**
 * Opens the procedure's draft: a copy of the published form, or a new form of one empty section.
 * Starting when a draft is already open changes nothing (two administrators pressing at once share one).
 */
export async function startFormDraft(input: { manager: FormManager; code: string; now?: Date }): Promise<DraftWrite> {
  const now = input.now ?? new Date();
  return inTransaction(async (tx): Promise<DraftWrite> => {
    const procedure = await procedureInScope(tx, { agencyPath: input.manager.agencyPath, code: input.code });
    if (!procedure) return { ok: false, error: "not_found" };
    const open = await draftOf(tx, procedure.id);
    if (open) return { ok: true, updatedAt: open.updatedAt.getTime() };
    const published = await publishedOf(tx, procedure.id);
    const definition = published ? draftFrom(published.definition) : emptyDraft();
    await tx.insert(schema.formDrafts).values({
      procedureId: procedure.id,
      definition,
      basedOnVersion: published?.version ?? null,
      updatedAt: now,
      updatedBy: input.manager.id,
    });
    await recordEvent(tx, draftEvent(input.manager, procedure, now, { started: true, basedOnVersion: published?.version ?? null }));
    return { ok: true, updatedAt: now.getTime() };
  });
}

function draftEvent(
  manager: FormManager,
  procedure: { id: number; agencyId: number; code: string },
  now: Date,
  data: Record<string, unknown>,
  type: "form_draft_saved" | "form_draft_discarded" = "form_draft_saved",
) {
  return {
    type,
    occurredAt: now,
    procedureId: procedure.id,
    agencyId: procedure.agencyId,
    actorId: manager.id,
    actorRole: manager.role,
    data: { code: procedure.code, ...data },
  };
}

/**
 * The procedure in scope and its open draft, read in the transaction that changes it: not found
 * outside the scope; "stale" when the draft is not the version the page was made on (saved by
 * someone since, or published or discarded: then there is none).
 */
async function draftToChange(tx: Tx, input: { manager: FormManager; code: string; expectedUpdatedAt: number }) {
  const procedure = await procedureInScope(tx, { agencyPath: input.manager.agencyPath, code: input.code });
  if (!procedure) return { ok: false as const, error: "not_found" as const };
  const open = await draftOf(tx, procedure.id);
  if (!open || open.updatedAt.getTime() !== input.expectedUpdatedAt) return { ok: false as const, error: "stale" as const };
  return { ok: true as const, procedure, open };
}

/**
 * Saves an edited draft, in one transaction with its `form_draft_saved` event. `expectedUpdatedAt` is
 * the draft's version the edit was made on: when another administrator saved in between, nothing is
 * written ("stale") and the editor shows the draft as it now is.
 */
export async function saveFormDraft(input: {
  manager: FormManager;
  code: string;
  definition: DraftDefinition;
  expectedUpdatedAt: number;
  now?: Date;
}): Promise<DraftWrite> {
  const now = input.now ?? new Date();
  return inTransaction(async (tx): Promise<DraftWrite> => {
    const found = await draftToChange(tx, input);
    if (!found.ok) return found;
    const { procedure, open } = found;
    // Strictly later than the version read, even within the same millisecond, so the next stale edit is caught.
    const updatedAt = new Date(Math.max(now.getTime(), open.updatedAt.getTime() + 1));
    await tx
      .update(schema.formDrafts)
      .set({ definition: input.definition, updatedAt, updatedBy: input.manager.id })
      .where(eq(schema.formDrafts.procedureId, procedure.id));
    await recordEvent(tx, draftEvent(input.manager, procedure, updatedAt, { basedOnVersion: open.basedOnVersion }));
    return { ok: true, updatedAt: updatedAt.getTime() };
  });
}

/**
 * Discards the procedure's draft, in one transaction with its `form_draft_discarded` event; the
 * published version (if any) stays as it is. Like a save, it is refused ("stale") when the draft
 * changed since the page asking for it was made: one does not throw away a colleague's newer work unseen.
 */
export async function discardFormDraft(input: { manager: FormManager; code: string; expectedUpdatedAt: number; now?: Date }): Promise<DraftWrite> {
  const now = input.now ?? new Date();
  return inTransaction(async (tx): Promise<DraftWrite> => {
    const found = await draftToChange(tx, input);
    if (!found.ok) return found;
    const { procedure, open } = found;
    await tx.delete(schema.formDrafts).where(eq(schema.formDrafts.procedureId, procedure.id));
    await recordEvent(
      tx,
      draftEvent(input.manager, procedure, now, { basedOnVersion: open.basedOnVersion, savedAt: open.updatedAt.toISOString() }, "form_draft_discarded"),
    );
    return { ok: true, updatedAt: now.getTime() };
  });
}

export type PublishOutcome =
  { ok: true; version: number } | { ok: false; error: "not_found" | "stale" | "unavailable" } | { ok: false; error: "problems"; problems: BuilderProblem[] };

/**
 * Publishes the draft as the procedure's next form version: refused with every problem the definition
 * schema and checker find, each tied to its field; otherwise published by publishForm (its version,
 * event and level) and the draft closed, in one transaction.
 */
export async function publishFormDraft(input: { manager: FormManager; code: string; expectedUpdatedAt: number; now?: Date }): Promise<PublishOutcome> {
  const now = input.now ?? new Date();
  return inTransaction(async (tx): Promise<PublishOutcome> => {
    const found = await draftToChange(tx, input);
    if (!found.ok) return found;
    const { procedure, open } = found;
    // The version the check names; publishForm gives the stored one (the highest so far + 1).
    const checked = checkDraft(open.definition, (open.basedOnVersion ?? 0) + 1);
    if (!checked.ok) return { ok: false, error: "problems", problems: checked.problems };
    const published = await publishForm(tx, {
      procedureId: procedure.id,
      definition: checked.definition,
      actorId: input.manager.id,
      actorRole: input.manager.role,
      now,
    });
    if (!published.ok)
      return published.error === "invalid" ? { ok: false, error: "problems", problems: published.problems } : { ok: false, error: "not_found" };
    await tx.delete(schema.formDrafts).where(eq(schema.formDrafts.procedureId, procedure.id));
    return { ok: true, version: published.version };
  });
}

/** The draft to preview as a citizen: its definition when it is publishable, or its problems; undefined outside the scope or without a draft. */
export async function draftForPreview(input: { agencyPath: string; code: string }) {
  const procedure = await procedureInScope(db(), input);
  const open = procedure ? await draftOf(db(), procedure.id) : null;
  if (!procedure || !open) return undefined;
  return { procedure, updatedAt: open.updatedAt.getTime(), checked: checkDraft(open.definition, (open.basedOnVersion ?? 0) + 1) };
}

/** A procedure's draft as a publishable definition (null: no draft, or not publishable yet), for the preview's upload limits. */
export async function draftDefinitionOf(code: string): Promise<FormDefinition | null> {
  const found = await draftForPreview({ agencyPath: "/", code });
  return found?.checked.ok ? found.checked.definition : null;
}
