import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { formatNumber } from "~/utils/format";
import { Pagination } from "./pagination";
import { TableScroll } from "./table-scroll";

/**
 * An administration list's results, as every list page shows them: how many were found (a status,
 * read out when a search changes it), the table of the page's rows with its caption and column
 * headings — or a line saying nothing matches — and the pages. `strings` is the page's group of
 * strings, holding `count`, `empty`, `caption` and one heading per column.
 */
export function ListResults({
  strings,
  columns,
  result,
  children,
}: {
  strings: string;
  columns: string[];
  result: { total: number; page: number; pageCount: number; items: readonly unknown[] };
  children: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  return (
    <>
      <p role="status">{t(`${strings}.count`, { count: result.total, formatted: formatNumber(result.total, i18n.language) })}</p>
      {result.items.length === 0 ? (
        <p>{t(`${strings}.empty`)}</p>
      ) : (
        <TableScroll label={t(`${strings}.caption`)}>
          <table>
            <caption>{t(`${strings}.caption`)}</caption>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th scope="col" key={c}>
                    {t(`${strings}.${c}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>{children}</tbody>
          </table>
        </TableScroll>
      )}
      <Pagination page={result.page} pageCount={result.pageCount} />
    </>
  );
}
