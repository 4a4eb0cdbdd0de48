import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SummaryList } from "~/components/summary-list";
import { TableScroll } from "~/components/table-scroll";
import { LOW_SHARE_PERCENT, ReportedImportIdSchema, type ComparedRow, type ReportedComparison } from "~/core/statistics/reported";
import { requirePermission } from "~/server/auth/guards.server";
import { notFound } from "~/server/platform/http.server";
import { getT } from "~/server/platform/i18n.server";
import { getReportedImport, type PortalFigures } from "~/server/statistics/reported.server";
import { decimalsOf, formatDate, formatDateTime, formatNumber, formatPercent, pickLang } from "~/utils/format";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title ?? "" }];

/**
 * One kept import, opened again: who imported which file when (with its SHA-256), and the
 * comparison recomputed from that file at its target. A missing import answers 404.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "statistics:read");
  const id = ReportedImportIdSchema.safeParse(params.importId);
  if (!id.success) notFound();
  const found = await getReportedImport(id.data);
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
  const target = formatPercent(found.targetPercent, lang, decimalsOf(found.targetPercent));
  return (
    <>
      <p>
        <Link to="/admin/statistics/reported">{t("reported.import.back")}</Link>
      </p>
      <h1>{title}</h1>
      <p className="lead">{t("reported.import.byline", { when: formatDateTime(found.createdAt, lang), who: found.importedBy, target })}</p>
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
          <p>
            {t("reported.imports_meets_value", {
              reported: formatNumber(found.summary.meetsReported, lang),
              recomputed: formatNumber(found.summary.meetsRecomputed, lang),
              rows: formatNumber(found.summary.rows, lang),
            })}
          </p>
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

const reportedShare = (r: ComparedRow, lang: string) => formatPercent(r.reported.scaled / 10 ** r.reported.decimals, lang, r.reported.decimals);

/**
 * The summary of a comparison, most telling first: the agencies whose verdict on the target changes
 * once their share is recomputed from their own counts, named with the figures that make the change;
 * then the counts, with what "beyond rounding" does and does not say.
 */
function ComparisonSummary({ comparison, matched, lang }: { comparison: ReportedComparison; matched: number; lang: string }) {
  const { t } = useTranslation();
  const { summary } = comparison;
  const target = formatPercent(comparison.targetPercent, lang, decimalsOf(comparison.targetPercent));
  const changed = comparison.rows.filter((r) => r.verdictChanged);
  const n = (v: number) => formatNumber(v, lang);
  const ofRows = (count: number) => t("reported.of_rows", { part: n(count), rows: n(summary.rows) });
  return (
    <section aria-labelledby="summary-title">
      <h2 id="summary-title">{t("reported.summary_title")}</h2>
      <div className={`verdict-changes${changed.length > 0 ? " verdict-changes--some" : ""}`}>
        {changed.length === 0 ? (
          <p>{t("reported.changed_none", { target })}</p>
        ) : (
          <>
            <p>
              <strong>{t("reported.changed_lead", { count: changed.length, target })}</strong>
            </p>
            <ul>
              {changed.map((r) => (
                <li key={r.row}>
                  <strong>{r.agency}</strong>
                  {": "}
                  {t(r.meetsTarget.recomputed ? "reported.changed_up" : "reported.changed_down", {
                    reported: reportedShare(r, lang),
                    level4: n(r.level4),
                    total: n(r.total),
                    recomputed: formatPercent(r.recomputed, lang),
                  })}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      <SummaryList
        rows={[
          { label: t("reported.summary_rows"), value: n(summary.rows) },
          { label: t("reported.summary_meets_reported", { target }), value: ofRows(summary.meetsTarget.reported) },
          { label: t("reported.summary_meets_recomputed", { target }), value: ofRows(summary.meetsTarget.recomputed) },
          {
            label: t("reported.summary_flagged"),
            value: (
              <>
                {ofRows(summary.flagged)} <a href="#rounding-title">{t("reported.rounding_link")}</a>
              </>
            ),
          },
          { label: t("reported.summary_below5", { low: formatPercent(LOW_SHARE_PERCENT, lang, 0) }), value: ofRows(summary.below5) },
          { label: t("reported.summary_matched"), value: ofRows(matched) },
        ]}
      />
      <h3 id="rounding-title">{t("reported.rounding_title")}</h3>
      <p>{t("reported.rounding_measures", { flagged: n(summary.flagged), rows: n(summary.rows) })}</p>
      <p>{t("reported.rounding_not")}</p>
    </section>
  );
}

/** The two averaging methods, per group, and every agency's row beside the portal's own figures. */
function ComparisonTables({ comparison, portal, lang }: { comparison: ReportedComparison; portal: readonly (PortalFigures | null)[]; lang: string }) {
  const { t } = useTranslation();
  const { summary } = comparison;
  return (
    <>
      <h2 id="national-title">{t("reported.national_caption")}</h2>
      <TableScroll label={t("reported.national_caption")}>
        <table>
          <caption className="visually-hidden">{t("reported.national_caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("reported.group")}</th>
              <th scope="col">{t("reported.agencies")}</th>
              <th scope="col">{t("reported.total_procedures")}</th>
              <th scope="col">{t("reported.level4_services")}</th>
              <th scope="col">{t("reported.pooled")}</th>
              <th scope="col">{t("reported.mean")}</th>
            </tr>
          </thead>
          <tbody>
            {summary.national.map((g) => (
              <tr key={g.group}>
                <th scope="row">{t(`reported.group_${g.group}`)}</th>
                <td>{formatNumber(g.agencies, lang)}</td>
                <td>{formatNumber(g.total, lang)}</td>
                <td>{formatNumber(g.level4, lang)}</td>
                <td className="nowrap">{formatPercent(g.pooled, lang)}</td>
                <td className="nowrap">{formatPercent(g.mean, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <p className="hint">{t("reported.national_note")}</p>

      <h2 id="rows-title">{t("reported.rows_caption")}</h2>
      <p className="hint">{t("reported.rows_note")}</p>
      <TableScroll label={t("reported.rows_caption")}>
        <table>
          <caption className="visually-hidden">{t("reported.rows_caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("reported.line")}</th>
              <th scope="col">{t("reported.agency")}</th>
              <th scope="col">{t("reported.kind")}</th>
              <th scope="col">{t("reported.total_procedures")}</th>
              <th scope="col">{t("reported.level4_services")}</th>
              <th scope="col">{t("reported.reported_share")}</th>
              <th scope="col">{t("reported.recomputed_share")}</th>
              <th scope="col">{t("reported.difference")}</th>
              <th scope="col">{t("reported.check")}</th>
              <th scope="col">{t("reported.meets_reported")}</th>
              <th scope="col">{t("reported.meets_recomputed")}</th>
              <th scope="col">{t("reported.portal_procedures")}</th>
              <th scope="col">{t("reported.portal_level4")}</th>
              <th scope="col">{t("reported.portal_share")}</th>
            </tr>
          </thead>
          <tbody>
            {comparison.rows.map((r, i) => {
              const decimals = r.reported.decimals;
              const tolerance = formatNumber(r.tolerance, lang, decimals + 1);
              const difference = `${r.difference < 0 ? "−" : "+"}${formatNumber(Math.abs(r.difference), lang, decimals + 2)}`;
              const p = portal[i] ?? null;
              const verdict = (meets: boolean) => t(meets ? "reported.meets" : "reported.not_meets");
              return (
                <tr key={r.row} className={r.verdictChanged ? "row-changed" : undefined}>
                  <td>{r.row}</td>
                  <th scope="row">
                    {r.agency}
                    <PortalNote figures={p} reportedName={r.agency} lang={lang} />
                  </th>
                  <td>{t(`reported.group_${r.kind}`)}</td>
                  <td>{formatNumber(r.total, lang)}</td>
                  <td>{formatNumber(r.level4, lang)}</td>
                  <td className="nowrap">{reportedShare(r, lang)}</td>
                  <td className="nowrap">{formatPercent(r.recomputed, lang)}</td>
                  <td className="nowrap">{difference}</td>
                  <td>
                    {r.flagged ? (
                      <strong className="deadline-badge deadline-badge--overdue">{t("reported.flag_mismatch", { tolerance })}</strong>
                    ) : (
                      t("reported.flag_ok", { tolerance })
                    )}
                  </td>
                  <td>{verdict(r.meetsTarget.reported)}</td>
                  <td>
                    {r.verdictChanged ? (
                      <strong>
                        {verdict(r.meetsTarget.recomputed)} <span className="reported-note">{t("reported.verdict_changed")}</span>
                      </strong>
                    ) : (
                      verdict(r.meetsTarget.recomputed)
                    )}
                  </td>
                  {p ? (
                    <>
                      <td>{formatNumber(p.procedures, lang)}</td>
                      <td>{formatNumber(p.level4, lang)}</td>
                      <td className="nowrap">{formatPercent(p.share, lang)}</td>
                    </>
                  ) : (
                    <td colSpan={3}>{t("reported.not_on_portal")}</td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}

/** Under the reported name: the portal's name when it differs (renamed), and a dissolved agency's successor. */
function PortalNote({ figures, reportedName, lang }: { figures: PortalFigures | null; reportedName: string; lang: string }) {
  const { t } = useTranslation();
  if (!figures) return null;
  const name = pickLang(figures.nameVi, figures.nameEn, lang);
  return (
    <>
      {figures.matchedBy === "code" || (lang === "en" && name !== reportedName) ? (
        <span className="reported-note">{t("reported.portal_name", { name })}</span>
      ) : null}
      {figures.dissolvedOn ? (
        <span className="reported-note">
          {figures.successor
            ? t("reported.dissolved", {
                date: formatDate(figures.dissolvedOn, lang),
                successor: pickLang(figures.successor.nameVi, figures.successor.nameEn, lang),
              })
            : t("reported.dissolved_no_successor", { date: formatDate(figures.dissolvedOn, lang) })}
        </span>
      ) : null}
    </>
  );
}
