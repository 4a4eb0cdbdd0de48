import { Link, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** Previous/next links that keep the page's other query parameters (plain links: work without JavaScript). */
export function Pagination({ page, pageCount }: { page: number; pageCount: number }) {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  // Past the last page (a bookmarked link after records went away) still offers the way back.
  if (pageCount <= 1 && page <= 1) return null;
  const pages = Math.max(pageCount, 1);
  const pageLink = (n: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(n));
    next.delete("notice");
    return `?${next}`;
  };
  return (
    <nav aria-label={t("catalog.pagination")}>
      <ul className="pagination">
        {page > 1 ? (
          <li>
            <Link to={pageLink(Math.min(page - 1, pages))}>{t("catalog.previous")}</Link>
          </li>
        ) : null}
        <li aria-current="page">{t("catalog.page_of", { page, pages })}</li>
        {page < pageCount ? (
          <li>
            <Link to={pageLink(page + 1)}>{t("catalog.next")}</Link>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}
