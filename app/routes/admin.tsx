import type { LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { can } from "~/core/auth/permissions";
import { requireAnyPermission } from "~/server/guards.server";

/** The administration area's frame. Its guard keeps others out of the whole area; each page still guards its own permission. */
export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireAnyPermission(request, ["officer:manage", "audit:read", "statistics:read"]);
  return { sections: { users: can(admin.role, "officer:manage"), audit: can(admin.role, "audit:read"), reported: can(admin.role, "statistics:read") } };
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
          {sections.users ? (
            <li>
              <NavLink to="/admin/users">{t("admin.users_link")}</NavLink>
            </li>
          ) : null}
          {sections.audit ? (
            <li>
              <NavLink to="/admin/audit">{t("admin.audit_link")}</NavLink>
            </li>
          ) : null}
          {sections.reported ? (
            <li>
              <NavLink to="/admin/statistics/reported">{t("reported.nav_link")}</NavLink>
            </li>
          ) : null}
        </ul>
      </nav>
      <Outlet />
    </>
  );
}
