import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ProcedureList } from "~/components/procedure-list";
import { listProcedures } from "~/server/catalog/catalog.server";
import { getT } from "~/server/platform/i18n.server";
import { pageStringsLoader } from "~/utils/page-strings-loader";

/** A visitor's page is kept and sent again until the catalog changes (server/catalog/page-cache.server.ts). */
export const handle = { pageCache: true };

/** Reached by a link, the page first loads its string groups (decision 019). */
export const clientLoader = pageStringsLoader("routes/_index");

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }, { name: "description", content: data?.description ?? "" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const t = await getT(request);
  // The newest level-4 services first: the ones a citizen can finish entirely online.
  const featured = (await listProcedures({ level: 4, page: 1 })).items.slice(0, 6);
  return { title: t("home.title"), description: t("home.lead"), featured };
}

export default function Home() {
  const { t } = useTranslation();
  const { featured } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("home.title")}</h1>
      <p className="lead">{t("home.lead")}</p>
      <Form method="get" action="/procedures" role="search" aria-label={t("home.search_label")}>
        <label htmlFor="home-q">{t("home.search_label")}</label>
        <span className="hint" id="home-q-hint">
          {t("home.search_hint")}
        </span>
        <div className="search-bar">
          <input id="home-q" type="search" name="q" aria-describedby="home-q-hint" />
          <button type="submit" className="button">
            {t("home.search_button")}
          </button>
        </div>
      </Form>
      <h2>{t("home.levels_title")}</h2>
      <ul>
        {[1, 2, 3, 4].map((level) => (
          <li key={level}>
            <Link to={`/procedures?level=${level}`}>{t(`levels.l${level}_name`)}</Link>: {t(`levels.l${level}_desc`)}
          </li>
        ))}
      </ul>
      <h2>{t("home.featured_title")}</h2>
      <ProcedureList items={featured} headingLevel={3} />
      <p>
        <Link to="/procedures">{t("home.all_procedures")}</Link> · <Link to="/track">{t("home.track_link")}</Link>
      </p>
    </>
  );
}
