import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Pagination } from "~/components/pagination";
import { ProcedureList } from "~/components/procedure-list";
import { catalogFilterOptions, CatalogQuerySchema, listProcedures, type CatalogQuery } from "~/server/catalog/catalog.server";
import { getLanguage, getTFor } from "~/server/platform/i18n.server";
import { formatNumber } from "~/utils/format";
import { pageStringsLoader } from "~/utils/page-strings-loader";

/** A visitor's page is kept and sent again until the catalog changes (server/catalog/page-cache.server.ts). */
export const handle = { pageCache: true };

/** Reached by a link, the page first loads its string groups (decision 019). */
export const clientLoader = pageStringsLoader("routes/procedures._index");

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const query = CatalogQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const language = await getLanguage(request);
  const t = await getTFor(language);
  // The page is named by the search it shows, in the tab and the history as in its heading.
  const title = query.q ? t("catalog.results_title", { q: query.q }) : t("catalog.title");
  return { title, query, result: await listProcedures(query), ...(await catalogFilterOptions(language)) };
}

/** The catalog with the same filters and another search, from its first page (the "did you mean" link). */
function searchHref(query: CatalogQuery, q: string): string {
  const params = new URLSearchParams({ q });
  if (query.agency) params.set("agency", query.agency);
  if (query.field) params.set("field", query.field);
  if (query.level) params.set("level", String(query.level));
  return `/procedures?${params}`;
}

export default function Catalog() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { title, query, result, agencies, fields } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="search-heading">{title}</h1>
      <Form method="get" className="filters" role="search" aria-label={t("catalog.filters")}>
        <div className="form-group">
          <label htmlFor="q">{t("catalog.search_label")}</label>
          {/* Keyed by the query so a client-side navigation (the "did you mean" link) shows the new words. */}
          <input id="q" key={query.q ?? ""} type="search" name="q" defaultValue={query.q ?? ""} />
        </div>
        <div className="form-group">
          <label htmlFor="agency">{t("catalog.agency")}</label>
          <select id="agency" name="agency" defaultValue={query.agency ?? ""}>
            <option value="">{t("catalog.all_agencies")}</option>
            {agencies.map((a) => (
              <option key={a.code} value={a.code}>
                {"\u2003".repeat(a.depth)}
                {a.name}
              </option>
            ))}
          </select>
        </div>
        <div className="form-group">
          <label htmlFor="field">{t("catalog.field")}</label>
          <select id="field" name="field" defaultValue={query.field ?? ""}>
            <option value="">{t("catalog.all_fields")}</option>
            {fields.map((f) => (
              <option key={f.code} value={f.code}>
                {f.name}
              </option>
            ))}
          </select>
        </div>
        <div className="form-group">
          <label htmlFor="level">{t("catalog.level")}</label>
          <select id="level" name="level" defaultValue={query.level ? String(query.level) : ""}>
            <option value="">{t("catalog.all_levels")}</option>
            {[1, 2, 3, 4].map((l) => (
              <option key={l} value={l}>
                {t(`levels.l${l}_name`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <button type="submit" className="button">
            {t("catalog.apply_filters")}
          </button>
        </div>
      </Form>
      {result.correction ? (
        <div role="status" className="notice did-you-mean">
          <p>
            {t("catalog.no_match_for", { q: query.q })} {t("catalog.did_you_mean")} <Link to={searchHref(query, result.correction)}>{result.correction}</Link>?
          </p>
          <p>{t("catalog.showing_for", { count: result.total, formatted: formatNumber(result.total, lang), q: result.correction })}</p>
        </div>
      ) : (
        <p role="status">{t("catalog.result_count", { count: result.total, formatted: formatNumber(result.total, lang) })}</p>
      )}
      {result.items.length === 0 ? <p>{t("catalog.no_results")}</p> : <ProcedureList items={result.items} />}
      <Pagination page={result.page} pageCount={result.pageCount} />
    </>
  );
}
