import type { LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ADMIN_PERMISSIONS, sectionsFor } from "~/core/auth/admin-sections";
import { requireAnyPermission } from "~/server/guards.server";

/** The administration area's frame. Its guard keeps others out of the whole area; each page still guards its own permission. */
export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireAnyPermission(request, ADMIN_PERMISSIONS);
  return { sections: sectionsFor(admin.role).map((s) => ({ to: s.to, label: s.label })) };
}

export default function AdminLayout() {
  const { t } = useTranslation();
  const { sections } = useLoaderData<typeof loader>();
  return (
    <>
      <nav aria-label={t("admin.nav_label")} className="sub-nav">
        <ul>
          <li>
            <NavLink to="/admin" end>
              {t("admin.home")}
            </NavLink>
          </li>
          {sections.map((s) => (
            <li key={s.to}>
              <NavLink to={s.to} end>
                {t(s.label)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </>
  );
}
