import { formatDate } from "../../utils/format";
import { localText } from "../text/local-text";
import type { Field, FormDefinition, GroupField, GroupItem } from "./definition";

/**
 * What the form page needs at first load, kept free of zod so the browser does not download
 * the schema library until the answers are checked (see app/components/answers-control.ts, loaded with import()).
 */
export function allFields(def: FormDefinition): Field[] {
  return def.sections.flatMap((s) => s.fields);
}

/** The form's repeating groups. */
export function groupFields(def: FormDefinition): GroupField[] {
  return allFields(def).filter((f): f is GroupField => f.type === "group");
}

/** A field's name and, inside a group, its row's: `founders.0.full_name` — the post's name, the error's key, the input's id. */
export function rowFieldName(group: string, row: number, field: string): string {
  return `${group}.${row}.${field}`;
}

/** The post's count of a group's rows (a hidden input: a row of empty boxes is still a row). */
export function rowCountName(group: string): string {
  return `${group}.rows`;
}

/** A draft's answer: typed text, a multi-choice's values, or a group's rows of those. */
export type DraftRow = Record<string, string | string[]>;
export type DraftValue = string | string[] | DraftRow[];
export type DraftValues = Record<string, DraftValue>;

export function fileFields(def: FormDefinition) {
  return allFields(def).filter((f): f is Extract<Field, { type: "file" }> => f.type === "file");
}

/** A date bound as a date: "today" is the caller's today (YYYY-MM-DD, Vietnam). */
export function resolveDate(bound: string, today: string): string {
  return bound === "today" ? today : bound;
}

/** Values to interpolate in a field's error message ("at most {{max}} characters"); dates written as `lang` writes them. */
export function fieldErrorParams(field: Field, today: string, lang: string): Record<string, string | number> {
  switch (field.type) {
    case "text":
      return { max: field.maxLength, min: field.minLength ?? 0 };
    case "textarea":
      return { max: field.maxLength };
    case "address":
      return { max: 300 };
    case "date":
      return { min: field.min ? formatDate(resolveDate(field.min, today), lang) : "", max: field.max ? formatDate(resolveDate(field.max, today), lang) : "" };
    case "number":
      return { min: field.min ?? "", max: field.max ?? "" };
    case "file":
      return { max: field.maxSizeMb, count: field.maxFiles };
    case "group":
      return { min: field.minRows, max: field.maxRows };
    default:
      return {};
  }
}

/**
 * How the error summary names each field: its label without closing punctuation (declarations end
 * with a full stop), after its section's title when another field of the form carries the same
 * label, so "Date of birth" of the applicant and of the child read "Applicant — Date of birth".
 */
export function summaryLabels(def: FormDefinition, lang: string): Map<string, string> {
  const label = (f: Field) => localText(f.label, lang).replace(/[.:;\s]+$/u, "");
  const uses = new Map<string, number>();
  for (const f of allFields(def)) uses.set(label(f), (uses.get(label(f)) ?? 0) + 1);
  const out = new Map<string, string>();
  for (const section of def.sections) {
    const title = localText(section.title, lang).replace(/[.:;\s]+$/u, "");
    for (const f of section.fields) {
      out.set(f.name, (uses.get(label(f)) ?? 0) > 1 ? `${title} — ${label(f)}` : label(f));
      // A row's field: "Founders 2 — Full name" (rows are named when the error is, see rowLabel).
      if (f.type === "group") for (const item of f.fields) out.set(`${f.name}.*.${item.name}`, localText(item.label, lang).replace(/[.:;\s]+$/u, ""));
    }
  }
  return out;
}

/** What the browser sent for one field (files aside), as a string or, for a multi-choice checkbox, a list. */
function sentValue(field: Field | GroupItem, form: FormData, name: string): string | string[] | undefined {
  if (field.type === "checkbox" && field.options) return form.getAll(name).filter((v): v is string => typeof v === "string");
  const v = form.get(name);
  return typeof v === "string" ? v : undefined;
}

/** How many rows of a group a post carries (its hidden count), within the group's bounds of what can be shown. */
export function sentRowCount(group: GroupField, form: FormData): number {
  const v = form.get(rowCountName(group.name));
  const n = typeof v === "string" && /^\d{1,3}$/.test(v) ? Number(v) : 0;
  return Math.min(n, group.maxRows);
}

/** What the browser sent for the form's own fields, as strings (multi-choice checkboxes as arrays, groups as rows). */
export function rawAnswers(def: FormDefinition, form: FormData): DraftValues {
  const raw: DraftValues = {};
  for (const field of allFields(def)) {
    if (field.type === "file") continue;
    if (field.type === "group") {
      // No row count: the group was not on the page (an answer hid it when the page was made). It is
      // then not answered — not answered with no rows — so once an answer shows it, it starts with its fewest rows.
      if (form.get(rowCountName(field.name)) === null) continue;
      const rows: DraftRow[] = [];
      for (let i = 0; i < sentRowCount(field, form); i++) {
        const row: DraftRow = {};
        for (const item of field.fields) {
          const v = sentValue(item, form, rowFieldName(field.name, i, item.name));
          if (v !== undefined) row[item.name] = v;
        }
        rows.push(row);
      }
      raw[field.name] = rows;
      continue;
    }
    const v = sentValue(field, form, field.name);
    if (v !== undefined) raw[field.name] = v;
  }
  return raw;
}

/** One stored value as a draft keeps it: text cut to a sane length, lists of short strings. */
function draftValue(v: unknown): string | string[] | undefined {
  if (typeof v === "string") return v.slice(0, 5000);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v))
    return v
      .filter((x): x is string => typeof x === "string")
      .slice(0, 50)
      .map((x) => x.slice(0, 100));
  return undefined;
}

/**
 * Draft answers are kept as typed, unvalidated, so nothing typed is lost. Only
 * fields that exist in the definition survive, each cut to a sane length; this
 * is also how a draft made on an older form version is carried to a newer one.
 */
export function draftAnswers(def: FormDefinition, raw: Record<string, unknown>): DraftValues {
  const out: DraftValues = {};
  for (const field of allFields(def)) {
    if (field.type === "file") continue;
    const v = raw[field.name];
    if (field.type === "group") {
      if (!Array.isArray(v)) continue;
      out[field.name] = v.slice(0, field.maxRows).map((row: unknown) => {
        const kept: DraftRow = {};
        if (typeof row !== "object" || row === null) return kept;
        const cells = new Map(Object.entries(row));
        for (const item of field.fields) {
          const value = draftValue(cells.get(item.name));
          if (value !== undefined) kept[item.name] = value;
        }
        return kept;
      });
      continue;
    }
    const value = draftValue(v);
    if (value !== undefined) out[field.name] = value;
  }
  return out;
}

/**
 * The answers a post gives. Answering a supplement request (`only`), just the requested fields are
 * taken from the post, on top of the dossier's answers (`base`); a requested field sent empty is
 * emptied. Otherwise every field comes from the post.
 */
export function postedAnswers(def: FormDefinition, form: FormData, only?: { names: readonly string[]; base: DraftValues }): DraftValues {
  const sent = rawAnswers(def, form);
  if (!only) return draftAnswers(def, sent);
  const picked = Object.fromEntries(
    allFields(def)
      .filter((f) => f.type !== "file" && only.names.includes(f.name))
      .map((f) => [f.name, sent[f.name] ?? (f.type === "checkbox" || f.type === "group" ? [] : "")]),
  );
  return { ...only.base, ...draftAnswers(def, picked) };
}
