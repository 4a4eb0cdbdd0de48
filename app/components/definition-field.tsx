import { useTranslation } from "react-i18next";
import { fieldId } from "./field-id";
import type { Field, GroupItem } from "~/core/forms/definition";
import { localText } from "~/core/text/local-text";
import { formatDateInput } from "~/utils/format";
import type { AttachmentSummary } from "~/server/dossiers/dossiers.server";

export type FieldValue = string | string[] | undefined;

/** One field that holds an answer (a repeating group is drawn by group-field.tsx, with these for its rows). */
export type OneField = Exclude<Field, { type: "group" }> | GroupItem;

type Props = {
  field: OneField;
  value: FieldValue;
  error?: string;
  attachments?: AttachmentSummary[];
  /** False where files are replaced, not removed (answering a supplement request). */
  removable?: boolean;
  /** Said under the label: where the value was filled in from (the field's `prefill`). */
  mark?: string;
  /** A verified value (core/forms/verified-prefill.ts): read-only, a choice offers only its value; the server enforces it anyway. */
  locked?: boolean;
};

const INPUT_TYPE: Partial<Record<OneField["type"], { type: string; autoComplete?: string; inputMode?: "numeric" | "tel" | "email" | "decimal" }>> = {
  text: { type: "text" },
  // Not type="date": browsers show it as their own locale writes dates (mm/dd/yyyy in many), and
  // it cannot hold a half-typed draft. A text box takes day/month/year (decision 015).
  date: { type: "text" },
  number: { type: "text", inputMode: "decimal" },
  cccd: { type: "text", inputMode: "numeric", autoComplete: "off" },
  phone: { type: "tel", autoComplete: "tel", inputMode: "tel" },
  email: { type: "email", autoComplete: "email", inputMode: "email" },
};

/** One field of a procedure's form, rendered from its definition with label, hint and error (GOV.UK pattern). */
export function DefinitionField({ field, value, error, attachments = [], removable = true, mark, locked }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const id = fieldId(field.name);
  const label = localText(field.label, lang) + (field.required ? "" : ` ${t("form.optional")}`);
  const ownHint = field.hint ? localText(field.hint, lang) : undefined;
  // A date's format is always said, after the field's own hint if it has one.
  const hintText =
    field.type === "date"
      ? [ownHint?.replace(/([^.!?])$/u, "$1."), t("form.hint_date")].filter(Boolean).join(" ")
      : (ownHint ??
        (field.type === "cccd"
          ? t("form.hint_cccd")
          : field.type === "file"
            ? t(field.maxFiles > 1 ? "form.hint_files" : "form.hint_file", {
                types: field.accept.map((a) => a.toUpperCase()).join(", "),
                max: field.maxSizeMb,
                count: field.maxFiles,
              })
            : undefined));
  const describedBy = [hintText ? `${id}-hint` : null, mark ? `${id}-prefilled` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  const single = typeof value === "string" ? (field.type === "date" ? formatDateInput(value) : value) : "";
  const many = Array.isArray(value) ? value : typeof value === "string" && value ? [value] : [];
  // A locked choice offers only its value: it posts itself, with or without JavaScript, and cannot be changed.
  const offered = <T extends { value: string }>(options: T[]) => options.filter((o) => !locked || many.includes(o.value));

  const hint = (
    <>
      {hintText ? (
        <span id={`${id}-hint`} className="hint">
          {hintText}
        </span>
      ) : null}
      {mark ? (
        <span id={`${id}-prefilled`} className="hint">
          {mark}
        </span>
      ) : null}
    </>
  );
  const errorLine = error ? (
    <span id={`${id}-error`} className="error-message">
      <span className="visually-hidden">{t("form.error_prefix")} </span>
      {error}
    </span>
  ) : null;
  const groupClass = `form-group${error ? " form-group--error" : ""}`;

  if (field.type === "radio" || (field.type === "checkbox" && field.options)) {
    const options = field.options ?? [];
    const inputType = field.type === "radio" ? "radio" : "checkbox";
    return (
      <div className={groupClass}>
        <fieldset aria-describedby={describedBy}>
          <legend>{label}</legend>
          {hint}
          {errorLine}
          {offered(options).map((o, i) => {
            const optionId = i === 0 ? id : `${id}-${o.value}`;
            return (
              <div className="choice" key={o.value}>
                <input id={optionId} type={inputType} value={o.value} defaultChecked={many.includes(o.value)} name={field.name} />
                <label htmlFor={optionId}>{localText(o.label, lang)}</label>
              </div>
            );
          })}
        </fieldset>
      </div>
    );
  }

  if (field.type === "checkbox") {
    return (
      <div className={groupClass}>
        {errorLine}
        <div className="choice">
          <input id={id} type="checkbox" value="on" defaultChecked={single === "on" || single === "true"} aria-describedby={describedBy} name={field.name} />
          <label htmlFor={id}>{label}</label>
        </div>
        {hint}
      </div>
    );
  }

  if (field.type === "file") {
    const mine = attachments.filter((a) => a.fieldName === field.name);
    return (
      <div className={groupClass}>
        <label htmlFor={id}>{label}</label>
        {hint}
        {errorLine}
        {mine.length > 0 ? (
          <ul className="attached-files">
            {mine.map((a) => (
              <li key={a.id}>
                {t("form.attached_file", { name: a.fileName, size: Math.max(1, Math.round(a.sizeBytes / 1024)) })}{" "}
                {removable ? (
                  <button type="submit" name="removeAttachment" value={String(a.id)} className="link-button" formNoValidate>
                    {t("form.remove_file", { name: a.fileName })}
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
        ) : null}
        <input
          // Made anew once the files it held are on file (with JavaScript the page is not reloaded), so
          // the next post does not send them again.
          key={mine.map((a) => a.id).join(",")}
          id={id}
          name={field.name}
          type="file"
          multiple={field.maxFiles > 1 ? true : undefined}
          accept={field.accept.map((a) => (a === "pdf" ? "application/pdf" : `image/${a}`)).join(",")}
          aria-describedby={describedBy}
        />
      </div>
    );
  }

  if (field.type === "select") {
    return (
      <div className={groupClass}>
        <label htmlFor={id}>{label}</label>
        {hint}
        {errorLine}
        <select
          id={id}
          defaultValue={single}
          aria-describedby={describedBy}
          aria-invalid={error ? true : undefined}
          className={error ? "input--error" : undefined}
          name={field.name}
        >
          {!locked && <option value="">{t("form.choose")}</option>}
          {offered(field.options).map((o) => (
            <option key={o.value} value={o.value}>
              {localText(o.label, lang)}
            </option>
          ))}
        </select>
      </div>
    );
  }

  if (field.type === "textarea" || field.type === "address") {
    return (
      <div className={groupClass}>
        <label htmlFor={id}>{label}</label>
        {hint}
        {errorLine}
        <textarea
          id={id}
          rows={field.type === "address" ? 3 : 5}
          defaultValue={single}
          autoComplete={field.type === "address" ? "street-address" : undefined}
          readOnly={locked}
          aria-describedby={describedBy}
          aria-invalid={error ? true : undefined}
          className={error ? "input--error" : undefined}
          name={field.name}
        />
      </div>
    );
  }

  const input = INPUT_TYPE[field.type] ?? { type: "text" };
  return (
    <div className={groupClass}>
      <label htmlFor={id}>{label}</label>
      {hint}
      {errorLine}
      <input
        id={id}
        type={input.type}
        inputMode={input.inputMode}
        autoComplete={input.autoComplete ?? (field.name === "applicant_name" ? "name" : field.name === "applicant_dob" ? "bday" : undefined)}
        defaultValue={single}
        readOnly={locked}
        spellCheck={field.type === "text" ? undefined : false}
        aria-describedby={describedBy}
        aria-invalid={error ? true : undefined}
        className={[field.type === "date" ? "input--date" : null, error ? "input--error" : null].filter(Boolean).join(" ") || undefined}
        name={field.name}
      />
    </div>
  );
}
