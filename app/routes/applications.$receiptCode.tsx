import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SummaryList } from "~/components/summary-list";
import { statusName } from "~/core/dossiers/status";
import { listAttachments } from "~/server/dossiers/dossiers.server";
import { paymentState } from "~/server/payments/payments.server";
import { syncShipment } from "~/server/delivery/shipments.server";
import { resultAvailable, resultSummary } from "~/server/results/results.server";
import { getRating } from "~/server/dossiers/ratings.server";
import { DeliverySection } from "~/components/delivery-section";
import { PaymentSection } from "~/components/payment-section";
import { ownDossierByReceipt } from "~/server/dossiers/application.server";
import { requireCitizen } from "~/server/auth/guards.server";
import { getLanguage, getT } from "~/server/platform/i18n.server";
import { citizenNotices } from "~/server/dossiers/supplement.server";
import { DossierNotices } from "~/components/dossier-notices";
import { qrSvgDataUri, trackingUrl } from "~/server/dossiers/receipt.server";
import { formatDate, formatDateTime, formatVnd, pickLang } from "~/utils/format";
import { PrintButton } from "~/components/print-button";
import { ReceiptCode, TextWithCode } from "~/components/receipt-code";
import { WhereToGo } from "~/components/where-to-go";
import { oneStopView } from "~/core/catalog/one-stop";
import { oneStopFor } from "~/server/catalog/catalog.server";
import { pageStringsLoader } from "~/utils/page-strings-loader";
import { found } from "~/server/platform/http.server";

/** Reached by a link, the page first loads its string groups (decision 019). */
export const clientLoader = pageStringsLoader("routes/applications.$receiptCode");

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireCitizen(request);
  const { dossier, procedure, agency, receiptCode } = found(await ownDossierByReceipt(user, params.receiptCode));
  const t = await getT(request);
  const language = await getLanguage(request);
  const url = trackingUrl(request, receiptCode);
  return {
    title: t("receipt.title", { code: receiptCode }),
    receiptCode,
    trackingUrl: url,
    qr: await qrSvgDataUri(url),
    status: dossier.status,
    applicantName: dossier.applicantName,
    submittedAt: dossier.submittedAt?.toISOString() ?? null,
    dueOn: dossier.dueOn,
    deliveryMode: dossier.deliveryMode,
    channel: dossier.channel,
    procedure: { code: procedure.code, nameVi: procedure.nameVi, nameEn: procedure.nameEn },
    agency: { nameVi: agency.nameVi, nameEn: agency.nameEn },
    attachments: await listAttachments(dossier.id),
    payment: await paymentSummary(dossier.id),
    resultReady: await resultAvailable(dossier.id),
    result: await resultSummary({ dossierId: dossier.id, procedureResultFields: procedure.resultFields, language }),
    shipment: await shipmentSummary(dossier.id),
    rating: (await getRating(dossier.id))?.rating ?? null,
    notices: await citizenNotices(dossier, language),
    // Collecting at the counter: where that is (the agency's one-stop shop, or its nearest ancestor's).
    oneStop: dossier.deliveryMode === "counter" ? oneStopView(await oneStopFor(agency), agency, language) : null,
  };
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

export default function Receipt() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const d = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <>
      {params.get("submitted") ? (
        <div className="panel">
          <h1>{t("receipt.submitted_title")}</h1>
          <p>{t("receipt.your_code")}</p>
          <p className="panel__code">
            <ReceiptCode code={d.receiptCode} />
          </p>
        </div>
      ) : (
        <h1>
          <TextWithCode text={t("receipt.title", { code: d.receiptCode })} code={d.receiptCode} />
        </h1>
      )}
      {params.get("supplement") === "sent" ? (
        <p className="notice" role="status">
          {t("supplement.done")}
        </p>
      ) : null}
      <DossierNotices notices={d.notices} answerHref={`/applications/${d.receiptCode}/supplement`} />
      <SummaryList
        rows={[
          { label: t("receipt.code"), value: <ReceiptCode code={d.receiptCode} /> },
          { label: t("receipt.procedure"), value: pickLang(d.procedure.nameVi, d.procedure.nameEn, lang) },
          { label: t("receipt.agency"), value: pickLang(d.agency.nameVi, d.agency.nameEn, lang) },
          { label: t("receipt.applicant"), value: d.applicantName },
          { label: t("receipt.submitted_at"), value: d.submittedAt ? formatDateTime(d.submittedAt, lang) : "—" },
          { label: t("receipt.appointment"), value: d.dueOn ? formatDate(d.notices.apology?.newDate ?? d.dueOn, lang) : "—" },
          { label: t("receipt.status"), value: t(`status.${statusName(d.status)}`) },
          { label: t("receipt.delivery"), value: d.deliveryMode ? t(`delivery.${d.deliveryMode}`) : "—" },
          ...(d.payment
            ? [
                {
                  label: t("pay.standing"),
                  value:
                    d.payment.standing === "free"
                      ? t("pay.standing_free")
                      : `${formatVnd(d.payment.due.totalVnd, lang)} — ${t(`pay.standing_${d.payment.standing}`)}`,
                },
              ]
            : []),
          {
            label: t("receipt.attachments"),
            value:
              d.attachments.length === 0 ? (
                t("form.not_given")
              ) : (
                <ul>
                  {d.attachments.map((a) => (
                    <li key={a.id}>
                      <a href={`/attachments/${a.id}`}>{a.fileName}</a>
                    </li>
                  ))}
                </ul>
              ),
          },
        ]}
      />
      {d.payment && (d.payment.required || d.payment.attempts.length > 0) ? (
        <PaymentSection receiptCode={d.receiptCode} payment={d.payment} notice={params.get("payment")} />
      ) : null}
      <DeliverySection
        receiptCode={d.receiptCode}
        status={d.status}
        resultReady={d.resultReady}
        result={d.result}
        shipment={d.shipment}
        rating={d.rating}
        notice={params.get("rating")}
      />
      {d.deliveryMode === "counter" ? <WhereToGo view={d.oneStop} heading={t("one_stop.heading_collect")} /> : null}
      <p>{t("receipt.appointment_note")}</p>
      <div className="qr">
        <img src={d.qr} alt={t("receipt.qr_alt", { code: d.receiptCode })} width={160} height={160} />
        <p className="meta qr__caption">
          {t("receipt.qr_caption")} {d.trackingUrl}
        </p>
      </div>
      <div className="receipt-actions">
        <PrintButton />
        <a className="button button--secondary" href={`/applications/${d.receiptCode}/receipt.pdf`}>
          {t("receipt.download_pdf")}
        </a>
        <Link to={`/track?code=${d.receiptCode}`}>{t("receipt.track_link")}</Link>
      </div>
      <p className="no-print">
        <Link to="/applications">{t("receipt.my_dossiers")}</Link>
      </p>
    </>
  );
}
