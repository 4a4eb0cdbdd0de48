/**
 * The dashboard's tables as CSV: each table is one answer of the query layer
 * (statistics.server.ts) written out cell by cell — no figure is computed here. Headers are in the
 * reader's language; numbers are machine numbers (no thousands separator, a dot for decimals) and
 * each ratio comes with its numerator and denominator, so a spreadsheet can recompute it.
 */
import { countCell, exportFilename, ratioDecimal, toCsv, type ExportTable } from "../../core/statistics/csv";
import { METRICS, type Ratio } from "../../core/statistics/metrics";
import type { Language } from "../../i18n";
import { pickLang } from "../../utils/format";
import { getTFor } from "../platform/i18n.server";
import { funnel, grouped, rankings, summary, timeSeries, type StatisticsQuery } from "./dashboard.server";

type T = Awaited<ReturnType<typeof getTFor>>;
type Name = { vi: string; en: string | null };

const ratioCells = (r: Ratio) => [ratioDecimal(r), countCell(r.numerator), countCell(r.denominator)];
const ratioHeaders = (t: T, label: string) => [
  t("stats.export.ratio_value", { label }),
  t("stats.export.ratio_numerator", { label }),
  t("stats.export.ratio_denominator", { label }),
];
const rankCell = (rank: number | null) => (rank === null ? "" : countCell(rank));

async function summaryRows(t: T, input: { agencyPath: string; query: StatisticsQuery }): Promise<string[][]> {
  const s = await summary(input);
  const header = [
    t("stats.export.metric_id"),
    t("stats.export.metric"),
    t("stats.export.value"),
    t("stats.export.numerator"),
    t("stats.export.denominator"),
    t("stats.export.target"),
    t("stats.export.target_met"),
  ];
  const rows = METRICS.map((m) => {
    const v: Ratio | number = s.metrics[m.id];
    const target =
      m.kind === "ratio" && m.hasTarget ? [String(s.level4Target.percent), s.level4Target.met === null ? "" : String(s.level4Target.met)] : ["", ""];
    return [m.id, t(m.labelKey), ...(typeof v === "number" ? [countCell(v), "", ""] : ratioCells(v)), ...target];
  });
  return [header, ...rows];
}

async function groupedRows(t: T, lang: Language, input: { agencyPath: string; query: StatisticsQuery }): Promise<string[][]> {
  const g = await grouped(input);
  const byAgency = g.groupBy === "agency";
  const header = [
    t("stats.export.code"),
    t("stats.export.name"),
    ...(byAgency ? [t("stats.export.dissolved_on")] : []),
    ...METRICS.flatMap((m) => (m.kind === "ratio" ? ratioHeaders(t, t(m.labelKey)) : [t(m.labelKey)])),
  ];
  const notApplicable = new Set<string>(g.notApplicable);
  const rows = g.rows.map((r) => {
    const label = r.labelKey ? t(r.labelKey) : r.key;
    const name = r.name ? pickLang(r.name.vi, r.name.en, lang) : label;
    const cells = METRICS.flatMap((m) => {
      // A figure that means nothing for this grouping (the catalog by channel) is left empty, not 0.
      if (notApplicable.has(m.id)) return m.kind === "ratio" ? ["", "", ""] : [""];
      const v: Ratio | number = r.metrics[m.id];
      return typeof v === "number" ? [countCell(v)] : ratioCells(v);
    });
    return [r.key, r.self ? `${name} (${label})` : name, ...(byAgency ? [r.dissolvedOn ?? ""] : []), ...cells];
  });
  return [header, ...rows];
}

async function rankingRows(
  t: T,
  lang: Language,
  table: "rankings_services" | "rankings_online" | "rankings_share",
  input: { agencyPath: string; query: StatisticsQuery },
): Promise<string[][]> {
  const r = await rankings(input);
  const unit = (e: { rank: number | null; code: string; name: Name }) => [rankCell(e.rank), e.code, pickLang(e.name.vi, e.name.en, lang)];
  const head = [t("stats.export.rank"), t("stats.export.code"), t("stats.export.name")];
  if (table === "rankings_services") {
    return [
      [
        ...head,
        t("stats.metric.online_services_level3"),
        t("stats.metric.online_services_level4"),
        t("stats.export.online_services_total"),
        ...ratioHeaders(t, t("stats.metric.level4_share")),
      ],
      ...r.onlineServices.map((e) => [
        ...unit(e),
        countCell(e.value.level3),
        countCell(e.value.level4),
        countCell(e.value.total),
        ...ratioCells(e.value.level4Share),
      ]),
    ];
  }
  if (table === "rankings_online") {
    return [
      [...head, t("stats.metric.online_dossiers"), t("stats.metric.dossiers_submitted")],
      ...r.onlineDossiers.map((e) => [...unit(e), countCell(e.value.online), countCell(e.value.submitted)]),
    ];
  }
  return [[...head, ...ratioHeaders(t, t("stats.metric.online_share"))], ...r.onlineShare.map((e) => [...unit(e), ...ratioCells(e.value)])];
}

const SERIES_COLUMNS = ["viewed", "submitted", "submitted_online", "submitted_assisted", "submitted_counter", "result_ready"] as const;

async function timeSeriesRows(t: T, input: { agencyPath: string; query: StatisticsQuery }): Promise<string[][]> {
  const s = await timeSeries(input);
  const header = [t("stats.export.bucket"), t("stats.export.bucket_from"), t("stats.export.bucket_to"), ...SERIES_COLUMNS.map((c) => t(`stats.series.${c}`))];
  return [header, ...s.points.map((p) => [p.bucket, p.from, p.to, ...SERIES_COLUMNS.map((c) => countCell(p[c]))])];
}

async function funnelRows(t: T, input: { agencyPath: string; query: StatisticsQuery }): Promise<string[][]> {
  const f = await funnel(input);
  const header = [
    t("stats.export.step_id"),
    t("stats.export.step"),
    t("stats.export.count"),
    ...ratioHeaders(t, t("stats.export.from_previous")),
    ...ratioHeaders(t, t("stats.export.from_first")),
  ];
  return [
    header,
    ...f.steps.map((s) => [
      s.step,
      t(`stats.funnel.${s.step}`),
      countCell(s.count),
      ...(s.fromPrevious ? ratioCells(s.fromPrevious) : ["", "", ""]),
      ...ratioCells(s.fromFirst),
    ]),
  ];
}

/** One table of the dashboard as a CSV document (BOM, CRLF) and the file name to save it under. */
export async function exportStatisticsCsv(input: {
  agencyPath: string;
  query: StatisticsQuery;
  table: ExportTable;
  lang: Language;
}): Promise<{ filename: string; csv: string }> {
  const t = await getTFor(input.lang);
  const args = { agencyPath: input.agencyPath, query: input.query };
  const rows =
    input.table === "summary"
      ? await summaryRows(t, args)
      : input.table === "grouped"
        ? await groupedRows(t, input.lang, args)
        : input.table === "timeseries"
          ? await timeSeriesRows(t, args)
          : input.table === "funnel"
            ? await funnelRows(t, args)
            : await rankingRows(t, input.lang, input.table, args);
  return { filename: exportFilename(input.table, input.query), csv: toCsv(rows) };
}
