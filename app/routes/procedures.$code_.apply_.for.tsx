import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary } from "~/components/error-summary";
import { AUTHORISATION_FIELD } from "~/core/dossiers/representation";
import { requireCitizen } from "~/server/auth/guards.server";
import { forWhomPage, postForWhom } from "~/server/dossiers/for-whom.server";
import { found } from "~/server/platform/http.server";
import { getLanguage, getT } from "~/server/platform/i18n.server";
import { readForm } from "~/server/platform/upload.server";
import { pickLang } from "~/utils/format";
import { pageStringsLoader } from "~/utils/page-strings-loader";

/** Reached by a link, the page first loads its string groups (decision 019). */
export const clientLoader = pageStringsLoader("routes/procedures.$code_.apply_.for");

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title ?? "" }];

/** The "for whom" step (decision 036): a plain multipart form, so it works without JavaScript. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireCitizen(request);
  const language = await getLanguage(request);
  const t = await getT(request);
  const page = found(await forWhomPage({ user, code: params.code ?? "", language }));
  return { title: t("representation.title"), ...page };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireCitizen(request);
  const language = await getLanguage(request);
  const code = params.code ?? "";
  const parsed = await readForm(request);
  if ("error" in parsed) return data({ errors: { _form: `form.errors.${parsed.error}` }, values: null }, { status: parsed.error === "too_large" ? 413 : 400 });
  const outcome = found(await postForWhom({ user, code, language, form: parsed.form, oversized: parsed.oversized }));
  if (outcome.kind === "invalid") return data({ errors: outcome.errors, values: outcome.values }, { status: 400 });
  return redirect(`/procedures/${code}/apply`);
}

const FIELD_IDS: Record<string, string> = {
  onBehalf: "for-self",
  childCccd: "for-child-cccd",
  adultName: "for-adult-name",
  adultCccd: "for-adult-cccd",
  taxCode: "for-business",
  [AUTHORISATION_FIELD]: "for-authorisation",
};

export default function ForWhom() {
  const { t, i18n } = useTranslation();
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result?.errors ?? {};
  const values = result?.values ?? {
    onBehalf: page.current.onBehalf,
    childCccd: page.current.onBehalf === "child" ? (page.current.subjectCccd ?? "") : "",
    adultName: page.current.onBehalf === "authorised" ? (page.current.subjectName ?? "") : "",
    adultCccd: page.current.onBehalf === "authorised" ? (page.current.subjectCccd ?? "") : "",
    taxCode: page.current.subjectTaxCode ?? "",
  };
  const error = (name: string) =>
    errors[name] ? (
      <p className="error-message" id={`${FIELD_IDS[name] ?? name}-error`}>
        {t(errors[name])}
      </p>
    ) : null;
  const summary = Object.entries(errors).map(([name, key]) => (name === "_form" ? { message: t(key) } : { fieldId: FIELD_IDS[name] ?? name, message: t(key) }));
  return (
    <>
      <p className="caption">{pickLang(page.procedure.nameVi, page.procedure.nameEn, i18n.language)}</p>
      <ErrorSummary errors={summary} />
      <Form method="post" encType="multipart/form-data" noValidate>
        <fieldset className={errors.onBehalf ? "form-group has-error" : "form-group"}>
          <legend>
            <h1>{t("representation.title")}</h1>
          </legend>
          {error("onBehalf")}
          <div className="choice">
            <input type="radio" id="for-self" name="onBehalf" value="self" defaultChecked={values.onBehalf === "self"} />
            <label htmlFor="for-self">{t("representation.self")}</label>
          </div>

          <div className="choice">
            <input type="radio" id="for-child" name="onBehalf" value="child" defaultChecked={values.onBehalf === "child"} disabled={!page.verified} />
            <label htmlFor="for-child">{t("representation.child")}</label>
          </div>
          <div className="conditional">
            {!page.verified ? (
              <p className="hint">
                {t("representation.child_needs_vneid")} <Link to="/account">{t("accounts.contacts_link")}</Link>
              </p>
            ) : page.children.length === 0 ? (
              <p className="hint">{t("representation.no_children")}</p>
            ) : (
              <div className={errors.childCccd ? "form-group has-error" : "form-group"}>
                <label htmlFor="for-child-cccd">{t("representation.choose_child")}</label>
                <p className="hint">{t("representation.child_hint")}</p>
                {error("childCccd")}
                <select id="for-child-cccd" name="childCccd" defaultValue={values.childCccd}>
                  <option value="" />
                  {page.children.map((c) => (
                    <option key={c.cccd} value={c.cccd}>
                      {c.fullName}
                    </option>
                  ))}
                </select>
              </div>
            )}
          </div>

          <div className="choice">
            <input type="radio" id="for-authorised" name="onBehalf" value="authorised" defaultChecked={values.onBehalf === "authorised"} />
            <label htmlFor="for-authorised">{t("representation.authorised")}</label>
          </div>
          <div className="conditional">
            <div className={errors.adultName ? "form-group has-error" : "form-group"}>
              <label htmlFor="for-adult-name">{t("representation.adult_name")}</label>
              {error("adultName")}
              <input type="text" id="for-adult-name" name="adultName" autoComplete="off" defaultValue={values.adultName} />
            </div>
            <div className={errors.adultCccd ? "form-group has-error" : "form-group"}>
              <label htmlFor="for-adult-cccd">{t("representation.adult_cccd")}</label>
              {error("adultCccd")}
              <input type="text" id="for-adult-cccd" name="adultCccd" inputMode="numeric" autoComplete="off" defaultValue={values.adultCccd} />
            </div>
            <div className={errors[AUTHORISATION_FIELD] ? "form-group has-error" : "form-group"}>
              <label htmlFor="for-authorisation">{t("representation.authorisation_doc")}</label>
              <p className="hint">{t("representation.authorisation_hint")}</p>
              {page.authorisation ? <p className="hint">{t("representation.authorisation_on_file", { name: page.authorisation.fileName })}</p> : null}
              {error(AUTHORISATION_FIELD)}
              <input type="file" id="for-authorisation" name={AUTHORISATION_FIELD} accept="application/pdf,image/jpeg,image/png" />
            </div>
          </div>

          <div className="choice">
            <input
              type="radio"
              id="for-business-choice"
              name="onBehalf"
              value="business"
              defaultChecked={values.onBehalf === "business"}
              disabled={page.businesses.length === 0}
            />
            <label htmlFor="for-business-choice">{t("representation.business")}</label>
          </div>
          <div className="conditional">
            {page.businesses.length === 0 ? (
              <p className="hint">{t("representation.no_businesses")}</p>
            ) : (
              <div className={errors.taxCode ? "form-group has-error" : "form-group"}>
                <label htmlFor="for-business">{t("representation.choose_business")}</label>
                {error("taxCode")}
                <select id="for-business" name="taxCode" defaultValue={values.taxCode}>
                  <option value="" />
                  {page.businesses.map((b) => (
                    <option key={b.taxCode} value={b.taxCode}>
                      {b.name} ({b.taxCode})
                    </option>
                  ))}
                </select>
              </div>
            )}
          </div>
        </fieldset>
        <button type="submit" className="button">
          {t("representation.continue")}
        </button>
      </Form>
      <p>
        <Link to={`/procedures/${page.procedure.code}/apply`}>{t("apply.back_to_procedure")}</Link>
      </p>
    </>
  );
}
