import { accessTo, visibleDossiersWhere } from "./representation.server";
import { and, asc, count, desc, eq, gte, inArray, isNotNull, isNull, ne, or, sql } from "drizzle-orm";
import { randomInt } from "node:crypto";
import * as z from "zod";
import { schema } from "../platform/schema.server";
import { appointmentDate, createCalendar, vnDate } from "../../core/calendar/working-days";
import type { DeliveryMode } from "../../core/catalog/procedure";
import { makeReceiptCode } from "../../core/dossiers/receipt-code";
import { STATUS, transition } from "../../core/dossiers/status";
import type { Answers } from "../../core/forms/answers-schema";
import { MAX_DRAFT_BYTES, MAX_DRAFT_FILES } from "../../core/forms/attachments";
import { fold } from "../../core/text/fold";
import { normalizePhone } from "../../core/validation/vn";
import type { Language } from "../../i18n";
import { db, inTransaction, preparedPerConnection, type Tx } from "../platform/db.server";
import { env } from "../platform/env.server";
import { recordEvent, ofDossier } from "../statistics/events.server";
import { syncShipment } from "../delivery/shipments.server";
import { queueNotifications } from "../notifications/notifications.server";
import { deleteStoredFile, storeFile } from "../platform/storage.server";
import { instantParam, jsonText } from "../platform/dialect.server";

const calendar = createCalendar();

type Owner = { applicantId: number };
export type Dossier = typeof schema.dossiers.$inferSelect;

/** A dossier with its procedure and agency: the join every detail view starts from (callers add the where). */
export function selectDossierDetail(tx: Tx = db()) {
  return tx
    .select({ dossier: schema.dossiers, procedure: schema.procedures, agency: schema.agencies })
    .from(schema.dossiers)
    .innerJoin(schema.procedures, eq(schema.procedures.id, schema.dossiers.procedureId))
    .innerJoin(schema.agencies, eq(schema.agencies.id, schema.dossiers.agencyId));
}

/** An uploaded file's attachment row: one shape for drafts, counter intake and supplements. */
export function attachmentRow(
  dossierId: number,
  file: { fieldName: string; fileName: string; mimeType: string; bytes: Uint8Array; sha256: string; key: string },
) {
  return {
    dossierId,
    fieldName: file.fieldName,
    fileName: file.fileName,
    mimeType: file.mimeType,
    sizeBytes: file.bytes.length,
    sha256: file.sha256,
    storageKey: file.key,
  };
}

const p = sql.placeholder;
const dossierTable = schema.dossiers;
/**
 * The citizen's reads on every apply, check and submit request, prepared once per connection
 * (compiling them cost more than running them). Placeholders in a where clause are bound as they
 * are, not through the column's encoder: instants go in through instantParam (milliseconds on SQLite).
 */
const statements = preparedPerConnection((tx) => ({
  ownDossier: tx
    .select()
    .from(dossierTable)
    .where(and(eq(dossierTable.id, p("id")), eq(dossierTable.applicantId, p("applicantId"))))
    .prepare(),
  openDraft: tx
    .select()
    .from(dossierTable)
    .where(and(eq(dossierTable.procedureId, p("procedureId")), eq(dossierTable.applicantId, p("applicantId")), eq(dossierTable.status, STATUS.draft)))
    .orderBy(desc(dossierTable.id))
    .limit(1)
    .prepare(),
  submissionsSince: tx
    .select({ n: count() })
    .from(dossierTable)
    .where(and(eq(dossierTable.applicantId, p("applicantId")), isNull(dossierTable.submittedBy), gte(dossierTable.submittedAt, p("sinceMs"))))
    .prepare(),
  receiptCodeTaken: tx
    .select({ id: dossierTable.id })
    .from(dossierTable)
    .where(eq(dossierTable.receiptCode, p("code")))
    .limit(1)
    .prepare(),
}));

/** Ownership is part of every query: a dossier that is not yours is as absent as one that does not exist. */
export async function ownDossier(tx: Tx, where: { id: number } & Owner): Promise<Dossier | undefined> {
  const [row] = await statements(tx).ownDossier.execute({ id: where.id, applicantId: where.applicantId });
  return row;
}

/** The citizen's open draft for a procedure, started (with a form_started event) if there is none. */
export async function getOrStartDraft(input: { procedureId: number; agencyId: number; formVersion: number; language: Language } & Owner): Promise<Dossier> {
  return inTransaction(async (tx) => {
    const existing = await openDraft(tx, input);
    if (existing) return existing;
    const [created] = await tx
      .insert(schema.dossiers)
      .values({
        procedureId: input.procedureId,
        agencyId: input.agencyId,
        formVersion: input.formVersion,
        applicantId: input.applicantId,
        channel: "online",
        status: STATUS.draft,
        answers: {},
        language: input.language,
      })
      .returning();
    if (!created) throw new Error("the draft was not inserted");
    await recordEvent(tx, {
      type: "form_started",
      dossierId: created.id,
      procedureId: input.procedureId,
      agencyId: input.agencyId,
      actorId: input.applicantId,
      actorRole: "citizen",
      channel: "online",
      data: { formVersion: input.formVersion },
    });
    return created;
  });
}

/** Finds a draft (status 0) or a submitted dossier of this citizen by id. */
export async function getOwnDossier(input: { id: number } & Owner): Promise<Dossier | undefined> {
  return ownDossier(db(), input);
}

/**
 * Saves what was typed. A draft started on an older form version moves to the
 * current one here; the caller has already kept only answers whose fields exist.
 */
export async function saveDraft(input: { id: number; answers: Record<string, unknown>; formVersion: number; language: Language } & Owner): Promise<boolean> {
  return inTransaction(async (tx) => {
    const d = await ownDossier(tx, input);
    if (!d || d.status !== STATUS.draft) return false;
    await tx
      .update(schema.dossiers)
      .set({ answers: input.answers, formVersion: input.formVersion, language: input.language, updatedAt: new Date(), version: d.version + 1 })
      .where(eq(schema.dossiers.id, d.id));
    await recordEvent(tx, {
      type: "draft_saved",
      ...ofDossier(d),
      actorId: input.applicantId,
      actorRole: "citizen",
      data: { formVersion: input.formVersion },
    });
    return true;
  });
}

export async function listAttachments(dossierId: number) {
  return db()
    .select({
      id: schema.attachments.id,
      fieldName: schema.attachments.fieldName,
      fileName: schema.attachments.fileName,
      sizeBytes: schema.attachments.sizeBytes,
      mimeType: schema.attachments.mimeType,
    })
    .from(schema.attachments)
    .where(eq(schema.attachments.dossierId, dossierId))
    .orderBy(asc(schema.attachments.id));
}
export type AttachmentSummary = Awaited<ReturnType<typeof listAttachments>>[number];

/**
 * Stores a checked file as the draft's file for its field, replacing the one there (a save with a new
 * file must not add another copy). A draft holds at most MAX_DRAFT_FILES files and MAX_DRAFT_BYTES
 * bytes; over that the file is refused (false). The file is written first and removed again if the
 * row cannot be; a replaced file is removed once the new row is committed.
 */
/**
 * Adds a file to a draft's field. A field taking one file (`maxFiles` 1) has it replaced; one taking
 * several keeps adding until it holds `maxFiles` ("field_full"). Never past the draft's own limits
 * ("draft_full"). "not_draft": the dossier is not the citizen's open draft.
 */
export async function addAttachment(
  input: { dossierId: number; fieldName: string; maxFiles: number; fileName: string; mimeType: string; bytes: Uint8Array; sha256: string } & Owner,
): Promise<"added" | "field_full" | "draft_full" | "not_draft"> {
  const key = await storeFile(input.bytes);
  try {
    const outcome = await inTransaction(async (tx) => {
      const d = await ownDossier(tx, { id: input.dossierId, applicantId: input.applicantId });
      if (!d || d.status !== STATUS.draft) return "not_draft" as const;
      const placed = await placeAttachment(tx, d, { ...input, sizeBytes: input.bytes.length, key });
      if (!Array.isArray(placed)) return placed;
      await recordEvent(tx, {
        type: "attachment_added",
        ...ofDossier(d),
        actorId: input.applicantId,
        actorRole: "citizen",
        data: { field: input.fieldName, bytes: input.bytes.length, mime: input.mimeType, replaced: placed.length },
      });
      return placed;
    });
    if (!Array.isArray(outcome)) {
      await deleteStoredFile(key);
      return outcome;
    }
    await releaseStoredFiles(outcome);
    return "added";
  } catch (error) {
    await deleteStoredFile(key);
    throw error;
  }
}

/**
 * Puts a stored file in a draft's field, in the caller's transaction (an upload, or a document reused
 * from the citizen's data store): a field taking one file has it replaced, one taking several keeps
 * adding until it holds `maxFiles` ("field_full"); never past the draft's own limits ("draft_full").
 * Returns the storage keys of the rows it replaced, to release once committed (releaseStoredFiles).
 */
export async function placeAttachment(
  tx: Tx,
  d: Dossier,
  input: { fieldName: string; maxFiles: number; fileName: string; mimeType: string; sizeBytes: number; sha256: string; key: string; applicantId: number },
): Promise<"field_full" | "draft_full" | string[]> {
  const existing = await tx
    .select({
      id: schema.attachments.id,
      fieldName: schema.attachments.fieldName,
      sizeBytes: schema.attachments.sizeBytes,
      storageKey: schema.attachments.storageKey,
    })
    .from(schema.attachments)
    .where(eq(schema.attachments.dossierId, d.id));
  const inField = existing.filter((a) => a.fieldName === input.fieldName);
  if (input.maxFiles > 1 && inField.length >= input.maxFiles) return "field_full";
  // Replaced: the field's one file, when it takes one.
  const same = input.maxFiles > 1 ? [] : inField;
  const kept = existing.filter((a) => !same.includes(a));
  const bytes = kept.reduce((sum, a) => sum + a.sizeBytes, 0) + input.sizeBytes;
  if (kept.length + 1 > MAX_DRAFT_FILES || bytes > MAX_DRAFT_BYTES) return "draft_full";
  if (same.length > 0)
    await tx.delete(schema.attachments).where(
      inArray(
        schema.attachments.id,
        same.map((a) => a.id),
      ),
    );
  // The log stays the whole story: each replaced file is a removal, as when the citizen removes it.
  for (const _ of same) {
    await recordEvent(tx, {
      type: "attachment_removed",
      ...ofDossier(d),
      actorId: input.applicantId,
      actorRole: "citizen",
      data: { field: input.fieldName, replaced: true },
    });
  }
  await tx.insert(schema.attachments).values({
    dossierId: d.id,
    fieldName: input.fieldName,
    fileName: input.fileName,
    mimeType: input.mimeType,
    sizeBytes: input.sizeBytes,
    sha256: input.sha256,
    storageKey: input.key,
  });
  return same.map((a) => a.storageKey);
}

/**
 * Removes stored files whose rows were deleted, unless another attachment or a result still refers
 * to them: a document reused from the data store shares its stored file with the row it came from.
 * Called after the commit; a file left behind is the hourly sweep's (storage-sweep.server.ts).
 */
export async function releaseStoredFiles(keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  const unique = [...new Set(keys)];
  const attached = await db().select({ key: schema.attachments.storageKey }).from(schema.attachments).where(inArray(schema.attachments.storageKey, unique));
  const issued = await db().select({ key: schema.results.storageKey }).from(schema.results).where(inArray(schema.results.storageKey, unique));
  const kept = new Set([...attached, ...issued].map((r) => r.key));
  for (const key of unique) if (!kept.has(key)) await deleteStoredFile(key).catch(() => undefined);
}

export async function removeAttachment(input: { dossierId: number; attachmentId: number } & Owner): Promise<boolean> {
  const removedKey = await inTransaction(async (tx) => {
    const d = await ownDossier(tx, { id: input.dossierId, applicantId: input.applicantId });
    if (!d || d.status !== STATUS.draft) return null;
    const [a] = await tx
      .select()
      .from(schema.attachments)
      .where(and(eq(schema.attachments.id, input.attachmentId), eq(schema.attachments.dossierId, d.id)))
      .limit(1);
    if (!a) return null;
    await tx.delete(schema.attachments).where(eq(schema.attachments.id, a.id));
    await recordEvent(tx, {
      type: "attachment_removed",
      ...ofDossier(d),
      actorId: input.applicantId,
      actorRole: "citizen",
      data: { field: a.fieldName },
    });
    return a.storageKey;
  });
  if (removedKey) await releaseStoredFiles([removedKey]);
  return removedKey !== null;
}

/** A fresh receipt code, unique among dossiers (retries on the rare clash). */
export async function newReceiptCode(tx: Tx, now: Date): Promise<string> {
  for (;;) {
    const code = makeReceiptCode(
      vnDate(now),
      Array.from({ length: 6 }, () => randomInt(32)),
    );
    const [taken] = await statements(tx).receiptCodeTaken.execute({ code });
    if (!taken) return code;
  }
}

const text = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : null);

/**
 * The applicant's name, phone, CCCD and e-mail copied out of the answers (for the queue, tracking
 * and notifications), falling back to the account's when the form does not ask.
 */
export function applicantColumns(answers: Record<string, unknown>, fallback: { name: string; phone: string | null; email?: string | null }) {
  const name = text(answers.applicant_name) ?? fallback.name;
  const phoneAnswer = text(answers.applicant_phone);
  return {
    applicantName: name,
    applicantNameFolded: fold(name),
    applicantPhone: (phoneAnswer && normalizePhone(phoneAnswer)) ?? fallback.phone,
    applicantCccd: text(answers.applicant_cccd),
    applicantEmail: text(answers.applicant_email)?.toLowerCase() ?? fallback.email ?? null,
  };
}

export type SubmitResult = { ok: true; receiptCode: string; alreadySubmitted: boolean } | { ok: false; error: "not_found" | "not_allowed" | "daily_cap" };

/** How many dossiers the account submitted itself (not an officer for it) since `since`. */
async function ownSubmissionsSince(tx: Tx, applicantId: number, since: Date): Promise<number> {
  const [row] = await statements(tx).submissionsSince.execute({ applicantId, sinceMs: instantParam(since) });
  return row?.n ?? 0;
}

/**
 * Submits a draft. Idempotent: a second submit of the same draft (double click,
 * refresh, back and resubmit) finds it already submitted and returns the same
 * receipt code, so one draft is at most one dossier. The status change, receipt
 * code, appointment date and the `submitted` event are one immediate transaction.
 */
export async function submitDraft(
  input: {
    id: number;
    answers: Answers;
    /** The fee its answers come to (validateDraft), fixed now: what the payment will ask. */
    feeVnd: number;
    /** File fields the answers hide (core/forms/visibility.ts): files attached to them are not submitted. */
    hiddenFields?: readonly string[];
    /** The answers that came verified from the population database (core/forms/verified-prefill.ts). */
    verifiedFields?: readonly string[];
    processingDays: number;
    language: Language;
    deliveryMode: DeliveryMode;
    now?: Date;
    fallbackName: string;
    fallbackPhone: string | null;
    fallbackEmail?: string | null;
    dailyCap?: number;
  } & Owner,
): Promise<SubmitResult> {
  const now = input.now ?? new Date();
  const dropped: string[] = [];
  const result = await inTransaction(async (tx): Promise<SubmitResult> => {
    const d = await ownDossier(tx, input);
    if (!d) return { ok: false, error: "not_found" };
    if (d.status !== STATUS.draft && d.receiptCode) return { ok: true, receiptCode: d.receiptCode, alreadySubmitted: true };
    const move = transition({ action: "submit", from: d.status, role: "citizen" });
    if (!move.ok) return { ok: false, error: "not_allowed" };
    // The daily cap (SUBMISSIONS_PER_DAY, a rolling 24 hours), counted in this immediate transaction so
    // parallel submissions cannot all slip under it; the draft is left as it was.
    if ((await ownSubmissionsSince(tx, input.applicantId, new Date(now.getTime() - 24 * 3_600_000))) >= (input.dailyCap ?? env().SUBMISSIONS_PER_DAY))
      return { ok: false, error: "daily_cap" };
    const receiptCode = await newReceiptCode(tx, now);
    const dueOn = appointmentDate(calendar, now, input.processingDays);
    // A file attached while its field was shown, then hidden by a later answer, is not part of the dossier.
    if (input.hiddenFields?.length) {
      const hidden = await tx
        .delete(schema.attachments)
        .where(and(eq(schema.attachments.dossierId, d.id), inArray(schema.attachments.fieldName, [...input.hiddenFields])))
        .returning({ key: schema.attachments.storageKey });
      dropped.push(...hidden.map((a) => a.key));
    }
    await tx
      .update(schema.dossiers)
      .set({
        status: move.to,
        receiptCode,
        answers: input.answers,
        language: input.language,
        deliveryMode: input.deliveryMode,
        feeVnd: input.feeVnd,
        verifiedFields: [...(input.verifiedFields ?? [])],
        ...applicantColumns(input.answers, { name: input.fallbackName, phone: input.fallbackPhone, email: input.fallbackEmail }),
        submittedAt: now,
        dueOn,
        updatedAt: now,
        version: d.version + 1,
      })
      .where(and(eq(schema.dossiers.id, d.id), eq(schema.dossiers.version, d.version)));
    await recordEvent(tx, {
      type: "submitted",
      occurredAt: now,
      ...ofDossier(d),
      actorId: input.applicantId,
      actorRole: "citizen",
      fromStatus: move.from,
      toStatus: move.to,
      // The fee kept with the event too, so statistics count fee-charging dossiers as they were.
      data: { formVersion: d.formVersion, deliveryMode: input.deliveryMode, dueOn, feeVnd: input.feeVnd, verifiedFields: [...(input.verifiedFields ?? [])] },
    });
    await queueNotifications(tx, { dossier: d, template: "submitted" });
    return { ok: true, receiptCode, alreadySubmitted: false };
  });
  // After the commit (a rolled-back submission keeps them); a failed removal is left to the sweep.
  if (result.ok) await releaseStoredFiles(dropped);
  return result;
}

/** A submitted dossier by its receipt code, whoever's it is: the caller checks access (representation.server.ts accessTo). */
export async function getDossierByReceipt(input: { receiptCode: string }) {
  const [row] = await selectDossierDetail().where(eq(schema.dossiers.receiptCode, input.receiptCode)).limit(1);
  return row;
}

/**
 * "My dossiers": every dossier the citizen may see (filed by them, for them, or for one of their businesses now —
 * representation.server.ts visibleDossiersWhere), with who filed it and for whom; drafts only the filer's.
 */
export async function listOwnDossiers(input: Owner) {
  const visible = await visibleDossiersWhere(input.applicantId);
  return db()
    .select({
      receiptCode: schema.dossiers.receiptCode,
      status: schema.dossiers.status,
      applicantId: schema.dossiers.applicantId,
      filerName: schema.users.fullName,
      onBehalf: schema.dossiers.onBehalf,
      subjectName: schema.dossiers.subjectName,
      submittedAt: schema.dossiers.submittedAt,
      dueOn: schema.dossiers.dueOn,
      updatedAt: schema.dossiers.updatedAt,
      procedureCode: schema.procedures.code,
      procedureVi: schema.procedures.nameVi,
      procedureEn: schema.procedures.nameEn,
    })
    .from(schema.dossiers)
    .innerJoin(schema.procedures, eq(schema.procedures.id, schema.dossiers.procedureId))
    .leftJoin(schema.users, eq(schema.users.id, schema.dossiers.applicantId))
    .where(and(visible, or(eq(schema.dossiers.applicantId, input.applicantId), ne(schema.dossiers.status, STATUS.draft))))
    .orderBy(desc(schema.dossiers.updatedAt), desc(schema.dossiers.id));
}

/** A status timeline, from the log: every event that moved the dossier. */
export async function statusTimeline(dossierId: number) {
  return db()
    .select({ status: schema.dossierEvents.toStatus, at: schema.dossierEvents.occurredAt, type: schema.dossierEvents.type })
    .from(schema.dossierEvents)
    .where(and(eq(schema.dossierEvents.dossierId, dossierId), isNotNull(schema.dossierEvents.toStatus)))
    .orderBy(asc(schema.dossierEvents.id));
}

/**
 * An attachment of a dossier the citizen may see (its filer, its subject, the subject business's people:
 * representation.server.ts accessTo); anything else is null (the route answers 404). `applicantId`: who asks.
 */
export async function getOwnAttachment(input: { attachmentId: number } & Owner) {
  const [row] = await db()
    .select({ attachment: schema.attachments, dossier: schema.dossiers })
    .from(schema.attachments)
    .innerJoin(schema.dossiers, eq(schema.dossiers.id, schema.attachments.dossierId))
    .where(eq(schema.attachments.id, input.attachmentId))
    .limit(1);
  if (!row) return undefined;
  // A draft's files are its filer's alone; a submitted dossier's, everyone's who may see it.
  if (row.dossier.status === STATUS.draft) return row.dossier.applicantId === input.applicantId ? row.attachment : undefined;
  return (await accessTo(input.applicantId, row.dossier)) === null ? undefined : row.attachment;
}

/**
 * Public tracking: the receipt code plus a second factor (the phone given on the
 * form, or the last four digits of the CCCD). A wrong pair and an unknown code
 * answer the same null, so a guess learns nothing.
 */
export async function trackDossier(input: { receiptCode: string; factor: string }) {
  const [row] = await selectDossierDetail().where(eq(schema.dossiers.receiptCode, input.receiptCode)).limit(1);
  if (!row) return null;
  const factor = input.factor.replace(/\s/g, "");
  const phone = normalizePhone(factor);
  const matches =
    (phone !== null && row.dossier.applicantPhone === phone) ||
    (/^\d{4}$/.test(factor) && row.dossier.applicantCccd !== null && row.dossier.applicantCccd.endsWith(factor));
  if (!matches) return null;
  await recordEvent(db(), {
    type: "tracking_viewed",
    dossierId: row.dossier.id,
    procedureId: row.procedure.id,
    agencyId: row.dossier.agencyId,
    channel: row.dossier.channel,
  });
  // A postal parcel's state comes from the post (simulator) on every look; delivery may finish the dossier.
  const shipment = await syncShipment(row.dossier.id);
  const [fresh] = shipment ? await db().select().from(schema.dossiers).where(eq(schema.dossiers.id, row.dossier.id)).limit(1) : [];
  const dossier = fresh ?? row.dossier;
  return { ...row, dossier, shipment, timeline: await statusTimeline(row.dossier.id) };
}

/** A procedure page was read. No personal data: who read it is not recorded, bots are not counted (the route filters them). */
export async function recordProcedureView(input: { procedureId: number; agencyId: number; language: Language }) {
  await recordEvent(db(), { type: "procedure_viewed", procedureId: input.procedureId, agencyId: input.agencyId, data: { language: input.language } });
}

export async function recordTemplateDownload(input: { procedureId: number; agencyId: number; template: string }) {
  await recordEvent(db(), { type: "template_downloaded", procedureId: input.procedureId, agencyId: input.agencyId, data: { template: input.template } });
}

/** The citizen's open draft for a procedure, if any (without starting one). */
export async function findDraft(input: { procedureId: number } & Owner): Promise<Dossier | undefined> {
  return openDraft(db(), input);
}

/** The newest draft of the citizen for the procedure (there is one at most, unless two tabs raced). */
async function openDraft(tx: Tx, input: { procedureId: number } & Owner): Promise<Dossier | undefined> {
  const [row] = await statements(tx).openDraft.execute({ procedureId: input.procedureId, applicantId: input.applicantId });
  return row;
}

/** The public tracking form. */
export const TrackSchema = z.object({
  code: z.string().trim().min(1, "track.errors.code_required").max(40, "track.errors.code_invalid"),
  factor: z.string().trim().min(1, "track.errors.factor_required").max(20, "track.errors.factor_required"),
});

/**
 * A citizen's answers meant the procedure cannot be done online (the form's `exits`): recorded on
 * their draft, once per exit and draft — demand the portal could not serve (docs/metrics.md).
 */
export async function recordOnlineExit(input: { dossier: Dossier; applicantId: number; exit: string; formVersion: number }): Promise<void> {
  await inTransaction(async (tx) => {
    const [already] = await tx
      .select({ id: schema.dossierEvents.id })
      .from(schema.dossierEvents)
      .where(
        and(
          eq(schema.dossierEvents.dossierId, input.dossier.id),
          eq(schema.dossierEvents.type, "online_exit"),
          eq(jsonText(schema.dossierEvents.data, "exit"), input.exit),
        ),
      )
      .limit(1);
    if (already) return;
    await recordEvent(tx, {
      type: "online_exit",
      ...ofDossier(input.dossier),
      actorId: input.applicantId,
      actorRole: "citizen",
      data: { exit: input.exit, formVersion: input.formVersion },
    });
  });
}
