import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary, type SummaryError } from "~/components/error-summary";
import { Problems, say, useAnswer, type Loaded } from "~/components/form-builder/controls";
import { FieldView } from "~/components/form-builder/field-editor";
import { Overview } from "~/components/form-builder/overview";
import { DiscardView, ExitView, SectionView } from "~/components/form-builder/views";
import { requirePermission } from "~/server/auth/guards.server";
import { builderPage } from "~/server/forms/builder-page.server";
import { editFormDraft, type BuilderAnswer } from "~/server/forms/builder-edit.server";
import { notFound } from "~/server/platform/http.server";
import { getT } from "~/server/platform/i18n.server";
import { requireFormData } from "~/server/platform/upload.server";
import { pickLang } from "~/utils/format";

/**
 * The form builder (issue 16): a procedure's form draft, edited with plain forms that post an
 * `intent` (so every essential edit works without JavaScript), previewed as a citizen sees it, and
 * published once the definition checker finds nothing wrong. One page with five views: the whole
 * form, a section (`?section=`), a field (`?field=0.2`, a group's field `0.2.1`), an exit (`?exit=`)
 * and the confirmation before discarding the draft (`?confirm=discard`). The views are in
 * components/form-builder/, the posts are read and applied by server/forms/builder-edit.server.ts.
 */
export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title ?? "" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, "procedure:manage");
  const page = await builderPage({ agencyPath: admin.agencyPath, code: params.code ?? "", search: new URL(request.url).searchParams });
  if (!page) notFound();
  const t = await getT(request);
  return { ...page, title: t("form_admin.edit.title", { code: page.procedure.code }) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "procedure:manage");
  const code = params.code ?? "";
  const outcome = await editFormDraft({ manager: admin, code, form: await requireFormData(request) });
  const here = `/admin/forms/${encodeURIComponent(code)}`;
  const answer = (body: BuilderAnswer, status: number) => data(body, { status });
  switch (outcome.kind) {
    case "not_found":
      return notFound();
    case "saved":
      return redirect(`${here}?${outcome.view ? `${outcome.view}&` : ""}notice=saved`);
    case "published":
      return redirect(`${here}?notice=published`);
    case "discarded":
      return redirect(`${here}?notice=discarded`);
    case "invalid":
      return answer({ errors: outcome.errors, values: outcome.values, problems: null }, 400);
    case "problems":
      return answer({ errors: { _form: "form_admin.errors.not_publishable" }, values: null, problems: outcome.problems }, 400);
    case "stale":
      return answer({ errors: { _form: "form_admin.errors.stale" }, values: null, problems: null }, 409);
  }
}

export default function FormBuilder() {
  const { t, i18n } = useTranslation();
  const loaded = useLoaderData<typeof loader>();
  const { errors, problems } = useAnswer();
  const p = loaded.procedure;
  const summary: SummaryError[] = Object.entries(errors).map(([id, m]) => ({ ...(id === "_form" ? {} : { fieldId: id }), message: say(t, m) ?? "" }));
  return (
    <>
      <p className="caption">{t("form_admin.edit.title", { code: p.code })}</p>
      <h1>{pickLang(p.nameVi, p.nameEn, i18n.language)}</h1>
      {loaded.notice ? (
        <p className="notice" role="status">
          {t(`form_admin.notice.${loaded.notice}`)}
        </p>
      ) : null}
      <ErrorSummary errors={summary} />
      {problems ? <Problems problems={problems} title={t("form_admin.publish.refused")} /> : null}
      {loaded.draft === null ? <NoDraft loaded={loaded} /> : <DraftViews loaded={loaded} />}
    </>
  );
}

function NoDraft({ loaded }: { loaded: Loaded }) {
  const { t } = useTranslation();
  return (
    <>
      <p>{loaded.published ? t("form_admin.edit.published_version", { version: loaded.published.version }) : t("form_admin.edit.no_published")}</p>
      <Form method="post">
        <p>{loaded.published ? t("form_admin.edit.start_from_published") : t("form_admin.edit.start_empty")}</p>
        <button type="submit" name="intent" value="start" className="button">
          {t("form_admin.edit.start")}
        </button>
      </Form>
      <p>
        <Link to="/admin/forms">{t("form_admin.edit.back_to_list")}</Link>
      </p>
    </>
  );
}

function DraftViews({ loaded }: { loaded: Loaded }) {
  const view = loaded.view;
  if (view.kind === "field") return <FieldView loaded={loaded} view={view.field} />;
  if (view.kind === "section") return <SectionView loaded={loaded} view={view.section} />;
  if (view.kind === "exit") return <ExitView loaded={loaded} view={view.exit} />;
  if (view.kind === "discard") return <DiscardView loaded={loaded} />;
  return <Overview loaded={loaded} />;
}
