import { formVisibility } from "~/server/dossiers/application.server";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import * as z from "zod";
import { ApplicationForm } from "~/components/application-form";
import { ErrorSummary } from "~/components/error-summary";
import { TextField } from "~/components/text-field";
import { todayInVietnam } from "~/server/dossiers/application.server";
import { requireOfficer } from "~/server/auth/guards.server";
import { found, notFound } from "~/server/platform/http.server";
import { getT } from "~/server/platform/i18n.server";
import { IntakeChannelSchema, registerIntake, intakeProcedure } from "~/server/dossiers/intake.server";
import { readForm } from "~/server/platform/upload.server";
import { pickLang } from "~/utils/format";

const IntakeQuerySchema = z.object({ procedure: z.string().trim().min(1).max(40), channel: IntakeChannelSchema });

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title ?? "" }];

function query(request: Request) {
  const parsed = IntakeQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) notFound();
  return parsed.data;
}

/** Step 2: the procedure's own form, keyed in by the officer, with the intake details. */
export async function loader({ request }: LoaderFunctionArgs) {
  const officer = await requireOfficer(request, "dossier:intake");
  const { procedure: code, channel } = query(request);
  const procedure = found(await intakeProcedure(officer, code));
  const t = await getT(request);
  return {
    visibility: formVisibility(procedure.form.definition, {}),
    title: t(`intake.heading_${channel}`),
    channel,
    onlineAllowed: procedure.onlineAllowed,
    procedure: {
      code: procedure.procedure.code,
      nameVi: procedure.procedure.nameVi,
      nameEn: procedure.procedure.nameEn,
      deliveryModes: procedure.procedure.deliveryModes,
    },
    definition: procedure.form.definition,
    today: todayInVietnam(),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const officer = await requireOfficer(request, "dossier:intake");
  const { procedure: code } = query(request);
  found(await intakeProcedure(officer, code));
  const parsed = await readForm(request);
  if ("error" in parsed)
    return data({ errors: { _form: `form.errors.${parsed.error}` }, values: null, meta: null }, { status: parsed.error === "too_large" ? 413 : 400 });
  const outcome = found(await registerIntake({ officer, code, form: parsed.form, oversized: parsed.oversized }));
  if (outcome.kind === "created") return redirect(`/officer/dossiers/${outcome.receiptCode}?done=intake`);
  const text = (name: string) => {
    const v = parsed.form.get(name);
    return typeof v === "string" ? v : "";
  };
  return data(
    {
      errors: outcome.kind === "invalid" ? outcome.errors : {},
      values: outcome.values,
      visibility: outcome.visibility,
      meta: { accountEmail: text("accountEmail"), deliveryMode: text("deliveryMode"), language: text("language"), paperChecked: text("paperChecked") === "on" },
    },
    // A row added or removed is not a refusal: nothing was checked yet.
    { status: outcome.kind === "rows" ? 200 : 400 },
  );
}

const META_FIELDS = ["channel", "deliveryMode", "language", "accountEmail", "paperChecked"] as const;

export default function IntakeForm() {
  const { t, i18n } = useTranslation();
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result?.errors ?? {};
  const meta = result?.meta ?? null;
  const metaErrors = META_FIELDS.flatMap((name) => (errors[name] ? [{ fieldId: `intake-${name}`, message: t(errors[name]) }] : []));
  const extra = (
    <fieldset className="form-section">
      <legend className="section-title">{t("intake.details")}</legend>
      <input type="hidden" name="channel" value={d.channel} />
      <div className={`form-group${errors.deliveryMode ? " form-group--error" : ""}`}>
        <label htmlFor="intake-deliveryMode">{t("intake.delivery")}</label>
        <select id="intake-deliveryMode" name="deliveryMode" defaultValue={meta?.deliveryMode ?? d.procedure.deliveryModes[0]}>
          {d.procedure.deliveryModes.map((m) => (
            <option key={m} value={m}>
              {t(`delivery.${m}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="form-group">
        <label htmlFor="intake-language">{t("intake.language")}</label>
        <select id="intake-language" name="language" defaultValue={meta?.language || "vi"}>
          <option value="vi">Tiếng Việt</option>
          <option value="en">English</option>
        </select>
      </div>
      <TextField
        id="intake-accountEmail"
        name="accountEmail"
        type="email"
        label={t("intake.account_email")}
        hint={t("intake.account_email_hint")}
        defaultValue={meta?.accountEmail ?? ""}
        error={errors.accountEmail ? t(errors.accountEmail) : undefined}
      />
      {d.channel === "counter" ? (
        <div className={`form-group${errors.paperChecked ? " form-group--error" : ""}`}>
          {errors.paperChecked ? <span className="error-message">{t(errors.paperChecked)}</span> : null}
          <div className="checkbox">
            <input type="checkbox" id="intake-paperChecked" name="paperChecked" defaultChecked={meta?.paperChecked ?? false} />
            <label htmlFor="intake-paperChecked">{t("intake.paper_checked")}</label>
          </div>
        </div>
      ) : null}
    </fieldset>
  );
  return (
    <>
      <p className="caption">{pickLang(d.procedure.nameVi, d.procedure.nameEn, i18n.language)}</p>
      <h1>{t(`intake.heading_${d.channel}`)}</h1>
      <p>{t(`intake.explain_${d.channel}`)}</p>
      {errors._form ? <ErrorSummary errors={[{ message: t(errors._form) }]} /> : null}
      {errors.channel ? <ErrorSummary errors={[{ message: t(errors.channel) }]} /> : null}
      <ApplicationForm
        definition={d.definition}
        today={d.today}
        values={result?.values ?? {}}
        visibility={result && "visibility" in result ? result.visibility : d.visibility}
        serverErrors={errors}
        attachments={[]}
        submitLabel={t("intake.submit")}
        allowSave={false}
        extra={extra}
        extraErrors={metaErrors}
      />
      <p>
        <Link to="/officer/intake">{t("intake.back")}</Link>
      </p>
    </>
  );
}
