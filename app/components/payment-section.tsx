import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatDateTime, formatVnd } from "~/utils/format";

type Payment = {
  due: { feeVnd: number; postageVnd: number; totalVnd: number };
  canPay: boolean;
  paid: { txnRef: string; paidAt: string | null; amountVnd: number } | null;
  attempts: { txnRef: string; status: string; amountVnd: number; createdAt: string }[];
};

/** Fees on the dossier page: what is due, a "pay online" form (no JavaScript needed), the attempts so far. */
export function PaymentSection({ receiptCode, payment, notice }: { receiptCode: string; payment: Payment; notice: string | null }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <section aria-labelledby="payment-title" className="no-print-break">
      <h2 id="payment-title">{t("pay.section_title")}</h2>
      {notice === "already_paid" ? <p className="notice">{t("pay.notice_already_paid")}</p> : null}
      {notice === "not_payable" ? <p className="notice">{t("pay.notice_not_payable")}</p> : null}
      <table>
        <caption className="visually-hidden">{t("pay.section_title")}</caption>
        <tbody>
          <tr>
            <th scope="row">{t("pay.fee")}</th>
            <td>{formatVnd(payment.due.feeVnd, lang)}</td>
          </tr>
          {payment.due.postageVnd > 0 ? (
            <tr>
              <th scope="row">{t("pay.postage")}</th>
              <td>{formatVnd(payment.due.postageVnd, lang)}</td>
            </tr>
          ) : null}
          <tr>
            <th scope="row">{t("pay.total")}</th>
            <td>
              <strong>{formatVnd(payment.due.totalVnd, lang)}</strong>
            </td>
          </tr>
        </tbody>
      </table>
      {payment.paid ? (
        <p>
          <strong>{t("pay.paid_on", { when: payment.paid.paidAt ? formatDateTime(payment.paid.paidAt, lang) : "" })}</strong>{" "}
          <a className="no-print" href={`/applications/${receiptCode}/payments/${payment.paid.txnRef}/receipt.pdf`}>
            {t("pay.download_receipt")}
          </a>
        </p>
      ) : null}
      {payment.canPay ? (
        <Form method="post" action={`/applications/${receiptCode}/pay`} reloadDocument>
          <p>{t("pay.explain")}</p>
          <button type="submit" className="button">
            {t("pay.pay_now", { amount: formatVnd(payment.due.totalVnd, lang) })}
          </button>
        </Form>
      ) : null}
      {payment.attempts.length > 0 ? (
        <>
          <h3>{t("pay.attempts_title")}</h3>
          <ul>
            {payment.attempts.map((a) => (
              <li key={a.txnRef}>
                {formatDateTime(a.createdAt, lang)} — {t(`pay.attempt_${a.status}`)} ({a.txnRef})
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
