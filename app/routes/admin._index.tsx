import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { can } from "~/core/auth/permissions";
import { requireAnyPermission } from "~/server/guards.server";
import { getT } from "~/server/i18n.server";
import { getAgencyName } from "~/server/staff.server";
import { pickLang } from "~/utils/format";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireAnyPermission(request, ["officer:manage", "audit:read", "statistics:read"]);
  const t = await getT(request);
  const agency = admin.agencyPath === "/" || admin.agencyId === null ? null : (getAgencyName({ agencyId: admin.agencyId }) ?? null);
  return { title: t("admin.title"), agency, sections: { users: can(admin.role, "officer:manage"), audit: can(admin.role, "audit:read"), reported: can(admin.role, "statistics:read") } };
}

export default function AdminHome() {
  const { t, i18n } = useTranslation();
  const { agency, sections } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("admin.title")}</h1>
      <p className="lead">{agency ? t("admin.scope_agency", { agency: pickLang(agency.nameVi, agency.nameEn, i18n.language) }) : t("admin.scope_all")}</p>
      <ul className="results">
        {sections.users ? (
          <li>
            <h2>
              <Link to="/admin/users">{t("admin.users_link")}</Link>
            </h2>
            <p className="meta">{t("admin.users_intro")}</p>
          </li>
        ) : null}
        {sections.audit ? (
          <li>
            <h2>
              <Link to="/admin/audit">{t("admin.audit_link")}</Link>
            </h2>
            <p className="meta">{t("admin.audit_intro")}</p>
          </li>
        ) : null}
        {sections.reported ? (
          <li>
            <h2>
              <Link to="/admin/statistics/reported">{t("reported.title")}</Link>
            </h2>
            <p className="meta">{t("reported.intro_link")}</p>
          </li>
        ) : null}
      </ul>
    </>
  );
}
