import { useTranslation } from "react-i18next";
import type { AnswerValue } from "~/core/forms/answers-schema";
import type { Field, GroupItem } from "~/core/forms/definition";
import { localText } from "~/core/text/local-text";
import { answerRows, answerText } from "~/core/forms/answer-text";

/** An answer as a person reads it on the check-answers page and the officer's view (core/forms/answer-text.ts). */
export function AnswerText({ field, value }: { field: Field | GroupItem; value: AnswerValue | undefined }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  if (field.type !== "group") return <>{answerText(field, value, lang, { notGiven: t("form.not_given"), yes: t("form.yes"), no: t("form.no") })}</>;
  const rows = answerRows(value);
  if (rows.length === 0) return <>{t("form.not_given")}</>;
  // Each row as a short list of its answers, named as the form names the row.
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
                  <AnswerText field={item} value={row[item.name]} />
                </dd>
              </div>
            ))}
          </dl>
        </li>
      ))}
    </ol>
  );
}
