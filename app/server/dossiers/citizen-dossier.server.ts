import { oneStopView } from "../../core/catalog/one-stop";
import { declaredAnswers } from "../../core/forms/answer-text";
import { storedAnswers } from "../../core/forms/answers-schema";
import { formState } from "../../core/forms/visibility";
import type { Language } from "../../i18n";
import type { SessionUser } from "../auth/session.server";
import { oneStopFor } from "../catalog/catalog.server";
import { syncShipment } from "../delivery/shipments.server";
import { paymentState } from "../payments/payments.server";
import { resultAvailable, resultSummary } from "../results/results.server";
import { ownDossierByReceipt } from "./application.server";
import { listAttachments } from "./dossiers.server";
import { getRating } from "./ratings.server";
import { qrSvgDataUri } from "./receipt.server";
import { citizenNotices, dossierForm } from "./supplement.server";
import { getTFor } from "../platform/i18n.server";

/**
 * The citizen's dossier page (the receipt) in one call: the citizen's own dossier named in the URL (null when it
 * is not theirs), its tracking QR code, what was declared (on the form version the dossier was made on, so a
 * newer version's labels never relabel old answers), documents, payment, result, parcel, rating, notices and,
 * for a result collected at the counter, where that is. Dates are ISO strings, ready for the page.
 */
export async function citizenDossierPage(input: {
  user: SessionUser;
  receiptCode: string | undefined;
  trackingUrl: (code: string) => string;
  language: Language;
}) {
  const own = await ownDossierByReceipt(input.user, input.receiptCode);
  if (!own) return null;
  const { dossier, procedure, agency, receiptCode } = own;
  const url = input.trackingUrl(receiptCode);
  const definition = await dossierForm(dossier.procedureId, dossier.formVersion);
  const answers = storedAnswers(dossier.answers);
  return {
    receiptCode,
    trackingUrl: url,
    qr: await qrSvgDataUri(url),
    status: dossier.status,
    applicantName: dossier.applicantName,
    forWhom: { onBehalf: dossier.onBehalf, subjectName: dossier.subjectName },
    capacity: own.capacity,
    submittedAt: dossier.submittedAt?.toISOString() ?? null,
    dueOn: dossier.dueOn,
    deliveryMode: dossier.deliveryMode,
    channel: dossier.channel,
    procedure: { code: procedure.code, nameVi: procedure.nameVi, nameEn: procedure.nameEn },
    agency: { nameVi: agency.nameVi, nameEn: agency.nameEn },
    // On the dossier's own form version, as text (the page loads no code for it); what the answers hid was not asked.
    declared: definition
      ? declaredAnswers(definition, answers, [...formState(definition, answers).hidden], input.language, await answerWords(input.language), {
          fields: dossier.verifiedFields,
          mark: (await getTFor(input.language))("verified.answer_mark"),
        })
      : [],
    attachments: await listAttachments(dossier.id),
    payment: await paymentSummary(dossier.id),
    resultReady: await resultAvailable(dossier.id),
    result: await resultSummary({ dossierId: dossier.id, procedureResultFields: procedure.resultFields, language: input.language }),
    shipment: await shipmentSummary(dossier.id),
    rating: (await getRating(dossier.id))?.rating ?? null,
    notices: await citizenNotices(dossier, input.language),
    // Collecting at the counter: where that is (the agency's one-stop shop, or its nearest ancestor's).
    oneStop: dossier.deliveryMode === "counter" ? oneStopView(await oneStopFor(agency), agency, input.language) : null,
  };
}

async function answerWords(language: Language) {
  const t = await getTFor(language);
  return { notGiven: t("form.not_given"), yes: t("form.yes"), no: t("form.no") };
}

async function shipmentSummary(dossierId: number) {
  const shipment = await syncShipment(dossierId);
  return shipment ? { trackingNumber: shipment.trackingNumber, status: shipment.status } : null;
}

async function paymentSummary(dossierId: number) {
  const state = await paymentState(dossierId);
  if (!state) return null;
  return {
    due: state.due,
    required: state.required,
    canPay: state.canPay,
    standing: state.standing,
    paid: state.paid ? { txnRef: state.paid.txnRef, paidAt: state.paid.paidAt?.toISOString() ?? null, amountVnd: state.paid.amountVnd } : null,
    attempts: state.attempts.map((a) => ({ txnRef: a.txnRef, status: a.status, amountVnd: a.amountVnd, createdAt: a.createdAt.toISOString() })),
  };
}
