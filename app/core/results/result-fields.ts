import * as z from "zod";
import { ConfirmedSchema, VersionSchema } from "../dossiers/officer-actions";
import { fieldsSchema, type AnswerValue } from "../forms/answers-schema";
import { FieldSchema, type Field } from "../forms/definition";

/**
 * What an officer gives to issue a result: either the signed result document (a PDF), or the
 * procedure's result fields (certificate number, register book number, decision…), declared per
 * procedure like its form (db/seed-data/procedures.json, key `resultFields`), from which the signed
 * e-result PDF is made. One schema, built from the declaration, is run by the issue page's action
 * and in the browser (react-hook-form's resolver).
 */

/** Kinds of field a result is made of: what is written on a certificate or a decision. */
const RESULT_FIELD_TYPES: ReadonlySet<Field["type"]> = new Set(["text", "textarea", "date", "number", "select"]);
/** Names the issue form uses for itself. */
const RESERVED_NAMES: ReadonlySet<string> = new Set(["source", "confirmed", "version", "values", "result_file", "intent"]);
/** All text fields at full length must fit a plain form post (64 KiB at 9 bytes per Vietnamese letter). */
const MAX_TOTAL_CHARS = 6000;

export type ResultField = Extract<Field, { type: "text" | "textarea" | "date" | "number" | "select" }>;

const isResultField = (field: Field): field is ResultField => RESULT_FIELD_TYPES.has(field.type);

export const ResultFieldsSchema = z
  .array(FieldSchema)
  .min(1)
  .max(12)
  .superRefine((fields, ctx) => {
    const seen = new Set<string>();
    let chars = 0;
    for (const field of fields) {
      if (!isResultField(field)) ctx.addIssue({ code: "custom", message: `${field.name}: a result field is text, textarea, date, number or select` });
      if (RESERVED_NAMES.has(field.name)) ctx.addIssue({ code: "custom", message: `${field.name}: the name is the issue form's own` });
      if (seen.has(field.name)) ctx.addIssue({ code: "custom", message: `duplicate result field ${field.name}` });
      seen.add(field.name);
      chars += field.type === "text" || field.type === "textarea" ? field.maxLength : 100;
    }
    if (chars > MAX_TOTAL_CHARS) ctx.addIssue({ code: "custom", message: `result fields allow ${chars} characters, more than ${MAX_TOTAL_CHARS}` });
  })
  .transform((fields) => fields.filter(isResultField));
export type ResultFields = z.output<typeof ResultFieldsSchema>;
export type ResultFieldsInput = z.input<typeof ResultFieldsSchema>;

/** For a procedure that declares none (one added later by an administrator, the national catalog). */
export const DEFAULT_RESULT_FIELDS: ResultFields = ResultFieldsSchema.parse([
  {
    name: "document_number",
    type: "text",
    maxLength: 60,
    label: { vi: "Số văn bản kết quả", en: "Number of the result document" },
    hint: { vi: "Ví dụ: 125/QĐ-UBND", en: "For example: 125/QĐ-UBND" },
  },
  { name: "result_text", type: "textarea", maxLength: 2000, label: { vi: "Nội dung kết quả giải quyết", en: "What was decided" } },
]);

/** The procedure's stored declaration, or the default when it has none (or a broken one). */
export function resultFieldsOf(stored: unknown): ResultFields {
  const parsed = ResultFieldsSchema.safeParse(stored);
  return parsed.success ? parsed.data : DEFAULT_RESULT_FIELDS;
}

/** The signed result document an officer may upload instead: a PDF, checked by its bytes like any upload. */
export const RESULT_FILE_FIELD = {
  type: "file",
  name: "result_file",
  label: { vi: "Văn bản kết quả đã ký số (PDF)", en: "The signed result document (PDF)" },
  required: true,
  accept: ["pdf"],
  maxSizeMb: 10,
  maxFiles: 1,
} as const satisfies Extract<Field, { type: "file" }>;

export const ResultErrorKey = {
  source: "officer.errors.result_source_required",
  fileRequired: "officer.errors.result_file_required",
  fileSize: "form.errors.file_size",
} as const;

export type FileFacts = { name: string; size: number };

/**
 * What the schema needs to know of a chosen file, from a browser FileList or File, or the server's
 * File: its name and size (its type is checked on the server, from its bytes).
 */
export function fileFacts(value: unknown): FileFacts | undefined {
  const first = typeof value === "object" && value !== null && isFileList(value) ? value[0] : value;
  if (typeof first !== "object" || first === null || !("size" in first) || typeof first.size !== "number" || first.size === 0) return undefined;
  return { name: "name" in first && typeof first.name === "string" ? first.name : "", size: first.size };
}

/** A browser's FileList (what react-hook-form gives for a file input). */
function isFileList(value: object): value is ArrayLike<unknown> {
  return "item" in value && "length" in value && typeof value.length === "number";
}

const FileFactsSchema = z.preprocess(
  fileFacts,
  z
    .object({ name: z.string(), size: z.number() }, { error: ResultErrorKey.fileRequired })
    .refine((f) => f.size <= RESULT_FILE_FIELD.maxSizeMb * 1024 * 1024, ResultErrorKey.fileSize),
);

/**
 * The one schema of the issue-result post: the hidden version and confirmation, then either the
 * filled result fields (under `values`, as the inputs are named `values.<field>`) or the chosen file.
 */
export function buildIssueResultSchema(fields: ResultFields, today: string) {
  return z.discriminatedUnion(
    "source",
    [
      z.object({ source: z.literal("fields"), version: VersionSchema, confirmed: ConfirmedSchema, values: fieldsSchema(fields, today) }),
      z.object({ source: z.literal("upload"), version: VersionSchema, confirmed: ConfirmedSchema, result_file: FileFactsSchema }),
    ],
    { error: ResultErrorKey.source },
  );
}
export type IssueResultInput = z.output<ReturnType<typeof buildIssueResultSchema>>;

/** A form post as the schema's input: the result fields' inputs are named `values.<field>`. */
export function issueResultInput(fields: ResultFields, form: FormData): Record<string, unknown> {
  const text = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : undefined;
  };
  return {
    source: text("source"),
    version: text("version"),
    confirmed: text("confirmed"),
    values: Object.fromEntries(fields.map((f) => [f.name, text(`values.${f.name}`) ?? ""])),
    result_file: form.get(RESULT_FILE_FIELD.name) ?? undefined,
  };
}

/** A stored value as the e-result and the pages print it: a select's option label, a date as dd/mm/yyyy. */
export function resultValueText(field: ResultField, value: AnswerValue | undefined, language: string): string {
  if (value === null || value === undefined || value === "") return "";
  if (field.type === "select") {
    const option = field.options.find((o) => o.value === value);
    return option ? (language === "en" && option.label.en ? option.label.en : option.label.vi) : String(value);
  }
  if (field.type === "date" && typeof value === "string") {
    const [y, m, d] = value.split("-");
    return y && m && d ? `${d}/${m}/${y}` : value;
  }
  return String(value);
}

/** A failed parse's first message per input, keyed by the input's name (`values.<field>`, `result_file`, `source`…). */
export function issueResultErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    // A post without a known `source` fails the union as a whole: it is the source's error.
    const key = issue.path.length === 0 ? "source" : issue.path.map(String).join(".");
    if (!(key in out)) out[key] = issue.message;
  }
  return out;
}
