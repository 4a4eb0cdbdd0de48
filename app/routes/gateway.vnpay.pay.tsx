import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary } from "~/components/error-summary";
import { SummaryList } from "~/components/summary-list";
import { fieldErrors } from "~/core/forms/field-errors";
import { getT } from "~/server/platform/i18n.server";
import {
  CompletePaymentFormSchema,
  completePayment,
  GatewayRefusal,
  openPayment,
  PAGE_OPTIONS,
  REFUSAL_CODES,
  type Refusal,
} from "~/simulators/vnpay-gateway.server";
import { formatDateTime, formatVnd } from "~/utils/format";
import { requireFormData } from "~/server/platform/upload.server";
import { requireSimulators } from "~/simulators/enabled.server";
import { pageStringsLoader } from "~/utils/page-strings-loader";

/** Reached by a link, the page first loads its string groups (decision 019). */
export const clientLoader = pageStringsLoader("routes/gateway.vnpay.pay");

/**
 * The gateway simulator's payment page (it stands for VNPay's, not the portal's): the customer
 * arrives with the merchant's signed URL, chooses a bank and — this being a test gateway — the
 * outcome and how the merchant is notified. Works without JavaScript: the form posts back to
 * this same signed URL, which is checked again.
 */
export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title ?? "" }, { name: "robots", content: "noindex" }];

export async function loader({ request }: LoaderFunctionArgs) {
  requireSimulators();
  const t = await getT(request);
  const opened = await openPayment(new URL(request.url).searchParams, new Date());
  if (!opened.ok) return data({ title: t("gateway.refused_title"), opened, options: PAGE_OPTIONS }, { status: 400, headers: { "Cache-Control": "no-store" } });
  return data({ title: t("gateway.title"), opened, options: PAGE_OPTIONS }, { headers: { "Cache-Control": "no-store" } });
}

type ActionData = { refusal: Refusal | null; errors: Record<string, string>; values: Record<string, string> };

export async function action({ request }: ActionFunctionArgs) {
  requireSimulators();
  const opened = await openPayment(new URL(request.url).searchParams, new Date());
  const form = await requireFormData(request);
  const values: Record<string, string> = {};
  for (const key of ["bankCode", "outcome", "ipnMode"]) {
    const value = form.get(key);
    if (typeof value === "string") values[key] = value.slice(0, 20);
  }
  if (!opened.ok) return data<ActionData>({ refusal: opened.refusal, errors: {}, values }, { status: 400 });
  if (opened.state === "processed")
    return data<ActionData>({ refusal: { reason: "already_processed", code: REFUSAL_CODES.already_processed }, errors: {}, values }, { status: 409 });
  // Enter in the form submits with the first button (Pay); anything else than "cancel" is a payment.
  const intent = form.get("intent") === "cancel" ? "cancel" : "pay";
  const parsed = CompletePaymentFormSchema.safeParse({ ...values, intent });
  if (!parsed.success) return data<ActionData>({ refusal: null, errors: fieldErrors(parsed.error), values }, { status: 400 });
  const choice = parsed.data;
  try {
    const { returnUrl } = await completePayment({
      tmnCode: opened.payment.tmnCode,
      txnRef: opened.payment.txnRef,
      outcome: choice.intent === "cancel" ? "24" : choice.outcome,
      bankCode: choice.bankCode,
      ipnMode: choice.ipnMode,
      now: new Date(),
    });
    return redirect(returnUrl);
  } catch (error) {
    if (error instanceof GatewayRefusal)
      return data<ActionData>(
        { refusal: { reason: error.reason, code: error.code }, errors: {}, values },
        { status: error.reason === "already_processed" ? 409 : 400 },
      );
    throw error;
  }
}

export default function GatewayPay() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { opened, options } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const refusal = result?.refusal ?? (opened.ok ? null : opened.refusal);
  if (refusal || !opened.ok) {
    return (
      <div className="gateway">
        <p className="gateway__brand">{t("gateway.brand")}</p>
        <h1>{t("gateway.refused_title")}</h1>
        <p>{refusal ? t(`gateway.refusals.${refusal.reason}`) : null}</p>
        <p className="meta">{refusal ? t("gateway.refusal_code", { code: refusal.code }) : null}</p>
        {opened.ok && opened.payment.resultUrl ? (
          <p>
            <a href={opened.payment.resultUrl}>{t("gateway.back_to_merchant")}</a>
          </p>
        ) : null}
      </div>
    );
  }
  const payment = opened.payment;
  const facts = (
    <SummaryList
      rows={[
        { label: t("gateway.merchant"), value: t(payment.merchantNameKey, { code: payment.tmnCode }) },
        { label: t("gateway.order_info"), value: payment.orderInfo },
        { label: t("gateway.txn_ref"), value: payment.txnRef },
        { label: t("gateway.amount"), value: formatVnd(payment.amountVnd, lang) },
        { label: t("gateway.expires"), value: formatDateTime(payment.expiresAt, lang) },
      ]}
    />
  );

  if (opened.state === "processed") {
    return (
      <div className="gateway">
        <p className="gateway__brand">{t("gateway.brand")}</p>
        <h1>{t("gateway.processed_title")}</h1>
        <p>{t("gateway.processed_body", { code: payment.responseCode ?? "" })}</p>
        {facts}
        {payment.resultUrl ? (
          <p>
            <a href={payment.resultUrl}>{t("gateway.back_to_merchant")}</a>
          </p>
        ) : null}
      </div>
    );
  }

  const errors: Record<string, string> = result?.errors ?? {};
  const values: Record<string, string> = result?.values ?? {};
  const bankChoice = values.bankCode ?? payment.bankCode ?? "";
  const outcomeChoice = values.outcome ?? "00";
  const ipnChoice = values.ipnMode ?? "deliver";
  const summary = Object.entries(errors).map(([name, key]) => ({ fieldId: name, message: t(key) }));
  const errorLine = (name: string) =>
    errors[name] ? (
      <span id={`${name}-error`} className="error-message">
        <span className="visually-hidden">{t("form.error_prefix")} </span>
        {t(errors[name] ?? "")}
      </span>
    ) : null;

  return (
    <div className="gateway">
      <p className="gateway__brand">{t("gateway.brand")}</p>
      <h1>{t("gateway.title")}</h1>
      <p className="notice">{t("gateway.simulated_notice")}</p>
      <ErrorSummary errors={summary} />
      {facts}
      <Form method="post" noValidate>
        <div className={`form-group${errors.bankCode ? " form-group--error" : ""}`}>
          <fieldset aria-describedby={errors.bankCode ? "bankCode-error" : undefined}>
            <legend>{t("gateway.bank_legend")}</legend>
            {errorLine("bankCode")}
            <div className="gateway__choices">
              {options.banks.map((bank, i) => {
                const id = i === 0 ? "bankCode" : `bankCode-${bank}`;
                return (
                  <div className="choice" key={bank}>
                    <input id={id} type="radio" name="bankCode" value={bank} defaultChecked={bankChoice === bank} />
                    <label htmlFor={id}>{t(`gateway.banks.${bank.toLowerCase()}`)}</label>
                  </div>
                );
              })}
            </div>
          </fieldset>
        </div>
        <fieldset className="gateway__test-options">
          <legend>{t("gateway.test_options")}</legend>
          <p className="hint">{t("gateway.test_options_hint")}</p>
          <div className={`form-group${errors.outcome ? " form-group--error" : ""}`}>
            <fieldset aria-describedby={errors.outcome ? "outcome-error" : undefined}>
              <legend>{t("gateway.outcome_legend")}</legend>
              {errorLine("outcome")}
              {options.outcomes.map((o, i) => {
                const id = i === 0 ? "outcome" : `outcome-${o.code}`;
                return (
                  <div className="choice" key={o.code}>
                    <input id={id} type="radio" name="outcome" value={o.code} defaultChecked={outcomeChoice === o.code} />
                    <label htmlFor={id}>{t(`gateway.outcomes.${o.name}`, { code: o.code })}</label>
                  </div>
                );
              })}
            </fieldset>
          </div>
          <div className="form-group">
            <fieldset>
              <legend>{t("gateway.ipn_legend")}</legend>
              {options.ipnModes.map((mode, i) => {
                const id = i === 0 ? "ipnMode" : `ipnMode-${mode}`;
                return (
                  <div className="choice" key={mode}>
                    <input id={id} type="radio" name="ipnMode" value={mode} defaultChecked={ipnChoice === mode} />
                    <label htmlFor={id}>{t(`gateway.ipn_modes.${mode}`)}</label>
                  </div>
                );
              })}
            </fieldset>
          </div>
        </fieldset>
        <div className="button-group">
          <button type="submit" name="intent" value="pay" className="button">
            {t("gateway.pay")}
          </button>
          <button type="submit" name="intent" value="cancel" className="button button--secondary" formNoValidate>
            {t("gateway.cancel")}
          </button>
        </div>
      </Form>
    </div>
  );
}
