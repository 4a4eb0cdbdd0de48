import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AnswerText } from "~/components/answer-value";
import { fieldId } from "~/components/definition-field";
import { ErrorSummary } from "~/components/error-summary";
import { STATUS } from "~/core/dossiers/status";
import { localText } from "~/core/text/local-text";
import { draftForCheck, requireOnlineProcedure, SubmitSchema, validateDraft } from "~/server/application.server";
import { getOwnDossier, listAttachments, submitDraft } from "~/server/dossiers.server";
import { notFound, requireCitizen } from "~/server/guards.server";
import { getLanguage, getT } from "~/server/i18n.server";
import { pickLang } from "~/utils/format";
import { requireFormData } from "~/server/upload.server";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title ?? "" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireCitizen(request);
  const code = params.code ?? "";
  const found = draftForCheck({ user, code });
  if (!found) throw redirect(`/procedures/${code}/apply`);
  const { procedure, draft } = found;
  // The check page shows only a complete, valid draft; anything else goes back to the form with its messages.
  const verdict = validateDraft(procedure.form.definition, draft.answers, draft.id);
  if (!verdict.ok) throw redirect(`/procedures/${code}/apply`);
  const language = await getLanguage(request);
  const t = await getT(request);
  const p = procedure.procedure;
  return {
    title: t("check.title"),
    procedure: { code: p.code, nameVi: p.nameVi, nameEn: p.nameEn, deliveryModes: p.deliveryModes },
    dossierId: draft.id,
    definition: procedure.form.definition,
    answers: verdict.answers,
    attachments: listAttachments(draft.id),
    language,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireCitizen(request);
  const code = params.code ?? "";
  const procedure = requireOnlineProcedure(code);
  const parsed = SubmitSchema.safeParse(Object.fromEntries(await requireFormData(request)));
  if (!parsed.success) return data({ error: "apply.errors.delivery_required" }, { status: 400 });
  const dossier = getOwnDossier({ id: parsed.data.dossierId, applicantId: user.id });
  if (!dossier || dossier.procedureId !== procedure.procedure.id) notFound();
  // Already submitted (double click, refresh, back and resubmit): show the one receipt.
  if (dossier.status !== STATUS.draft && dossier.receiptCode) return redirect(`/applications/${dossier.receiptCode}`);
  if (!procedure.procedure.deliveryModes.includes(parsed.data.deliveryMode)) return data({ error: "apply.errors.delivery_required" }, { status: 400 });
  const def = procedure.form.version === dossier.formVersion ? procedure.form.definition : null;
  if (!def) return redirect(`/procedures/${code}/apply`);
  const verdict = validateDraft(def, dossier.answers, dossier.id);
  if (!verdict.ok) return redirect(`/procedures/${code}/apply`);
  const result = submitDraft({
    id: dossier.id,
    applicantId: user.id,
    answers: verdict.answers,
    processingDays: procedure.procedure.processingDays,
    language: await getLanguage(request),
    deliveryMode: parsed.data.deliveryMode,
    fallbackName: user.fullName,
    fallbackPhone: user.phone,
    fallbackEmail: user.email,
  });
  // The daily cap: a clear refusal, the draft kept as it is (issue 11, problem 6).
  if (!result.ok && result.error === "daily_cap") return data({ error: "accounts.errors.daily_cap" }, { status: 429 });
  if (!result.ok) notFound();
  return redirect(`/applications/${result.receiptCode}${result.alreadySubmitted ? "" : "?submitted=1"}`);
}

export default function CheckAnswers() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const modes = d.procedure.deliveryModes;
  return (
    <>
      <p className="caption">{pickLang(d.procedure.nameVi, d.procedure.nameEn, lang)}</p>
      <h1>{t("check.title")}</h1>
      {result?.error ? <ErrorSummary errors={[{ fieldId: "delivery-0", message: t(result.error) }]} /> : null}
      {d.definition.sections.map((section, i) => (
        <section key={i}>
          <h2>{localText(section.title, lang)}</h2>
          <dl className="summary-list">
            {section.fields.map((field) => (
              <div key={field.name}>
                <dt>{localText(field.label, lang)}</dt>
                <dd>
                  {field.type === "file" ? (
                    d.attachments.filter((a) => a.fieldName === field.name).map((a) => a.fileName).join(", ") || t("form.not_given")
                  ) : (
                    <AnswerText field={field} value={d.answers[field.name]} />
                  )}
                </dd>
                <dd>
                  <Link to={`/procedures/${d.procedure.code}/apply#${fieldId(field.name)}`}>
                    {t("check.change")}
                    <span className="visually-hidden"> {localText(field.label, lang)}</span>
                  </Link>
                </dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
      <Form method="post">
        <input type="hidden" name="dossierId" value={d.dossierId} />
        <fieldset>
          <legend>{t("check.delivery_question")}</legend>
          {modes.map((m, i) => (
            <div className="choice" key={m}>
              <input type="radio" id={`delivery-${i}`} name="deliveryMode" value={m} defaultChecked={i === 0} />
              <label htmlFor={`delivery-${i}`}>{t(`delivery.${m}`)}</label>
            </div>
          ))}
        </fieldset>
        <h2>{t("check.declaration_title")}</h2>
        <p>{t("check.declaration")}</p>
        <button type="submit" className="button" disabled={navigation.state !== "idle"}>
          {t("check.submit")}
        </button>
      </Form>
    </>
  );
}
