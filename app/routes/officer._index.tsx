import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { statusName } from "~/core/dossiers/status";
import { requireOfficer } from "~/server/guards.server";
import { getT } from "~/server/i18n.server";
import { listAgencyDossiers } from "~/server/officer.server";
import { formatDate, formatDateTime, pickLang } from "~/utils/format";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }];

/** The officer's queue (minimal here; the officer-workspace issue adds filters, search and deadlines). */
export async function loader({ request }: LoaderFunctionArgs) {
  const officer = await requireOfficer(request);
  const t = await getT(request);
  const rows = listAgencyDossiers({ agencyPath: officer.agencyPath }).map((r) => ({ ...r, submittedAt: r.submittedAt?.toISOString() ?? null }));
  return { title: t("officer.queue_title"), rows };
}

export default function OfficerQueue() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { rows } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("officer.queue_title")}</h1>
      {rows.length === 0 ? (
        <p>{t("officer.queue_empty")}</p>
      ) : (
        <table>
          <caption className="visually-hidden">{t("officer.queue_title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("receipt.code")}</th>
              <th scope="col">{t("receipt.procedure")}</th>
              <th scope="col">{t("receipt.applicant")}</th>
              <th scope="col">{t("receipt.submitted_at")}</th>
              <th scope="col">{t("receipt.appointment")}</th>
              <th scope="col">{t("receipt.status")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.receiptCode}>
                <td>
                  <Link to={`/officer/dossiers/${r.receiptCode}`}>{r.receiptCode}</Link>
                </td>
                <td>{pickLang(r.procedureVi, r.procedureEn, lang)}</td>
                <td>{r.applicantName ?? "—"}</td>
                <td>{r.submittedAt ? formatDateTime(r.submittedAt, lang) : "—"}</td>
                <td>{r.dueOn ? formatDate(r.dueOn, lang) : "—"}</td>
                <td>{t(`status.${statusName(r.status)}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
