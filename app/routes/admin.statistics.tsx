import { data, redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { BarChart, LineChart } from "~/components/charts";
import { ErrorSummary } from "~/components/error-summary";
import { ScrollRegion } from "~/components/scroll-region";
import { TextField } from "~/components/text-field";
import { vnDate } from "~/core/calendar/working-days";
import { METRICS, numberDisplay, percentDisplay, ratio, type MetricChange, type MetricId, type MetricValues, type Ratio } from "~/core/statistics/metrics";
import { PERIOD_PRESETS, presetPeriod, suggestedInterval } from "~/core/statistics/presets";
import { GROUP_BYS, INTERVALS, STATS_ERRORS, type Interval, type StatisticsQuery } from "~/core/statistics/query";
import { requirePermission } from "~/server/auth/guards.server";
import { getT } from "~/server/platform/i18n.server";
import { listScopeAgencies } from "~/server/staff/staff.server";
import { funnel, grouped, parseStatisticsQuery, previousChanges, rankings, summary, timeSeries, type GroupRow } from "~/server/statistics/dashboard.server";
import { formatDate, formatDayMonth, formatMonthYear, pickLang, readDateParams } from "~/utils/format";
import { DateField } from "~/components/date-field";

const RANGE_ERRORS = new Set<string>([STATS_ERRORS.rangeReversed, STATS_ERRORS.rangeTooLong]);

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title ?? "" }];

const FIELDS = ["from", "to", "groupBy", "agency", "interval", "target"] as const;
type Field = (typeof FIELDS)[number];

/** The grouped table's columns (the tiles and the CSV export carry every metric). */
export const GROUPED_COLUMNS = [
  "online_services_level3",
  "online_services_level4",
  "level4_share",
  "dossiers_submitted",
  "online_dossiers",
  "online_share",
  "online_exits",
  "success_rate",
  "on_time_rate",
  "late_backlog",
  "online_payment_share",
  "satisfaction",
] as const satisfies readonly MetricId[];

/**
 * The figures an administrator reads first, on one screen, each with how it moved against the
 * previous period of the same length; the other metrics follow below the filters.
 */
export const KEY_METRICS = [
  "dossiers_submitted",
  "online_share",
  "on_time_rate",
  "late_backlog",
  "success_rate",
  "satisfaction",
  "visits",
  "level4_share",
] as const satisfies readonly MetricId[];
const isKeyMetric = (id: MetricId) => KEY_METRICS.some((k) => k === id);

/** The long tables show their first rows; `?grouped=all` / `?rankings=all` (plain links) show every row. */
export const PREVIEW_ROWS = 10;
const EXPANDABLE = ["grouped", "rankings"] as const;
type Expandable = (typeof EXPANDABLE)[number];

/** The export route's table names (app/routes/admin.statistics_.export[.]csv.ts). */
type CsvTable = "summary" | "grouped" | "rankings_services" | "rankings_online" | "rankings_share" | "timeseries" | "funnel";

/** Only the grouped table's columns leave the server: a procedure grouping has 50 rows. */
function groupedRow(r: GroupRow) {
  const m: MetricValues = r.metrics;
  return {
    key: r.key,
    name: r.name,
    labelKey: r.labelKey,
    self: r.self,
    dissolvedOn: r.dissolvedOn,
    cells: GROUPED_COLUMNS.map((id) => ({ id, value: m[id] })),
  };
}

/**
 * The statistics dashboard. Every figure comes from the one query layer (statistics.server.ts),
 * the same calls the CSV export and the API make; this loader only picks what the page shows.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, "statistics:read");
  const url = new URL(request.url);
  // Dates are typed day/month/year; the address keeps them ISO (shareable, what the presets and export use).
  const dates = readDateParams(url.searchParams, ["from", "to"]);
  if (dates.rewritten && Object.keys(dates.errors).length === 0) throw redirect(`${url.pathname}?${dates.params}`);
  const params = dates.params;
  const t = await getT(request);
  const today = vnDate(new Date());
  const page = {
    title: t("stats.dashboard.title"),
    wholeCountry: admin.agencyPath === "/",
    agencies: await listScopeAgencies({ agencyPath: admin.agencyPath, includeDissolved: true }),
    presets: PERIOD_PRESETS.map((preset) => ({ preset, ...presetPeriod(preset, today) })),
    /** The parameters as they came, for the quick links (which change the period only). */
    params: Object.fromEntries(
      FIELDS.flatMap((f) => {
        const v = params.get(f);
        return v ? [[f, v.slice(0, 100)]] : [];
      }),
    ),
  };
  const typed = new URLSearchParams(params);
  for (const f of Object.keys(dates.errors)) typed.delete(f);
  const read = await parseStatisticsQuery({ agencyPath: admin.agencyPath, params: typed });
  // A date that could not be read is said as such; the period's own checks wait until both dates are read.
  const dateIssues = Object.entries(dates.errors).map(([field, message]) => ({ field, message }));
  const parsed =
    dateIssues.length === 0
      ? read
      : { success: false as const, issues: [...dateIssues, ...(read.success ? [] : read.issues.filter((i) => !RANGE_ERRORS.has(i.message)))] };
  if (!parsed.success) {
    // What was typed goes back into the form, with the problems; no figures for a request that does not parse.
    const values: Record<Field, string> = { from: "", to: "", groupBy: "", agency: "", interval: "", target: "", ...page.params };
    return data({ ...page, values, issues: parsed.issues, report: null }, { status: 400 });
  }
  // No interval asked for: one suited to the period (a year day by day would be 365 points and rows).
  const query: StatisticsQuery = params.get("interval")?.trim()
    ? parsed.query
    : { ...parsed.query, interval: suggestedInterval(parsed.query.from, parsed.query.to) };
  const scope = { agencyPath: admin.agencyPath, query };
  const s = await summary(scope);
  const previous = await previousChanges(scope, s.metrics, KEY_METRICS);
  const g = await grouped(scope);
  const r = await rankings(scope);
  const expanded: Record<Expandable, boolean> = { grouped: params.get("grouped") === "all", rankings: params.get("rankings") === "all" };
  const shown = <T,>(rows: readonly T[], table: Expandable) => (expanded[table] ? [...rows] : rows.slice(0, PREVIEW_ROWS));
  // "" keeps the interval automatic (the select's first option), so a quick period gets its own.
  const values: Record<Field, string> = {
    from: query.from,
    to: query.to,
    groupBy: query.groupBy,
    agency: query.agency ?? "",
    interval: params.get("interval")?.trim() ? query.interval : "",
    target: String(query.target),
  };
  return {
    ...page,
    values,
    issues: [],
    report: {
      query,
      summary: { period: s.period, asOf: s.asOf, agency: s.agency, metrics: s.metrics, level4Target: s.level4Target },
      previous: {
        from: previous.period.from,
        to: previous.period.to,
        days: previous.period.days,
        changes: previous.changes,
      },
      expanded,
      grouped: {
        groupBy: g.groupBy,
        notApplicable: g.notApplicable,
        truncated: g.truncated,
        totalGroups: g.totalGroups,
        rowCount: g.rows.length,
        rows: shown(g.rows, "grouped").map(groupedRow),
      },
      rankings: {
        units: r.onlineServices.length,
        onlineServices: shown(r.onlineServices, "rankings"),
        onlineDossiers: shown(r.onlineDossiers, "rankings"),
        onlineShare: shown(r.onlineShare, "rankings"),
      },
      series: await timeSeries(scope),
      funnel: (await funnel(scope)).steps,
    },
  };
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type Report = NonNullable<LoaderData["report"]>;

/** The export link of one table, with the query in force (the interval as drawn, the defaults filled in). */
function csvHref(table: CsvTable, q: Report["query"]): string {
  const params = new URLSearchParams({ table, from: q.from, to: q.to, groupBy: q.groupBy, interval: q.interval, target: String(q.target) });
  if (q.agency) params.set("agency", q.agency);
  return `/admin/statistics/export.csv?${params}`;
}

/** A target in percent written like a figure: "30 %", "27,5 %" (vi), "30%" (en). */
function targetDisplay(percent: number, lang: string): string {
  const hundredths = Math.round(percent * 100);
  const digits = hundredths % 100 === 0 ? 0 : hundredths % 10 === 0 ? 1 : 2;
  return percentDisplay(ratio(hundredths, 10_000), lang, digits);
}

export default function StatisticsDashboard() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { wholeCountry, agencies, presets, params, values, issues, report } = useLoaderData<typeof loader>();
  const fieldError = (f: Field) => {
    const issue = issues.find((i) => i.field === f);
    return issue ? t(issue.message) : undefined;
  };
  const summaryErrors = issues.map((i) =>
    FIELDS.some((f) => f === i.field) ? { fieldId: `filter-${i.field}`, message: t(i.message) } : { message: t(i.message) },
  );
  const presetHref = (from: string, to: string) => `?${new URLSearchParams({ ...params, from, to })}`;
  const scopeName = report?.summary.agency ? pickLang(report.summary.agency.nameVi, report.summary.agency.nameEn, lang) : null;

  return (
    <>
      <h1 className="stats-title">{t("stats.dashboard.title")}</h1>
      <p className="lead">
        {scopeName ? t("stats.dashboard.scope_agency", { agency: scopeName }) : wholeCountry ? t("stats.dashboard.scope_all") : t("stats.dashboard.intro")}
      </p>
      <ErrorSummary errors={summaryErrors} />
      {report ? <KeyFigures report={report} lang={lang} /> : null}

      <Form method="get" className="filters" role="search" aria-label={t("stats.dashboard.filters")} noValidate>
        {/* Keyed by the value: after the redirect to the ISO address, the box shows the date as read (05/06/2026 for 5/6/2026). */}
        <DateField
          key={`from-${values.from}`}
          id="filter-from"
          name="from"
          label={t("stats.query.from")}
          hint={t("stats.dashboard.date_hint")}
          value={values.from}
          error={fieldError("from")}
        />
        <DateField
          key={`to-${values.to}`}
          id="filter-to"
          name="to"
          label={t("stats.query.to")}
          hint={t("stats.dashboard.date_hint")}
          value={values.to}
          error={fieldError("to")}
        />
        <SelectField id="filter-groupBy" name="groupBy" label={t("stats.query.group_by")} defaultValue={values.groupBy} error={fieldError("groupBy")}>
          {GROUP_BYS.map((g) => (
            <option key={g} value={g}>
              {t(`stats.group_by.${g}`)}
            </option>
          ))}
        </SelectField>
        <SelectField id="filter-agency" name="agency" label={t("stats.query.agency")} defaultValue={values.agency} error={fieldError("agency")}>
          <option value="">{wholeCountry ? t("stats.dashboard.all_agencies") : t("stats.dashboard.whole_scope")}</option>
          {agencies.map((a) => (
            <option key={a.code} value={a.code}>
              {"\u00a0\u00a0".repeat(a.level)}
              {pickLang(a.nameVi, a.nameEn, lang)}
              {a.dissolved ? ` (${t("stats.dashboard.dissolved")})` : ""}
            </option>
          ))}
        </SelectField>
        <SelectField id="filter-interval" name="interval" label={t("stats.query.interval")} defaultValue={values.interval} error={fieldError("interval")}>
          <option value="">{t("stats.dashboard.interval_auto")}</option>
          {INTERVALS.map((i) => (
            <option key={i} value={i}>
              {t(`stats.interval.${i}`)}
            </option>
          ))}
        </SelectField>
        <TextField
          id="filter-target"
          name="target"
          type="text"
          label={t("stats.query.target")}
          inputMode="decimal"
          autoComplete="off"
          defaultValue={values.target}
          error={fieldError("target")}
        />
        <div>
          <button type="submit" className="button">
            {t("stats.query.submit")}
          </button>
        </div>
      </Form>
      <nav aria-label={t("stats.dashboard.presets")} className="presets">
        <p className="presets__label" aria-hidden="true">
          {t("stats.dashboard.presets")}:
        </p>
        <ul>
          {presets.map((p) => (
            <li key={p.preset}>
              <a href={presetHref(p.from, p.to)} aria-current={report && report.query.from === p.from && report.query.to === p.to ? "true" : undefined}>
                {t(`stats.dashboard.preset.${p.preset}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>

      {report ? <ReportView report={report} params={params} lang={lang} /> : null}
    </>
  );
}

function SelectField({
  id,
  name,
  label,
  defaultValue,
  error,
  children,
}: {
  id: string;
  name: string;
  label: string;
  defaultValue: string;
  error?: string;
  children: ReactNode;
}) {
  return (
    <div className={`form-group${error ? " form-group--error" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {error ? (
        <span id={`${id}-error`} className="error-message">
          {error}
        </span>
      ) : null}
      <select id={id} name={name} defaultValue={defaultValue} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined}>
        {children}
      </select>
    </div>
  );
}

/** A ratio's percentage with its fraction beside it, so every figure can be checked; a count as a number. */
function Figure({ value, lang }: { value: Ratio | number; lang: string }) {
  const { t } = useTranslation();
  if (typeof value === "number") return <>{numberDisplay(value, lang)}</>;
  return (
    <>
      {percentDisplay(value, lang)}
      <span className="fraction">
        {t("stats.dashboard.fraction", { numerator: numberDisplay(value.numerator, lang), denominator: numberDisplay(value.denominator, lang) })}
      </span>
    </>
  );
}

function CsvLink({ table, caption, query }: { table: CsvTable; caption: string; query: Report["query"] }) {
  const { t } = useTranslation();
  return (
    <p className="download">
      {/* The name says which table (several such links on the page); it starts with the visible words. */}
      <a href={csvHref(table, query)} download aria-label={t("stats.dashboard.download_csv_named", { name: caption })}>
        {t("stats.dashboard.download_csv")}
      </a>
    </p>
  );
}

function ReportView({ report, params, lang }: { report: Report; params: Record<string, string>; lang: string }) {
  /** The page with one long table shown in full or cut to its first rows, the other as it is. */
  const toggleHref = (table: Expandable, all: boolean) => {
    const next = new URLSearchParams(params);
    for (const other of EXPANDABLE) if (report.expanded[other] && other !== table) next.set(other, "all");
    if (all) next.set(table, "all");
    return `?${next}#${table}-title`;
  };
  return (
    <>
      <Tiles report={report} lang={lang} />
      <GroupedTable report={report} lang={lang} toggleHref={toggleHref} />
      <Rankings report={report} lang={lang} toggleHref={toggleHref} />
      <Series report={report} lang={lang} />
      <Funnel report={report} lang={lang} />
    </>
  );
}

// ── Key figures: the first screen ───────────────────────────────────────────────────────────────

/** How a key figure moved, in words first (up, down, unchanged), the figure of the previous period beside it. */
function ChangeLine({ change, lang }: { change: MetricChange; lang: string }) {
  const { t } = useTranslation();
  if (change.kind === "count") {
    const previous = numberDisplay(change.previous, lang);
    if (change.delta === 0) return <>{t("stats.dashboard.change_same", { previous })}</>;
    const delta = numberDisplay(Math.abs(change.delta), lang);
    const key = change.delta > 0 ? "stats.dashboard.change_up" : "stats.dashboard.change_down";
    if (change.relative === null) return <>{t(key, { delta, previous })}</>;
    const relative = percentDisplay(ratio(Math.round(Math.abs(change.relative) * 1000), 1000), lang);
    return <>{t(`${key}_relative`, { delta, relative, previous })}</>;
  }
  const previous = percentDisplay(change.previous, lang);
  if (change.points === null) return <>{t("stats.dashboard.change_none", { previous })}</>;
  // Tenths of a point, rounded half away from zero: what is shown decides "unchanged".
  const tenths = Math.round(Math.abs(change.points) * 10);
  if (tenths === 0) return <>{t("stats.dashboard.change_same", { previous })}</>;
  const points = `${numberDisplay(Math.floor(tenths / 10), lang)}${lang === "en" ? "." : ","}${tenths % 10}`;
  return <>{t(change.points > 0 ? "stats.dashboard.change_up_points" : "stats.dashboard.change_down_points", { points, previous })}</>;
}

function KeyFigures({ report, lang }: { report: Report; lang: string }) {
  const { t } = useTranslation();
  const { query, previous } = report;
  const { metrics, level4Target, asOf } = report.summary;
  const target = targetDisplay(level4Target.percent, lang);
  const changeOf = (id: MetricId) => previous.changes.find((c) => c.id === id)?.change ?? null;
  return (
    <section aria-labelledby="key-title" className="key-figures">
      <p role="status" className="period">
        {t("stats.dashboard.period", { from: formatDate(query.from, lang), to: formatDate(query.to, lang) })}
      </p>
      <h2 id="key-title">{t("stats.dashboard.key_title")}</h2>
      <p className="meta">
        {t("stats.dashboard.key_compared", {
          days: numberDisplay(previous.days, lang),
          from: formatDate(previous.from, lang),
          to: formatDate(previous.to, lang),
        })}
      </p>
      <ul className="kpi-grid kpi-grid--key">
        {KEY_METRICS.map((id) => {
          const m = METRICS.find((x) => x.id === id);
          const change = changeOf(id);
          if (!m) return null;
          return (
            <li key={id} className="kpi">
              <h3 className="kpi__label">{t(m.labelKey)}</h3>
              <p className="kpi__value">
                <Figure value={metrics[id]} lang={lang} />
              </p>
              {id === "level4_share" ? (
                <p className={`kpi__target kpi__target--${level4Target.met === null ? "unknown" : level4Target.met ? "met" : "not-met"}`}>
                  {t(level4Target.met === null ? "stats.target.unknown" : level4Target.met ? "stats.target.met" : "stats.target.not_met", { target })}
                </p>
              ) : null}
              {m.source === "events" && change ? (
                <p className="kpi__change">
                  <ChangeLine change={change} lang={lang} />
                </p>
              ) : (
                <p className="kpi__note">{t("stats.dashboard.as_of_short", { date: formatDate(asOf, lang) })}</p>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

// ── KPI tiles ───────────────────────────────────────────────────────────────────────────────────

function Tiles({ report, lang }: { report: Report; lang: string }) {
  const { t } = useTranslation();
  const { metrics, level4Target, asOf } = report.summary;
  // The key figures are above: here the others, so no figure is shown twice.
  const catalog = METRICS.filter((m) => m.source === "catalog" && !isKeyMetric(m.id));
  const activity = METRICS.filter((m) => m.source !== "catalog" && !isKeyMetric(m.id));
  const target = targetDisplay(level4Target.percent, lang);
  const tile = (m: (typeof METRICS)[number]) => (
    <li key={m.id} className="kpi">
      <h4 className="kpi__label">{t(m.labelKey)}</h4>
      <p className="kpi__value">
        <Figure value={metrics[m.id]} lang={lang} />
      </p>
      {m.id === "level4_share" ? (
        <p className={`kpi__target kpi__target--${level4Target.met === null ? "unknown" : level4Target.met ? "met" : "not-met"}`}>
          {t(level4Target.met === null ? "stats.target.unknown" : level4Target.met ? "stats.target.met" : "stats.target.not_met", { target })}
        </p>
      ) : null}
      {m.source === "snapshot" ? <p className="kpi__note">{t("stats.dashboard.as_of_short", { date: formatDate(asOf, lang) })}</p> : null}
    </li>
  );
  return (
    <section aria-labelledby="tiles-title">
      <h2 id="tiles-title">{t("stats.dashboard.other_title")}</h2>
      <p className="meta">
        {t("stats.as_of", { date: formatDate(asOf, lang) })}. {t("stats.empty")}
      </p>
      <h3>{t("stats.dashboard.catalog_title")}</h3>
      <ul className="kpi-grid">{catalog.map(tile)}</ul>
      <h3>{t("stats.dashboard.activity_title")}</h3>
      <ul className="kpi-grid">{activity.map(tile)}</ul>
      <CsvLink table="summary" caption={t("stats.dashboard.summary_title")} query={report.query} />
      <details className="definitions">
        <summary>{t("stats.dashboard.definitions")}</summary>
        <dl>
          {METRICS.map((m) => (
            <div key={m.id}>
              <dt>{t(m.labelKey)}</dt>
              <dd>{t(m.descriptionKey)}</dd>
            </div>
          ))}
        </dl>
      </details>
    </section>
  );
}

// ── Grouped table ───────────────────────────────────────────────────────────────────────────────

function rowLabel(r: Report["grouped"]["rows"][number], t: (key: string, options?: Record<string, string>) => string, lang: string): string {
  const name = r.name ? pickLang(r.name.vi, r.name.en, lang) : null;
  const label = r.labelKey ? t(r.labelKey) : null;
  const base = name && label ? `${name} (${label})` : (name ?? label ?? r.key);
  return r.dissolvedOn ? `${base} (${t("stats.dashboard.dissolved_on", { date: formatDate(r.dissolvedOn, lang) })})` : base;
}

type ToggleHref = (table: Expandable, all: boolean) => string;

/** Under a cut table: how many rows are shown, and a plain link to all of them (or back to the first). */
function ShowAll({
  table,
  shown,
  total,
  expanded,
  toggleHref,
}: {
  table: Expandable;
  shown: number;
  total: number;
  expanded: boolean;
  toggleHref: ToggleHref;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  if (total <= PREVIEW_ROWS) return null;
  return (
    <p className="show-all">
      {expanded ? (
        <Link to={toggleHref(table, false)}>{t("stats.dashboard.show_first", { shown: numberDisplay(PREVIEW_ROWS, lang) })}</Link>
      ) : (
        <>
          {t(`stats.dashboard.showing_${table}`, { shown: numberDisplay(shown, lang), total: numberDisplay(total, lang) })}{" "}
          <Link to={toggleHref(table, true)}>{t(`stats.dashboard.show_all_${table}`, { total: numberDisplay(total, lang) })}</Link>
        </>
      )}
    </p>
  );
}

function GroupedTable({ report, lang, toggleHref }: { report: Report; lang: string; toggleHref: ToggleHref }) {
  const { t } = useTranslation();
  const g = report.grouped;
  const notApplicable: readonly string[] = g.notApplicable;
  const caption = t("stats.dashboard.grouped_caption", { group: t(`stats.group_by.${g.groupBy}`).toLocaleLowerCase(lang) });
  return (
    <section aria-labelledby="grouped-title">
      <h2 id="grouped-title">{t("stats.dashboard.grouped_title")}</h2>
      {g.truncated ? (
        <p className="meta">{t("stats.dashboard.truncated", { shown: numberDisplay(g.rows.length, lang), total: numberDisplay(g.totalGroups, lang) })}</p>
      ) : null}
      {g.rows.length === 0 ? (
        <p>{t("stats.dashboard.no_rows")}</p>
      ) : (
        <ScrollRegion label={caption}>
          <table className="stats-table">
            <caption>{caption}</caption>
            <thead>
              <tr>
                <th scope="col">{t(`stats.group_by.${g.groupBy}`)}</th>
                {GROUPED_COLUMNS.map((id) => (
                  <th key={id} scope="col" className="num">
                    {t(`stats.metric.${id}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {g.rows.map((r) => (
                <tr key={r.key}>
                  <th scope="row">
                    {rowLabel(r, t, lang)}
                    {g.groupBy === "procedure" ? <span className="fraction">{r.key}</span> : null}
                  </th>
                  {r.cells.map((c) => (
                    <td key={c.id} className="num">
                      {notApplicable.includes(c.id) ? t("stats.dashboard.not_applicable") : <Figure value={c.value} lang={lang} />}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      <ShowAll table="grouped" shown={g.rows.length} total={g.rowCount} expanded={report.expanded.grouped} toggleHref={toggleHref} />
      <CsvLink table="grouped" caption={caption} query={report.query} />
    </section>
  );
}

// ── Rankings ────────────────────────────────────────────────────────────────────────────────────

function RankCell({ rank }: { rank: number | null }) {
  return <td className="num">{rank === null ? "—" : rank}</td>;
}

function Rankings({ report, lang, toggleHref }: { report: Report; lang: string; toggleHref: ToggleHref }) {
  const { t } = useTranslation();
  const r = report.rankings;
  const unit = (name: { vi: string; en: string | null }) => pickLang(name.vi, name.en, lang);
  const captions = { services: t("stats.rankings.online_services"), online: t("stats.rankings.online_dossiers"), share: t("stats.rankings.online_share") };
  return (
    <section aria-labelledby="rankings-title">
      <h2 id="rankings-title">{t("stats.dashboard.rankings_title")}</h2>
      {r.onlineServices.length === 0 ? (
        <p>{t("stats.dashboard.no_units")}</p>
      ) : (
        <>
          <p className="meta">{t("stats.dashboard.rankings_intro")}</p>
          <ShowAll table="rankings" shown={r.onlineShare.length} total={r.units} expanded={report.expanded.rankings} toggleHref={toggleHref} />
          <ScrollRegion label={captions.services}>
            <table className="stats-table">
              <caption>{captions.services}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("stats.rankings.rank")}</th>
                  <th scope="col">{t("stats.dashboard.unit")}</th>
                  <th scope="col" className="num">
                    {t("stats.level.3")}
                  </th>
                  <th scope="col" className="num">
                    {t("stats.level.4")}
                  </th>
                  <th scope="col" className="num">
                    {t("stats.dashboard.online_services_total")}
                  </th>
                  <th scope="col" className="num">
                    {t("stats.metric.level4_share")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {r.onlineServices.map((e) => (
                  <tr key={e.code}>
                    <RankCell rank={e.rank} />
                    <th scope="row">{unit(e.name)}</th>
                    <td className="num">{numberDisplay(e.value.level3, lang)}</td>
                    <td className="num">{numberDisplay(e.value.level4, lang)}</td>
                    <td className="num">{numberDisplay(e.value.total, lang)}</td>
                    <td className="num">
                      <Figure value={e.value.level4Share} lang={lang} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
          <CsvLink table="rankings_services" caption={captions.services} query={report.query} />

          <ScrollRegion label={captions.online}>
            <table className="stats-table">
              <caption>{captions.online}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("stats.rankings.rank")}</th>
                  <th scope="col">{t("stats.dashboard.unit")}</th>
                  <th scope="col" className="num">
                    {t("stats.metric.online_dossiers")}
                  </th>
                  <th scope="col" className="num">
                    {t("stats.metric.dossiers_submitted")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {r.onlineDossiers.map((e) => (
                  <tr key={e.code}>
                    <RankCell rank={e.rank} />
                    <th scope="row">{unit(e.name)}</th>
                    <td className="num">{numberDisplay(e.value.online, lang)}</td>
                    <td className="num">{numberDisplay(e.value.submitted, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
          <CsvLink table="rankings_online" caption={captions.online} query={report.query} />

          <ScrollRegion label={captions.share}>
            <table className="stats-table">
              <caption>{captions.share}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("stats.rankings.rank")}</th>
                  <th scope="col">{t("stats.dashboard.unit")}</th>
                  <th scope="col" className="num">
                    {t("stats.metric.online_share")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {r.onlineShare.map((e) => (
                  <tr key={e.code}>
                    <RankCell rank={e.rank} />
                    <th scope="row">{unit(e.name)}</th>
                    <td className="num">
                      <Figure value={e.value} lang={lang} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
          <CsvLink table="rankings_share" caption={captions.share} query={report.query} />
        </>
      )}
    </section>
  );
}

// ── Time series ─────────────────────────────────────────────────────────────────────────────────

const CHART_SERIES = ["submitted", "submitted_online", "result_ready"] as const;
const TABLE_SERIES = ["viewed", "submitted", "submitted_online", "submitted_assisted", "submitted_counter", "result_ready"] as const;

function bucketLabel(p: { bucket: string; from: string; to: string }, interval: Interval, lang: string): string {
  if (interval === "day") return formatDate(p.bucket, lang);
  return `${formatDate(p.from, lang)} – ${formatDate(p.to, lang)}`;
}

function Series({ report, lang }: { report: Report; lang: string }) {
  const { t } = useTranslation();
  const { points, interval } = report.series;
  const n = (v: number) => numberDisplay(v, lang);
  const total = (key: (typeof TABLE_SERIES)[number]) => points.reduce((sum, p) => sum + p[key], 0);
  const peak = points.reduce<(typeof points)[number] | null>((best, p) => (best === null || p.submitted > best.submitted ? p : best), null);
  const label =
    peak === null || total("submitted") === 0
      ? t("stats.dashboard.series_chart_empty", {
          interval: t(`stats.interval.${interval}`).toLocaleLowerCase(lang),
          from: formatDate(report.query.from, lang),
          to: formatDate(report.query.to, lang),
        })
      : t("stats.dashboard.series_chart", {
          interval: t(`stats.interval.${interval}`).toLocaleLowerCase(lang),
          from: formatDate(report.query.from, lang),
          to: formatDate(report.query.to, lang),
          submitted: n(total("submitted")),
          online: n(total("submitted_online")),
          results: n(total("result_ready")),
          peak: n(peak.submitted),
          peakPeriod: bucketLabel(peak, interval, lang),
        });
  const categories = points.map((p) => (interval === "month" ? formatMonthYear(p.bucket) : formatDayMonth(p.from)));
  const caption = t("stats.dashboard.series_caption", { interval: t(`stats.interval.${interval}`).toLocaleLowerCase(lang) });
  return (
    <section aria-labelledby="series-title">
      <h2 id="series-title">{t("stats.series.title")}</h2>
      <LineChart
        name={t("stats.series.title")}
        label={label}
        categories={categories}
        series={CHART_SERIES.map((key) => ({ key, name: t(`stats.series.${key}`), values: points.map((p) => p[key]) }))}
        format={n}
      />
      <details className="chart-table">
        <summary>{t("stats.dashboard.show_table", { name: t("stats.series.title") })}</summary>
        <ScrollRegion label={caption}>
          <table className="stats-table">
            <caption>{caption}</caption>
            <thead>
              <tr>
                <th scope="col">{t("stats.dashboard.bucket")}</th>
                {TABLE_SERIES.map((key) => (
                  <th key={key} scope="col" className="num">
                    {t(`stats.series.${key}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {points.map((p) => (
                <tr key={p.bucket}>
                  <th scope="row">{bucketLabel(p, interval, lang)}</th>
                  {TABLE_SERIES.map((key) => (
                    <td key={key} className="num">
                      {n(p[key])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      </details>
      <CsvLink table="timeseries" caption={caption} query={report.query} />
    </section>
  );
}

// ── Funnel ──────────────────────────────────────────────────────────────────────────────────────

function Funnel({ report, lang }: { report: Report; lang: string }) {
  const { t } = useTranslation();
  const steps = report.funnel;
  const n = (v: number) => numberDisplay(v, lang);
  const counts = Object.fromEntries(steps.map((s) => [s.step, n(s.count)]));
  const caption = t("stats.dashboard.funnel_caption");
  return (
    <section aria-labelledby="funnel-title">
      <h2 id="funnel-title">{t("stats.funnel.title")}</h2>
      <p className="meta">{t("stats.dashboard.funnel_note")}</p>
      <BarChart
        name={t("stats.funnel.title")}
        label={t("stats.dashboard.funnel_chart", counts)}
        bars={steps.map((s) => ({
          key: s.step,
          name: t(`stats.funnel.${s.step}`),
          value: s.count,
          note: s.step === "viewed" ? undefined : percentDisplay(s.fromFirst, lang),
        }))}
        format={n}
      />
      <ScrollRegion label={caption}>
        <table className="stats-table">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t("stats.dashboard.step")}</th>
              <th scope="col" className="num">
                {t("stats.dashboard.count")}
              </th>
              <th scope="col" className="num">
                {t("stats.dashboard.from_previous")}
              </th>
              <th scope="col" className="num">
                {t("stats.dashboard.from_first")}
              </th>
            </tr>
          </thead>
          <tbody>
            {steps.map((s) => (
              <tr key={s.step}>
                <th scope="row">{t(`stats.funnel.${s.step}`)}</th>
                <td className="num">{n(s.count)}</td>
                <td className="num">{s.fromPrevious ? <Figure value={s.fromPrevious} lang={lang} /> : "—"}</td>
                <td className="num">
                  <Figure value={s.fromFirst} lang={lang} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <CsvLink table="funnel" caption={caption} query={report.query} />
    </section>
  );
}
