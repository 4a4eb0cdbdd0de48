import { formState } from "../../core/forms/visibility";
import { and, asc, eq, isNotNull, ne, or, sql } from "drizzle-orm";
import { schema } from "../platform/schema.server";
import type { Role } from "../../core/auth/permissions";
import { addWorkingDays, createCalendar, vnDate } from "../../core/calendar/working-days";
import { apologyAllowed, clockRuns, deadlineFlag, dueThresholds } from "../../core/dossiers/deadline";
import { confirmPath, isConfirmedMove, moveOfSlug } from "../../core/dossiers/officer-actions";
import { parseReceiptCode } from "../../core/dossiers/receipt-code";
import { availableActions, isFinished, STATUS, TRANSITIONS } from "../../core/dossiers/status";
import { storedAnswers } from "../../core/forms/answers-schema";
import { resultFieldsOf } from "../../core/results/result-fields";
import { maskTail } from "../../core/validation/vn";
import type { ScopedUser } from "../auth/guards.server";
import { paymentState } from "../payments/payments.server";
import { db, inTransaction, preparedPerConnection } from "../platform/db.server";
import { recordEvent, ofDossier } from "../statistics/events.server";
import { resultSummary } from "../results/results.server";
import { subtreePattern, withinAgency } from "../staff/agency-scope.server";
import { listAttachments, selectDossierDetail } from "./dossiers.server";
import { dossierForm, listSupplementRequests } from "./supplement.server";
import { startsWith } from "../platform/dialect.server";

// The officer's side of one dossier: the page's view model, the scoped lookups, the audited views of personal data.

const calendar = createCalendar();

/**
 * The officer's dossier page in one call: the dossier in the officer's scope (null otherwise), its answers and
 * documents only when the full view is asked for (and then the view is recorded), payment, supplements,
 * history, the moves the officer can make and the result. Dates are ISO strings, ready for the page.
 */
export async function officerDossierPage(input: { receiptCode: string | undefined; officer: ScopedUser; full: boolean; language: string; now?: Date }) {
  const found = await agencyDossierByParam(input.receiptCode, input.officer.agencyPath);
  if (!found) return null;
  const { dossier, procedure, agency, receiptCode } = found;
  const now = input.now ?? new Date();
  if (input.full) await recordPersonalDataView(input.officer, dossier);
  const payment = await paymentState(dossier.id);
  const today = vnDate(now);
  const running = clockRuns(dossier);
  const definition = await dossierForm(dossier.procedureId, dossier.formVersion);
  return {
    receiptCode,
    status: dossier.status,
    version: dossier.version,
    channel: dossier.channel,
    deliveryMode: dossier.deliveryMode,
    applicantName: dossier.applicantName,
    // Filed for someone else (decision 036): the subject's number only in the full (recorded) view, like the applicant's.
    forWhom: {
      onBehalf: dossier.onBehalf,
      subjectName: dossier.subjectName,
      subjectId: input.full ? (dossier.subjectCccd ?? dossier.subjectTaxCode) : null,
    },
    contact: input.full ? { cccd: dossier.applicantCccd, phone: dossier.applicantPhone, email: dossier.applicantEmail } : maskedContact(dossier),
    full: input.full,
    answers: input.full ? storedAnswers(dossier.answers) : null,
    // The answers that came verified from the population database: marked so beside them.
    verified: input.full ? dossier.verifiedFields : [],
    attachments: input.full ? await listAttachments(dossier.id) : [],
    definition,
    // Fields its answers hid from the applicant (core/forms/visibility.ts): not asked, so not listed as "not given".
    hidden: definition ? [...formState(definition, storedAnswers(dossier.answers)).hidden] : [],
    submittedAt: dossier.submittedAt?.toISOString() ?? null,
    deadline: {
      dueOn: dossier.dueOn,
      rescheduledOn: dossier.rescheduledOn,
      pausedSince: dossier.pausedAt?.toISOString() ?? null,
      pausedDays: dossier.pausedDays,
      timeliness: dossier.timeliness,
      state: deadlineFlag(dossier, dueThresholds(calendar, now)),
      canApologize: running && dossier.dueOn !== null && apologyAllowed(calendar, today, dossier.dueOn),
      earliestNewDate: dossier.dueOn && dossier.dueOn > today ? addWorkingDays(calendar, dossier.dueOn, 1) : addWorkingDays(calendar, today, 1),
    },
    finished: isFinished(dossier.status),
    procedure: { nameVi: procedure.nameVi, nameEn: procedure.nameEn },
    agency: { nameVi: agency.nameVi, nameEn: agency.nameEn },
    payment: payment ? { totalVnd: payment.due.totalVnd, required: payment.required, paid: payment.paid !== null } : null,
    supplements: (await listSupplementRequests(dossier.id)).map((r) => ({
      id: r.id,
      message: r.message,
      items: r.items,
      requestedAt: r.requestedAt.toISOString(),
      answeredAt: r.answeredAt?.toISOString() ?? null,
    })),
    history: (await dossierHistory(dossier.id)).map((h) => ({ ...h, at: h.at.toISOString() })),
    // Irreversible moves open their confirmation page; the others are posted from the dossier page.
    actions: availableActions("officer", dossier.status).map((name) => ({
      name,
      reason: TRANSITIONS[name].reason,
      confirmAt: isConfirmedMove(name) ? confirmPath(receiptCode, name) : null,
    })),
    result: await resultSummary({ dossierId: dossier.id, procedureResultFields: procedure.resultFields, language: input.language }),
  };
}

/**
 * The "check before you act" page of one irreversible move, in one call: the move and the dossier in the
 * officer's scope (null when the move, the code or the dossier is not theirs), what the page summarises,
 * whether the move is still possible (another officer may have moved the dossier since), and the
 * procedure's result fields. Its action uses the same call, for the dossier's id and result fields.
 */
export async function officerMovePage(input: { move: string | undefined; receiptCode: string | undefined; agencyPath: string }) {
  const move = moveOfSlug(input.move);
  const found = move ? await agencyDossierByParam(input.receiptCode, input.agencyPath) : null;
  if (!move || !found) return null;
  const { dossier, procedure, agency, receiptCode } = found;
  const payment = await paymentState(dossier.id);
  return {
    move,
    receiptCode,
    dossierId: dossier.id,
    version: dossier.version,
    possible: availableActions("officer", dossier.status).includes(move),
    status: dossier.status,
    applicantName: dossier.applicantName,
    /** An authorised adult's dossier: the refusal may be on the authorisation document (decision 036). */
    authorised: dossier.onBehalf === "authorised",
    submittedAt: dossier.submittedAt?.toISOString() ?? null,
    dueOn: dossier.dueOn,
    deliveryMode: dossier.deliveryMode,
    procedure: { code: procedure.code, nameVi: procedure.nameVi, nameEn: procedure.nameEn },
    agency: { nameVi: agency.nameVi, nameEn: agency.nameEn },
    payment: payment ? { totalVnd: payment.due.totalVnd, required: payment.required, paid: payment.paid !== null } : null,
    resultFields: resultFieldsOf(procedure.resultFields),
  };
}

/** A dossier named in a URL, within the officer's scope, with its checked receipt code; null when malformed, absent or outside. */
export async function agencyDossierByParam(receiptCodeParam: string | undefined, agencyPath: string) {
  const receiptCode = parseReceiptCode(receiptCodeParam ?? "");
  if (!receiptCode) return null;
  const found = await getAgencyDossier({ receiptCode, agencyPath });
  return found ? { ...found, receiptCode } : null;
}

/** The scope check every officer page of a dossier starts with, prepared once per connection. */
const statements = preparedPerConnection((tx) => ({
  agencyDossier: selectDossierDetail(tx)
    .where(and(eq(schema.dossiers.receiptCode, sql.placeholder("receiptCode")), startsWith(schema.agencies.path, sql.placeholder("pattern"))))
    .limit(1)
    .prepare(),
}));

/** One dossier by receipt code, only within the officer's scope (otherwise undefined → 404). */
export async function getAgencyDossier(input: { receiptCode: string; agencyPath: string }) {
  const [row] = await statements(db()).agencyDossier.execute({ receiptCode: input.receiptCode, pattern: subtreePattern(input.agencyPath) });
  return row;
}

/**
 * An uploaded file of a submitted dossier in the officer's scope, for download. Looking at a
 * citizen's documents is audited: the `attachment_viewed` event is written in the same transaction
 * as the scope check. A draft, another agency's dossier and a missing file all give undefined (404).
 */
export async function viewAgencyAttachment(input: { attachmentId: number; agencyPath: string; actor: { id: number; role: Role } }) {
  return inTransaction(async (tx) => {
    const [row] = await tx
      .select({
        attachment: schema.attachments,
        dossier: { id: schema.dossiers.id, agencyId: schema.dossiers.agencyId, procedureId: schema.dossiers.procedureId, channel: schema.dossiers.channel },
      })
      .from(schema.attachments)
      .innerJoin(schema.dossiers, eq(schema.dossiers.id, schema.attachments.dossierId))
      .innerJoin(schema.agencies, eq(schema.agencies.id, schema.dossiers.agencyId))
      .where(and(eq(schema.attachments.id, input.attachmentId), ne(schema.dossiers.status, STATUS.draft), withinAgency(input.agencyPath)))
      .limit(1);
    if (!row) return undefined;
    await recordEvent(tx, {
      type: "attachment_viewed",
      ...ofDossier(row.dossier),
      actorId: input.actor.id,
      actorRole: input.actor.role,
      data: { attachmentId: row.attachment.id, field: row.attachment.fieldName },
    });
    return row.attachment;
  });
}

type DossierRow = typeof schema.dossiers.$inferSelect;

/** Personal data as the queue and the dossier page show it until the officer asks for more. */
export function maskedContact(dossier: Pick<DossierRow, "applicantCccd" | "applicantPhone" | "applicantEmail">) {
  return {
    cccd: dossier.applicantCccd ? maskTail(dossier.applicantCccd) : null,
    phone: dossier.applicantPhone ? maskTail(dossier.applicantPhone) : null,
    email: dossier.applicantEmail ? maskEmail(dossier.applicantEmail) : null,
  };
}

export function maskEmail(email: string): string {
  const at = email.indexOf("@");
  return at <= 0 ? "•••" : `${email[0]}•••${email.slice(at)}`;
}

/**
 * Opening a dossier's full personal data (answers, documents, full CCCD and phone) is recorded
 * in the log — who, when, which dossier — and the audit trail shows it.
 */
export async function recordPersonalDataView(officer: ScopedUser, dossier: DossierRow): Promise<void> {
  await recordEvent(db(), {
    type: "personal_data_viewed",
    ...ofDossier(dossier),
    actorId: officer.id,
    actorRole: officer.role,
  });
}

/** The dossier's history for the officer: status changes and apologies, with who did them. */
export async function dossierHistory(dossierId: number) {
  return db()
    .select({
      type: schema.dossierEvents.type,
      at: schema.dossierEvents.occurredAt,
      fromStatus: schema.dossierEvents.fromStatus,
      toStatus: schema.dossierEvents.toStatus,
      actorRole: schema.dossierEvents.actorRole,
      actorName: schema.users.fullName,
      data: schema.dossierEvents.data,
    })
    .from(schema.dossierEvents)
    .leftJoin(schema.users, eq(schema.users.id, schema.dossierEvents.actorId))
    .where(and(eq(schema.dossierEvents.dossierId, dossierId), or(isNotNull(schema.dossierEvents.toStatus), eq(schema.dossierEvents.type, "apology_issued"))))
    .orderBy(asc(schema.dossierEvents.id));
}
