import { formatDate } from "../../utils/format";
import { localText } from "../text/local-text";
import type { Field, FormDefinition } from "./definition";

/**
 * What the form page needs at first load, kept free of zod so the browser does not download
 * the schema library until the answers are checked (see app/components/answers-control.ts, loaded with import()).
 */
export function allFields(def: FormDefinition): Field[] {
  return def.sections.flatMap((s) => s.fields);
}

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
      return { max: field.maxSizeMb };
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
    for (const f of section.fields) out.set(f.name, (uses.get(label(f)) ?? 0) > 1 ? `${title} — ${label(f)}` : label(f));
  }
  return out;
}

/** What the browser sent for the form's own fields, as strings (multi-choice checkboxes as arrays). */
export function rawAnswers(def: FormDefinition, form: FormData): Record<string, string | string[]> {
  const raw: Record<string, string | string[]> = {};
  for (const field of allFields(def)) {
    if (field.type === "file") continue;
    if (field.type === "checkbox" && field.options) {
      raw[field.name] = form.getAll(field.name).filter((v): v is string => typeof v === "string");
    } else {
      const v = form.get(field.name);
      if (typeof v === "string") raw[field.name] = v;
    }
  }
  return raw;
}

/**
 * Draft answers are kept as typed, unvalidated, so nothing typed is lost. Only
 * fields that exist in the definition survive, each cut to a sane length; this
 * is also how a draft made on an older form version is carried to a newer one.
 */
export function draftAnswers(def: FormDefinition, raw: Record<string, unknown>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const field of allFields(def)) {
    if (field.type === "file") continue;
    const v = raw[field.name];
    if (typeof v === "string") out[field.name] = v.slice(0, 5000);
    else if (typeof v === "number" || typeof v === "boolean") out[field.name] = String(v);
    else if (Array.isArray(v))
      out[field.name] = v
        .filter((x): x is string => typeof x === "string")
        .slice(0, 50)
        .map((x) => x.slice(0, 100));
  }
  return out;
}

/**
 * The answers a post gives. Answering a supplement request (`only`), just the requested fields are
 * taken from the post, on top of the dossier's answers (`base`); a requested field sent empty is
 * emptied. Otherwise every field comes from the post.
 */
export function postedAnswers(
  def: FormDefinition,
  form: FormData,
  only?: { names: readonly string[]; base: Record<string, string | string[]> },
): Record<string, string | string[]> {
  const sent = rawAnswers(def, form);
  if (!only) return draftAnswers(def, sent);
  const picked = Object.fromEntries(
    allFields(def)
      .filter((f) => f.type !== "file" && only.names.includes(f.name))
      .map((f) => [f.name, sent[f.name] ?? (f.type === "checkbox" ? [] : "")]),
  );
  return { ...only.base, ...draftAnswers(def, picked) };
}
