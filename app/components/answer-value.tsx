import { useTranslation } from "react-i18next";
import type { AnswerValue } from "~/core/forms/answers-schema";
import type { Field } from "~/core/forms/definition";
import { localText } from "~/core/text/local-text";
import { formatDate, formatNumber } from "~/utils/format";

/** An answer as a person reads it on the check-answers page and the receipt. */
export function AnswerText({ field, value }: { field: Field; value: AnswerValue | undefined }) {
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
        const chosen = Array.isArray(value) ? value : [String(value)];
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
    default:
      return <>{String(value)}</>;
  }
}
