import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import * as z from "zod";
import { ErrorSummary } from "~/components/error-summary";
import { SummaryList } from "~/components/summary-list";
import { TextField } from "~/components/text-field";
import { DELIVERY_MODES } from "~/core/catalog/delivery";
import { LEVELS } from "~/core/catalog/levels";
import { ProcedureSettingsSchema, SETTINGS_FIELDS } from "~/core/catalog/procedure-settings";
import { fieldErrors } from "~/core/forms/field-errors";
import { requirePermission } from "~/server/auth/guards.server";
import { notFound } from "~/server/platform/http.server";
import { getT } from "~/server/platform/i18n.server";
import { getScopeProcedure, ProcedureCodeSchema, updateProcedureSettings, type ScopeProcedure } from "~/server/catalog/procedure-admin.server";
import { formatDateTime, formatNumber, pickLang } from "~/utils/format";
import { requireFormData } from "~/server/platform/upload.server";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title ?? "" }];

/** The procedure's `updated_at` (ms) when the form was loaded: a save over someone else's is refused (409). */
const VersionSchema = z
  .string()
  .regex(/^\d{1,15}$/)
  .transform(Number);

const NOTICES = ["saved", "unchanged"] as const;
type Notice = (typeof NOTICES)[number];
const isNotice = (v: string | null): v is Notice => NOTICES.some((n) => n === v);

/** The procedure in the administrator's scope, or 404 (missing and not yours look the same). */
async function load(codeParam: string | undefined, agencyPath: string): Promise<ScopeProcedure> {
  const code = ProcedureCodeSchema.safeParse(codeParam);
  const found = code.success ? await getScopeProcedure({ agencyPath, code: code.data }) : undefined;
  if (!found) notFound();
  return found;
}

/** What the page shows of a procedure (dates as numbers and text, so loader and action answer alike). */
function view(p: ScopeProcedure) {
  return {
    code: p.code,
    nameVi: p.nameVi,
    nameEn: p.nameEn,
    agencyVi: p.agencyVi,
    agencyEn: p.agencyEn,
    settings: p.settings,
    hasForm: p.facts.hasForm,
    templateCount: p.templateCount,
    issues: p.issues.map((i) => i.message),
    updatedAt: p.updatedAt.getTime(),
  };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, "procedure:manage");
  const procedure = await load(params.code, admin.agencyPath);
  const notice = new URL(request.url).searchParams.get("notice");
  const t = await getT(request);
  return { title: t("proc_admin.edit.title", { code: procedure.code }), procedure: view(procedure), notice: isNotice(notice) ? notice : null };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "procedure:manage");
  const { code } = await load(params.code, admin.agencyPath);
  const form = await requireFormData(request);
  // What was typed comes back to the form when it is refused.
  const text = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v.slice(0, 40) : "";
  };
  const values = {
    level: text("level"),
    processingDays: text("processingDays"),
    feeVnd: text("feeVnd"),
    deliveryModes: form
      .getAll("deliveryModes")
      .flatMap((v) => (typeof v === "string" ? [v.slice(0, 20)] : []))
      .slice(0, 10),
  };
  const version = VersionSchema.safeParse(form.get("updatedAt"));
  if (!version.success) return data({ errors: { _form: "proc_admin.errors.bad_request" }, values, current: null }, { status: 400 });
  const parsed = ProcedureSettingsSchema.safeParse({
    level: form.get("level"),
    processingDays: form.get("processingDays"),
    feeVnd: form.get("feeVnd"),
    deliveryModes: form.getAll("deliveryModes"),
  });
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), values, current: null }, { status: 400 });
  const outcome = await updateProcedureSettings({ manager: admin, code, expectedUpdatedAt: version.data, settings: parsed.data });
  if (!outcome.ok) {
    if (outcome.error === "not_found") notFound();
    // Two administrators at once: the first save wins; the second sees the settings as they now are.
    if (outcome.error === "stale") return data({ errors: { _form: "proc_admin.errors.stale" }, values: null, current: view(outcome.current) }, { status: 409 });
    const errors: Record<string, string> = {};
    for (const issue of outcome.issues) errors[issue.field] ??= issue.message;
    return data({ errors, values, current: null }, { status: 400 });
  }
  const notice: Notice = Object.keys(outcome.changes).length > 0 ? "saved" : "unchanged";
  return redirect(`/admin/procedures/${encodeURIComponent(code)}?notice=${notice}`);
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? (
    <span id={`${id}-error`} className="error-message">
      {message}
    </span>
  ) : null;
}

export default function AdminProcedure() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const loaded = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  // After a 409 the action carries the procedure as it now is (loaders are not re-run after a 4xx).
  const p = answer?.current ?? loaded.procedure;
  const typed = answer?.values ?? null;
  const errors: Record<string, string> = answer?.errors ?? {};
  const error = (field: string) => (errors[field] ? t(errors[field]) : undefined);
  const shown: { level: string; processingDays: string; feeVnd: string; deliveryModes: readonly string[] } = {
    level: typed?.level ?? String(p.settings.level),
    processingDays: typed?.processingDays ?? String(p.settings.processingDays),
    feeVnd: typed?.feeVnd ?? formatNumber(p.settings.feeVnd, lang),
    deliveryModes: typed?.deliveryModes ?? p.settings.deliveryModes,
  };
  const summary = [
    ...(errors._form ? [{ message: t(errors._form) }] : []),
    ...SETTINGS_FIELDS.flatMap((f) => (errors[f] ? [{ fieldId: f, message: t(errors[f]) }] : [])),
  ];
  const describedBy = (...ids: (string | false)[]) => ids.filter(Boolean).join(" ") || undefined;
  return (
    <>
      <p className="caption">{t("proc_admin.edit.title", { code: p.code })}</p>
      <h1>{pickLang(p.nameVi, p.nameEn, lang)}</h1>
      {loaded.notice && !answer ? (
        <p className="notice" role="status">
          {t(`proc_admin.edit.notice_${loaded.notice}`)}
        </p>
      ) : null}
      <ErrorSummary errors={summary} />
      <SummaryList
        rows={[
          { label: t("proc_admin.edit.code"), value: p.code },
          { label: t("proc_admin.edit.agency"), value: pickLang(p.agencyVi, p.agencyEn, lang) },
          { label: t("proc_admin.edit.online_form"), value: p.hasForm ? t("proc_admin.edit.has_form") : t("proc_admin.edit.no_form") },
          {
            label: t("proc_admin.edit.templates"),
            value: p.templateCount > 0 ? t("proc_admin.edit.templates_count", { count: p.templateCount }) : t("proc_admin.edit.no_templates"),
          },
          { label: t("proc_admin.edit.updated"), value: formatDateTime(p.updatedAt, lang) },
        ]}
      />
      {p.issues.length > 0 ? (
        <div className="notice">
          <p>{t("proc_admin.edit.current_issues")}</p>
          <ul>
            {p.issues.map((m) => (
              <li key={m}>{t(m)}</li>
            ))}
          </ul>
        </div>
      ) : null}

      <h2 id="settings-title">{t("proc_admin.edit.form_title")}</h2>
      <Form method="post" noValidate aria-labelledby="settings-title" key={p.updatedAt}>
        <input type="hidden" name="updatedAt" value={p.updatedAt} />
        <div className={`form-group${error("level") ? " form-group--error" : ""}`}>
          <fieldset aria-describedby={error("level") ? "level-error" : undefined}>
            <legend>{t("proc_admin.edit.level_legend")}</legend>
            <FieldError id="level" message={error("level")} />
            {LEVELS.map((l, i) => {
              const id = i === 0 ? "level" : `level-${l}`;
              return (
                <div className="choice" key={l}>
                  <input id={id} type="radio" name="level" value={l} defaultChecked={shown.level === String(l)} aria-describedby={`level-${l}-hint`} />
                  <div>
                    <label htmlFor={id}>{t(`levels.l${l}_name`)}</label>
                    <span id={`level-${l}-hint`} className="hint">
                      {t(`levels.l${l}_desc`)}
                    </span>
                  </div>
                </div>
              );
            })}
          </fieldset>
        </div>
        <TextField
          id="processingDays"
          name="processingDays"
          type="text"
          label={t("proc_admin.edit.days_label")}
          hint={t("proc_admin.edit.days_hint")}
          inputMode="numeric"
          autoComplete="off"
          defaultValue={shown.processingDays}
          error={error("processingDays")}
          required
          maxLength={10}
        />
        <TextField
          id="feeVnd"
          name="feeVnd"
          type="text"
          label={t("proc_admin.edit.fee_label")}
          hint={t("proc_admin.edit.fee_hint")}
          inputMode="numeric"
          autoComplete="off"
          defaultValue={shown.feeVnd}
          error={error("feeVnd")}
          required
          maxLength={20}
        />
        <div className={`form-group${error("deliveryModes") ? " form-group--error" : ""}`}>
          <fieldset aria-describedby={describedBy("deliveryModes-hint", !!error("deliveryModes") && "deliveryModes-error")}>
            <legend>{t("proc_admin.edit.delivery_legend")}</legend>
            <span id="deliveryModes-hint" className="hint">
              {t("proc_admin.edit.delivery_hint")}
            </span>
            <FieldError id="deliveryModes" message={error("deliveryModes")} />
            {DELIVERY_MODES.map((m, i) => {
              const id = i === 0 ? "deliveryModes" : `deliveryModes-${m}`;
              return (
                <div className="choice" key={m}>
                  <input id={id} type="checkbox" name="deliveryModes" value={m} defaultChecked={shown.deliveryModes.includes(m)} />
                  <label htmlFor={id}>{t(`delivery.${m}`)}</label>
                </div>
              );
            })}
          </fieldset>
        </div>
        <div className="button-group">
          <button type="submit" className="button">
            {t("proc_admin.edit.save")}
          </button>
          <Link to="/admin/procedures">{t("proc_admin.edit.back")}</Link>
        </div>
      </Form>
    </>
  );
}
