import type { LoaderFunctionArgs } from "@remix-run/node";
import { statusName } from "~/core/dossiers/status";
import { ownDossierByReceipt } from "~/server/dossiers/application.server";
import { requireCitizen } from "~/server/auth/guards.server";
import { getLanguage, getT } from "~/server/platform/i18n.server";
import { paymentState } from "~/server/payments/payments.server";
import { renderTextPdf } from "~/server/platform/pdf.server";
import { qrPng, trackingUrl } from "~/server/dossiers/receipt.server";
import { formatDate, formatDateTime, formatVnd, pickLang } from "~/utils/format";
import { found } from "~/server/platform/http.server";

/** The receipt (giấy tiếp nhận) as a PDF the citizen keeps: what the page shows, with its QR code as an image; owner only. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireCitizen(request);
  const { dossier, procedure, agency, receiptCode } = found(await ownDossierByReceipt(user, params.receiptCode));
  const lang = await getLanguage(request);
  const t = await getT(request);
  const url = trackingUrl(request, receiptCode);
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
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `inline; filename="bien-nhan-${receiptCode}.pdf"`,
      "Cache-Control": "private, no-store",
    },
  });
}
