import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SummaryList } from "~/components/summary-list";
import { statusName } from "~/core/dossiers/status";
import { DeliverySection } from "~/components/delivery-section";
import { PaymentSection } from "~/components/payment-section";
import { requireCitizen } from "~/server/auth/guards.server";
import { getLanguage, getT } from "~/server/platform/i18n.server";
import { forWhomText } from "~/server/dossiers/for-whom.server";
import { DossierNotices } from "~/components/dossier-notices";
import { citizenDossierPage } from "~/server/dossiers/citizen-dossier.server";
import { trackingUrl } from "~/server/dossiers/receipt.server";
import { formatDate, formatDateTime, formatVnd, pickLang } from "~/utils/format";
import { PrintButton } from "~/components/print-button";
import { ReceiptCode, TextWithCode } from "~/components/receipt-code";
import { WhereToGo } from "~/components/where-to-go";
import { pageStringsLoader } from "~/utils/page-strings-loader";
import { found } from "~/server/platform/http.server";

/** Reached by a link, the page first loads its string groups (decision 019). */
export const clientLoader = pageStringsLoader("routes/applications.$receiptCode");

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireCitizen(request);
  const language = await getLanguage(request);
  const page = found(await citizenDossierPage({ user, receiptCode: params.receiptCode, trackingUrl: (code) => trackingUrl(request, code), language }));
  const t = await getT(request);
  return {
    title: t("receipt.title", { code: page.receiptCode }),
    ...page,
    forWhomText: page.forWhom.onBehalf === "self" ? null : forWhomText(t, page.forWhom),
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
          // Filed for someone else (decision 036): who, and in what capacity (translated by the loader).
          ...(d.forWhomText ? [{ label: d.forWhomText.label, value: d.forWhomText.value }] : []),
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
      {d.declared.length > 0 ? (
        <section aria-labelledby="declared-title">
          <h2 id="declared-title">{t("receipt.declared_title")}</h2>
          {d.declared.map((section, i) => (
            <section key={i} aria-labelledby={`declared-${i}`}>
              <h3 id={`declared-${i}`}>{section.title}</h3>
              <SummaryList rows={section.rows} />
            </section>
          ))}
        </section>
      ) : null}
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
