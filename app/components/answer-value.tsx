import { useTranslation } from "react-i18next";
import type { AnswerValue } from "~/core/forms/answers-schema";
import type { Field, GroupItem } from "~/core/forms/definition";
import { localText } from "~/core/text/local-text";
import { formatDate, formatNumber } from "~/utils/format";

/** An answer as a person reads it on the check-answers page and the receipt. */
export function AnswerText({ field, value }: { field: Field | GroupItem; value: AnswerValue | undefined }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  if (value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0)) return <>{t("form.not_given")}</>;
  switch (field.type) {
    case "date":
      return <>{typeof value === "string" ? formatDate(value, lang) : String(value)}</>;
    case "number":
      return <>{typeof value === "number" ? formatNumber(value, lang, Number.isInteger(value) ? 0 : 2) : String(value)}</>;
    case "select":
    case "radio": {
      const option = field.options.find((o) => o.value === value);
      return <>{option ? localText(option.label, lang) : String(value)}</>;
    }
    case "checkbox":
      if (field.options) {
        const chosen = Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [String(value)];
        return (
          <>
            {field.options
              .filter((o) => chosen.includes(o.value))
              .map((o) => localText(o.label, lang))
              .join(", ")}
          </>
        );
      }
      return <>{value === true ? t("form.yes") : t("form.no")}</>;
    case "group": {
      // Each row as a short list of its answers, named as the form names the row.
      const rows = Array.isArray(value) ? value.filter((row) => typeof row === "object" && row !== null && !Array.isArray(row)) : [];
      return (
        <ol className="answer-rows">
          {rows.map((row, i) => (
            <li key={i}>
              <span className="visually-hidden">{`${localText(field.rowLabel ?? field.label, lang)} ${i + 1}: `}</span>
              <dl className="answer-row">
                {field.fields.map((item) => (
                  <div key={item.name}>
                    <dt>{localText(item.label, lang)}</dt>
                    <dd>
                      <AnswerText field={item} value={typeof row === "object" && row !== null && !Array.isArray(row) ? row[item.name] : undefined} />
                    </dd>
                  </div>
                ))}
              </dl>
            </li>
          ))}
        </ol>
      );
    }
    default:
      return <>{String(value)}</>;
  }
}
