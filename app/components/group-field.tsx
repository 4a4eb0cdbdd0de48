import { useTranslation } from "react-i18next";
import type { GroupField as Group } from "~/core/forms/definition";
import { rowCountName, rowFieldName, type DraftRow } from "~/core/forms/fields";
import { localText } from "~/core/text/local-text";
import { DefinitionField } from "./definition-field";
import { fieldId } from "./field-id";

type Props = {
  group: Group;
  rows: DraftRow[];
  /** The message for a name (the group's own, or a row field's `group.row.field`), already translated. */
  errorFor: (name: string) => string | undefined;
  /** Each row's key, when the browser keeps the rows (react-hook-form's field array): a row keeps its boxes when another is removed. */
  rowKeys?: readonly string[];
  /** With JavaScript, once the form's control has loaded: the row buttons change the rows here instead of posting. */
  onAdd?: (rows: number) => void;
  onRemove?: (row: number, rows: number) => void;
};

/** A row's name, as its legend says it and the error summary names it: "Thành viên 2". */
export function rowName(group: Group, row: number, lang: string): string {
  return `${localText(group.rowLabel ?? group.label, lang)} ${row + 1}`;
}

/**
 * A repeating group (GOV.UK "add another"): each row a fieldset named by its number, with its
 * fields; "Add another" and "Remove" post back (they work without JavaScript, and save the draft).
 * The row count travels in a hidden input, so a row of empty boxes is still a row.
 */
export function GroupFieldset({ group, rows, errorFor, rowKeys, onAdd, onRemove }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const id = fieldId(group.name);
  const error = errorFor(group.name);
  const label = localText(group.label, lang) + (group.required ? "" : ` ${t("form.optional")}`);
  const hint = group.hint ? localText(group.hint, lang) : t("form.hint_rows", { min: group.required ? group.minRows : 0, max: group.maxRows });
  // Rows may be removed down to the fewest the group needs (none, when it is optional).
  const removable = rows.length > (group.required ? group.minRows : 0);
  return (
    <div className={`form-group${error ? " form-group--error" : ""}`}>
      <fieldset id={id} tabIndex={-1} className="group-field" aria-describedby={[`${id}-hint`, error ? `${id}-error` : null].filter(Boolean).join(" ")}>
        <legend>{label}</legend>
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
        {error ? (
          <span id={`${id}-error`} className="error-message">
            <span className="visually-hidden">{t("form.error_prefix")} </span>
            {error}
          </span>
        ) : null}
        <input type="hidden" name={rowCountName(group.name)} value={rows.length} />
        {rows.map((row, i) => (
          // Keyed by what the row holds too: after "Remove" posted back (the page is not reloaded with
          // JavaScript) the boxes of a row that now holds another row's answers are made anew with them.
          <fieldset key={rowKeys?.[i] ?? `${i}:${JSON.stringify(row)}`} className="group-row" id={`${id}-row-${i}`} tabIndex={-1}>
            <legend>{rowName(group, i, lang)}</legend>
            {group.fields.map((item) => {
              const name = rowFieldName(group.name, i, item.name);
              return <DefinitionField key={name} field={{ ...item, name }} value={row[item.name]} error={errorFor(name)} />;
            })}
            {removable ? (
              <button
                type="submit"
                name="intent"
                value={`remove:${group.name}:${i}`}
                className="link-button"
                formNoValidate
                onClick={
                  onRemove
                    ? (event) => {
                        event.preventDefault();
                        onRemove(i, rows.length);
                      }
                    : undefined
                }
              >
                {t("form.remove_row", { name: rowName(group, i, lang) })}
              </button>
            ) : null}
          </fieldset>
        ))}
        {rows.length < group.maxRows ? (
          <button
            type="submit"
            name="intent"
            value={`add:${group.name}`}
            className="button button--secondary"
            formNoValidate
            onClick={
              onAdd
                ? (event) => {
                    event.preventDefault();
                    onAdd(rows.length);
                  }
                : undefined
            }
          >
            {t("form.add_row", { name: localText(group.rowLabel ?? group.label, lang) })}
          </button>
        ) : (
          <p className="hint">{t("form.rows_full", { max: group.maxRows })}</p>
        )}
      </fieldset>
    </div>
  );
}
