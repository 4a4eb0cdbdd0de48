import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LEVELS } from "~/core/catalog/levels";
import { requirePermission } from "~/server/auth/guards.server";
import { getT } from "~/server/platform/i18n.server";
import { listScopeProcedures, ProcedureAdminQuerySchema } from "~/server/catalog/procedure-admin.server";
import { formatDong, pickLang } from "~/utils/format";
import { ListResults } from "~/components/list-results";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }];

/** The procedures of the agencies in the administrator's scope (a system administrator: all). */
export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, "procedure:manage");
  const query = ProcedureAdminQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const t = await getT(request);
  return { title: t("proc_admin.list.title"), query, result: await listScopeProcedures({ agencyPath: admin.agencyPath, query }) };
}

export default function AdminProcedures() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { query, result } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("proc_admin.list.title")}</h1>
      <p>{t("proc_admin.intro")}</p>
      <Form method="get" className="filters" role="search" aria-label={t("proc_admin.list.filters")}>
        <div className="form-group">
          <label htmlFor="filter-level">{t("proc_admin.list.level")}</label>
          <select id="filter-level" name="level" defaultValue={query.level ? String(query.level) : ""}>
            <option value="">{t("proc_admin.list.all_levels")}</option>
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {t("proc_admin.list.level_n", { level: l })}
              </option>
            ))}
          </select>
        </div>
        <div className="form-group">
          <label htmlFor="filter-q">{t("proc_admin.list.search")}</label>
          <span id="filter-q-hint" className="hint">
            {t("proc_admin.list.search_hint")}
          </span>
          <input id="filter-q" type="search" name="q" defaultValue={query.q ?? ""} maxLength={100} aria-describedby="filter-q-hint" />
        </div>
        <div>
          <button type="submit" className="button">
            {t("proc_admin.list.apply_filters")}
          </button>
        </div>
      </Form>

      <ListResults strings="proc_admin.list" columns={["code", "name", "agency", "level", "processing_days", "fee", "delivery", "actions"]} result={result}>
        {result.items.map((p) => (
          <tr key={p.code}>
            <td>{p.code}</td>
            <th scope="row">{pickLang(p.nameVi, p.nameEn, lang)}</th>
            <td>{pickLang(p.agencyVi, p.agencyEn, lang)}</td>
            <td>
              {t("proc_admin.list.level_n", { level: p.level })}
              {p.onlineService ? (
                <>
                  <br />
                  <span className="hint">{t(`levels.service_${p.onlineService}`)}</span>
                </>
              ) : null}
            </td>
            <td>{t("proc_admin.list.days", { count: p.processingDays })}</td>
            <td>{formatDong(p.feeVnd, lang)}</td>
            <td>{p.deliveryModes.map((m) => t(`proc_admin.delivery_short.${m}`)).join(", ")}</td>
            <td>
              <Link to={`/admin/procedures/${encodeURIComponent(p.code)}`}>
                {t("proc_admin.list.edit")}
                <span className="visually-hidden"> {t("proc_admin.list.edit_of", { code: p.code })}</span>
              </Link>
            </td>
          </tr>
        ))}
      </ListResults>
    </>
  );
}
