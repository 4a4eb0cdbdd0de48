/**
 * Answers as a person reads them: an option's label instead of its value, a date and a number as the
 * language writes them, "not given" for nothing. The check-answers page and the officer's view render
 * them through components/answer-value.tsx; the citizen's dossier page receives them as plain text
 * (declaredAnswers), so that page loads no code for it (its JavaScript budget).
 */
import type { AnswerRow, AnswerValue, Answers } from "./answers-schema";
import type { Field, FormDefinition, GroupItem } from "./definition";
import { localText } from "../text/local-text";
import { formatDate, formatNumber } from "../../utils/format";

/** The words an answer may be said with, in the reader's language (form.not_given, form.yes, form.no). */
export type AnswerWords = { notGiven: string; yes: string; no: string };

type OneField = Exclude<Field, { type: "group" }> | GroupItem;

const isEmpty = (value: AnswerValue | undefined) => value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0);

/** One answer of a field that is not a repeating group, as text. */
export function answerText(field: OneField, value: AnswerValue | undefined, lang: string, words: AnswerWords): string {
  if (value === undefined || isEmpty(value)) return words.notGiven;
  switch (field.type) {
    case "date":
      return typeof value === "string" ? formatDate(value, lang) : String(value);
    case "number":
      return typeof value === "number" ? formatNumber(value, lang, Number.isInteger(value) ? 0 : 2) : String(value);
    case "select":
    case "radio": {
      const option = field.options.find((o) => o.value === value);
      return option ? localText(option.label, lang) : String(value);
    }
    case "checkbox": {
      if (!field.options) return value === true ? words.yes : words.no;
      const chosen = Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [String(value)];
      return field.options
        .filter((o) => chosen.includes(o.value))
        .map((o) => localText(o.label, lang))
        .join(", ");
    }
    default:
      return String(value);
  }
}

/** A repeating group's rows as stored (objects only). */
export function answerRows(value: AnswerValue | undefined): AnswerRow[] {
  return Array.isArray(value) ? value.filter((row): row is AnswerRow => typeof row === "object" && row !== null && !Array.isArray(row)) : [];
}

/** `action`: the row's third cell (summary-list.tsx), here the "Verified" mark of an answer from the population database. */
export type DeclaredSection = { title: string; rows: { label: string; value: string; action?: string }[] };

/**
 * What a dossier declared, section by section, as the form version it was made on asks it: each
 * shown field's label and answer; a repeating group's answers one per row and item ("Thành viên 2 —
 * Họ tên"); files left out (the dossier lists its files); fields the answers hid left out (not asked).
 * `verified`: the dossier's verified answers (dossiers.verified_fields), each marked with `mark`.
 */
export function declaredAnswers(
  def: FormDefinition,
  answers: Answers,
  hidden: readonly string[],
  lang: string,
  words: AnswerWords,
  verified?: { fields: readonly string[]; mark: string },
): DeclaredSection[] {
  const sections: DeclaredSection[] = [];
  for (const section of def.sections) {
    const rows: DeclaredSection["rows"] = [];
    for (const field of section.fields) {
      if (field.type === "file" || hidden.includes(field.name)) continue;
      if (field.type !== "group") {
        const row = { label: localText(field.label, lang), value: answerText(field, answers[field.name], lang, words) };
        rows.push(verified?.fields.includes(field.name) ? { ...row, action: verified.mark } : row);
        continue;
      }
      const given = answerRows(answers[field.name]);
      if (given.length === 0) rows.push({ label: localText(field.label, lang), value: words.notGiven });
      given.forEach((row, i) => {
        const rowName = `${localText(field.rowLabel ?? field.label, lang)} ${i + 1}`;
        for (const item of field.fields)
          rows.push({ label: `${rowName} — ${localText(item.label, lang)}`, value: answerText(item, row[item.name], lang, words) });
      });
    }
    if (rows.length > 0) sections.push({ title: localText(section.title, lang), rows });
  }
  return sections;
}
