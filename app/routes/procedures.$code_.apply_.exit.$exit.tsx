import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { WhereToGo } from "~/components/where-to-go";
import { localText } from "~/core/text/local-text";
import { exitPage } from "~/server/dossiers/application.server";
import { requireCitizen } from "~/server/auth/guards.server";
import { found } from "~/server/platform/http.server";
import { getLanguage, getT } from "~/server/platform/i18n.server";
import { pickLang } from "~/utils/format";
import { pageStringsLoader } from "~/utils/page-strings-loader";

/** Reached by a redirect or a link, the page first loads its string groups (decision 019). */
export const clientLoader = pageStringsLoader("routes/procedures.$code_.apply_.exit.$exit");

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title ?? "" }];

/**
 * An answer on the form means the procedure cannot be done online (the form's `exits`, recorded when
 * the citizen pressed "Continue"): why, where to go instead, and the way back to change the answer.
 * The draft is kept.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireCitizen(request);
  const language = await getLanguage(request);
  const page = found(await exitPage({ code: params.code ?? "", exit: params.exit ?? "", language }));
  const t = await getT(request);
  return { ...page, title: t("apply.exit_title") };
}

export default function ApplyExit() {
  const { t, i18n } = useTranslation();
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <p className="caption">{pickLang(d.procedure.nameVi, d.procedure.nameEn, i18n.language)}</p>
      <h1>{t("apply.exit_title")}</h1>
      <p>{localText(d.message, i18n.language)}</p>
      <WhereToGo view={d.oneStop} heading={t("apply.exit_where")} />
      <p>
        <Link to={`/procedures/${d.procedure.code}/apply`}>{t("apply.exit_change")}</Link>
      </p>
    </>
  );
}
