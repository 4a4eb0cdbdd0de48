import * as z from "zod";
import { TypedDateSchema } from "../validation/date-schema";
import { isValidCccd, normalizePhone } from "../validation/vn";
import type { Field, FormDefinition, GroupField, GroupItem } from "./definition";
import { allFields, resolveDate } from "./fields";
import { formState, hasRules, type FormState } from "./visibility";

export { fieldErrors } from "./field-errors";
export { draftAnswers, fieldErrorParams } from "./fields";

/**
 * Error messages are i18n keys under `form.errors`; the UI translates them and
 * fills in the bounds from the field definition (see fieldErrorParams).
 */
export const FormErrorKey = {
  required: "form.errors.required",
  tooShort: "form.errors.too_short",
  tooLong: "form.errors.too_long",
  date: "form.errors.date",
  dateYear: "form.errors.date_year",
  dateNotReal: "form.errors.date_not_real",
  dateMin: "form.errors.date_min",
  dateMax: "form.errors.date_max",
  number: "form.errors.number",
  integer: "form.errors.integer",
  numberMin: "form.errors.number_min",
  numberMax: "form.errors.number_max",
  option: "form.errors.option",
  mustTick: "form.errors.must_tick",
  cccd: "form.errors.cccd",
  phone: "form.errors.phone",
  email: "form.errors.email",
  tooFewRows: "form.errors.too_few_rows",
  tooManyRows: "form.errors.too_many_rows",
} as const;

/** One answer as checked and stored: a group's is its rows, each a record of its fields' answers. */
export type ScalarAnswer = string | number | boolean | string[] | null;
export type AnswerRow = { [field: string]: AnswerValue };
export type AnswerValue = ScalarAnswer | AnswerRow[];
export type Answers = Record<string, AnswerValue>;

/** Form posts give strings; an absent or blank value counts as not answered. */
const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const trimmed = (v: unknown) => (typeof v === "string" ? v.trim() : v);

/** Blank counts as not answered: "required" for a required field (not "invalid date"), null for an optional one. */
function optionalUnless(required: boolean, schema: z.ZodType<ScalarAnswer>): z.ZodType<ScalarAnswer> {
  if (!required)
    return z.preprocess(
      blankToUndefined,
      schema.optional().transform((v) => v ?? null),
    );
  return z.preprocess(
    blankToUndefined,
    z
      .unknown()
      .refine((v): boolean => v !== undefined, { error: FormErrorKey.required, abort: true })
      .pipe(schema),
  );
}

function fieldSchema(field: Field, today: string): z.ZodType<AnswerValue> {
  if (field.type === "group") return groupSchema(field, today);
  return itemSchema(field, today);
}

/**
 * A group's rows: each row checked by its fields' schemas (an error keyed `group.row.field`), and
 * between minRows and maxRows rows while the group is required (an optional one may have none).
 */
function groupSchema(group: GroupField, today: string): z.ZodType<AnswerValue> {
  const row = fieldsSchema(group.fields, today);
  return z
    .preprocess((v) => (Array.isArray(v) ? v : []), z.array(row))
    .superRefine((rows, ctx) => {
      if (rows.length > group.maxRows) ctx.addIssue({ code: "custom", message: FormErrorKey.tooManyRows });
      else if (group.required && rows.length < group.minRows)
        ctx.addIssue({ code: "custom", message: rows.length === 0 ? FormErrorKey.required : FormErrorKey.tooFewRows });
    });
}

function itemSchema(field: Exclude<Field, GroupField>, today: string): z.ZodType<ScalarAnswer> {
  const req = { error: FormErrorKey.required };
  switch (field.type) {
    case "text": {
      let s = z.string(req).max(field.maxLength, FormErrorKey.tooLong);
      if (field.minLength) s = s.min(field.minLength, FormErrorKey.tooShort);
      return optionalUnless(field.required, z.preprocess(trimmed, s));
    }
    case "textarea":
    case "address":
      return optionalUnless(field.required, z.preprocess(trimmed, z.string(req).max(field.type === "address" ? 300 : field.maxLength, FormErrorKey.tooLong)));
    case "date": {
      const min = field.min ? resolveDate(field.min, today) : undefined;
      const max = field.max ? resolveDate(field.max, today) : undefined;
      // Typed as day/month/year (utils/format.ts parseDate); the answer is kept as an ISO date.
      const s = TypedDateSchema.refine((d) => !min || d >= min, FormErrorKey.dateMin).refine((d) => !max || d <= max, FormErrorKey.dateMax);
      return optionalUnless(field.required, z.preprocess(trimmed, s));
    }
    case "number": {
      const s = z
        .preprocess((v) => (typeof v === "string" ? Number(v.trim().replace(",", ".")) : v), z.number({ error: FormErrorKey.number }))
        .refine((n) => Number.isFinite(n), FormErrorKey.number)
        .refine((n) => !field.integer || Number.isInteger(n), FormErrorKey.integer)
        .refine((n) => field.min === undefined || n >= field.min, FormErrorKey.numberMin)
        .refine((n) => field.max === undefined || n <= field.max, FormErrorKey.numberMax);
      return optionalUnless(field.required, s);
    }
    case "select":
    case "radio": {
      const values = field.options.map((o) => o.value);
      const s = z.string(req).refine((v) => values.includes(v), FormErrorKey.option);
      return optionalUnless(field.required, s);
    }
    case "checkbox": {
      if (field.options) {
        const values = field.options.map((o) => o.value);
        const s = z
          .preprocess((v) => (v === undefined || v === null || v === false ? [] : Array.isArray(v) ? v : [v]), z.array(z.string()))
          .refine((arr) => arr.every((v) => values.includes(v)), FormErrorKey.option)
          .refine((arr) => !field.required || arr.length > 0, FormErrorKey.required);
        return s;
      }
      const s = z.preprocess((v) => v === true || v === "on" || v === "true", z.boolean()).refine((b) => !field.required || b, FormErrorKey.mustTick);
      return s;
    }
    case "cccd":
      return optionalUnless(
        field.required,
        z.preprocess((v) => (typeof v === "string" ? v.replace(/\s/g, "") : v), z.string(req).refine(isValidCccd, FormErrorKey.cccd)),
      );
    case "phone":
      return optionalUnless(
        field.required,
        z.string(req).transform((v, ctx) => {
          const phone = normalizePhone(v);
          if (!phone) {
            ctx.addIssue({ code: "custom", message: FormErrorKey.phone });
            return z.NEVER;
          }
          return phone;
        }),
      );
    case "email":
      return optionalUnless(
        field.required,
        z.preprocess(
          trimmed,
          z
            .string(req)
            .max(254, FormErrorKey.tooLong)
            .pipe(z.email({ error: FormErrorKey.email }))
            .transform((e) => e.toLowerCase()),
        ),
      );
    case "file":
      // Attachments travel apart from the answers; see missingAttachments.
      return z.any().transform(() => null);
  }
}

/**
 * The one schema for a form's answers: built from the definition, run by the
 * server action and in the browser (react-hook-form's resolver in app/components/answers-control.ts, loaded when needed). `today` (YYYY-MM-DD in
 * Vietnam's time zone) resolves "today" date bounds; callers pass it so that
 * server and client agree and tests are deterministic.
 */
export function buildAnswersSchema(def: FormDefinition, today: string) {
  // Building costs ~2 ms (zod 4 compiles each field); a submission checks the same definition
  // several times a day, so the schema is kept per definition object and day.
  let byDay = builtSchemas.get(def);
  if (!byDay) builtSchemas.set(def, (byDay = new Map()));
  const cached = byDay.get(today);
  if (cached) return cached;
  const schema = answersSchema(def, today);
  // Two days are enough around midnight (a form opened before, sent after); older ones go.
  if (byDay.size >= 2) byDay.clear();
  byDay.set(today, schema);
  return schema;
}
const builtSchemas = new WeakMap<FormDefinition, Map<string, ReturnType<typeof answersSchema>>>();

function answersSchema(def: FormDefinition, today: string): z.ZodType<Answers, Record<string, unknown>> {
  if (!hasRules(def)) return fieldsSchema(allFields(def), today);
  const schemas = new Map<string, z.ZodType<AnswerValue>>();
  const schemaOf = (field: Field, required: boolean) => {
    const key = `${field.name}:${required}`;
    let schema = schemas.get(key);
    if (!schema) schemas.set(key, (schema = fieldSchema({ ...field, required }, today)));
    return schema;
  };
  // Which fields are shown follows from the answers (./visibility.ts): each shown field is checked
  // as required or not as its rules say now; a hidden one is neither checked nor kept.
  return z.record(z.string(), z.unknown()).transform((raw, ctx) => {
    const out: Answers = {};
    for (const { field, required } of answersState(def, raw, today, schemaOf).shown) {
      if (field.type === "file") continue;
      const parsed = schemaOf(field, required).safeParse(raw[field.name]);
      if (parsed.success) out[field.name] = parsed.data;
      else for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: [field.name, ...issue.path] });
    }
    return out;
  });
}

/**
 * Which fields these answers show and require (./visibility.ts), the rules comparing each answer as
 * its field reads it (a number as a number, a date as an ISO date; blank or not valid yet: null).
 */
export function answersState(
  def: FormDefinition,
  raw: Readonly<Record<string, unknown>>,
  today: string,
  schemaOf: (field: Field, required: boolean) => z.ZodType<AnswerValue> = (field) => optionalSchema(def, field, today),
): FormState {
  return formState(def, raw, (field, value) => {
    const parsed = schemaOf(field, false).safeParse(value);
    return parsed.success ? parsed.data : null;
  });
}

/**
 * The schema for a list of declared fields (files excepted): a form's answers, or the result fields an
 * officer fills to issue a result (core/results/result-fields.ts).
 */
export function fieldsSchema(fields: readonly (Field | GroupItem)[], today: string) {
  const shape: Record<string, z.ZodType<AnswerValue>> = {};
  for (const field of fields) {
    if (field.type === "file") continue;
    shape[field.name] = fieldSchema(field, today);
  }
  // strip: unknown keys (a stale field, a forged one) never reach storage.
  return z.object(shape).strip();
}

/** A field's schema as an optional one, kept per definition and day (the browser reads the state at each change). */
function optionalSchema(def: FormDefinition, field: Field, today: string): z.ZodType<AnswerValue> {
  let kept = optionalSchemas.get(def);
  // A new day resolves "today" bounds anew: the day before's schemas go.
  if (kept?.today !== today) optionalSchemas.set(def, (kept = { today, byName: new Map() }));
  let schema = kept.byName.get(field.name);
  if (!schema) kept.byName.set(field.name, (schema = fieldSchema({ ...field, required: false }, today)));
  return schema;
}
const optionalSchemas = new WeakMap<FormDefinition, { today: string; byName: Map<string, z.ZodType<AnswerValue>> }>();

/** File fields required now (shown, and required by their rules for these answers) with no attachment yet. */
export function missingAttachments(def: FormDefinition, attachedFieldNames: ReadonlySet<string>, state: FormState): string[] {
  return state.shown.filter(({ field, required }) => field.type === "file" && required && !attachedFieldNames.has(field.name)).map(({ field }) => field.name);
}

function isScalarAnswer(v: unknown): v is ScalarAnswer {
  return v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean" || (Array.isArray(v) && v.every((x) => typeof x === "string"));
}

function isAnswerRow(v: unknown): v is AnswerRow {
  return typeof v === "object" && v !== null && !Array.isArray(v) && Object.values(v).every(isScalarAnswer);
}

function isAnswerValue(v: unknown): v is AnswerValue {
  return isScalarAnswer(v) || (Array.isArray(v) && v.every(isAnswerRow));
}

/** Answers as stored (JSON) back to their typed shape, dropping anything that is not an answer. */
export function storedAnswers(raw: Record<string, unknown>): Answers {
  return Object.fromEntries(Object.entries(raw).filter((entry): entry is [string, AnswerValue] => isAnswerValue(entry[1])));
}
