import QRCode from "qrcode";
import { statusName } from "../../core/dossiers/status";
import type { Language } from "../../i18n";
import { formatDate, formatDateTime, formatVnd, pickLang } from "../../utils/format";
import type { SessionUser } from "../auth/session.server";
import { getPaidPayment, paymentState } from "../payments/payments.server";
import { getTFor } from "../platform/i18n.server";
import { renderTextPdf, type PdfDocument } from "../platform/pdf.server";
import { ownDossierByReceipt } from "./application.server";

// The papers a citizen keeps: the receipt (giấy tiếp nhận) with its QR code, and the payment receipt (biên lai điện tử).

/** The address a receipt's QR code opens: the public tracking page with the code filled in. */
export function trackingUrl(request: Request, receiptCode: string): string {
  const url = new URL("/track", new URL(request.url).origin);
  url.searchParams.set("code", receiptCode);
  return url.toString();
}

export async function qrSvgDataUri(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
}

export async function qrPng(text: string): Promise<Uint8Array> {
  return QRCode.toBuffer(text, { type: "png", errorCorrectionLevel: "M", margin: 2, width: 240 });
}

/** The receipt as a PDF: what the page shows, with its QR code as an image; the owner's dossier only (null otherwise). */
export async function receiptPdf(input: {
  user: SessionUser;
  receiptCode: string | undefined;
  language: Language;
  trackingUrl: (code: string) => string;
}): Promise<PdfDocument | null> {
  const found = await ownDossierByReceipt(input.user, input.receiptCode);
  if (!found) return null;
  const { dossier, procedure, agency, receiptCode } = found;
  const lang = input.language;
  const t = await getTFor(lang);
  const url = input.trackingUrl(receiptCode);
  const payment = await paymentState(dossier.id);
  // The date the citizen should come back: a rescheduled date (with the agency's apology) replaces the first.
  const appointment = dossier.rescheduledOn ?? dossier.dueOn;
  const row = (label: string, value: string) => ({ text: `${label}: ${value}`, gapBefore: 4 });
  const money = (vnd: number) => formatVnd(vnd, lang);
  const pdf = await renderTextPdf({
    title: t("receipt.title", { code: receiptCode }),
    blocks: [
      { text: t("layout.site_name"), bold: true, center: true },
      { text: t("receipt.pdf_heading"), bold: true, center: true, size: 15, gapBefore: 12 },
      { text: receiptCode, bold: true, center: true, size: 18, gapBefore: 8 },
      { text: "", gapBefore: 10 },
      row(t("receipt.procedure"), `${pickLang(procedure.nameVi, procedure.nameEn, lang)} (${procedure.code})`),
      row(t("receipt.agency"), pickLang(agency.nameVi, agency.nameEn, lang)),
      row(t("receipt.applicant"), dossier.applicantName ?? ""),
      row(t("receipt.submitted_at"), dossier.submittedAt ? formatDateTime(dossier.submittedAt, lang) : "—"),
      row(t("receipt.appointment"), appointment ? formatDate(appointment, lang) : "—"),
      row(t("receipt.status"), t(`status.${statusName(dossier.status)}`)),
      row(t("receipt.delivery"), dossier.deliveryMode ? t(`delivery.${dossier.deliveryMode}`) : "—"),
      ...(payment
        ? [
            row(t("pay.fee"), payment.due.feeVnd === 0 ? t("pay.no_fee") : money(payment.due.feeVnd)),
            ...(payment.due.postageVnd > 0 ? [row(t("pay.postage"), money(payment.due.postageVnd)), row(t("pay.total"), money(payment.due.totalVnd))] : []),
            { text: `${t("pay.standing")}: ${t(`pay.standing_${payment.standing}`)}`, gapBefore: 4, bold: true },
          ]
        : []),
      { text: t("receipt.appointment_note"), gapBefore: 14, size: 10 },
      { png: await qrPng(url), width: 120, center: true, gapBefore: 12 },
      { text: t("receipt.qr_caption"), center: true, size: 10, gapBefore: 2 },
      { text: url, center: true, size: 9 },
    ],
  });
  return { fileName: `bien-nhan-${receiptCode}.pdf`, pdf };
}

/** The electronic payment receipt of a paid attempt of the owner's dossier (null for another's, an unpaid or an unknown one). */
export async function paymentReceiptPdf(input: {
  user: SessionUser;
  receiptCode: string | undefined;
  txnRef: string;
  language: Language;
}): Promise<PdfDocument | null> {
  const found = await ownDossierByReceipt(input.user, input.receiptCode);
  if (!found) return null;
  const { dossier, procedure, agency, receiptCode } = found;
  const payment = await getPaidPayment({ dossierId: dossier.id, txnRef: input.txnRef });
  if (!payment) return null;
  const lang = input.language;
  const t = await getTFor(lang);
  const row = (label: string, value: string) => ({ text: `${label}: ${value}`, gapBefore: 4 });
  const pdf = await renderTextPdf({
    title: t("pay_receipt_pdf.title", { ref: payment.txnRef }),
    blocks: [
      { text: pickLang(agency.nameVi, agency.nameEn, lang), bold: true, center: true },
      { text: t("pay_receipt_pdf.heading"), bold: true, center: true, size: 15, gapBefore: 12 },
      { text: `${t("pay_receipt_pdf.number")}: ${payment.txnRef}`, center: true, gapBefore: 6 },
      { text: "", gapBefore: 10 },
      row(t("pay_receipt_pdf.payer"), dossier.applicantName ?? ""),
      row(t("receipt.code"), receiptCode),
      row(t("receipt.procedure"), `${pickLang(procedure.nameVi, procedure.nameEn, lang)} (${procedure.code})`),
      row(t("pay.fee"), formatVnd(payment.feeVnd, lang)),
      ...(payment.postageVnd > 0 ? [row(t("pay.postage"), formatVnd(payment.postageVnd, lang))] : []),
      row(t("pay.total"), formatVnd(payment.amountVnd, lang)),
      row(t("pay_receipt_pdf.paid_at"), payment.paidAt ? formatDateTime(payment.paidAt, lang) : "—"),
      row(t("pay_receipt_pdf.gateway_ref"), `${payment.gatewayTransactionNo ?? "—"} (${payment.bankCode ?? "—"})`),
      { text: t("pay_receipt_pdf.note"), gapBefore: 14, size: 9 },
    ],
  });
  return { fileName: `bien-lai-${payment.txnRef}.pdf`, pdf };
}
