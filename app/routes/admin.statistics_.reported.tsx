import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary } from "~/components/error-summary";
import { Pagination } from "~/components/pagination";
import { TableScroll } from "~/components/table-scroll";
import { TextField } from "~/components/text-field";
import { fieldErrors } from "~/core/forms/field-errors";
import { DEFAULT_TARGET_PERCENT, MAX_REPORTED_BYTES, ReportedFormSchema, ReportedListQuerySchema, type ReportedCsvError } from "~/core/statistics/reported";
import { requirePermission } from "~/server/auth/guards.server";
import { getT } from "~/server/platform/i18n.server";
import { importReportedFile, listReportedImports, readBundledAppendix } from "~/server/statistics/reported.server";
import { readForm } from "~/server/platform/upload.server";
import { decimalsOf, formatDateTime, formatNumber, formatPercent } from "~/utils/format";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title ?? "" }];

/** The page of past imports, newest first. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "statistics:read");
  const t = await getT(request);
  const { page } = ReportedListQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const list = await listReportedImports({ page });
  return {
    title: t("reported.title"),
    imports: { ...list, items: list.items.map((i) => ({ ...i, createdAt: i.createdAt.toISOString() })) },
  };
}

type Answer = {
  /** Form errors by field (`file`, `target`, `_form`), as i18n keys. */
  errors: Record<string, string>;
  /** The file's own errors, by line and column: nothing was imported. */
  csv: { errors: ReportedCsvError[]; errorCount: number } | null;
  values: { target: string };
};

const answer = (status: number, values: Answer["values"], parts: Partial<Omit<Answer, "values">>) =>
  data<Answer>({ errors: {}, csv: null, values, ...parts }, { status });

/**
 * Checks a file of reported figures (or the bundled 2019 appendix). A valid one is kept as an
 * import and the answer is its own page (POST → redirect → GET, so it can be reopened and linked);
 * a file with errors is not kept and the errors are shown here.
 */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "statistics:read");
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

  let file: { source: "file" | "appendix"; fileName: string; bytes: Uint8Array };
  if (intent === "appendix") {
    file = { source: "appendix", fileName: "level4-share-2019.csv", bytes: readBundledAppendix() };
  } else {
    const upload = read.form.get("file");
    // Past the upload's hard limit the file is drained unread: report it as the file being too large.
    if (read.oversized.has("file"))
      return answer(400, values, {
        csv: { errors: [{ row: null, column: null, message: "reported.errors.too_large", params: { maxKb: MAX_REPORTED_BYTES / 1024 } }], errorCount: 1 },
      });
    if (!(upload instanceof File) || (upload.size === 0 && upload.name === ""))
      return answer(400, values, { errors: { file: "reported.errors.file_required" } });
    file = { source: "file", fileName: upload.name.slice(0, 120) || "reported.csv", bytes: new Uint8Array(await upload.arrayBuffer()) };
  }
  const outcome = await importReportedFile({ user, ...file, targetPercent: target });
  if (!outcome.ok) return answer(400, values, { csv: { errors: outcome.errors, errorCount: outcome.errorCount } });
  return redirect(`/admin/statistics/reported/${outcome.id}`);
}

export default function ReportedFigures() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { imports } = useLoaderData<typeof loader>();
  const posted = useActionData<typeof action>();
  const errors = posted?.errors ?? {};
  const csv = posted?.csv ?? null;
  const summaryErrors = [
    ...(errors._form ? [{ message: t(errors._form) }] : []),
    ...(["file", "target"] as const).flatMap((f) => (errors[f] ? [{ fieldId: f, message: t(errors[f]) }] : [])),
    ...(csv ? [{ fieldId: "csv-errors", message: t("reported.csv_summary", { count: csv.errorCount }) }] : []),
  ];
  return (
    <>
      <h1>{t("reported.title")}</h1>
      <p>{t("reported.intro")}</p>
      <p className="notice">{t("reported.kept")}</p>
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
          <input
            id="file"
            name="file"
            type="file"
            accept=".csv,text/csv"
            aria-describedby={errors.file ? "file-hint file-error" : "file-hint"}
            aria-invalid={errors.file ? true : undefined}
          />
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

      <section aria-labelledby="imports-title">
        <h2 id="imports-title">{t("reported.imports_title")}</h2>
        {imports.total === 0 ? (
          <p>{t("reported.imports_none")}</p>
        ) : (
          <>
            <TableScroll label={t("reported.imports_title")}>
              <table>
                <caption className="visually-hidden">{t("reported.imports_title")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("reported.import.imported_at")}</th>
                    <th scope="col">{t("reported.import.file_name")}</th>
                    <th scope="col">{t("reported.import.imported_by")}</th>
                    <th scope="col">{t("reported.import.target")}</th>
                    <th scope="col">{t("reported.imports_meets")}</th>
                    <th scope="col">{t("reported.imports_changed")}</th>
                  </tr>
                </thead>
                <tbody>
                  {imports.items.map((i) => (
                    <tr key={i.id}>
                      <td className="nowrap">
                        <Link
                          to={`/admin/statistics/reported/${i.id}`}
                          aria-label={t("reported.imports_open", { id: i.id, when: formatDateTime(i.createdAt, lang) })}
                        >
                          {formatDateTime(i.createdAt, lang)}
                        </Link>
                      </td>
                      <th scope="row">{i.source === "appendix" ? t("reported.source_appendix_short") : i.fileName}</th>
                      <td>{i.importedBy}</td>
                      <td className="nowrap">{formatPercent(i.targetPercent, lang, decimalsOf(i.targetPercent))}</td>
                      <td>
                        {t("reported.imports_meets_value", {
                          reported: formatNumber(i.summary.meetsReported, lang),
                          recomputed: formatNumber(i.summary.meetsRecomputed, lang),
                          rows: formatNumber(i.summary.rows, lang),
                        })}
                      </td>
                      <td>
                        {i.summary.verdictChanged.length === 0 ? t("reported.imports_changed_none") : i.summary.verdictChanged.map((c) => c.agency).join("; ")}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
            <Pagination page={imports.page} pageCount={imports.pageCount} />
          </>
        )}
      </section>
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
