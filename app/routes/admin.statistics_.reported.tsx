import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary } from "~/components/error-summary";
import { SummaryList } from "~/components/summary-list";
import { TextField } from "~/components/text-field";
import { fieldErrors } from "~/core/forms/field-errors";
import { DEFAULT_TARGET_PERCENT, LOW_SHARE_PERCENT, MAX_REPORTED_BYTES, ReportedFormSchema, type ReportedComparison, type ReportedCsvError } from "~/core/statistics/reported";
import { requirePermission } from "~/server/guards.server";
import { getT } from "~/server/i18n.server";
import { compareReportedFile, readBundledAppendix, type PortalFigures } from "~/server/reported.server";
import { readForm } from "~/server/upload.server";
import { formatDate, formatNumber, pickLang } from "~/utils/format";
import { TableScroll } from "~/components/table-scroll";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title ?? "" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "statistics:read");
  const t = await getT(request);
  return { title: t("reported.title") };
}

type Answer = {
  /** Form errors by field (`file`, `target`, `_form`), as i18n keys. */
  errors: Record<string, string>;
  /** The file's own errors, by line and column: nothing was imported. */
  csv: { errors: ReportedCsvError[]; errorCount: number } | null;
  result: { source: { kind: "file"; name: string } | { kind: "appendix" }; comparison: ReportedComparison; portal: (PortalFigures | null)[]; matched: number } | null;
  values: { target: string };
};

const answer = (status: number, values: Answer["values"], parts: Partial<Omit<Answer, "values">>) =>
  data<Answer>({ errors: {}, csv: null, result: null, values, ...parts }, { status });

/**
 * Checks a file of reported figures (or the bundled 2019 appendix) and shows the comparison at once.
 * Nothing is written, so there is no redirect: the answer is the page.
 */
export async function action({ request }: ActionFunctionArgs) {
  await requirePermission(request, "statistics:read");
  const read = await readForm(request);
  if ("error" in read) return answer(400, { target: "" }, { errors: { _form: "reported.errors.bad_request" } });
  const rawTarget = read.form.get("target");
  const values = { target: typeof rawTarget === "string" ? rawTarget.slice(0, 20) : "" };
  const parsed = ReportedFormSchema.safeParse({ intent: read.form.get("intent") ?? undefined, target: rawTarget ?? undefined });
  if (!parsed.success) {
    // A bad intent is a forged or stale form, not a field to correct.
    const { intent, ...fields } = fieldErrors(parsed.error);
    return answer(400, values, { errors: intent ? { ...fields, _form: intent } : fields });
  }
  const { intent, target } = parsed.data;

  let bytes: Uint8Array;
  let source: NonNullable<Answer["result"]>["source"];
  if (intent === "appendix") {
    bytes = readBundledAppendix();
    source = { kind: "appendix" };
  } else {
    const file = read.form.get("file");
    // Past the upload's hard limit the file is drained unread: report it as the file being too large.
    if (read.oversized.has("file")) return answer(400, values, { csv: { errors: [{ row: null, column: null, message: "reported.errors.too_large", params: { maxKb: MAX_REPORTED_BYTES / 1024 } }], errorCount: 1 } });
    if (!(file instanceof File)) return answer(400, values, { errors: { file: "reported.errors.file_required" } });
    bytes = new Uint8Array(await file.arrayBuffer());
    source = { kind: "file", name: file.name.slice(0, 120) };
  }
  const outcome = compareReportedFile({ bytes, targetPercent: target });
  if (!outcome.ok) return answer(400, values, { csv: { errors: outcome.errors, errorCount: outcome.errorCount } });
  return answer(200, values, { result: { source, comparison: outcome.comparison, portal: outcome.portal, matched: outcome.matched } });
}

/** "29,61 %" in Vietnamese, "29.61%" in English; "—" when there is nothing to divide by. */
function percent(value: number | null, lang: string, digits = 2): string {
  if (value === null) return "—";
  return `${formatNumber(value, lang, digits)}${lang === "en" ? "%" : "\u00a0%"}`;
}
/** As few decimals as the number needs, up to 2: a target of 30 reads "30 %", 27.5 reads "27,5 %". */
const digitsOf = (value: number) => (Number.isInteger(value) ? 0 : Number.isInteger(value * 10) ? 1 : 2);

export default function ReportedFigures() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const posted = useActionData<typeof action>();
  const errors = posted?.errors ?? {};
  const csv = posted?.csv ?? null;
  const result = posted?.result ?? null;
  const summaryErrors = [
    ...(errors._form ? [{ message: t(errors._form) }] : []),
    ...(["file", "target"] as const).flatMap((f) => (errors[f] ? [{ fieldId: f, message: t(errors[f]) }] : [])),
    ...(csv ? [{ fieldId: "csv-errors", message: t("reported.csv_summary", { count: csv.errorCount }) }] : []),
  ];
  return (
    <>
      <h1>{t("reported.title")}</h1>
      <p>{t("reported.intro")}</p>
      <p className="notice">{t("reported.not_stored")}</p>
      <ErrorSummary errors={summaryErrors} />

      <h2 id="form-title">{t("reported.form_title")}</h2>
      <Form method="post" encType="multipart/form-data" noValidate aria-labelledby="form-title">
        <div className={`form-group${errors.file ? " form-group--error" : ""}`}>
          <label htmlFor="file">{t("reported.file")}</label>
          <span id="file-hint" className="hint">
            {t("reported.file_hint")}
          </span>
          {errors.file ? (
            <span id="file-error" className="error-message">
              {t(errors.file)}
            </span>
          ) : null}
          <input id="file" name="file" type="file" accept=".csv,text/csv" aria-describedby={errors.file ? "file-hint file-error" : "file-hint"} aria-invalid={errors.file ? true : undefined} />
        </div>
        <TextField
          id="target"
          name="target"
          label={t("reported.target")}
          hint={t("reported.target_hint")}
          inputMode="decimal"
          autoComplete="off"
          defaultValue={posted ? posted.values.target : String(DEFAULT_TARGET_PERCENT)}
          error={errors.target ? t(errors.target) : undefined}
          size={6}
        />
        <button type="submit" name="intent" value="upload" className="button">
          {t("reported.check_file")}
        </button>
        <p className="hint">{t("reported.appendix_hint")}</p>
        <button type="submit" name="intent" value="appendix" className="button button--secondary">
          {t("reported.use_appendix")}
        </button>
      </Form>

      {csv ? <CsvErrors csv={csv} /> : null}
      {result ? <Results result={result} lang={lang} /> : null}
    </>
  );
}

function CsvErrors({ csv }: { csv: NonNullable<Answer["csv"]> }) {
  const { t } = useTranslation();
  return (
    <TableScroll label={t("reported.errors_caption")}>
      <table id="csv-errors" tabIndex={-1}>
        <caption>{t("reported.errors_caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("reported.line")}</th>
            <th scope="col">{t("reported.column")}</th>
            <th scope="col">{t("reported.message")}</th>
          </tr>
        </thead>
        <tbody>
          {csv.errors.map((e, i) => (
            <tr key={`${e.row}-${e.column}-${i}`}>
              <th scope="row">{e.row ?? t("reported.whole_file")}</th>
              <td>{e.column ? <code>{e.column}</code> : "—"}</td>
              <td>{t(e.message, e.params)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {csv.errorCount > csv.errors.length ? <p>{t("reported.errors_more", { count: csv.errorCount - csv.errors.length })}</p> : null}
    </TableScroll>
  );
}

function Results({ result, lang }: { result: NonNullable<Answer["result"]>; lang: string }) {
  const { t } = useTranslation();
  const { comparison, portal, source, matched } = result;
  const { summary } = comparison;
  const target = percent(comparison.targetPercent, lang, digitsOf(comparison.targetPercent));
  const ofRows = (count: number) => t("reported.of_rows", { part: formatNumber(count, lang), rows: formatNumber(summary.rows, lang) });
  return (
    <section aria-labelledby="results-title">
      <h2 id="results-title">{t("reported.results_title")}</h2>
      <p>{source.kind === "file" ? t("reported.source_file", { name: source.name }) : t("reported.source_appendix")}</p>

      <h3>{t("reported.summary_title")}</h3>
      <SummaryList
        rows={[
          { label: t("reported.summary_rows"), value: formatNumber(summary.rows, lang) },
          { label: t("reported.summary_flagged"), value: ofRows(summary.flagged) },
          { label: t("reported.summary_meets_reported", { target }), value: ofRows(summary.meetsTarget.reported) },
          { label: t("reported.summary_meets_recomputed", { target }), value: ofRows(summary.meetsTarget.recomputed) },
          { label: t("reported.summary_below5", { low: percent(LOW_SHARE_PERCENT, lang, 0) }), value: ofRows(summary.below5) },
          { label: t("reported.summary_matched"), value: ofRows(matched) },
        ]}
      />

      <TableScroll label={t("reported.national_caption")}>
        <table>
          <caption>{t("reported.national_caption")}</caption>
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
            {summary.national.map((n) => (
              <tr key={n.group}>
                <th scope="row">{t(`reported.group_${n.group}`)}</th>
                <td>{formatNumber(n.agencies, lang)}</td>
                <td>{formatNumber(n.total, lang)}</td>
                <td>{formatNumber(n.level4, lang)}</td>
                <td className="nowrap">{percent(n.pooled, lang)}</td>
                <td className="nowrap">{percent(n.mean, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <p className="hint">{t("reported.national_note")}</p>

      <p className="hint">{t("reported.rows_note")}</p>
      <TableScroll label={t("reported.rows_caption")}>
        <table>
          <caption>{t("reported.rows_caption")}</caption>
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
              return (
                <tr key={r.row}>
                  <td>{r.row}</td>
                  <th scope="row">
                    {r.agency}
                    <PortalNote figures={p} reportedName={r.agency} lang={lang} />
                  </th>
                  <td>{t(`reported.group_${r.kind}`)}</td>
                  <td>{formatNumber(r.total, lang)}</td>
                  <td>{formatNumber(r.level4, lang)}</td>
                  <td className="nowrap">{percent(r.reported.scaled / 10 ** decimals, lang, decimals)}</td>
                  <td className="nowrap">{percent(r.recomputed, lang)}</td>
                  <td className="nowrap">{difference}</td>
                  <td>{r.flagged ? <strong className="deadline-badge deadline-badge--overdue">{t("reported.flag_mismatch", { tolerance })}</strong> : t("reported.flag_ok", { tolerance })}</td>
                  <td>{t(r.meetsTarget.reported ? "reported.meets" : "reported.not_meets")}</td>
                  <td>{r.meetsTarget.recomputed !== r.meetsTarget.reported ? <strong>{t(r.meetsTarget.recomputed ? "reported.meets" : "reported.not_meets")}</strong> : t(r.meetsTarget.recomputed ? "reported.meets" : "reported.not_meets")}</td>
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
    </section>
  );
}

/** Under the reported name: the portal's name when it differs (renamed), and a dissolved agency's successor. */
function PortalNote({ figures, reportedName, lang }: { figures: PortalFigures | null; reportedName: string; lang: string }) {
  const { t } = useTranslation();
  if (!figures) return null;
  const name = pickLang(figures.nameVi, figures.nameEn, lang);
  return (
    <>
      {figures.matchedBy === "code" || (lang === "en" && name !== reportedName) ? <span className="queue-new-date">{t("reported.portal_name", { name })}</span> : null}
      {figures.dissolvedOn ? (
        <span className="queue-new-date">
          {figures.successor
            ? t("reported.dissolved", { date: formatDate(figures.dissolvedOn, lang), successor: pickLang(figures.successor.nameVi, figures.successor.nameEn, lang) })
            : t("reported.dissolved_no_successor", { date: formatDate(figures.dissolvedOn, lang) })}
        </span>
      ) : null}
    </>
  );
}
