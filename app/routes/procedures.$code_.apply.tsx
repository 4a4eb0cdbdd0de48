import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ApplicationForm } from "~/components/application-form";
import { ErrorSummary } from "~/components/error-summary";
import { openApplication, postApplication, todayInVietnam, verifiedFormMark } from "~/server/dossiers/application.server";
import { requireCitizen } from "~/server/auth/guards.server";
import { forWhomText } from "~/server/dossiers/for-whom.server";
import { getLanguage, getT } from "~/server/platform/i18n.server";
import { readForm } from "~/server/platform/upload.server";
import { pickLang } from "~/utils/format";
import { pageStringsLoader } from "~/utils/page-strings-loader";
import { found } from "~/server/platform/http.server";
import { documentPickers, listOwnDocuments } from "~/server/data-store/data-store.server";
import { documentPickersHtml } from "~/server/data-store/document-picker.server";

/** Reached by a link, the page first loads its string groups (decision 019). */
export const clientLoader = pageStringsLoader("routes/procedures.$code_.apply");

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title ?? "" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireCitizen(request);
  const language = await getLanguage(request);
  const t = await getT(request);
  const app = found(await openApplication({ user, code: params.code ?? "", language }));
  const p = app.procedure.procedure;
  // The data store's documents each file field could take instead of an upload (made and worded here: no client code).
  const pickers = documentPickersHtml(
    documentPickers({
      definition: app.procedure.form.definition,
      hidden: new Set(app.visibility?.hidden ?? []),
      documents: await listOwnDocuments({ applicantId: user.id }),
      language,
      t,
    }),
  );
  return {
    pickers,
    title: t("apply.title", { name: pickLang(p.nameVi, p.nameEn, language) }),
    procedure: { code: p.code, nameVi: p.nameVi, nameEn: p.nameEn },
    definition: app.procedure.form.definition,
    values: app.values,
    visibility: app.visibility,
    prefilled: app.prefilled,
    verified: app.verified,
    verifiedMark: app.verified.length > 0 ? await verifiedFormMark(language) : "",
    attachments: app.attachments,
    formChanged: app.formChanged,
    forWhom: forWhomText(t, app.draft),
    today: todayInVietnam(),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireCitizen(request);
  const language = await getLanguage(request);
  const code = params.code ?? "";
  const parsed = await readForm(request);
  if ("error" in parsed) return data({ errors: { _form: `form.errors.${parsed.error}` }, values: null }, { status: parsed.error === "too_large" ? 413 : 400 });
  const outcome = found(await postApplication({ user, code, language, form: parsed.form, oversized: parsed.oversized }));
  switch (outcome.kind) {
    case "saved":
      // Files refused while saving are said on the form, beside "Draft saved"; everything else was kept.
      if (Object.keys(outcome.refusedFiles).length > 0)
        return data({ errors: outcome.refusedFiles, values: outcome.values, visibility: outcome.visibility, saved: true }, { status: 400 });
      return redirect(`/procedures/${code}/apply?saved=1`);
    case "removed":
      return redirect(`/procedures/${code}/apply`);
    case "reused":
      return redirect(`/procedures/${code}/apply#f-${outcome.field}`);
    case "rows":
      // Back to the form at the row added (or after the one removed).
      return redirect(`/procedures/${code}/apply#${outcome.focus}`);
    case "valid":
      return redirect(`/procedures/${code}/apply/check`);
    case "exit":
      return redirect(`/procedures/${code}/apply/exit/${outcome.exit}`);
    case "invalid":
      return data({ errors: outcome.errors, values: outcome.values, visibility: outcome.visibility }, { status: 400 });
  }
}

export default function Apply() {
  const { t, i18n } = useTranslation();
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const errors: Record<string, string> = result?.errors ?? {};
  const formError = errors._form;
  // "Draft saved" answers the last post only: a later "Continue" that finds errors is not a save.
  const saved = result ? "saved" in result && result.saved : params.get("saved") === "1";
  return (
    <>
      <p className="caption">{pickLang(loaded.procedure.nameVi, loaded.procedure.nameEn, i18n.language)}</p>
      <h1>{t("apply.heading")}</h1>
      {loaded.formChanged ? <p className="notice">{t("apply.form_changed")}</p> : null}
      {formError ? <ErrorSummary errors={[{ message: t(formError) }]} /> : null}
      <p>{t("apply.intro")}</p>
      {/* Whom the draft is for, and the way to change it (decision 036); the words come translated by the loader. */}
      <dl className="summary-list">
        <div>
          <dt>{loaded.forWhom.label}</dt>
          <dd>{loaded.forWhom.value}</dd>
          <dd>
            <Link to={`/procedures/${loaded.procedure.code}/apply/for`}>{loaded.forWhom.change}</Link>
          </dd>
        </div>
      </dl>
      <ApplicationForm
        definition={loaded.definition}
        today={loaded.today}
        values={result?.values ?? loaded.values}
        visibility={result && "visibility" in result ? result.visibility : loaded.visibility}
        // A value changed since it was filled in is no longer marked as the account's; a verified one cannot change.
        marks={Object.fromEntries([
          ...(result ? [] : loaded.prefilled).map((name) => [name, t("form.prefilled")]),
          ...loaded.verified.map((name) => [name, loaded.verifiedMark]),
        ])}
        locked={loaded.verified}
        serverErrors={errors}
        attachments={loaded.attachments}
        savedNotice={saved ? t("apply.draft_saved") : undefined}
        // Made on the server (document-picker.server.tsx): no client code for the picker.
        extra={loaded.pickers ? <div dangerouslySetInnerHTML={{ __html: loaded.pickers }} /> : null}
      />
      <p>
        <Link to={`/procedures/${loaded.procedure.code}`}>{t("apply.back_to_procedure")}</Link>
      </p>
    </>
  );
}
