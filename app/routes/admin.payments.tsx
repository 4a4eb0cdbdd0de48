import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import * as z from "zod";
import { useTranslation } from "react-i18next";
import { ErrorSummary } from "~/components/error-summary";
import { TableScroll } from "~/components/table-scroll";
import { fieldErrors } from "~/core/forms/field-errors";
import { requirePermission } from "~/server/auth/guards.server";
import { notFound } from "~/server/platform/http.server";
import { getT } from "~/server/platform/i18n.server";
import { listCallbackRefusals, listPaymentAnomalies, resolvePaymentAnomaly } from "~/server/payments/payments.server";
import { requireFormData } from "~/server/platform/upload.server";
import { formatDateTime, formatVnd } from "~/utils/format";
import { ReceiptCode } from "~/components/receipt-code";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title ?? "" }];

// Names, e-mails and money: never kept by a shared cache.
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

/** Flagged payments (late or double gateway successes) and the refused-callback counters: issue 11. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "payment:reconcile");
  const t = await getT(request);
  const anomalies = (await listPaymentAnomalies()).map((a) => ({
    ...a,
    paidAt: a.paidAt?.toISOString() ?? null,
    receivedAt: a.receivedAt.toISOString(),
    resolvedAt: a.resolvedAt?.toISOString() ?? null,
  }));
  const refusals = (await listCallbackRefusals()).map((r) => ({ day: r.day, kind: r.kind, reason: r.reason, count: r.count }));
  return { title: t("pay_admin.title"), anomalies, refusals, resolved: new URL(request.url).searchParams.get("notice") === "resolved" };
}

export const ResolveAnomalyFormSchema = z.object({
  intent: z.literal("resolve"),
  anomalyId: z.coerce.number().int().positive(),
  note: z.string().trim().min(3, "pay_admin.errors.note_required").max(500, "pay_admin.errors.note_too_long"),
});

/** Resolve a flag with a note saying what was done (refunded, or applied to the dossier); POST → redirect → GET. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "payment:reconcile");
  const form = await requireFormData(request);
  const parsed = ResolveAnomalyFormSchema.safeParse({
    intent: form.get("intent") ?? undefined,
    anomalyId: form.get("anomalyId") ?? undefined,
    note: form.get("note") ?? undefined,
  });
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    const anomalyId = Number(form.get("anomalyId"));
    return data(
      { errors: { note: errors.note ?? "pay_admin.errors.bad_request" }, anomalyId: Number.isSafeInteger(anomalyId) ? anomalyId : null },
      { status: 400 },
    );
  }
  if (!(await resolvePaymentAnomaly({ anomalyId: parsed.data.anomalyId, userId: user.id, note: parsed.data.note }))) notFound();
  return redirect("/admin/payments?notice=resolved");
}

export default function PaymentAnomalies() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { anomalies, refusals, resolved } = useLoaderData<typeof loader>();
  const posted = useActionData<typeof action>();
  const errorFor = (id: number) => (posted && posted.anomalyId === id ? posted.errors.note : undefined);
  const summary = posted ? [{ fieldId: posted.anomalyId ? `note-${posted.anomalyId}` : undefined, message: t(posted.errors.note) }] : [];
  return (
    <>
      <h1>{t("pay_admin.title")}</h1>
      <p>{t("pay_admin.intro")}</p>
      <ErrorSummary errors={summary} />
      {resolved ? (
        <p className="notice" role="status">
          {t("pay_admin.resolved_notice")}
        </p>
      ) : null}
      <h2>{t("pay_admin.flagged_title")}</h2>
      {anomalies.length === 0 ? (
        <p>{t("pay_admin.flagged_empty")}</p>
      ) : (
        <TableScroll label={t("pay_admin.flagged_title")}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("pay_admin.col_received")}</th>
                <th scope="col">{t("pay_admin.col_kind")}</th>
                <th scope="col">{t("pay_admin.col_dossier")}</th>
                <th scope="col">{t("pay_admin.col_payer")}</th>
                <th scope="col">{t("pay_admin.col_amount")}</th>
                <th scope="col">{t("pay_admin.col_gateway")}</th>
                <th scope="col">{t("pay_admin.col_paid_at")}</th>
                <th scope="col">{t("pay_admin.col_state")}</th>
              </tr>
            </thead>
            <tbody>
              {anomalies.map((a) => {
                const error = errorFor(a.id);
                return (
                  <tr key={a.id}>
                    <td>{formatDateTime(a.receivedAt, lang)}</td>
                    <td>
                      {t(`pay_admin.kind_${a.kind}`)}
                      <br />
                      <small>
                        {t("pay_admin.status_when_received", { status: t(`pay_admin.attempt_${a.statusWhenReceived}`), by: a.receivedBy.toUpperCase() })}
                      </small>
                    </td>
                    <td>
                      {a.receiptCode ? <ReceiptCode code={a.receiptCode} /> : "—"}
                      <br />
                      <small>{a.txnRef}</small>
                    </td>
                    <td>
                      {a.applicantName ?? "—"}
                      <br />
                      <small>{a.applicantEmail ?? ""}</small>
                    </td>
                    <td>{formatVnd(a.amountVnd, lang)}</td>
                    <td>
                      {a.gatewayTransactionNo}
                      {a.bankCode ? ` (${a.bankCode})` : ""}
                    </td>
                    <td>{a.paidAt ? formatDateTime(a.paidAt, lang) : "—"}</td>
                    <td>
                      {a.resolvedAt ? (
                        <>
                          {t("pay_admin.resolved_on", { date: formatDateTime(a.resolvedAt, lang) })}
                          <br />
                          <small>{a.resolutionNote}</small>
                        </>
                      ) : (
                        <Form method="post" className={`form-group${error ? " form-group--error" : ""}`}>
                          <input type="hidden" name="intent" value="resolve" />
                          <input type="hidden" name="anomalyId" value={a.id} />
                          <label htmlFor={`note-${a.id}`}>{t("pay_admin.note_label")}</label>
                          <span id={`note-${a.id}-hint`} className="hint">
                            {t("pay_admin.note_hint")}
                          </span>
                          {error ? (
                            <span id={`note-${a.id}-error`} className="error-message">
                              {t(error)}
                            </span>
                          ) : null}
                          <input
                            id={`note-${a.id}`}
                            name="note"
                            maxLength={500}
                            aria-describedby={`note-${a.id}-hint${error ? ` note-${a.id}-error` : ""}`}
                            aria-invalid={error ? true : undefined}
                          />
                          <button type="submit" className="button button--secondary">
                            {t("pay_admin.resolve")}
                          </button>
                        </Form>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      )}
      <h2>{t("pay_admin.refusals_title")}</h2>
      <p>{t("pay_admin.refusals_intro")}</p>
      {refusals.length === 0 ? (
        <p>{t("pay_admin.refusals_empty")}</p>
      ) : (
        <TableScroll label={t("pay_admin.refusals_title")}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("pay_admin.col_day")}</th>
                <th scope="col">{t("pay_admin.col_callback")}</th>
                <th scope="col">{t("pay_admin.col_reason")}</th>
                <th scope="col">{t("pay_admin.col_count")}</th>
              </tr>
            </thead>
            <tbody>
              {refusals.map((r) => (
                <tr key={`${r.day}-${r.kind}-${r.reason}`}>
                  <td>{r.day}</td>
                  <td>{t(`pay_admin.callback_${r.kind}`)}</td>
                  <td>{t(`pay_admin.reason_${r.reason}`, { defaultValue: r.reason })}</td>
                  <td>{r.count.toLocaleString(lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}
