import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { paymentFailure } from "~/core/payments/gateway-response";
import { getT } from "~/server/platform/i18n.server";
import { handleReturn, paymentState } from "~/server/payments/payments.server";
import { getSessionUser } from "~/server/auth/session.server";
import { formatVnd } from "~/utils/format";
import { TextWithCode } from "~/components/receipt-code";
import { pageStringsLoader } from "~/utils/page-strings-loader";

/** Reached by a link, the page first loads its string groups (decision 019). */
export const clientLoader = pageStringsLoader("routes/payments.return");

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }];

/** Where the gateway sends the browser back. It shows the portal's own record; it changes nothing. */
export async function loader({ request }: LoaderFunctionArgs) {
  const t = await getT(request);
  const result = await handleReturn(new URL(request.url).searchParams);
  if (!result.valid) throw new Response("Invalid signature", { status: 400 });
  const outcome = result.status === "paid" ? "paid" : result.status === "pending" ? "waiting" : result.status === "cancelled" ? "cancelled" : "failed";
  // Why, from the code the attempt was settled with; the signed return's own code for an attempt the portal expired.
  const responseCode = result.settledCode ?? result.gatewayCode;
  const failure = outcome === "failed" || outcome === "cancelled" ? paymentFailure(responseCode) : null;
  // "Try again" while the dossier can still be paid, for its applicant (or a visitor, who signs in on the way).
  const user = await getSessionUser(request);
  const mayRetry = failure?.retry === true && (user === null || user.id === result.applicantId) && (await paymentState(result.dossierId))?.canPay === true;
  return {
    title: t(`pay.return_${outcome}_title`),
    outcome,
    receiptCode: result.receiptCode,
    amountVnd: result.amountVnd,
    gatewayCode: result.gatewayCode,
    responseCode,
    reason: failure?.reason ?? null,
    // Translated here: the reasons are not among the strings sent to the browser (SERVER_ONLY_GROUPS).
    reasonText: failure ? t(`pay_reason.${failure.reason}`) : null,
    retry: mayRetry,
  };
}

export default function PaymentReturn() {
  const { t, i18n } = useTranslation();
  const d = useLoaderData<typeof loader>();
  const amount = formatVnd(d.amountVnd, i18n.language);
  const back = d.receiptCode ? (
    <p>
      <Link to={`/applications/${d.receiptCode}`}>
        <TextWithCode text={t("pay.back_to_dossier", { code: d.receiptCode })} code={d.receiptCode} />
      </Link>
    </p>
  ) : null;
  if (d.reasonText) {
    return (
      <>
        {/* An alert: with JavaScript the page arrives by client navigation and the reason is announced. The form stays outside it. */}
        <div className="error-panel" role="alert">
          <h1>{t(`pay.return_${d.outcome}_title`)}</h1>
          <p>{d.reasonText}</p>
          <p>{t(`pay.return_${d.outcome}_body`, { amount })}</p>
          <p className="meta">{t("pay.return_code", { code: d.responseCode })}</p>
        </div>
        {d.retry && d.receiptCode ? (
          <Form method="post" action={`/applications/${d.receiptCode}/pay`} reloadDocument>
            <p className="hint">{t("pay.retry_hint")}</p>
            <button type="submit" className="button">
              {t("pay.retry")}
            </button>
          </Form>
        ) : null}
        {back}
      </>
    );
  }
  return (
    <>
      <div className={d.outcome === "paid" ? "panel" : "notice"} role="status">
        <h1>{t(`pay.return_${d.outcome}_title`)}</h1>
        <p>{t(`pay.return_${d.outcome}_body`, { amount })}</p>
      </div>
      {back}
    </>
  );
}
