import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary } from "~/components/error-summary";
import { TextField } from "~/components/text-field";
import { auditDetails } from "~/core/audit/audit";
import { ROLES } from "~/core/auth/permissions";
import { fieldErrors } from "~/core/forms/field-errors";
import { AuditQuerySchema, listAuditEvents } from "~/server/staff/audit.server";
import { EVENT_TYPES } from "~/server/statistics/events.server";
import { requirePermission } from "~/server/auth/guards.server";
import { getT } from "~/server/platform/i18n.server";
import { formatDateTime, pickLang } from "~/utils/format";
import { ListResults } from "~/components/list-results";
import { ReceiptCode } from "~/components/receipt-code";
import { DateField } from "~/components/date-field";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title ?? "" }];

const FILTERS = ["type", "actor", "receipt", "from", "to"] as const;

/** The audit trail, read-only: the log it reads refuses every change (triggers), and this page offers none. */
export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, "audit:read");
  const params = new URL(request.url).searchParams;
  // What was typed, echoed into the filter form (even when it does not parse).
  const values = Object.fromEntries(FILTERS.map((f) => [f, (params.get(f) ?? "").slice(0, 254)]));
  const parsed = AuditQuerySchema.safeParse(Object.fromEntries(params));
  const t = await getT(request);
  const page = { title: t("admin.audit.title"), types: [...EVENT_TYPES], values };
  if (!parsed.success) return data({ ...page, errors: fieldErrors(parsed.error), result: { items: [], total: 0, page: 1, pageCount: 0 } }, { status: 400 });
  const result = await listAuditEvents({ agencyPath: admin.agencyPath, query: parsed.data });
  const items = result.items.map(({ data: eventData, fromStatus, toStatus, occurredAt, ...row }) => ({
    ...row,
    occurredAt: occurredAt.toISOString(),
    details: auditDetails({ fromStatus, toStatus, data: eventData }),
  }));
  return { ...page, errors: {}, result: { ...result, items } };
}

export default function AdminAudit() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { types, values, errors, result } = useLoaderData<typeof loader>();
  const fieldErrorsShown: Record<string, string> = errors;
  const error = (f: string) => (fieldErrorsShown[f] ? t(fieldErrorsShown[f]) : undefined);
  const knownType = (type: string) => types.some((known) => known === type);
  const roleName = (role: string | null) => (role === null ? null : ROLES.some((r) => r === role) || role === "system" ? t(`admin.roles.${role}`) : role);
  return (
    <>
      <h1>{t("admin.audit.title")}</h1>
      <p>{t("admin.audit.intro")}</p>
      <ErrorSummary errors={FILTERS.flatMap((f) => (fieldErrorsShown[f] ? [{ fieldId: `filter-${f}`, message: t(fieldErrorsShown[f]) }] : []))} />
      <Form method="get" className="filters" role="search" aria-label={t("admin.audit.filters")} noValidate>
        <div className={`form-group${error("type") ? " form-group--error" : ""}`}>
          <label htmlFor="filter-type">{t("admin.audit.type")}</label>
          {error("type") ? (
            <span id="filter-type-error" className="error-message">
              {error("type")}
            </span>
          ) : null}
          <select
            id="filter-type"
            name="type"
            defaultValue={values.type}
            aria-invalid={error("type") ? true : undefined}
            aria-describedby={error("type") ? "filter-type-error" : undefined}
          >
            <option value="">{t("admin.audit.all_types")}</option>
            {types.map((type) => (
              <option key={type} value={type}>
                {t(`admin.event_types.${type}`)}
              </option>
            ))}
          </select>
        </div>
        <TextField id="filter-actor" name="actor" type="search" label={t("admin.audit.actor")} defaultValue={values.actor} error={error("actor")} />
        <TextField id="filter-receipt" name="receipt" type="search" label={t("admin.audit.receipt")} defaultValue={values.receipt} error={error("receipt")} />
        <DateField
          id="filter-from"
          name="from"
          label={t("admin.audit.from")}
          hint={t("admin.audit.date_hint")}
          value={values.from ?? ""}
          error={error("from")}
        />
        <DateField id="filter-to" name="to" label={t("admin.audit.to")} hint={t("admin.audit.date_hint")} value={values.to ?? ""} error={error("to")} />
        <div>
          <button type="submit" className="button">
            {t("admin.audit.apply_filters")}
          </button>
        </div>
      </Form>

      <ListResults strings="admin.audit" columns={["time", "who", "event", "dossier", "agency", "details"]} result={result}>
        {result.items.map((e) => {
          const d = e.details;
          const role = roleName(d.role);
          const lines = [
            d.from && d.to
              ? t("admin.audit.status_change", { from: t(`status.${d.from}`), to: t(`status.${d.to}`) })
              : d.to
                ? t("admin.audit.status_to", { to: t(`status.${d.to}`) })
                : null,
            d.reason ? t("admin.audit.reason", { reason: d.reason }) : null,
            e.targetEmail ? t("admin.audit.account", { email: e.targetEmail }) : null,
            role ? t("admin.audit.account_role", { role }) : null,
            ...d.other.map((o) => `${o.key}: ${o.value}`),
          ].filter((l): l is string => l !== null);
          return (
            <tr key={e.id}>
              <th scope="row">
                <time dateTime={e.occurredAt}>{formatDateTime(e.occurredAt, lang)}</time>
              </th>
              <td>
                {e.actorEmail ? (
                  <>
                    {e.actorName}
                    <br />
                    {e.actorEmail}
                  </>
                ) : (
                  t("admin.audit.unknown_actor")
                )}
                {e.actorRole ? (
                  <>
                    <br />
                    <span className="meta">{roleName(e.actorRole)}</span>
                  </>
                ) : null}
              </td>
              <td>{knownType(e.type) ? t(`admin.event_types.${e.type}`) : e.type}</td>
              <td>{e.receiptCode ? <ReceiptCode code={e.receiptCode} /> : "—"}</td>
              <td>{e.agencyVi ? pickLang(e.agencyVi, e.agencyEn, lang) : "—"}</td>
              <td>
                {lines.length === 0 ? (
                  "—"
                ) : (
                  <ul className="plain-list">
                    {lines.map((line, i) => (
                      <li key={i}>{line}</li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          );
        })}
      </ListResults>
    </>
  );
}
