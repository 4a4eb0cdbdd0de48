import { zodResolver } from "@hookform/resolvers/zod";
import { Form, Link, useNavigation, useSubmit } from "@remix-run/react";
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { useForm, type UseFormRegisterReturn } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { fieldErrorParams } from "~/core/forms/fields";
import { buildIssueResultSchema, RESULT_FILE_FIELD, type ResultField, type ResultFields } from "~/core/results/result-fields";
import { localText } from "~/core/text/local-text";
import { ErrorSummary, type SummaryError } from "./error-summary";

type Props = {
  fields: ResultFields;
  today: string;
  version: number;
  /** What the officer sent last time (a refused post), so nothing typed is lost. */
  values: Record<string, string>;
  source: "fields" | "upload";
  /** The server's findings, keyed by input name (`values.<field>`, `result_file`, `source`). */
  serverErrors: Record<string, string>;
  formError: string | null;
  warning: string;
  cancelTo: string;
  /** The page's own words, from the officer's strings (the staff-only group, which this shared folder does not name). */
  labels: {
    sourceLegend: string;
    sourceFields: string;
    sourceUpload: string;
    fieldsTitle: string;
    uploadHint: string;
    warning: string;
    submit: string;
    cancel: string;
  };
};

export const resultInputId = (name: string) => `result-${name.replace(/^values\./, "")}`;

/**
 * The issue-result form: either the procedure's result fields, or the signed PDF. A plain multipart
 * form that works without JavaScript (both parts are shown, the radio says which counts); with
 * JavaScript, react-hook-form checks it first with the same zod schema the action runs and shows
 * only the chosen part.
 */
export function IssueResultForm({ fields, today, version, values, source, serverErrors, formError, warning, cancelTo, labels }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const schema = useMemo(() => buildIssueResultSchema(fields, today), [fields, today]);
  const { register, handleSubmit, watch, formState } = useForm({
    resolver: zodResolver(schema),
    defaultValues: { source, version: String(version), confirmed: "yes", values: Object.fromEntries(fields.map((f) => [f.name, values[f.name] ?? ""])) },
    reValidateMode: "onChange",
  });
  const submit = useSubmit();
  const navigation = useNavigation();
  // Until the page is hydrated (and always without JavaScript) both parts are shown.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const chosen = watch("source");

  // The browser's findings, by input name, as i18n keys.
  const clientError = (name: string): string | undefined => {
    const errors = formState.errors;
    const found: unknown =
      name === "source"
        ? errors.source
        : name === RESULT_FILE_FIELD.name
          ? Reflect.get(errors, name)
          : name.startsWith("values.") && "values" in errors && errors.values
            ? Reflect.get(errors.values, name.slice("values.".length))
            : undefined;
    return messageOf(found);
  };
  const errorFor = (name: string, field?: ResultField): string | undefined => {
    const key = clientError(name) ?? serverErrors[name];
    if (!key) return undefined;
    return field ? t(key, fieldErrorParams(field, today, lang)) : t(key, { max: RESULT_FILE_FIELD.maxSizeMb });
  };
  const showFields = !hydrated || chosen === "fields";
  const showUpload = !hydrated || chosen === "upload";
  const fieldRows = showFields ? fields.map((f) => ({ name: `values.${f.name}`, field: f, label: localText(f.label, lang) })) : [];
  const summary: SummaryError[] = [
    ...(formError ? [{ message: t(formError) }] : []),
    ...(errorFor("source") ? [{ fieldId: resultInputId("source"), message: errorFor("source") ?? "" }] : []),
    ...fieldRows.flatMap((r) => {
      const message = errorFor(r.name, r.field);
      return message ? [{ fieldId: resultInputId(r.name), message: `${r.label}: ${message}` }] : [];
    }),
    ...(showUpload && errorFor(RESULT_FILE_FIELD.name)
      ? [{ fieldId: resultInputId(RESULT_FILE_FIELD.name), message: `${localText(RESULT_FILE_FIELD.label, lang)}: ${errorFor(RESULT_FILE_FIELD.name) ?? ""}` }]
      : []),
  ];

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    const form = event.currentTarget;
    void handleSubmit(() => submit(form, { method: "post", encType: "multipart/form-data" }))(event);
  };

  const fileError = errorFor(RESULT_FILE_FIELD.name);
  return (
    <>
      <ErrorSummary errors={summary} />
      <Form method="post" encType="multipart/form-data" noValidate onSubmit={onSubmit}>
        <input type="hidden" {...register("version")} defaultValue={String(version)} />
        <input type="hidden" {...register("confirmed")} defaultValue="yes" />
        <div className={`form-group${errorFor("source") ? " form-group--error" : ""}`}>
          <fieldset>
            <legend>{labels.sourceLegend}</legend>
            {(["fields", "upload"] as const).map((value, i) => (
              <div className="choice" key={value}>
                <input
                  type="radio"
                  id={i === 0 ? resultInputId("source") : `${resultInputId("source")}-${value}`}
                  value={value}
                  defaultChecked={source === value}
                  {...register("source")}
                />
                <label htmlFor={i === 0 ? resultInputId("source") : `${resultInputId("source")}-${value}`}>
                  {value === "fields" ? labels.sourceFields : labels.sourceUpload}
                </label>
              </div>
            ))}
          </fieldset>
        </div>
        <fieldset className="form-section" hidden={!showFields}>
          <legend className="section-title">{labels.fieldsTitle}</legend>
          {fields.map((f) => (
            <ResultFieldInput
              key={f.name}
              field={f}
              registration={register(`values.${f.name}`)}
              defaultValue={values[f.name] ?? ""}
              error={showFields ? errorFor(`values.${f.name}`, f) : undefined}
            />
          ))}
        </fieldset>
        <div className={`form-group form-section${fileError && showUpload ? " form-group--error" : ""}`} hidden={!showUpload}>
          <label htmlFor={resultInputId(RESULT_FILE_FIELD.name)} className="section-title">
            {localText(RESULT_FILE_FIELD.label, lang)}
          </label>
          <span id={`${resultInputId(RESULT_FILE_FIELD.name)}-hint`} className="hint">
            {labels.uploadHint}
          </span>
          {fileError && showUpload ? (
            <span id={`${resultInputId(RESULT_FILE_FIELD.name)}-error`} className="error-message">
              <span className="visually-hidden">{t("form.error_prefix")} </span>
              {fileError}
            </span>
          ) : null}
          <input
            type="file"
            id={resultInputId(RESULT_FILE_FIELD.name)}
            accept="application/pdf,.pdf"
            aria-describedby={`${resultInputId(RESULT_FILE_FIELD.name)}-hint${fileError && showUpload ? ` ${resultInputId(RESULT_FILE_FIELD.name)}-error` : ""}`}
            {...register(RESULT_FILE_FIELD.name)}
          />
        </div>
        <WarningText label={labels.warning} text={warning} />
        <div className="button-group">
          <button type="submit" className="button" disabled={navigation.state === "submitting"}>
            {labels.submit}
          </button>
          <Link to={cancelTo}>{labels.cancel}</Link>
        </div>
      </Form>
    </>
  );
}

function messageOf(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "message" in error && typeof error.message === "string" ? error.message : undefined;
}

/** GOV.UK warning text: what the button does that cannot be undone. */
export function WarningText({ label, text }: { label: string; text: string }) {
  return (
    <div className="warning-text">
      <span className="warning-text__icon" aria-hidden="true">
        !
      </span>
      <strong className="warning-text__text">
        <span className="visually-hidden">{label}: </span>
        {text}
      </strong>
    </div>
  );
}

const INPUT_TYPE: Record<ResultField["type"], string> = { text: "text", textarea: "text", date: "date", number: "text", select: "text" };

/** One result field with its label, hint and error (GOV.UK pattern), registered with react-hook-form. */
function ResultFieldInput({
  field,
  registration,
  defaultValue,
  error,
}: {
  field: ResultField;
  registration: UseFormRegisterReturn;
  defaultValue: string;
  error: string | undefined;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const id = resultInputId(field.name);
  const hint = field.hint ? localText(field.hint, lang) : undefined;
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  const common = {
    id,
    "aria-describedby": describedBy,
    "aria-invalid": error ? true : undefined,
    className: error ? "input--error" : undefined,
    defaultValue,
    ...registration,
  };
  return (
    <div className={`form-group${error ? " form-group--error" : ""}`}>
      <label htmlFor={id}>{localText(field.label, lang) + (field.required ? "" : ` ${t("form.optional")}`)}</label>
      {hint ? (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      ) : null}
      {error ? (
        <span id={`${id}-error`} className="error-message">
          <span className="visually-hidden">{t("form.error_prefix")} </span>
          {error}
        </span>
      ) : null}
      {field.type === "textarea" ? (
        <textarea rows={4} {...common} />
      ) : field.type === "select" ? (
        <select {...common}>
          <option value="">{t("form.choose")}</option>
          {field.options.map((o) => (
            <option key={o.value} value={o.value}>
              {localText(o.label, lang)}
            </option>
          ))}
        </select>
      ) : (
        <input type={INPUT_TYPE[field.type]} inputMode={field.type === "number" ? "decimal" : undefined} {...common} />
      )}
    </div>
  );
}
