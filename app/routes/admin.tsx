import type { LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ADMIN_PERMISSIONS, sectionsFor } from "~/core/auth/admin-sections";
import { requireAnyPermission } from "~/server/auth/guards.server";

/** The administration area's frame. Its guard keeps others out of the whole area; each page still guards its own permission. */
export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireAnyPermission(request, ADMIN_PERMISSIONS);
  return { sections: sectionsFor(admin.role).map((s) => ({ to: s.to, label: s.label })) };
}

type Section = { to: string; label: string };

export default function AdminLayout() {
  const { sections } = useLoaderData<typeof loader>();
  return (
    <>
      <AdminNav sections={sections} />
      <Outlet />
    </>
  );
}

/**
 * An error inside the area (a page not found, a permission one page needs) keeps the area's
 * navigation, when the area's own guard let the user in, and leads back to its overview.
 */
export function ErrorBoundary() {
  const { t } = useTranslation();
  const area = useRouteLoaderData<typeof loader>("routes/admin");
  return (
    <>
      {area ? <AdminNav sections={area.sections} /> : null}
      <GeneralErrorBoundary back={area ? { to: "/admin", label: t("admin.error_back") } : undefined} />
    </>
  );
}

function AdminNav({ sections }: { sections: Section[] }) {
  const { t } = useTranslation();
  return (
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
  );
}
