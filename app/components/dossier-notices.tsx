import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatDate } from "~/utils/format";

export type NoticeData = {
  supplement: { message: string; items: string[] } | null;
  apology: { newDate: string; message: string } | null;
  dueOn: string | null;
};

/**
 * What the agency has asked of or said to the citizen: an open supplement request (with the way to
 * answer it when `answerHref` is given) and an apology with its new date. Shown on the citizen's
 * dossier page and on the public tracking page.
 */
export function DossierNotices({ notices, answerHref }: { notices: NoticeData; answerHref?: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <>
      {notices.supplement ? (
        <section className="panel panel--notice" aria-labelledby="supplement-notice">
          <h2 id="supplement-notice">{t("supplement.requested")}</h2>
          <p>{t("supplement.requested_body")}</p>
          <p>
            <strong>{t("supplement.message")}:</strong> {notices.supplement.message}
          </p>
          <p>{t("supplement.items", { items: notices.supplement.items.join("; ") })}</p>
          {answerHref ? (
            <p>
              <Link className="button" to={answerHref}>
                {t("supplement.start")}
              </Link>
            </p>
          ) : null}
        </section>
      ) : null}
      {notices.apology ? (
        <section className="panel panel--notice" aria-labelledby="apology-notice">
          <h2 id="apology-notice">{t("apology.title")}</h2>
          <p>{t("apology.body", { date: formatDate(notices.apology.newDate, lang) })}</p>
          <p>{notices.apology.message}</p>
          {notices.dueOn ? <p className="meta">{t("apology.original", { date: formatDate(notices.dueOn, lang) })}</p> : null}
        </section>
      ) : null}
    </>
  );
}
