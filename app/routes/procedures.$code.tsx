import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { isbot } from "isbot";
import { useTranslation } from "react-i18next";
import { SummaryList } from "~/components/summary-list";
import { LevelTag } from "~/components/procedure-list";
import { levelAllows } from "~/core/catalog/levels";
import { WhereToGo } from "~/components/where-to-go";
import { localText, shownName, shownText } from "~/core/text/local-text";
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
  const { procedure: p, agency, field, details, oneStop } = procedure;
  return {
    title: pickLang(p.nameVi, p.nameEn, language),
    description: localText(details.summary, language),
    procedure: { code: p.code, nameVi: p.nameVi, nameEn: p.nameEn, level: p.level, feeVnd: p.feeVnd, processingDays: p.processingDays, deliveryModes: p.deliveryModes },
    agency: { nameVi: agency.nameVi, nameEn: agency.nameEn },
    field: { nameVi: field.nameVi, nameEn: field.nameEn },
    details,
    oneStop,
  };
}

export default function ProcedurePage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { procedure: p, agency, field, details, oneStop } = useLoaderData<typeof loader>();
  const allows = levelAllows(p.level);
  const missingEnglish = lang === "en" && !p.nameEn;
  // Texts an English page shows in Vietnamese (no translation) carry lang="vi", and the page says so.
  const summary = shownText(details.summary, lang);
  const applicants = shownText(details.applicants, lang);
  const result = shownText(details.result, lang);
  const feeNote = details.feeNote ? shownText(details.feeNote, lang) : null;
  const agencyName = shownName(agency.nameVi, agency.nameEn, lang);
  const fieldName = shownName(field.nameVi, field.nameEn, lang);
  const documents = details.documents.map((d) => ({ ...d, shown: shownText(d.name, lang) }));
  const partlyVietnamese = [summary, applicants, result, feeNote, ...documents.map((d) => d.shown)].some((x) => x?.lang === "vi");
  // Where to go in person: to hand the dossier in (levels 1–2), or to collect the result at the counter.
  const whereToGo = !allows.applyOnline ? t("one_stop.heading_submit") : p.deliveryModes.includes("counter") ? t("one_stop.heading_in_person") : null;
  return (
    <>
      <p className="caption">
        {t("procedure.code")}: {p.code}
      </p>
      <h1 lang={missingEnglish ? "vi" : undefined}>{pickLang(p.nameVi, p.nameEn, lang)}</h1>
      {missingEnglish ? <p className="notice">{t("procedure.no_english")}</p> : partlyVietnamese ? <p className="notice">{t("one_stop.english_partial")}</p> : null}
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
      {whereToGo && !allows.applyOnline ? <WhereToGo office={oneStop} agency={agency} heading={whereToGo} /> : null}
      <SummaryList
        rows={[
          { label: t("procedure.agency"), value: <span lang={agencyName.lang}>{agencyName.text}</span> },
          { label: t("procedure.field"), value: <span lang={fieldName.lang}>{fieldName.text}</span> },
          { label: t("procedure.processing_time"), value: t("catalog.processing_days", { count: p.processingDays }) },
          {
            label: t("procedure.fee"),
            value: (
              <>
                {p.feeVnd === 0 ? t("catalog.free") : formatVnd(p.feeVnd, lang)}
                {feeNote ? (
                  <>
                    {" "}(<span lang={feeNote.lang}>{feeNote.text}</span>)
                  </>
                ) : null}
              </>
            ),
          },
          { label: t("procedure.result"), value: <span lang={result.lang}>{result.text}</span> },
          { label: t("procedure.delivery"), value: p.deliveryModes.map((m) => t(`delivery.${m}`)).join(", ") },
        ]}
      />
      {whereToGo && allows.applyOnline ? <WhereToGo office={oneStop} agency={agency} heading={whereToGo} /> : null}
      <h2>{t("procedure.summary")}</h2>
      <p lang={summary.lang}>{summary.text}</p>
      <h2>{t("procedure.applicants")}</h2>
      <p lang={applicants.lang}>{applicants.text}</p>
      <h2>{t("procedure.documents")}</h2>
      <ol>
        {documents.map((d, i) => (
          <li key={i}>
            <span lang={d.shown.lang}>{d.shown.text}</span> — {t(d.original ? "procedure.original" : "procedure.copies", { count: d.copies })}
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
