import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import { schema } from "../platform/schema.server";
import { STATUS } from "../../core/dossiers/status";
import { buildAnswersSchema, draftAnswers, fieldErrors } from "../../core/forms/answers-schema";
import { allFields, type FormDefinition } from "../../core/forms/definition";
import { postedAnswers, type DraftValues } from "../../core/forms/fields";
import { applyRowIntent, parseRowIntent } from "../../core/forms/rows";
import { getForm } from "../catalog/catalog.server";
import { checkUploads, ownDossierByReceipt, todayInVietnam } from "./application.server";
import { db } from "../platform/db.server";
import { applicantColumns, attachmentRow, listAttachments, releaseStoredFiles } from "./dossiers.server";
import { NOT_FOUND, type NotFound } from "../../core/outcome";
import type { SessionUser } from "../auth/session.server";
import { deleteStoredFile, storeFile } from "../platform/storage.server";
import { localText } from "../../core/text/local-text";
import { applyTransition, latestApology } from "./workflow.server";

export type SupplementRequest = typeof schema.supplementRequests.$inferSelect;

/** The request the citizen has not answered yet, if any. */
export async function openSupplementRequest(dossierId: number): Promise<SupplementRequest | undefined> {
  const [row] = await db()
    .select()
    .from(schema.supplementRequests)
    .where(and(eq(schema.supplementRequests.dossierId, dossierId), isNull(schema.supplementRequests.answeredAt)))
    .limit(1);
  return row;
}

/** Every request on a dossier, newest first (for the officer's and the citizen's history). */
export async function listSupplementRequests(dossierId: number): Promise<SupplementRequest[]> {
  return db().select().from(schema.supplementRequests).where(eq(schema.supplementRequests.dossierId, dossierId)).orderBy(desc(schema.supplementRequests.id));
}

/** The form definition the dossier was filled on (not the newest one: the answers belong to it). */
export async function dossierForm(procedureId: number, version: number): Promise<FormDefinition | null> {
  return (await getForm(procedureId, version))?.definition ?? null;
}

/** The form definition of the dossier with this receipt code (what a supplement upload to it may carry); null for no such dossier. */
export async function dossierFormByReceipt(receiptCode: string): Promise<FormDefinition | null> {
  const [dossier] = await db()
    .select({ procedureId: schema.dossiers.procedureId, formVersion: schema.dossiers.formVersion })
    .from(schema.dossiers)
    .where(eq(schema.dossiers.receiptCode, receiptCode))
    .limit(1);
  return dossier ? dossierForm(dossier.procedureId, dossier.formVersion) : null;
}

/** The citizen's own dossier waiting on a supplement, with what was asked; null otherwise. */
export async function openSupplement(user: SessionUser, receiptCodeParam: string | undefined) {
  const found = await ownDossierByReceipt(user, receiptCodeParam);
  if (!found) return null;
  const request = await openSupplementRequest(found.dossier.id);
  const definition = await dossierForm(found.dossier.procedureId, found.dossier.formVersion);
  if (found.dossier.status !== STATUS.supplementRequested || !request || !definition) return null;
  const values = draftAnswers(definition, found.dossier.answers);
  return { ...found, request, definition, values, attachments: await listAttachments(found.dossier.id) };
}

export type SupplementOutcome =
  | NotFound
  | { kind: "done" }
  | { kind: "invalid"; errors: Record<string, string>; values: DraftValues }
  /** A requested repeating group's row was added or removed: the form again, nothing checked or written. */
  | { kind: "rows"; values: DraftValues }
  | { kind: "conflict" };

/**
 * The citizen's answer to a supplement request. Only the requested fields are taken from the post
 * (anything else sent is ignored), a requested document must be replaced by a new file, and the
 * whole dossier must still be valid. Then, in one transaction: the answers and files change, the
 * request is closed, the dossier goes back to processing with the clock resumed, and the event
 * records which items changed. Nothing is changed when anything is wrong.
 */
export async function answerSupplement(input: {
  user: SessionUser;
  receiptCode: string | undefined;
  form: FormData;
  oversized: ReadonlySet<string>;
}): Promise<SupplementOutcome> {
  const open = await openSupplement(input.user, input.receiptCode);
  if (!open) return NOT_FOUND;
  const { dossier, request, definition } = open;
  const items = new Set(request.items);
  const fields = allFields(definition).filter((f) => items.has(f.name));
  const valueFields = fields.filter((f) => f.type !== "file");
  const fileFields = fields.filter((f) => f.type === "file");

  const values = postedAnswers(definition, input.form, { names: valueFields.map((f) => f.name), base: open.values });
  const rowIntent = parseRowIntent(definition, input.form.get("intent"));
  if (rowIntent && items.has(rowIntent.group)) return { kind: "rows", values: applyRowIntent(definition, values, rowIntent, true)?.values ?? values };
  const errors: Record<string, string> = {};
  const parsed = buildAnswersSchema(definition, todayInVietnam()).safeParse(values);
  if (!parsed.success) Object.assign(errors, fieldErrors(parsed.error));

  const checked = await checkUploads(fileFields, input.form, input.oversized);
  Object.assign(errors, checked.errors);
  // A requested document is replaced, never just kept.
  for (const name of checked.missing) errors[name] = "supplement.errors.new_file_required";
  if (!parsed.success || Object.keys(errors).length > 0) return { kind: "invalid", errors, values };

  // Files are written first; if the transaction does not happen they are removed again.
  const stored = await Promise.all(checked.uploads.map(async (u) => ({ ...u, key: await storeFile(u.bytes) })));
  const replacedKeys: string[] = [];
  const answers = parsed.data;
  // An answer changed here no longer says what the population record said: it loses its verified mark.
  const verifiedFields = dossier.verifiedFields.filter((name) => JSON.stringify(answers[name]) === JSON.stringify(dossier.answers[name]));
  const unverified = dossier.verifiedFields.filter((name) => !verifiedFields.includes(name));
  const outcome = await applyTransition({
    dossierId: dossier.id,
    action: "supplement",
    actor: { id: input.user.id, role: "citizen" },
    expectedVersion: dossier.version,
    eventData: { changed: [...items], requestId: request.id, ...(unverified.length > 0 ? { unverified } : {}) },
    extra: async (tx, updated) => {
      await tx
        .update(schema.dossiers)
        .set({
          answers,
          verifiedFields,
          ...applicantColumns(answers, { name: dossier.applicantName ?? input.user.fullName, phone: dossier.applicantPhone, email: dossier.applicantEmail }),
        })
        .where(eq(schema.dossiers.id, updated.id));
      const replacedFields = stored.map((s) => s.fieldName);
      if (replacedFields.length > 0) {
        const old = await tx
          .select()
          .from(schema.attachments)
          .where(and(eq(schema.attachments.dossierId, dossier.id), inArray(schema.attachments.fieldName, replacedFields)));
        for (const a of old) replacedKeys.push(a.storageKey);
        await tx.delete(schema.attachments).where(and(eq(schema.attachments.dossierId, dossier.id), inArray(schema.attachments.fieldName, replacedFields)));
        for (const s of stored) await tx.insert(schema.attachments).values(attachmentRow(dossier.id, s));
      }
      await tx.update(schema.supplementRequests).set({ answeredAt: new Date() }).where(eq(schema.supplementRequests.id, request.id));
    },
  });
  if (!outcome.ok) {
    await Promise.all(stored.map((s) => deleteStoredFile(s.key)));
    if (outcome.error === "conflict") return { kind: "conflict" };
    return NOT_FOUND;
  }
  // A replaced file may be shared with a document reused elsewhere: removed only when nothing refers to it.
  await releaseStoredFiles(replacedKeys);
  return { kind: "done" };
}

/**
 * What the citizen is told about a dossier: the open supplement request with the requested items
 * named in the dossier's language, and the latest apology while its new date is still the plan.
 */
export async function citizenNotices(
  dossier: { id: number; procedureId: number; formVersion: number; status: number; dueOn: string | null; rescheduledOn: string | null },
  language: string,
) {
  const request = dossier.status === STATUS.supplementRequested ? await openSupplementRequest(dossier.id) : undefined;
  const definition = request ? await dossierForm(dossier.procedureId, dossier.formVersion) : null;
  const labels = new Map(definition ? allFields(definition).map((f) => [f.name, localText(f.label, language)]) : []);
  const apology = dossier.rescheduledOn ? await latestApology(dossier.id) : null;
  return {
    supplement: request ? { message: request.message, items: request.items.map((name) => labels.get(name) ?? name) } : null,
    apology: apology ? { newDate: apology.newDate, message: apology.message } : null,
    dueOn: dossier.dueOn,
  };
}
