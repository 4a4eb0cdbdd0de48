import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/**
 * The one error boundary: a page per status, in the visitor's language. The
 * thrown Response's body is never shown (it may be a developer's message).
 * A section (/officer, /admin) shows it inside its own frame, with a way back into the section.
 */
export function GeneralErrorBoundary({ back }: { back?: { to: string; label: string } }) {
  const error = useRouteError();
  const { t } = useTranslation();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const key = errorKey(error);
  if (status >= 500 && typeof document !== "undefined") console.error(error);
  return (
    <div className="error-page">
      <h1>{t(`errors.${key}_title`)}</h1>
      <p>{t(`errors.${key}_body`)}</p>
      <p>{back ? <Link to={back.to}>{back.label}</Link> : <Link to="/">{t("errors.back_home")}</Link>}</p>
    </div>
  );
}

/** Which message an error gets (keys under `errors.`): the page's text and, in root's meta, its title. */
export function errorKey(error: unknown): string {
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return status === 404
    ? "not_found"
    : status === 403
      ? "forbidden"
      : status === 401
        ? "unauthorized"
        : status >= 400 && status < 500
          ? "bad_request"
          : "server_error";
}
