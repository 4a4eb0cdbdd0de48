import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { STATUS } from "~/core/dossiers/status";
import { ResultSummary, type ResultSummaryProps } from "./result-summary";

type Props = {
  receiptCode: string;
  status: number;
  resultReady: boolean;
  /** The issued result, whatever its delivery: what it says and its verification code. */
  result: ResultSummaryProps["result"] | null;
  shipment: { trackingNumber: string; status: string } | null;
  rating: string | null;
  notice: string | null;
};

/** The result: its download (online), the parcel (post), and once returned, the satisfaction rating (once). */
export function DeliverySection({ receiptCode, status, resultReady, result, shipment, rating, notice }: Props) {
  const { t } = useTranslation();
  return (
    <>
      {resultReady || result ? (
        <section aria-labelledby="result-title">
          <h2 id="result-title">{t("result.section_title")}</h2>
          {result ? <ResultSummary result={result} /> : null}
          {resultReady ? (
            <p className="no-print">
              <a className="button" href={`/applications/${receiptCode}/result.pdf`}>
                {t("result.download")}
              </a>
            </p>
          ) : null}
          <p>
            {t("result.verify_hint")} <Link to="/verify">{t("result.verify_link")}</Link>
          </p>
        </section>
      ) : null}
      {shipment ? (
        <section aria-labelledby="shipment-title">
          <h2 id="shipment-title">{t("shipment.title")}</h2>
          <p>
            {t("shipment.tracking_number")}: <strong>{shipment.trackingNumber}</strong> — {t(`shipment.${shipment.status}`)}
          </p>
        </section>
      ) : null}
      {status === STATUS.returned ? (
        <section aria-labelledby="rating-title" id="rating">
          <h2 id="rating-title">{t("rating.title")}</h2>
          {notice === "rated" ? (
            <p className="notice" role="status">
              {t("rating.thanks")}
            </p>
          ) : null}
          {notice === "already_rated" ? <p className="notice">{t("rating.already")}</p> : null}
          {notice === "invalid" ? (
            <p className="error-message" role="alert">
              {t("rating.errors.choose")}
            </p>
          ) : null}
          {rating ? (
            <p>{t("rating.your_rating", { rating: t(`rating.${rating}`) })}</p>
          ) : (
            <Form method="post" action={`/applications/${receiptCode}/rate`}>
              <fieldset>
                <legend>{t("rating.question")}</legend>
                {["very_satisfied", "satisfied", "not_satisfied"].map((r) => (
                  <div className="choice" key={r}>
                    <input type="radio" id={`rating-${r}`} name="rating" value={r} />
                    <label htmlFor={`rating-${r}`}>{t(`rating.${r}`)}</label>
                  </div>
                ))}
              </fieldset>
              <div className="form-group">
                <label htmlFor="rating-comment">{t("rating.comment")}</label>
                <textarea id="rating-comment" name="comment" rows={3} maxLength={1000} />
              </div>
              <button type="submit" className="button">
                {t("rating.submit")}
              </button>
            </Form>
          )}
        </section>
      ) : null}
    </>
  );
}
