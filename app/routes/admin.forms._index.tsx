import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ListResults } from "~/components/list-results";
import { requirePermission } from "~/server/auth/guards.server";
import { FormsQuerySchema, listScopeForms } from "~/server/forms/form-drafts.server";
import { getT } from "~/server/platform/i18n.server";
import { formatDateTime, pickLang } from "~/utils/format";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }];

/** The procedures of the administrator's agencies with the state of their online forms (issue 16, the form builder). */
export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, "procedure:manage");
  const query = FormsQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const t = await getT(request);
  return { title: t("form_admin.list.title"), query, result: await listScopeForms({ agencyPath: admin.agencyPath, query }) };
}

export default function AdminForms() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { query, result } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("form_admin.list.title")}</h1>
      <p>{t("form_admin.intro")}</p>
      <Form method="get" className="filters" role="search" aria-label={t("form_admin.list.filters")}>
        <div className="form-group">
          <label htmlFor="filter-q">{t("form_admin.list.search")}</label>
          <span id="filter-q-hint" className="hint">
            {t("form_admin.list.search_hint")}
          </span>
          <input id="filter-q" type="search" name="q" defaultValue={query.q ?? ""} maxLength={100} aria-describedby="filter-q-hint" />
        </div>
        <div>
          <button type="submit" className="button">
            {t("form_admin.list.apply_filters")}
          </button>
        </div>
      </Form>

      <ListResults strings="form_admin.list" columns={["code", "name", "agency", "published", "draft", "actions"]} result={result}>
        {result.items.map((p) => (
          <tr key={p.code}>
            <td>{p.code}</td>
            <th scope="row">{pickLang(p.nameVi, p.nameEn, lang)}</th>
            <td>{pickLang(p.agencyVi, p.agencyEn, lang)}</td>
            <td>{p.publishedVersion === null ? t("form_admin.list.not_published") : t("form_admin.list.version_n", { version: p.publishedVersion })}</td>
            <td>{p.draftUpdatedAt === null ? t("form_admin.list.no_draft") : t("form_admin.list.draft_at", { at: formatDateTime(p.draftUpdatedAt, lang) })}</td>
            <td>
              <Link to={`/admin/forms/${encodeURIComponent(p.code)}`}>
                {p.draftUpdatedAt === null ? t("form_admin.list.open") : t("form_admin.list.continue")}
                <span className="visually-hidden"> {t("form_admin.list.form_of", { code: p.code })}</span>
              </Link>
            </td>
          </tr>
        ))}
      </ListResults>
    </>
  );
}
