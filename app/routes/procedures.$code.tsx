import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { isbot } from "isbot";
import { useTranslation } from "react-i18next";
import { SummaryList } from "~/components/summary-list";
import { LevelTag } from "~/components/procedure-list";
import { levelAllows } from "~/core/catalog/levels";
import { localText } from "~/core/text/local-text";
import { getProcedure } from "~/server/catalog.server";
import { recordProcedureView } from "~/server/dossiers.server";
import { notFound } from "~/server/guards.server";
import { getLanguage } from "~/server/i18n.server";
import { formatVnd, pickLang } from "~/utils/format";

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }, { name: "description", content: data.description }] : []);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const procedure = getProcedure(params.code ?? "");
  if (!procedure) notFound();
  const language = await getLanguage(request);
  // Visits count people, not crawlers; no personal data is recorded with a view.
  if (!isbot(request.headers.get("user-agent") ?? "")) {
    recordProcedureView({ procedureId: procedure.procedure.id, agencyId: procedure.procedure.agencyId, language });
  }
  const { procedure: p, agency, field, details } = procedure;
  return {
    title: pickLang(p.nameVi, p.nameEn, language),
    description: localText(details.summary, language),
    procedure: { code: p.code, nameVi: p.nameVi, nameEn: p.nameEn, level: p.level, feeVnd: p.feeVnd, processingDays: p.processingDays, deliveryModes: p.deliveryModes },
    agency: { nameVi: agency.nameVi, nameEn: agency.nameEn },
    field: { nameVi: field.nameVi, nameEn: field.nameEn },
    details,
  };
}

export default function ProcedurePage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { procedure: p, agency, field, details } = useLoaderData<typeof loader>();
  const allows = levelAllows(p.level);
  const missingEnglish = lang === "en" && !p.nameEn;
  return (
    <>
      <p className="caption">
        {t("procedure.code")}: {p.code}
      </p>
      <h1 lang={missingEnglish ? "vi" : undefined}>{pickLang(p.nameVi, p.nameEn, lang)}</h1>
      {missingEnglish ? <p className="notice">{t("procedure.no_english")}</p> : null}
      <p>
        <LevelTag level={p.level} /> {t(`levels.l${p.level}_desc`)}
      </p>
      {allows.applyOnline ? (
        <p>
          <Link to={`/procedures/${p.code}/apply`} className="button">
            {t("procedure.apply_online")}
          </Link>
        </p>
      ) : (
        <p className="notice">{t("procedure.apply_in_person")}</p>
      )}
      <SummaryList
        rows={[
          { label: t("procedure.agency"), value: pickLang(agency.nameVi, agency.nameEn, lang) },
          { label: t("procedure.field"), value: pickLang(field.nameVi, field.nameEn, lang) },
          { label: t("procedure.processing_time"), value: t("catalog.processing_days", { count: p.processingDays }) },
          { label: t("procedure.fee"), value: `${p.feeVnd === 0 ? t("catalog.free") : formatVnd(p.feeVnd, lang)}${details.feeNote ? ` (${localText(details.feeNote, lang)})` : ""}` },
          { label: t("procedure.result"), value: localText(details.result, lang) },
          { label: t("procedure.delivery"), value: p.deliveryModes.map((m) => t(`delivery.${m}`)).join(", ") },
        ]}
      />
      <h2>{t("procedure.summary")}</h2>
      <p>{localText(details.summary, lang)}</p>
      <h2>{t("procedure.applicants")}</h2>
      <p>{localText(details.applicants, lang)}</p>
      <h2>{t("procedure.documents")}</h2>
      <ol>
        {details.documents.map((d, i) => (
          <li key={i}>
            {localText(d.name, lang)} — {t(d.original ? "procedure.original" : "procedure.copies", { count: d.copies })}
          </li>
        ))}
      </ol>
      {allows.templates && details.templates.length > 0 ? (
        <>
          <h2>{t("procedure.templates")}</h2>
          <ul>
            {details.templates.map((tpl) => (
              <li key={tpl.slug}>
                <a href={`/procedures/${p.code}/templates/${tpl.slug}`} download>
                  {t("procedure.download_template", { title: localText(tpl.title, lang) })}
                </a>{" "}
                (PDF)
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>{t("procedure.legal_basis")}</h2>
      <ul lang="vi">
        {details.legalBasis.map((l) => (
          <li key={l}>{l}</li>
        ))}
      </ul>
    </>
  );
}
