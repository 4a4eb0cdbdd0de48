import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ComparisonSummary, ComparisonTables, digitsOf, percent } from "~/components/reported-comparison";
import { SummaryList } from "~/components/summary-list";
import { ReportedImportIdSchema } from "~/core/statistics/reported";
import { notFound, requirePermission } from "~/server/guards.server";
import { getT } from "~/server/i18n.server";
import { getReportedImport } from "~/server/reported.server";
import { formatDateTime, formatNumber } from "~/utils/format";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title ?? "" }];

/**
 * One kept import, opened again: who imported which file when (with its SHA-256), and the
 * comparison recomputed from that file at its target. A missing import answers 404.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "statistics:read");
  const id = ReportedImportIdSchema.safeParse(params.importId);
  if (!id.success) notFound();
  const found = getReportedImport(id.data);
  if (!found) notFound();
  const t = await getT(request);
  const name = found.source === "appendix" ? t("reported.source_appendix_short") : found.fileName;
  const address = new URL(`/admin/statistics/reported/${found.id}`, request.url).href;
  return { title: t("reported.import.title", { name, id: found.id }), name, address, found: { ...found, createdAt: found.createdAt.toISOString() } };
}

export default function ReportedImport() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { title, name, address, found } = useLoaderData<typeof loader>();
  const target = percent(found.targetPercent, lang, digitsOf(found.targetPercent));
  return (
    <>
      <p>
        <Link to="/admin/statistics/reported">{t("reported.import.back")}</Link>
      </p>
      <h1>{title}</h1>
      <p className="lead">
        {t("reported.import.byline", { when: formatDateTime(found.createdAt, lang), who: found.importedBy, target })}
      </p>
      {found.ok ? (
        <>
          <ComparisonSummary comparison={found.comparison} matched={found.matched} lang={lang} />
          <p>
            <a href={`/admin/statistics/reported/${found.id}/comparison.csv`} download>
              {t("reported.import.download_csv")}
            </a>
          </p>
        </>
      ) : (
        <>
          <p className="notice">{t("reported.import.unreadable")}</p>
          <p>{t("reported.imports_meets_value", { reported: formatNumber(found.summary.meetsReported, lang), recomputed: formatNumber(found.summary.meetsRecomputed, lang), rows: formatNumber(found.summary.rows, lang) })}</p>
        </>
      )}
      <section aria-labelledby="record-title">
        <h2 id="record-title">{t("reported.import.record_title")}</h2>
        <SummaryList
          rows={[
            { label: t("reported.import.file_name"), value: found.source === "appendix" ? t("reported.source_appendix") : name },
            { label: t("reported.import.imported_by"), value: found.importedBy },
            { label: t("reported.import.imported_at"), value: <time dateTime={found.createdAt}>{formatDateTime(found.createdAt, lang)}</time> },
            {
              label: t("reported.import.sha256"),
              value: (
                <>
                  <code className="hash">{found.fileSha256}</code>
                  <span className="hint">{t("reported.import.sha256_hint")}</span>
                </>
              ),
            },
            { label: t("reported.import.target"), value: target },
            { label: t("reported.import.link"), value: <code className="hash">{address}</code> },
          ]}
        />
      </section>
      {found.ok ? <ComparisonTables comparison={found.comparison} portal={found.portal} lang={lang} /> : null}
    </>
  );
}
