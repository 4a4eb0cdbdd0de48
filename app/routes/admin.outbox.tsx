import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Pagination } from "~/components/pagination";
import { ErrorSummary } from "~/components/error-summary";
import { TextField } from "~/components/text-field";
import { fieldErrors } from "~/core/forms/field-errors";
import { requirePermission } from "~/server/auth/guards.server";
import { getT } from "~/server/platform/i18n.server";
import { listOutbox, OutboxQuerySchema } from "~/server/notifications/notifications.server";
import { formatDateTime } from "~/utils/format";
import { ReceiptCode } from "~/components/receipt-code";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title ?? "" }];

/** The notification outbox: what was (or will be) sent to citizens, and whether it went. The development sink. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "outbox:read");
  const t = await getT(request);
  const title = t("notify.outbox.title");
  const parsed = OutboxQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return data({ title, errors: fieldErrors(parsed.error), result: null }, { status: 400 });
  const result = await listOutbox(parsed.data);
  return {
    title,
    errors: {},
    result: { ...result, items: result.items.map((n) => ({ ...n, createdAt: n.createdAt.toISOString(), sentAt: n.sentAt?.toISOString() ?? null })) },
  };
}

const STATUSES = ["pending", "sent", "failed"] as const;
const KINDS = ["email", "sms"] as const;

export default function Outbox() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { errors, result } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const codeError: string | undefined = "code" in errors ? errors.code : undefined;
  return (
    <>
      <h1>{t("notify.outbox.title")}</h1>
      <p>{t("notify.outbox.intro")}</p>
      <ErrorSummary errors={codeError ? [{ fieldId: "code", message: t(codeError) }] : []} />
      <Form method="get" className="filters" role="search" aria-label={t("notify.outbox.filters")}>
        <div className="form-group">
          <label htmlFor="status">{t("notify.outbox.status")}</label>
          <select id="status" name="status" defaultValue={params.get("status") ?? ""}>
            <option value="">{t("notify.outbox.all")}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`notify.outbox.status_${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="form-group">
          <label htmlFor="kind">{t("notify.outbox.kind")}</label>
          <select id="kind" name="kind" defaultValue={params.get("kind") ?? ""}>
            <option value="">{t("notify.outbox.all")}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`notify.outbox.kind_${k}`)}
              </option>
            ))}
          </select>
        </div>
        <TextField
          id="code"
          name="code"
          label={t("notify.outbox.code")}
          autoComplete="off"
          spellCheck={false}
          defaultValue={params.get("code") ?? ""}
          error={codeError ? t(codeError) : undefined}
        />
        <div>
          <button type="submit" className="button">
            {t("notify.outbox.apply_filters")}
          </button>
        </div>
      </Form>
      {result ? (
        <>
          <p role="status">{t("notify.outbox.count", { count: result.total })}</p>
          {result.items.length === 0 ? (
            <p>{t("notify.outbox.empty")}</p>
          ) : (
            <table>
              <caption>{t("notify.outbox.title")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("notify.outbox.created_at")}</th>
                  <th scope="col">{t("notify.outbox.code")}</th>
                  <th scope="col">{t("notify.outbox.kind")}</th>
                  <th scope="col">{t("notify.outbox.recipient")}</th>
                  <th scope="col">{t("notify.outbox.template")}</th>
                  <th scope="col">{t("notify.outbox.language")}</th>
                  <th scope="col">{t("notify.outbox.message")}</th>
                  <th scope="col">{t("notify.outbox.status")}</th>
                  <th scope="col">{t("notify.outbox.attempts")}</th>
                  <th scope="col">{t("notify.outbox.sent_at")}</th>
                </tr>
              </thead>
              <tbody>
                {result.items.map((n) => (
                  <tr key={n.id}>
                    <td>{formatDateTime(n.createdAt, lang)}</td>
                    <td>{n.receiptCode ? <ReceiptCode code={n.receiptCode} /> : "—"}</td>
                    <td>{t(`notify.outbox.kind_${n.kind}`)}</td>
                    <td>{n.recipient}</td>
                    <td>
                      <code>{n.template}</code>
                    </td>
                    <td lang={n.language}>{n.language}</td>
                    <td lang={n.language}>
                      <details>
                        <summary>{n.subject ?? n.body.slice(0, 60)}</summary>
                        <pre className="notification-body">{n.body}</pre>
                      </details>
                    </td>
                    <td>
                      {t(`notify.outbox.status_${n.status}`)}
                      {n.lastError ? <div className="hint">{t("notify.outbox.last_error", { error: n.lastError })}</div> : null}
                    </td>
                    <td>{n.attempts}</td>
                    <td>{n.sentAt ? formatDateTime(n.sentAt, lang) : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Pagination page={result.page} pageCount={result.pageCount} />
        </>
      ) : null}
    </>
  );
}
