import { zodResolver } from "@hookform/resolvers/zod";
import { createFormControl, type FieldErrors, type FieldValues, type Resolver, type UseFormProps } from "react-hook-form";
import { answersState, buildAnswersSchema } from "~/core/forms/answers-schema";
import { checkChosenFiles, type FileField } from "~/core/forms/attachments";
import type { FormDefinition } from "~/core/forms/definition";
import { formExit, stateView } from "~/core/forms/visibility";
import { allFields, fileFields, groupFields, postedAnswers, type DraftValues } from "~/core/forms/fields";

export { AnswersWatch, type LiveRows } from "./answers-watch";

/** react-hook-form's own type for a form's values: a form built from data has no static shape. */
type Answers = FieldValues;

export type AnswersControlInput = {
  definition: FormDefinition;
  today: string;
  /** Answering a supplement request: only these fields are posted; the rest keep their saved values. */
  only?: { names: readonly string[]; base: DraftValues };
  /** The fields this page shows: the others are not the citizen's to fix here. */
  shown: (name: string) => boolean;
  /** Why a file input left empty is an error (null: it may stay empty). */
  missingFile: (field: FileField) => string | null;
  /** The answers on the page when the control is made (read from the form, as the server would). */
  defaultValues?: DraftValues;
};

/**
 * The browser's check of a procedure's form, kept by react-hook-form (createFormControl: the same
 * form state useForm keeps, made outside a component so that it, zod and the schema are loaded with
 * import() on first use, not with the page; decision 019). Its resolver reads the answers exactly as
 * the server does, from the form's data (checkboxes, dates as typed, files), and parses them with the
 * one zod schema through zodResolver; the chosen files are checked by their size and first bytes.
 * The server checks every post again.
 */
export function createAnswersControl(input: AnswersControlInput) {
  let read: () => FormData = () => new FormData();
  const schema = zodResolver(buildAnswersSchema(input.definition, input.today));
  const groups = new Set(groupFields(input.definition).map((g) => g.name));
  const resolver: Resolver<Answers> = async (_values, context, options) => {
    const data = read();
    const answers = postedAnswers(input.definition, data, input.only);
    const [parsed, files] = await Promise.all([
      schema(answers, context, options),
      checkChosenFiles({ fields: fileFields(input.definition).filter((f) => input.shown(f.name)), form: data, missing: input.missingFile }),
    ]);
    const errors: FieldErrors<Answers> = {};
    for (const [name, message] of Object.entries(messagesOf(parsed.errors, groups)))
      if (input.shown(name.split(".")[0] ?? name)) errors[name] = { type: "schema", message };
    // A file's own finding (its type, its size) says more than the schema's.
    for (const [name, message] of Object.entries(files)) errors[name] = { type: "file", message };
    return Object.keys(errors).length > 0 ? { values: {}, errors } : { values: answers, errors: {} };
  };
  const options = { resolver, mode: "onSubmit", reValidateMode: "onChange", shouldFocusError: false } satisfies UseFormProps<Answers>;
  const control = createFormControl<Answers>({ ...options, defaultValues: input.defaultValues });
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  return {
    /** The form control AnswersWatch watches (answers-watch.tsx), and its options: useForm takes both. */
    formControl: control.formControl,
    options,
    /**
     * Takes the answers as the form now holds them (postedAnswers of its data) into the control, each
     * answer that changed on its own path: a row field as `group.row.field`, so the rows' field arrays
     * keep their keys. The rows themselves are added and removed through the field arrays; a group
     * whose rows the page shows but the array does not hold (it appeared after an answer) is taken whole.
     */
    sync(answers: DraftValues) {
      for (const field of allFields(input.definition)) {
        if (field.type === "file") continue;
        const value = answers[field.name];
        if (field.type !== "group") {
          if (!same(control.getValues(field.name), value)) control.setValue(field.name, value);
          continue;
        }
        if (!Array.isArray(value)) continue;
        // Rows the page shows that the field array does not hold yet (the group appeared after an answer): taken whole.
        const held: unknown = control.getValues(field.name);
        if (!Array.isArray(held) || held.length !== value.length) {
          control.setValue(field.name, value);
          continue;
        }
        value.forEach((row, i) => {
          if (typeof row !== "object") return;
          for (const item of field.fields) {
            const path = `${field.name}.${i}.${item.name}`;
            if (!same(control.getValues(path), row[item.name])) control.setValue(path, row[item.name]);
          }
        });
      }
    },
    /** Checks the form as it would be posted (`formData`: its data now): its findings by field name (i18n keys), none when it may be sent. */
    async check(formData: () => FormData): Promise<Record<string, string>> {
      read = formData;
      let found: Record<string, string> = {};
      await control.handleSubmit(
        () => undefined,
        (errors) => {
          found = messagesOf(errors, groups);
        },
      )();
      return found;
    },
  };
}

/** Which fields these answers show and require, each answer read as the server reads it (core/forms/visibility.ts). */
export function shownNow(definition: FormDefinition, today: string, answers: Record<string, unknown>) {
  return stateView(answersState(definition, answers, today));
}

/** Whether these answers lead out of the online procedure (the form's `exits`): the server then shows where to go, whatever else is missing. */
export function exitsNow(definition: FormDefinition, today: string, answers: Record<string, unknown>): boolean {
  return formExit(definition, answersState(definition, answers, today)) !== null;
}

/**
 * The first message of each field's errors (a field's error may nest, e.g. for a list), keyed as
 * the form names its inputs: a repeating group's row field as `group.row.field`, the group's own
 * error (too few rows) as `group`.
 */
export function messagesOf(errors: object, groups: ReadonlySet<string> = new Set()): Record<string, string> {
  const first = (value: unknown): string | undefined => {
    if (typeof value !== "object" || value === null) return undefined;
    if ("message" in value && typeof value.message === "string" && value.message) return value.message;
    for (const nested of Object.values(value)) {
      const found = first(nested);
      if (found) return found;
    }
    return undefined;
  };
  const out: Record<string, string> = {};
  for (const [name, error] of Object.entries(errors)) {
    if (groups.has(name) && typeof error === "object" && error !== null) {
      if ("message" in error && typeof error.message === "string" && error.message) out[name] = error.message;
      // react-hook-form keeps a list's rows by index: { 0: { full_name: { message } } }.
      for (const [row, fields] of Object.entries(error)) {
        if (!/^\d+$/.test(row) || typeof fields !== "object" || fields === null) continue;
        for (const [field, fieldError] of Object.entries(fields)) {
          const message = first(fieldError);
          if (message) out[`${name}.${row}.${field}`] = message;
        }
      }
      if ("root" in error) out[name] ??= first(error.root) ?? "";
      if (!out[name]) delete out[name];
      continue;
    }
    const message = first(error);
    if (message) out[name] = message;
  }
  return out;
}
