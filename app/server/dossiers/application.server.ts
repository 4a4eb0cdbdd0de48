import { createHash } from "node:crypto";
import * as z from "zod";
import { DELIVERY_MODES, type DeliveryMode } from "../../core/catalog/delivery";
import { oneStopView } from "../../core/catalog/one-stop";
import { dossierFee, feePlan } from "../../core/payments/fees";
import { vnDate } from "../../core/calendar/working-days";
import { levelAllows } from "../../core/catalog/levels";
import { formExit, hasRules, stateView, type FormStateView } from "../../core/forms/visibility";
import { answersState, buildAnswersSchema, draftAnswers, fieldErrors, missingAttachments } from "../../core/forms/answers-schema";
import { checkAttachment, MIME_TYPES, safeFileName } from "../../core/forms/attachments";
import { allFields, fileFields, type Field, type FormDefinition, type PrefillSource } from "../../core/forms/definition";
import { rawAnswers, type DraftValues } from "../../core/forms/fields";
import { applyRowIntent, parseRowIntent } from "../../core/forms/rows";
import { deliveryChoice } from "../../core/forms/delivery-choice";
import { enforceVerified, subjectRecord, verifiedFieldsOf, verifiedPrefill, type VerifiedPrefill } from "../../core/forms/verified-prefill";
import { vneidIdentityOf } from "../auth/identities.server";
import { populationRecord } from "../identity/population.server";
import { getTFor } from "../platform/i18n.server";
import { STATUS } from "../../core/dossiers/status";
import type { Language } from "../../i18n";
import { getForm, getProcedure, type ProcedureDetail } from "../catalog/catalog.server";
import { parseReceiptCode } from "../../core/dossiers/receipt-code";
import {
  addAttachment,
  findDraft,
  getDossierByReceipt,
  getOrStartDraft,
  getOwnDossier,
  listAttachments,
  type Dossier,
  removeAttachment,
  saveDraft,
  submitDraft,
  recordOnlineExit,
} from "./dossiers.server";
import { accessTo, draftSubjectAllowed } from "./representation.server";
import { AUTHORISATION_FIELD } from "../../core/dossiers/representation";
import { NOT_FOUND, type NotFound } from "../../core/outcome";
import { DocumentRefSchema, reuseDocument } from "../data-store/data-store.server";
import type { SessionUser } from "../auth/session.server";

/**
 * The online application (level ≥ 3), between the thin routes and the core:
 * a draft per citizen and procedure, saved on every post so nothing typed or
 * uploaded is lost, validated by the one schema built from the form definition.
 */
export function todayInVietnam(): string {
  return vnDate(new Date());
}

export type OnlineProcedure = ProcedureDetail & { form: { version: number; definition: FormDefinition } };

/** The procedure with its form, if it can be applied for online; null otherwise. */
export async function onlineProcedure(code: string): Promise<OnlineProcedure | null> {
  const procedure = await getProcedure(code);
  if (!procedure || !levelAllows(procedure.procedure.level).applyOnline) return null;
  const form = await getForm(procedure.procedure.id);
  return form ? { ...procedure, form } : null;
}

/**
 * Which fields these answers show and require, for the form page to be made with (the browser then
 * follows each change itself): computed here, so the page's first load carries no rule evaluator.
 */
export function formVisibility(def: FormDefinition, values: Record<string, unknown>): FormStateView | undefined {
  // A form without rules shows every field with its own `required`: nothing to carry.
  return hasRules(def) ? stateView(answersState(def, values, todayInVietnam())) : undefined;
}

/**
 * What the population database says for this draft's identity- and subject-bound fields
 * (core/forms/verified-prefill.ts): the filer is the person whose CCCD is linked to the account, the
 * subject the one the draft names (set when the citizen chooses whom they file for). Read on every
 * request, so a save or submit always enforces the record as it is now.
 */
export async function draftPrefill(def: FormDefinition, user: SessionUser, draft: Pick<Dossier, "onBehalf" | "subjectCccd">): Promise<VerifiedPrefill> {
  const identity = await vneidIdentityOf(user.id);
  const filer = identity ? populationRecord(identity.subject) : null;
  const named = (draft.onBehalf === "child" || draft.onBehalf === "authorised") && draft.subjectCccd ? populationRecord(draft.subjectCccd) : null;
  return verifiedPrefill({
    definition: def,
    level: identity ? (identity.level >= 2 ? 2 : 1) : null,
    filer,
    subject: subjectRecord({ onBehalf: draft.onBehalf, filer, subject: named }),
    accountName: user.fullName,
  });
}

/** The form's "Verified" line, translated here: the form's pages are at their script budget, so they load no strings for it. */
export async function verifiedFormMark(language: Language): Promise<string> {
  return (await getTFor(language))("verified.form_mark");
}

/** The form page: the citizen's draft (started if need be) and its values; null when the procedure is not online. */
export async function openApplication(input: { user: SessionUser; code: string; language: Language }) {
  const procedure = await onlineProcedure(input.code);
  if (!procedure) return null;
  const def = procedure.form.definition;
  const draft = await getOrStartDraft({
    procedureId: procedure.procedure.id,
    agencyId: procedure.procedure.agencyId,
    formVersion: procedure.form.version,
    applicantId: input.user.id,
    language: input.language,
  });
  const verified = await draftPrefill(def, input.user, draft);
  const account: Partial<Record<PrefillSource, string | null>> = {
    "account.fullName": input.user.fullName,
    "account.email": input.user.email,
    "account.phone": input.user.phone,
  };
  const prefillable = [
    ...allFields(def).flatMap((f) => {
      const value = f.prefill ? account[f.prefill] : null;
      return value ? [{ name: f.name, value }] : [];
    }),
    ...Object.entries(verified.values).map(([name, value]) => ({ name, value })),
  ];
  // A new draft starts with what the account and the identity already know (the fields' `prefill`);
  // a verified value (identity level 2) is the record's whatever the draft holds.
  let values = draftAnswers(def, draft.answers);
  if (Object.keys(draft.answers).length === 0) for (const { name, value } of prefillable) values[name] = value;
  values = enforceVerified(values, verified);
  // Marked as filled in while they still say what the source says; a verified field has its own mark.
  const prefilled = prefillable.filter(({ name, value }) => values[name] === value && !verified.locked.includes(name)).map(({ name }) => name);
  return {
    procedure,
    draft,
    values,
    visibility: formVisibility(def, values),
    prefilled,
    /** Locked fields holding the population record's value (shown read-only, marked "Verified"). */
    verified: verified.locked,
    prefill: verified,
    formChanged: draft.formVersion !== procedure.form.version,
    attachments: await listAttachments(draft.id),
  };
}

// Re-exported: the supplement and intake modules take the post's answers the same way.
export { rawAnswers } from "../../core/forms/fields";

export type PostOutcome =
  | NotFound
  /** The draft was saved; `refusedFiles`: files that were not (wrong type, too large…), by field. */
  | { kind: "saved"; refusedFiles: Record<string, string>; values: DraftValues; visibility: FormStateView | undefined }
  | { kind: "removed" }
  /** A document of the citizen's data store was attached to `field` (intent "reuse:<field>"). */
  | { kind: "reused"; field: string }
  /** A repeating group's row was added or removed (saved with the draft); `focus`: the row's id on the page. */
  | { kind: "rows"; focus: string }
  | { kind: "valid" }
  /** An answer means the procedure cannot be done online (the form's `exits`): its page says where to go. */
  | { kind: "exit"; exit: string }
  | { kind: "invalid"; errors: Record<string, string>; values: DraftValues; visibility: FormStateView | undefined };

/** Saves the draft and any files, then (intent "continue") validates everything. */
export async function postApplication(input: {
  user: SessionUser;
  code: string;
  language: Language;
  form: FormData;
  oversized: ReadonlySet<string>;
}): Promise<PostOutcome> {
  const opened = await openApplication(input);
  if (!opened) return NOT_FOUND;
  const { procedure, draft } = opened;
  const def = procedure.form.definition;
  // A verified answer is the record's, whatever was posted (a read-only input can still be tampered with).
  let posted = enforceVerified(draftAnswers(def, rawAnswers(def, input.form)), opened.prefill);
  // "Add another" / "Remove": the change is made on the answers as posted, and saved with them.
  const rowIntent = parseRowIntent(def, input.form.get("intent"));
  const rowChange = rowIntent ? applyRowIntent(def, posted, rowIntent, formVisibility(def, posted)?.required[rowIntent.group] ?? true) : null;
  if (rowChange) posted = rowChange.values;
  // What these answers hide is not kept, not even in the draft: a field shown again starts empty.
  const hidden = hasRules(def) ? answersState(def, posted, todayInVietnam()).hidden : new Set<string>();
  const values = Object.fromEntries(Object.entries(posted).filter(([name]) => !hidden.has(name)));
  await saveDraft({ id: draft.id, applicantId: input.user.id, answers: values, formVersion: procedure.form.version, language: input.language });

  const shownFiles = fileFields(def).filter((f) => !hidden.has(f.name));
  const { uploads, errors } = await checkUploads(shownFiles, input.form, input.oversized);
  // A field taking several files takes a post's files all or none: never some of them, silently.
  const onFile = uploads.length > 0 ? await listAttachments(draft.id) : [];
  for (const field of shownFiles) {
    const sent = uploads.filter((u) => u.fieldName === field.name).length;
    if (field.maxFiles > 1 && sent > 0 && onFile.filter((a) => a.fieldName === field.name).length + sent > field.maxFiles)
      errors[field.name] = "form.errors.too_many_files";
  }
  for (const upload of uploads) {
    if (errors[upload.fieldName]) continue; // refused with the rest of the field's files
    const maxFiles = shownFiles.find((f) => f.name === upload.fieldName)?.maxFiles ?? 1;
    const added = await addAttachment({ dossierId: draft.id, applicantId: input.user.id, maxFiles, ...upload });
    if (added === "field_full") errors[upload.fieldName] = "form.errors.too_many_files";
    else if (added !== "added") errors[upload.fieldName] = "form.errors.draft_full";
  }

  const reuse = reuseIntent(input.form.get("intent"));
  if (reuse !== null) {
    // Only a shown file field of this form; a document that is not the citizen's is not found (nothing attached).
    const field = shownFiles.find((f) => f.name === reuse);
    if (!field) return NOT_FOUND;
    const choice = DocumentRefSchema.safeParse(input.form.get(`reuse.${field.name}`));
    if (!choice.success) errors[field.name] ??= "form.errors.file_required";
    else {
      const reused = await reuseDocument({ draftId: draft.id, applicantId: input.user.id, field, ...choice.data });
      if (reused === "not_found") return NOT_FOUND;
      if (reused !== "added") errors[field.name] = reused;
    }
    if (Object.keys(errors).length > 0) return { kind: "invalid", errors, values, visibility: formVisibility(def, values) };
    return { kind: "reused", field: field.name };
  }

  const remove = input.form.get("removeAttachment");
  if (typeof remove === "string" && /^\d+$/.test(remove)) {
    await removeAttachment({ dossierId: draft.id, attachmentId: Number(remove), applicantId: input.user.id });
    return Object.keys(errors).length ? { kind: "invalid", errors, values, visibility: formVisibility(def, values) } : { kind: "removed" };
  }
  if (rowIntent) {
    if (Object.keys(errors).length > 0) return { kind: "saved", refusedFiles: errors, values, visibility: formVisibility(def, values) };
    return { kind: "rows", focus: rowChange && rowChange.row >= 0 ? `f-${rowIntent.group}-row-${rowChange.row}` : `f-${rowIntent.group}` };
  }
  // Saving checks nothing typed: only files that could not be kept are reported.
  if (input.form.get("intent") === "save") return { kind: "saved", refusedFiles: errors, values, visibility: formVisibility(def, values) };
  // Whom the draft is for is checked again (the record or a membership may have changed); the answers above are kept.
  const subjectError = await subjectProblem(input.user.id, draft);
  if (subjectError) return { kind: "invalid", errors: { ...errors, _form: subjectError }, values, visibility: formVisibility(def, values) };
  const verdict = await validateDraft(def, values, draft.id, procedure.procedure.feeVnd);
  if ("exit" in verdict && verdict.exit) {
    await recordOnlineExit({ dossier: draft, applicantId: input.user.id, exit: verdict.exit, formVersion: procedure.form.version });
    return { kind: "exit", exit: verdict.exit };
  }
  // A refused upload explains itself better than "file required", so it wins.
  const all = { ...verdict.errors, ...errors };
  return Object.keys(all).length ? { kind: "invalid", errors: all, values, visibility: formVisibility(def, values) } : { kind: "valid" };
}

/** The field named by a "reuse:<field>" intent (the data store's picker), or null for any other intent. */
function reuseIntent(intent: FormDataEntryValue | null): string | null {
  return typeof intent === "string" && intent.startsWith("reuse:") ? intent.slice("reuse:".length) : null;
}

export type CheckedUpload = { fieldName: string; fileName: string; mimeType: string; bytes: Uint8Array; sha256: string };

/**
 * The files of a multipart post for the given file fields, each checked by its magic bytes and
 * size; refused ones come back as field errors (i18n keys), fields sent without a file in `missing`.
 * The one upload check for the application form, supplements and counter intake.
 */
export async function checkUploads(fields: readonly Field[], form: FormData, oversized: ReadonlySet<string>) {
  const uploads: CheckedUpload[] = [];
  const errors: Record<string, string> = {};
  const missing: string[] = [];
  for (const field of fields) {
    if (field.type !== "file") continue;
    if (oversized.has(field.name)) {
      errors[field.name] = "form.errors.file_size";
      continue;
    }
    // An empty <input type="file"> posts one nameless empty file.
    const files = form.getAll(field.name).filter((f): f is File => f instanceof File && f.size > 0);
    if (files.length === 0) {
      missing.push(field.name);
      continue;
    }
    if (files.length > field.maxFiles) {
      errors[field.name] = "form.errors.too_many_files";
      continue;
    }
    const checkedFiles: CheckedUpload[] = [];
    for (const file of files) {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const checked = checkAttachment(field, bytes);
      // One refused file refuses the post's files of that field: the citizen chooses them again together.
      if (!checked.ok) {
        errors[field.name] = checked.error;
        break;
      }
      checkedFiles.push({
        fieldName: field.name,
        fileName: safeFileName(file.name, checked.kind),
        mimeType: MIME_TYPES[checked.kind],
        bytes,
        sha256: createHash("sha256").update(bytes).digest("hex"),
      });
    }
    if (!errors[field.name]) uploads.push(...checkedFiles);
  }
  return { uploads, errors, missing };
}

/**
 * The whole check before a draft may go to the check-answers page or be submitted, with the fee its
 * answers come to (core/payments/fees.ts dossierFee): the one shown on the check page and charged.
 */
export async function validateDraft(def: FormDefinition, values: Record<string, unknown>, draftId: number, procedureFeeVnd: number) {
  const today = todayInVietnam();
  const state = answersState(def, values, today);
  // An answer that means "not online" comes first: the rest of the form does not matter then.
  const exit = formExit(def, state);
  if (exit) return { ok: false as const, errors: {}, exit: exit.id };
  const parsed = buildAnswersSchema(def, today).safeParse(values);
  const errors: Record<string, string> = parsed.success ? {} : fieldErrors(parsed.error);
  const attached = new Set((await listAttachments(draftId)).map((a) => a.fieldName));
  for (const name of missingAttachments(def, attached, state)) errors[name] ??= "form.errors.file_required";
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false as const, errors };
  const fee = dossierFee({ procedureFeeVnd, rule: def.fee, answers: parsed.data });
  // The form's fee rule gave no amount for these answers: the agency's mistake, said plainly, never a guessed charge.
  if (!fee.ok) return { ok: false as const, errors: { _form: "form.errors.fee_unknown" } };
  // The fields the answers hide: not on the check page, and their files not submitted.
  return { ok: true as const, answers: parsed.data, feeVnd: fee.feeVnd, hidden: [...state.hidden], errors };
}

/** The check-answers page's post: which draft, and how the result is to be delivered. */
export const SubmitSchema = z.object({
  dossierId: z.coerce.number().int().positive(),
  /** Only when the form itself does not ask how to receive the result (core/forms/delivery-choice.ts). */
  deliveryMode: z.enum(DELIVERY_MODES, { error: "apply.errors.delivery_required" }).optional(),
});

export type CheckedSubmission =
  | NotFound
  | { kind: "invalid"; error: "apply.errors.delivery_required" | "apply.errors.delivery_not_offered" | SubjectProblem }
  | { kind: "back_to_form" }
  /** The account reached its daily number of submissions (SUBMISSIONS_PER_DAY); the draft is kept. */
  | { kind: "capped" }
  | { kind: "submitted"; receiptCode: string; alreadySubmitted: boolean };

/**
 * The check-answers page's post: the citizen's own draft, checked again whole, submitted with the
 * delivery the form's answer names (or, when the form does not ask, the one chosen on the page).
 * Not found when the procedure is not online, or the draft is not the citizen's or not of this procedure.
 */
export async function submitChecked(input: { user: SessionUser; code: string; form: Record<string, unknown>; language: Language }): Promise<CheckedSubmission> {
  const procedure = await onlineProcedure(input.code);
  if (!procedure) return NOT_FOUND;
  const parsed = SubmitSchema.safeParse(input.form);
  if (!parsed.success) return { kind: "invalid", error: "apply.errors.delivery_required" };
  const dossier = await getOwnDossier({ id: parsed.data.dossierId, applicantId: input.user.id });
  if (!dossier || dossier.procedureId !== procedure.procedure.id) return NOT_FOUND;
  // Already submitted (double click, refresh, back and resubmit): the one receipt.
  if (dossier.status !== STATUS.draft && dossier.receiptCode) return { kind: "submitted", receiptCode: dossier.receiptCode, alreadySubmitted: true };
  if (procedure.form.version !== dossier.formVersion) return { kind: "back_to_form" };
  // The verified answers are enforced once more, from the record as it is at submission.
  const prefill = await draftPrefill(procedure.form.definition, input.user, dossier);
  const verdict = await validateDraft(procedure.form.definition, enforceVerified(dossier.answers, prefill), dossier.id, procedure.procedure.feeVnd);
  if (!verdict.ok) return { kind: "back_to_form" };
  const subjectError = await subjectProblem(input.user.id, dossier);
  if (subjectError) return { kind: "invalid", error: subjectError };
  const choice = deliveryChoice(procedure.form.definition, verdict.answers, procedure.procedure.deliveryModes);
  if (choice.kind === "not_offered") return { kind: "invalid", error: "apply.errors.delivery_not_offered" };
  const deliveryMode = choice.kind === "answered" ? choice.mode : parsed.data.deliveryMode;
  if (!deliveryMode || !procedure.procedure.deliveryModes.includes(deliveryMode)) return { kind: "invalid", error: "apply.errors.delivery_required" };
  const result = await submitDraft({
    id: dossier.id,
    applicantId: input.user.id,
    answers: verdict.answers,
    feeVnd: verdict.feeVnd,
    // The authorisation document goes with an authorised adult's dossier only (a changed choice leaves it behind).
    hiddenFields: dossier.onBehalf === "authorised" ? verdict.hidden : [...verdict.hidden, AUTHORISATION_FIELD],
    verifiedFields: verifiedFieldsOf(prefill, verdict.answers),
    processingDays: procedure.procedure.processingDays,
    language: input.language,
    deliveryMode,
    fallbackName: input.user.fullName,
    fallbackPhone: input.user.phone,
    fallbackEmail: input.user.email,
  });
  if (!result.ok && result.error === "daily_cap") return { kind: "capped" };
  if (!result.ok) return NOT_FOUND;
  return { kind: "submitted", receiptCode: result.receiptCode, alreadySubmitted: result.alreadySubmitted };
}

type SubjectProblem = "representation.errors.subject_no_longer_allowed" | "representation.errors.authorisation_required";

/** Why a draft may not go on for the subject it names (decision 036), or null: re-checked on every continue and submit. */
async function subjectProblem(userId: number, draft: Dossier): Promise<SubjectProblem | null> {
  if (!(await draftSubjectAllowed(userId, draft))) return "representation.errors.subject_no_longer_allowed";
  if (draft.onBehalf === "authorised" && !(await listAttachments(draft.id)).some((a) => a.fieldName === AUTHORISATION_FIELD))
    return "representation.errors.authorisation_required";
  return null;
}

/**
 * The check-answers page in one call: NOT_FOUND for a procedure not online; "back_to_form" when there is no
 * open draft or it is not complete and valid (the form shows why); otherwise the visible answers, the
 * delivery choice, the fee plan (with postage "only by post" while the mode is still to be chosen), the
 * files and where the one-stop shop is when the result can be collected there.
 */
export async function checkAnswersPage(input: { user: SessionUser; code: string; language: Language }) {
  const procedure = await onlineProcedure(input.code);
  if (!procedure) return NOT_FOUND;
  const draft = await findDraft({ procedureId: procedure.procedure.id, applicantId: input.user.id });
  if (!draft) return { kind: "back_to_form" } as const;
  // As submission will see them: the verified answers are the record's.
  const prefill = await draftPrefill(procedure.form.definition, input.user, draft);
  const verdict = await validateDraft(procedure.form.definition, enforceVerified(draft.answers, prefill), draft.id, procedure.procedure.feeVnd);
  if (!verdict.ok) return { kind: "back_to_form" } as const;
  const p = procedure.procedure;
  const delivery = deliveryChoice(procedure.form.definition, verdict.answers, p.deliveryModes);
  const plan = (deliveryMode: DeliveryMode | null) => feePlan({ feeVnd: verdict.feeVnd, level: p.level, deliveryMode });
  const chosen = delivery.kind === "answered" ? delivery.mode : null;
  return {
    kind: "page",
    procedure: { code: p.code, nameVi: p.nameVi, nameEn: p.nameEn, deliveryModes: p.deliveryModes },
    dossierId: draft.id,
    forWhom: { onBehalf: draft.onBehalf, subjectName: draft.subjectName },
    definition: procedure.form.definition,
    answers: verdict.answers,
    hidden: verdict.hidden,
    verified: verifiedFieldsOf(prefill, verdict.answers),
    delivery,
    fees: { plan: plan(chosen), postPlan: chosen === null && p.deliveryModes.includes("post") ? plan("post") : null },
    attachments: (await listAttachments(draft.id)).filter((a) => !verdict.hidden.includes(a.fieldName)),
    oneStop: p.deliveryModes.includes("counter") ? oneStopView(procedure.oneStop, procedure.agency, input.language) : null,
  } as const;
}

/**
 * The submitted dossier named in the URL, when the signed-in citizen may see it (core/dossiers/representation.ts
 * dossierAccess: its filer, its subject, the subject business's owner and current members, read live); null when
 * it is malformed, absent or not theirs. Every citizen dossier route starts here. `capacity`: why they may.
 */
export async function ownDossierByReceipt(user: SessionUser, receiptCodeParam: string | undefined) {
  const receiptCode = parseReceiptCode(receiptCodeParam ?? "");
  if (!receiptCode) return null;
  const found = await getDossierByReceipt({ receiptCode });
  if (!found || found.dossier.status === STATUS.draft) return null;
  const capacity = await accessTo(user.id, found.dossier);
  return capacity ? { ...found, receiptCode, capacity } : null;
}

/**
 * The page of an answer that means "not online": the exit's message and where to go instead. Not
 * found when the procedure is not online or the form has no such exit.
 */
export async function exitPage(input: { code: string; exit: string; language: Language }) {
  const procedure = await onlineProcedure(input.code);
  const exit = procedure?.form.definition.exits?.find((e) => e.id === input.exit);
  if (!procedure || !exit) return null;
  const p = procedure.procedure;
  return {
    procedure: { code: p.code, nameVi: p.nameVi, nameEn: p.nameEn },
    message: exit.message,
    oneStop: oneStopView(procedure.oneStop, procedure.agency, input.language),
  };
}
