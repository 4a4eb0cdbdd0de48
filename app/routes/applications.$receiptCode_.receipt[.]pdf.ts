import type { LoaderFunctionArgs } from "@remix-run/node";
import { statusName } from "~/core/dossiers/status";
import { requireOwnDossierByReceipt } from "~/server/application.server";
import { requireCitizen } from "~/server/guards.server";
import { getLanguage, getT } from "~/server/i18n.server";
import { renderTextPdf } from "~/server/pdf.server";
import { trackingUrl } from "~/server/receipt.server";
import { formatDate, formatDateTime, pickLang } from "~/utils/format";

/** The receipt (giấy tiếp nhận) as a PDF the citizen keeps; owner only. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireCitizen(request);
  const { dossier, procedure, agency, receiptCode } = requireOwnDossierByReceipt(user, params.receiptCode);
  const lang = await getLanguage(request);
  const t = await getT(request);
  const row = (label: string, value: string) => ({ text: `${label}: ${value}`, gapBefore: 4 });
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
      row(t("receipt.appointment"), dossier.dueOn ? formatDate(dossier.dueOn, lang) : "—"),
      row(t("receipt.status"), t(`status.${statusName(dossier.status)}`)),
      row(t("receipt.delivery"), dossier.deliveryMode ? t(`delivery.${dossier.deliveryMode}`) : "—"),
      { text: t("receipt.appointment_note"), gapBefore: 14, size: 10 },
      { text: `${t("receipt.qr_caption")} ${trackingUrl(request, receiptCode)}`, gapBefore: 8, size: 10 },
    ],
  });
  return new Response(new Uint8Array(pdf), {
    headers: { "Content-Type": "application/pdf", "Content-Disposition": `inline; filename="bien-nhan-${receiptCode}.pdf"`, "Cache-Control": "private, no-store" },
  });
}
