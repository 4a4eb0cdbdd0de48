import { useTranslation } from "react-i18next";
import { LOW_SHARE_PERCENT, type ComparedRow, type ReportedComparison } from "~/core/statistics/reported";
import type { PortalFigures } from "~/server/reported.server";
import { formatDate, formatNumber, pickLang } from "~/utils/format";
import { SummaryList } from "./summary-list";
import { TableScroll } from "./table-scroll";

/** "29,61 %" in Vietnamese, "29.61%" in English; "—" when there is nothing to divide by. */
export function percent(value: number | null, lang: string, digits = 2): string {
  if (value === null) return "—";
  return `${formatNumber(value, lang, digits)}${lang === "en" ? "%" : "\u00a0%"}`;
}
/** As few decimals as the number needs, up to 2: a target of 30 reads "30 %", 27.5 reads "27,5 %". */
export const digitsOf = (value: number) => (Number.isInteger(value) ? 0 : Number.isInteger(value * 10) ? 1 : 2);

const reportedShare = (r: ComparedRow, lang: string) => percent(r.reported.scaled / 10 ** r.reported.decimals, lang, r.reported.decimals);

/**
 * The summary of a comparison, most telling first: the agencies whose verdict on the target changes
 * once their share is recomputed from their own counts, named with the figures that make the change;
 * then the counts, with what "beyond rounding" does and does not say.
 */
export function ComparisonSummary({ comparison, matched, lang }: { comparison: ReportedComparison; matched: number; lang: string }) {
  const { t } = useTranslation();
  const { summary } = comparison;
  const target = percent(comparison.targetPercent, lang, digitsOf(comparison.targetPercent));
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
                    recomputed: percent(r.recomputed, lang),
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
          { label: t("reported.summary_below5", { low: percent(LOW_SHARE_PERCENT, lang, 0) }), value: ofRows(summary.below5) },
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
export function ComparisonTables({ comparison, portal, lang }: { comparison: ReportedComparison; portal: readonly (PortalFigures | null)[]; lang: string }) {
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
                <td className="nowrap">{percent(g.pooled, lang)}</td>
                <td className="nowrap">{percent(g.mean, lang)}</td>
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
                  <td className="nowrap">{percent(r.recomputed, lang)}</td>
                  <td className="nowrap">{difference}</td>
                  <td>{r.flagged ? <strong className="deadline-badge deadline-badge--overdue">{t("reported.flag_mismatch", { tolerance })}</strong> : t("reported.flag_ok", { tolerance })}</td>
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
                      <td className="nowrap">{percent(p.share, lang)}</td>
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
      {figures.matchedBy === "code" || (lang === "en" && name !== reportedName) ? <span className="reported-note">{t("reported.portal_name", { name })}</span> : null}
      {figures.dissolvedOn ? (
        <span className="reported-note">
          {figures.successor
            ? t("reported.dissolved", { date: formatDate(figures.dissolvedOn, lang), successor: pickLang(figures.successor.nameVi, figures.successor.nameEn, lang) })
            : t("reported.dissolved_no_successor", { date: formatDate(figures.dissolvedOn, lang) })}
        </span>
      ) : null}
    </>
  );
}
