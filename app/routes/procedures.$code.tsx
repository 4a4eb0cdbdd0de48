import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { isbot } from "isbot";
import { useTranslation } from "react-i18next";
import { SummaryList } from "~/components/summary-list";
import { LevelTag, ServiceTag } from "~/components/procedure-list";
import { levelAllows } from "~/core/catalog/levels";
import { WhereToGo } from "~/components/where-to-go";
import { localText, shownName, shownText, type LocalText } from "~/core/text/local-text";
import { oneStopView } from "~/core/catalog/one-stop";
import { getProcedure } from "~/server/catalog/catalog.server";
import { recordProcedureView } from "~/server/dossiers/dossiers.server";
import { notFound } from "~/server/platform/http.server";
import { getLanguage } from "~/server/platform/i18n.server";
import { formatVnd } from "~/utils/format";
import { pageStringsLoader } from "~/utils/page-strings-loader";

/** A visitor's page is kept and sent again until the catalog changes (server/catalog/page-cache.server.ts). */
export const handle = { pageCache: true };

/** Reached by a link, the page first loads its string groups (decision 019). */
export const clientLoader = pageStringsLoader("routes/procedures.$code");

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }, { name: "description", content: data.description }] : []);

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const procedure = await getProcedure(params.code ?? "");
  if (!procedure) notFound();
  const language = await getLanguage(request);
  // Visits count people, not crawlers; no personal data is recorded with a view. Each answer counts,
  // the ones sent from the page cache too.
  const view = async ({ userAgent }: { userAgent: string }) => {
    if (!isbot(userAgent)) await recordProcedureView({ procedureId: procedure.procedure.id, agencyId: procedure.procedure.agencyId, language });
  };
  await view({ userAgent: request.headers.get("user-agent") ?? "" });
  context.pageCache?.repeatOnHit(view);
  const { procedure: p, agency, field, details, oneStop } = procedure;
  // Texts in the page's language, resolved here so the browser gets text, not the logic: a text an
  // English page shows in Vietnamese (no translation) carries lang="vi", and the page says so.
  const shown = (text: LocalText) => shownText(text, language);
  const texts = {
    name: shownName(p.nameVi, p.nameEn, language),
    agency: shownName(agency.nameVi, agency.nameEn, language),
    field: shownName(field.nameVi, field.nameEn, language),
    summary: shown(details.summary),
    applicants: shown(details.applicants),
    result: shown(details.result),
    feeNote: details.feeNote ? shown(details.feeNote) : null,
  };
  const documents = details.documents.map((d) => ({ name: shown(d.name), copies: d.copies, original: d.original }));
  const untranslated = [texts.summary, texts.applicants, texts.result, texts.feeNote, ...documents.map((d) => d.name)].some((x) => x?.lang === "vi");
  return {
    title: texts.name.text,
    description: texts.summary.text,
    procedure: {
      code: p.code,
      level: p.level,
      onlineService: p.onlineService,
      inPersonStep: p.inPersonStep,
      feeVnd: p.feeVnd,
      processingDays: p.processingDays,
      deliveryModes: p.deliveryModes,
    },
    texts,
    documents,
    englishNotice: texts.name.lang === "vi" ? "procedure.no_english" : untranslated ? "one_stop.english_partial" : null,
    templates: details.templates.map((tpl) => ({ slug: tpl.slug, title: localText(tpl.title, language) })),
    legalBasis: details.legalBasis,
    where: oneStopView(oneStop, agency, language),
  };
}

export default function ProcedurePage() {
  const { t, i18n } = useTranslation();
  const { procedure: p, texts, documents, englishNotice, templates, legalBasis, where } = useLoaderData<typeof loader>();
  const allows = levelAllows(p.level);
  // Where to go in person: to hand the dossier in (levels 1–2), or to collect the result at the counter.
  const whereToGo = !allows.applyOnline ? t("one_stop.heading_submit") : p.deliveryModes.includes("counter") ? t("one_stop.heading_in_person") : null;
  return (
    <>
      <p className="caption">
        {t("procedure.code")}: {p.code}
      </p>
      <h1 lang={texts.name.lang}>{texts.name.text}</h1>
      {englishNotice ? <p className="notice">{t(englishNotice)}</p> : null}
      <p>
        <LevelTag level={p.level} />
        <ServiceTag service={p.onlineService} /> {t(`levels.l${p.level}_desc`)}
        {p.onlineService ? <> {t(`levels.service_${p.onlineService}_desc`)}</> : null}
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
      {whereToGo && !allows.applyOnline ? <WhereToGo view={where} heading={whereToGo} /> : null}
      <SummaryList
        rows={[
          { label: t("procedure.agency"), value: <span lang={texts.agency.lang}>{texts.agency.text}</span> },
          { label: t("procedure.field"), value: <span lang={texts.field.lang}>{texts.field.text}</span> },
          { label: t("procedure.processing_time"), value: t("catalog.processing_days", { count: p.processingDays }) },
          {
            label: t("procedure.fee"),
            value: (
              <>
                {p.feeVnd === 0 ? t("catalog.free") : formatVnd(p.feeVnd, i18n.language)}
                {texts.feeNote ? (
                  <>
                    {" "}
                    (<span lang={texts.feeNote.lang}>{texts.feeNote.text}</span>)
                  </>
                ) : null}
              </>
            ),
          },
          { label: t("procedure.result"), value: <span lang={texts.result.lang}>{texts.result.text}</span> },
          { label: t("procedure.delivery"), value: p.deliveryModes.map((m) => t(`delivery.${m}`)).join(", ") },
          // Written by the agency in Vietnamese: why the citizen must still come in person (decision 031).
          ...(p.inPersonStep ? [{ label: t("levels.in_person"), value: <span lang="vi">{p.inPersonStep}</span> }] : []),
        ]}
      />
      {whereToGo && allows.applyOnline ? <WhereToGo view={where} heading={whereToGo} /> : null}
      <h2>{t("procedure.summary")}</h2>
      <p lang={texts.summary.lang}>{texts.summary.text}</p>
      <h2>{t("procedure.applicants")}</h2>
      <p lang={texts.applicants.lang}>{texts.applicants.text}</p>
      <h2>{t("procedure.documents")}</h2>
      <ol>
        {documents.map((d, i) => (
          <li key={i}>
            <span lang={d.name.lang}>{d.name.text}</span> — {t(d.original ? "procedure.original" : "procedure.copies", { count: d.copies })}
          </li>
        ))}
      </ol>
      {allows.templates && templates.length > 0 ? (
        <>
          <h2>{t("procedure.templates")}</h2>
          <ul>
            {templates.map((tpl) => (
              <li key={tpl.slug}>
                <a href={`/procedures/${p.code}/templates/${tpl.slug}`} download>
                  {t("procedure.download_template", { title: tpl.title })}
                </a>{" "}
                (PDF)
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>{t("procedure.legal_basis")}</h2>
      <ul lang="vi">
        {legalBasis.map((l) => (
          <li key={l}>{l}</li>
        ))}
      </ul>
    </>
  );
}
