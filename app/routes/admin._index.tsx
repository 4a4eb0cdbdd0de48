import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ADMIN_PERMISSIONS, sectionsFor } from "~/core/auth/admin-sections";
import { requireAnyPermission } from "~/server/auth/guards.server";
import { getT } from "~/server/platform/i18n.server";
import { getAgencyName } from "~/server/staff/staff.server";
import { pickLang } from "~/utils/format";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireAnyPermission(request, ADMIN_PERMISSIONS);
  const t = await getT(request);
  const agency = admin.agencyPath === "/" || admin.agencyId === null ? null : ((await getAgencyName({ agencyId: admin.agencyId })) ?? null);
  return { title: t("admin.title"), agency, sections: sectionsFor(admin.role).map((s) => ({ to: s.to, label: s.label, intro: s.intro })) };
}

export default function AdminHome() {
  const { t, i18n } = useTranslation();
  const { agency, sections } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("admin.title")}</h1>
      <p className="lead">{agency ? t("admin.scope_agency", { agency: pickLang(agency.nameVi, agency.nameEn, i18n.language) }) : t("admin.scope_all")}</p>
      <ul className="results">
        {sections.map((s) => (
          <li key={s.to}>
            <h2>
              <Link to={s.to}>{t(s.label)}</Link>
            </h2>
            <p className="meta">{t(s.intro)}</p>
          </li>
        ))}
      </ul>
    </>
  );
}
