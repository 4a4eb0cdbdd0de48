import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ReceiptCode } from "~/components/receipt-code";
import { requireCitizen } from "~/server/auth/guards.server";
import { listOwnDocuments } from "~/server/data-store/data-store.server";
import { getT } from "~/server/platform/i18n.server";
import { formatDateTime, pickLang } from "~/utils/format";
import { pageStringsLoader } from "~/utils/page-strings-loader";

/** Reached by a link, the page first loads its string groups (decision 019). */
export const clientLoader = pageStringsLoader("routes/account.documents");

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title ?? "" }];

/**
 * The citizen's data store: results issued to them and files they sent with earlier dossiers, each
 * downloaded through its own guarded route (the owner only; anyone else gets a 404).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireCitizen(request);
  const t = await getT(request);
  const documents = await listOwnDocuments({ applicantId: user.id });
  return {
    title: t("data_store.title"),
    documents: documents.map((d) => ({ ...d, date: d.date.toISOString() })),
  };
}

export default function AccountDocuments() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { documents } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("data_store.heading")}</h1>
      <p>{t("data_store.intro")}</p>
      {documents.length === 0 ? (
        <p>{t("data_store.empty")}</p>
      ) : (
        <table className="stack-table">
          <caption className="visually-hidden">{t("data_store.heading")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("data_store.col_name")}</th>
              <th scope="col">{t("data_store.col_kind")}</th>
              <th scope="col">{t("data_store.col_date")}</th>
              <th scope="col">{t("data_store.col_dossier")}</th>
              <th scope="col">{t("data_store.col_procedure")}</th>
            </tr>
          </thead>
          <tbody>
            {documents.map((d) => (
              <tr key={d.ref}>
                <th scope="row" data-label={t("data_store.col_name")}>
                  {/* A download, not a page: a plain link (the route answers with the file). */}
                  <a href={d.href} download aria-label={t("data_store.download", { name: d.fileName })}>
                    {d.fileName}
                  </a>
                </th>
                <td data-label={t("data_store.col_kind")}>{t(`data_store.kind_${d.source}`)}</td>
                <td data-label={t("data_store.col_date")}>{formatDateTime(d.date, lang)}</td>
                <td data-label={t("data_store.col_dossier")}>
                  <Link to={`/applications/${d.receiptCode}`}>
                    <ReceiptCode code={d.receiptCode} />
                  </Link>
                </td>
                <td data-label={t("data_store.col_procedure")}>{pickLang(d.procedure.nameVi, d.procedure.nameEn, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <Link to="/account">{t("accounts.title")}</Link>
      </p>
    </>
  );
}
