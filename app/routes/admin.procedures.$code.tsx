import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import * as z from "zod";
import { ErrorSummary } from "~/components/error-summary";
import { SummaryList } from "~/components/summary-list";
import { TextField } from "~/components/text-field";
import { DELIVERY_MODES } from "~/core/catalog/delivery";
import { MAX_IN_PERSON_STEP, ProcedureSettingsSchema, SETTINGS_FIELDS } from "~/core/catalog/procedure-settings";
import { fieldErrors } from "~/core/forms/field-errors";
import { requirePermission, type ScopedUser } from "~/server/auth/guards.server";
import { notFound } from "~/server/platform/http.server";
import { getT } from "~/server/platform/i18n.server";
import {
  getScopeProcedure,
  ProcedureCodeSchema,
  unpublishScopeForm,
  updateProcedureSettings,
  type ScopeProcedure,
} from "~/server/catalog/procedure-admin.server";
import { formatDateTime, formatNumber, pickLang } from "~/utils/format";
import { requireFormData } from "~/server/platform/upload.server";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title ?? "" }];

/** The procedure's `updated_at` (ms) when the form was loaded: a save over someone else's is refused (409). */
const VersionSchema = z
  .string()
  .regex(/^\d{1,15}$/)
  .transform(Number);

const NOTICES = ["saved", "saved_level", "unchanged", "unpublished"] as const;
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
    level: p.level,
    onlineService: p.onlineService,
    missing: p.derived.missing,
    formVersion: p.formVersion,
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

/** "Unpublish the form": the version the page showed, and the box ticked to confirm. */
const UnpublishSchema = z.object({ formVersion: VersionSchema, confirm: z.literal("yes").optional() });

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "procedure:manage");
  const { code } = await load(params.code, admin.agencyPath);
  const form = await requireFormData(request);
  if (form.get("intent") === "unpublish") return unpublish(admin, code, form);
  // What was typed comes back to the form when it is refused.
  const text = (name: string, max = 40) => {
    const v = form.get(name);
    return typeof v === "string" ? v.slice(0, max) : "";
  };
  const values = {
    processingDays: text("processingDays"),
    feeVnd: text("feeVnd"),
    paymentOnline: form.get("paymentOnline") === "yes",
    deliveryModes: form
      .getAll("deliveryModes")
      .flatMap((v) => (typeof v === "string" ? [v.slice(0, 20)] : []))
      .slice(0, 10),
    inPersonStep: text("inPersonStep", MAX_IN_PERSON_STEP + 50),
  };
  const version = VersionSchema.safeParse(form.get("updatedAt"));
  if (!version.success) return data({ errors: { _form: "proc_admin.errors.bad_request" }, values, current: null }, { status: 400 });
  const parsed = ProcedureSettingsSchema.safeParse({
    processingDays: form.get("processingDays"),
    feeVnd: form.get("feeVnd"),
    paymentOnline: form.get("paymentOnline"),
    deliveryModes: form.getAll("deliveryModes"),
    inPersonStep: form.get("inPersonStep"),
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
  const notice: Notice = Object.keys(outcome.changes).length === 0 ? "unchanged" : outcome.level?.changed ? "saved_level" : "saved";
  return redirect(`/admin/procedures/${encodeURIComponent(code)}?notice=${notice}`);
}

/** Withdraws the published form after the administrator confirmed it (its events record who and when). */
async function unpublish(admin: ScopedUser, code: string, form: FormData) {
  const parsed = UnpublishSchema.safeParse({ formVersion: form.get("formVersion"), confirm: form.get("confirm") ?? undefined });
  if (!parsed.success) return data({ errors: { _form: "proc_admin.errors.bad_request" }, values: null, current: null }, { status: 400 });
  if (parsed.data.confirm !== "yes") return data({ errors: { confirm: "proc_admin.errors.unpublish_confirm" }, values: null, current: null }, { status: 400 });
  const outcome = await unpublishScopeForm({ manager: admin, code, expectedFormVersion: parsed.data.formVersion });
  if (!outcome.ok) {
    if (outcome.error === "not_found") notFound();
    const message = outcome.error === "stale" ? "proc_admin.errors.unpublish_stale" : "proc_admin.errors.not_published";
    return data({ errors: { _form: message }, values: null, current: null }, { status: 409 });
  }
  const notice: Notice = "unpublished";
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
  const shown = {
    processingDays: typed?.processingDays ?? String(p.settings.processingDays),
    feeVnd: typed?.feeVnd ?? formatNumber(p.settings.feeVnd, lang),
    paymentOnline: typed?.paymentOnline ?? p.settings.paymentOnline,
    deliveryModes: typed?.deliveryModes ?? p.settings.deliveryModes,
    inPersonStep: typed?.inPersonStep ?? p.settings.inPersonStep ?? "",
  };
  const summary = [
    ...(errors._form ? [{ message: t(errors._form) }] : []),
    ...[...SETTINGS_FIELDS, "confirm"].flatMap((f) => (errors[f] ? [{ fieldId: f, message: t(errors[f]) }] : [])),
  ];
  const describedBy = (...ids: (string | false)[]) => ids.filter(Boolean).join(" ") || undefined;
  const levelName = t(`levels.l${p.level}_name`);
  return (
    <>
      <p className="caption">{t("proc_admin.edit.title", { code: p.code })}</p>
      <h1>{pickLang(p.nameVi, p.nameEn, lang)}</h1>
      {loaded.notice && !answer ? (
        <p className="notice" role="status">
          {t(`proc_admin.edit.notice_${loaded.notice}`, { level: levelName })}
        </p>
      ) : null}
      <ErrorSummary errors={summary} />
      <SummaryList
        rows={[
          { label: t("proc_admin.edit.code"), value: p.code },
          { label: t("proc_admin.edit.agency"), value: pickLang(p.agencyVi, p.agencyEn, lang) },
          { label: t("proc_admin.edit.level"), value: levelName },
          {
            label: t("proc_admin.edit.service"),
            value: p.onlineService ? t(`levels.service_${p.onlineService}`) : t("proc_admin.edit.service_none"),
          },
          {
            label: t("proc_admin.edit.online_form"),
            value: p.formVersion !== null ? t("proc_admin.edit.online_form_version", { version: p.formVersion }) : t("proc_admin.edit.no_form"),
          },
          {
            label: t("proc_admin.edit.templates"),
            value: p.templateCount > 0 ? t("proc_admin.edit.templates_count", { count: p.templateCount }) : t("proc_admin.edit.no_templates"),
          },
          { label: t("proc_admin.edit.updated"), value: formatDateTime(p.updatedAt, lang) },
        ]}
      />
      <div className="notice">
        <p className="hint">{t("proc_admin.edit.level_derived_hint")}</p>
        {p.missing.next ? (
          <>
            <p>{t("proc_admin.edit.missing_for_level", { level: p.missing.next.level })}</p>
            <ul>
              {p.missing.next.items.map((m) => (
                <li key={m}>{t(m)}</li>
              ))}
            </ul>
          </>
        ) : null}
        {p.missing.full.length > 0 ? (
          <>
            <p>{t("proc_admin.edit.missing_for_full")}</p>
            <ul>
              {p.missing.full.map((m) => (
                <li key={m}>{t(m)}</li>
              ))}
            </ul>
          </>
        ) : (
          <p>{t("proc_admin.edit.is_full")}</p>
        )}
      </div>
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
        <div className="form-group">
          <fieldset aria-describedby="paymentOnline-hint">
            <legend>{t("proc_admin.edit.payment_legend")}</legend>
            <span id="paymentOnline-hint" className="hint">
              {t("proc_admin.edit.payment_hint")}
            </span>
            <div className="choice">
              <input id="paymentOnline" type="checkbox" name="paymentOnline" value="yes" defaultChecked={shown.paymentOnline} />
              <label htmlFor="paymentOnline">{t("proc_admin.edit.payment_label")}</label>
            </div>
          </fieldset>
        </div>
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
        <TextField
          id="inPersonStep"
          name="inPersonStep"
          type="text"
          label={t("proc_admin.edit.in_person_label")}
          hint={t("proc_admin.edit.in_person_hint")}
          autoComplete="off"
          defaultValue={shown.inPersonStep}
          error={error("inPersonStep")}
          maxLength={MAX_IN_PERSON_STEP}
        />
        <div className="button-group">
          <button type="submit" className="button">
            {t("proc_admin.edit.save")}
          </button>
          <Link to="/admin/procedures">{t("proc_admin.edit.back")}</Link>
        </div>
      </Form>

      {p.formVersion !== null ? (
        <>
          <h2 id="unpublish-title">{t("proc_admin.edit.unpublish_title")}</h2>
          <Form method="post" noValidate aria-labelledby="unpublish-title">
            <input type="hidden" name="intent" value="unpublish" />
            <input type="hidden" name="formVersion" value={p.formVersion} />
            <p className="hint">{t("proc_admin.edit.unpublish_hint")}</p>
            <div className={`form-group${error("confirm") ? " form-group--error" : ""}`}>
              <FieldError id="confirm" message={error("confirm")} />
              <div className="choice">
                <input id="confirm" type="checkbox" name="confirm" value="yes" aria-describedby={error("confirm") ? "confirm-error" : undefined} />
                <label htmlFor="confirm">{t("proc_admin.edit.unpublish_confirm_label")}</label>
              </div>
            </div>
            <button type="submit" className="button button--warning">
              {t("proc_admin.edit.unpublish")}
            </button>
          </Form>
        </>
      ) : null}
    </>
  );
}
