import type { LoaderFunctionArgs } from "@remix-run/node";
import { ownDossierByReceipt } from "~/server/dossiers/application.server";
import { requireCitizen } from "~/server/auth/guards.server";
import { found, notFound } from "~/server/platform/http.server";
import { getLanguage, getT } from "~/server/platform/i18n.server";
import { getPaidPayment } from "~/server/payments/payments.server";
import { renderTextPdf } from "~/server/platform/pdf.server";
import { formatDateTime, formatVnd, pickLang } from "~/utils/format";

/** The electronic payment receipt (biên lai điện tử) of a paid attempt; owner only. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireCitizen(request);
  const { dossier, procedure, agency, receiptCode } = found(await ownDossierByReceipt(user, params.receiptCode));
  const payment = await getPaidPayment({ dossierId: dossier.id, txnRef: params.txnRef ?? "" });
  if (!payment) notFound();
  const lang = await getLanguage(request);
  const t = await getT(request);
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
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `inline; filename="bien-lai-${payment.txnRef}.pdf"`,
      "Cache-Control": "private, no-store",
    },
  });
}
