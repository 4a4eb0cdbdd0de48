import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AnswerText } from "~/components/answer-value";
import { fieldId } from "~/components/field-id";
import { ErrorSummary } from "~/components/error-summary";
import { OneStopLine } from "~/components/one-stop-line";
import { FeePlanSection } from "~/components/fee-plan";
import { VerifiedMark } from "~/components/verified-mark";
import { localText } from "~/core/text/local-text";
import { checkAnswersPage, submitChecked } from "~/server/dossiers/application.server";
import { forWhomText } from "~/server/dossiers/for-whom.server";
import { requireCitizen } from "~/server/auth/guards.server";
import { getLanguage, getT } from "~/server/platform/i18n.server";
import { pickLang } from "~/utils/format";
import { requireFormData } from "~/server/platform/upload.server";
import { pageStringsLoader } from "~/utils/page-strings-loader";
import { found } from "~/server/platform/http.server";

/** Reached by a link, the page first loads its string groups (decision 019). */
export const clientLoader = pageStringsLoader("routes/procedures.$code_.apply_.check");

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title ?? "" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireCitizen(request);
  const code = params.code ?? "";
  const language = await getLanguage(request);
  // A procedure not online: 404; no open draft, or one not yet complete and valid: back to the form, which says why.
  const page = found(await checkAnswersPage({ user, code, language }));
  if (page.kind === "back_to_form") throw redirect(`/procedures/${code}/apply`);
  const t = await getT(request);
  return { ...page, forWhom: forWhomText(t, page.forWhom), title: t("check.title"), language };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireCitizen(request);
  const code = params.code ?? "";
  const outcome = found(await submitChecked({ user, code, form: Object.fromEntries(await requireFormData(request)), language: await getLanguage(request) }));
  if (outcome.kind === "invalid") return data({ error: outcome.error }, { status: 400 });
  // The daily cap: a clear refusal, the draft kept as it is (issue 11, problem 6).
  if (outcome.kind === "capped") return data({ error: "accounts.errors.daily_cap" }, { status: 429 });
  if (outcome.kind === "back_to_form") return redirect(`/procedures/${code}/apply`);
  return redirect(`/applications/${outcome.receiptCode}${outcome.alreadySubmitted ? "" : "?submitted=1"}`);
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
      {d.delivery.kind === "not_offered" || result?.error ? (
        <ErrorSummary
          errors={[
            result?.error?.startsWith("representation.")
              ? { message: t(result.error) }
              : d.delivery.kind === "ask"
                ? { fieldId: "delivery-0", message: t(result?.error ?? "apply.errors.delivery_required") }
                : { fieldId: "delivery-answer", message: t("apply.errors.delivery_not_offered") },
          ]}
        />
      ) : null}
      {/* Whom the draft is for, and the way to change it (decision 036); the words come translated by the loader. */}
      <dl className="summary-list">
        <div>
          <dt>{d.forWhom.label}</dt>
          <dd>{d.forWhom.value}</dd>
          <dd>
            <Link to={`/procedures/${d.procedure.code}/apply/for`}>{d.forWhom.change}</Link>
          </dd>
        </div>
      </dl>
      {d.definition.sections.map((section, i) => {
        // Exactly the answers the citizen's answers show: a hidden field is not asked, so not listed.
        const fields = section.fields.filter((f) => !d.hidden.includes(f.name));
        return fields.length === 0 ? null : (
          <section key={i}>
            <h2>{localText(section.title, lang)}</h2>
            <dl className="summary-list">
              {fields.map((field) => (
                <div key={field.name}>
                  <dt>{localText(field.label, lang)}</dt>
                  <dd>
                    {field.type === "file" ? (
                      d.attachments
                        .filter((a) => a.fieldName === field.name)
                        .map((a) => a.fileName)
                        .join(", ") || t("form.not_given")
                    ) : (
                      <AnswerText field={field} value={d.answers[field.name]} />
                    )}
                    {d.verified.includes(field.name) ? (
                      <>
                        {" "}
                        <VerifiedMark />
                      </>
                    ) : null}
                  </dd>
                  {/* A verified answer is the population record's: there is nothing to change. */}
                  <dd>
                    {d.verified.includes(field.name) ? null : (
                      <Link to={`/procedures/${d.procedure.code}/apply#${fieldId(field.name)}`}>
                        {t("check.change")}
                        <span className="visually-hidden"> {localText(field.label, lang)}</span>
                      </Link>
                    )}
                  </dd>
                </div>
              ))}
            </dl>
          </section>
        );
      })}
      <FeePlanSection plan={d.fees.plan} postPlan={d.fees.postPlan} />
      <Form method="post">
        <input type="hidden" name="dossierId" value={d.dossierId} />
        {d.delivery.kind === "ask" ? (
          <fieldset>
            <legend>{t("check.delivery_question")}</legend>
            {modes.map((m, i) => (
              <div className="choice" key={m}>
                <input
                  type="radio"
                  id={`delivery-${i}`}
                  name="deliveryMode"
                  value={m}
                  defaultChecked={i === 0}
                  aria-describedby={m === "counter" ? "one-stop-line" : undefined}
                />
                <div>
                  <label htmlFor={`delivery-${i}`}>{t(`delivery.${m}`)}</label>
                  {m === "counter" ? <OneStopLine view={d.oneStop} id="one-stop-line" /> : null}
                </div>
              </div>
            ))}
          </fieldset>
        ) : (
          <>
            <h2>{t("check.delivery_question")}</h2>
            <p id="delivery-answer">
              {t("check.delivery_from_form", { mode: t(`delivery.${d.delivery.mode}`) })}{" "}
              <Link to={`/procedures/${d.procedure.code}/apply#${fieldId(d.delivery.field)}`}>{t("check.delivery_change")}</Link>
            </p>
            {d.delivery.kind === "answered" && d.delivery.mode === "counter" ? <OneStopLine view={d.oneStop} id="one-stop-line" /> : null}
          </>
        )}
        <h2>{t("check.declaration_title")}</h2>
        <p>{t("check.declaration")}</p>
        <button type="submit" className="button" disabled={navigation.state !== "idle"}>
          {t("check.submit")}
        </button>
      </Form>
    </>
  );
}
