import { eq, max } from "drizzle-orm";
import { schema } from "../platform/schema.server";
import type { FormDefinition } from "../../core/forms/definition";
import { checkDefinitionValue, type BuilderProblem } from "../../core/forms/builder";
import type { Tx } from "../platform/db.server";
import { recordEvent } from "../statistics/events.server";
import { catalogChanged } from "../catalog/catalog-version.server";
import { bumpSharedGenerations } from "../catalog/shared-generations.server";
import { rederiveProcedureLevel, type Rederived } from "../catalog/procedure-level.server";

/**
 * Publishing a procedure's form, and withdrawing it (decision 031). A published version is a new row
 * of `procedure_forms`, never changed afterwards (drafts and dossiers keep the version they were made
 * on); `procedures.form_version` points at the one offered now, null when none is. Each runs inside
 * the caller's transaction with its audited event, and derives the procedure's level again: a form a
 * citizen can fill is what level 3 means. The caller checks that the actor may manage the procedure.
 */
export type PublishInput = { procedureId: number; definition: unknown; actorId: number; actorRole: string; now: Date };

export type PublishOutcome =
  { ok: true; version: number; level: Rederived } | { ok: false; error: "not_found" } | { ok: false; error: "invalid"; problems: BuilderProblem[] };

/** Its shape (definition.ts) and the checker's rules (definition-check.ts), each problem placed and translatable; the version is the store's to give. */
export function definitionProblems(definition: unknown, version = 1): { problems: BuilderProblem[]; parsed?: FormDefinition } {
  const checked = checkDefinitionValue(definition, version);
  return checked.ok ? { problems: [], parsed: checked.definition } : { problems: checked.problems };
}

async function procedureCode(tx: Tx, procedureId: number) {
  const [row] = await tx
    .select({ code: schema.procedures.code, agencyId: schema.procedures.agencyId, formVersion: schema.procedures.formVersion })
    .from(schema.procedures)
    .where(eq(schema.procedures.id, procedureId))
    .limit(1);
  return row;
}

/** The catalog shows the form (and the procedure row carries its version): every cached page is stale. */
async function formChanged(tx: Tx): Promise<void> {
  await bumpSharedGenerations(tx, ["catalog"]);
  catalogChanged();
}

/**
 * Checks `definition` and, when it passes, stores it as the procedure's next version (the highest so
 * far + 1, whatever the definition says), makes it the published one, records `form_published`
 * {code, version} and derives the level again. A definition with problems writes nothing.
 */
export async function publishForm(tx: Tx, input: PublishInput): Promise<PublishOutcome> {
  const procedure = await procedureCode(tx, input.procedureId);
  if (!procedure) return { ok: false, error: "not_found" };
  const [highest] = await tx
    .select({ version: max(schema.procedureForms.version) })
    .from(schema.procedureForms)
    .where(eq(schema.procedureForms.procedureId, input.procedureId));
  const version = (highest?.version ?? 0) + 1;
  const { problems, parsed } = definitionProblems(input.definition, version);
  if (!parsed) return { ok: false, error: "invalid", problems };
  await tx.insert(schema.procedureForms).values({ procedureId: input.procedureId, version, definition: parsed, createdAt: input.now });
  await tx.update(schema.procedures).set({ formVersion: version }).where(eq(schema.procedures.id, input.procedureId));
  await recordEvent(tx, {
    type: "form_published",
    occurredAt: input.now,
    procedureId: input.procedureId,
    agencyId: procedure.agencyId,
    actorId: input.actorId,
    actorRole: input.actorRole,
    data: { code: procedure.code, version },
  });
  await formChanged(tx);
  const level = await rederiveProcedureLevel(tx, input.procedureId, {
    actorId: input.actorId,
    actorRole: input.actorRole,
    now: input.now,
    reason: "form_published",
  });
  if (!level) return { ok: false, error: "not_found" };
  return { ok: true, version, level };
}

export type UnpublishOutcome = { ok: true; version: number; level: Rederived } | { ok: false; error: "not_found" | "not_published" };

/**
 * Withdraws the published form: the procedure offers none (it cannot be applied for online any more;
 * drafts and dossiers keep theirs), `form_unpublished` {code, version} is recorded and the level
 * derived again — a level-3 or 4 procedure drops to 2 (or 1).
 */
export async function unpublishForm(tx: Tx, input: Omit<PublishInput, "definition">): Promise<UnpublishOutcome> {
  const procedure = await procedureCode(tx, input.procedureId);
  if (!procedure) return { ok: false, error: "not_found" };
  if (procedure.formVersion === null) return { ok: false, error: "not_published" };
  await tx.update(schema.procedures).set({ formVersion: null }).where(eq(schema.procedures.id, input.procedureId));
  await recordEvent(tx, {
    type: "form_unpublished",
    occurredAt: input.now,
    procedureId: input.procedureId,
    agencyId: procedure.agencyId,
    actorId: input.actorId,
    actorRole: input.actorRole,
    data: { code: procedure.code, version: procedure.formVersion },
  });
  await formChanged(tx);
  const level = await rederiveProcedureLevel(tx, input.procedureId, {
    actorId: input.actorId,
    actorRole: input.actorRole,
    now: input.now,
    reason: "form_unpublished",
  });
  if (!level) return { ok: false, error: "not_found" };
  return { ok: true, version: procedure.formVersion, level };
}
