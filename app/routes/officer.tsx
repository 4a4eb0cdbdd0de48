import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { OFFICER_PERMISSIONS } from "~/core/auth/workspace";
import { requireAnyPermission } from "~/server/auth/guards.server";

/** The officers' area: its guard keeps others out of the whole area; each page still guards its own permission. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnyPermission(request, OFFICER_PERMISSIONS);
  return { inArea: true };
}

export default function OfficerArea() {
  return <Outlet />;
}

/** An error inside the area (a dossier not found, another agency's) leads back to the queue, not to the citizens' home page. */
export function ErrorBoundary() {
  const { t } = useTranslation();
  const area = useRouteLoaderData<typeof loader>("routes/officer");
  return <GeneralErrorBoundary back={area ? { to: "/officer", label: t("officer.error_back") } : undefined} />;
}
