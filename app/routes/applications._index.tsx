import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { STATUS, statusName } from "~/core/dossiers/status";
import { listOwnDossiers } from "~/server/dossiers/dossiers.server";
import { requireCitizen } from "~/server/auth/guards.server";
import { getT } from "~/server/platform/i18n.server";
import { formatDate, formatDateTime, pickLang } from "~/utils/format";
import { ReceiptCode } from "~/components/receipt-code";
import { pageStringsLoader } from "~/utils/page-strings-loader";

/** Reached by a link, the page first loads its string groups (decision 019). */
export const clientLoader = pageStringsLoader("routes/applications._index");

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireCitizen(request);
  const t = await getT(request);
  const rows = await listOwnDossiers({ applicantId: user.id });
  return {
    title: t("my.title"),
    userId: user.id,
    rows: rows.map((r) => ({ ...r, submittedAt: r.submittedAt?.toISOString() ?? null, updatedAt: r.updatedAt.toISOString() })),
  };
}

export default function MyDossiers() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { rows, userId } = useLoaderData<typeof loader>();
  const drafts = rows.filter((r) => r.status === STATUS.draft);
  const submitted = rows.filter((r) => r.status !== STATUS.draft);
  return (
    <>
      <h1>{t("my.title")}</h1>
      <p>
        {t("accounts.contacts_intro")} <Link to="/account">{t("accounts.contacts_link")}</Link>
      </p>
      <h2>{t("my.submitted")}</h2>
      {submitted.length === 0 ? (
        <p>{t("my.none_submitted")}</p>
      ) : (
        // Stacked rows on a phone (each cell labelled by its column): the status never falls off-screen.
        <table className="stack-table">
          <caption className="visually-hidden">{t("my.submitted")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("receipt.code")}</th>
              <th scope="col">{t("receipt.procedure")}</th>
              <th scope="col">{t("receipt.submitted_at")}</th>
              <th scope="col">{t("receipt.appointment")}</th>
              <th scope="col">{t("receipt.status")}</th>
            </tr>
          </thead>
          <tbody>
            {submitted.map((r) => (
              <tr key={r.receiptCode}>
                <th scope="row" data-label={t("receipt.code")}>
                  <Link to={`/applications/${r.receiptCode}`}>
                    <ReceiptCode code={r.receiptCode ?? ""} />
                  </Link>
                </th>
                <td data-label={t("receipt.procedure")}>
                  {pickLang(r.procedureVi, r.procedureEn, lang)}
                  {/* Filed for someone else, or by someone else for you or your business (decision 036). */}
                  {r.onBehalf !== "self" ? <span className="hint">{` — ${t("representation.filed_for", { name: r.subjectName ?? "" })}`}</span> : null}
                  {r.applicantId !== userId ? <span className="hint">{` — ${t("representation.filed_by", { name: r.filerName ?? "" })}`}</span> : null}
                </td>
                <td data-label={t("receipt.submitted_at")}>{r.submittedAt ? formatDateTime(r.submittedAt, lang) : "—"}</td>
                <td data-label={t("receipt.appointment")}>{r.dueOn ? formatDate(r.dueOn, lang) : "—"}</td>
                <td data-label={t("receipt.status")}>{t(`status.${statusName(r.status)}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t("my.drafts")}</h2>
      {drafts.length === 0 ? (
        <p>{t("my.none_drafts")}</p>
      ) : (
        <ul>
          {drafts.map((r) => (
            <li key={r.procedureCode}>
              <Link to={`/procedures/${r.procedureCode}/apply`}>{t("my.continue_draft", { name: pickLang(r.procedureVi, r.procedureEn, lang) })}</Link> —{" "}
              {t("my.last_saved", { when: formatDateTime(r.updatedAt, lang) })}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
