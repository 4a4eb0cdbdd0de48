import * as z from "zod";
import { DELIVERY_MODES } from "../catalog/delivery";
import { isRule, ruleProblemLine, ruleProblems, type Rule } from "./rules";
import { PROCEDURE_FEE_VAR } from "../payments/fees";

/**
 * A procedure's form, as data. One definition gives the rendered fields and one
 * zod schema for the answers (see ./answers-schema.ts), used by the server action
 * and by the browser (app/components/answers-control.ts).
 */
export const LocalTextSchema = z.object({ vi: z.string().min(1), en: z.string().min(1).optional() });
export type LocalText = z.infer<typeof LocalTextSchema>;

/** A JsonLogic rule over the answers (./rules.ts says what is allowed and why). */
// `params.check` tells the builder which check refused (it translates the finding: core/forms/builder.ts).
export const RuleSchema = z.custom<Rule>(isRule, {
  error: (issue) => {
    const [first] = ruleProblems(issue.input);
    return first ? ruleProblemLine(first) : "not a rule";
  },
  params: { check: "rule" },
});

const FieldNameSchema = z.string().regex(/^[a-z][a-z0-9_]{0,47}$/, "field names are snake_case");
/** `deliveryMode`: this option of a "how to receive the result" question stands for that delivery mode (forms/delivery-choice.ts). */
const OptionSchema = z.object({ value: z.string().regex(/^[a-z0-9_-]{1,40}$/), label: LocalTextSchema, deliveryMode: z.enum(DELIVERY_MODES).optional() });

/**
 * Where a field's first value may come from: the account, or the national population database through
 * the VNeID identity — `identity.*` the filer's record, `subject.*` the record of whom the dossier is
 * for. Verified sources lock the field at identity level 2 (./verified-prefill.ts says the whole rule).
 */
export const PREFILL_SOURCES = [
  "account.fullName",
  "account.email",
  "account.phone",
  "identity.fullName",
  "identity.birthDate",
  "identity.cccd",
  "identity.sex",
  "identity.address",
  "subject.fullName",
  "subject.birthDate",
  "subject.cccd",
  "subject.sex",
  "subject.address",
] as const;
export type PrefillSource = (typeof PREFILL_SOURCES)[number];

const base = {
  name: FieldNameSchema,
  label: LocalTextSchema,
  hint: LocalTextSchema.optional(),
  required: z.boolean().default(true),
  /** Shown only while this rule holds (./rules.ts) over the answers before it; a hidden field is never required and never stored. */
  visibleIf: RuleSchema.optional(),
  /** Required only while this rule holds (instead of `required`), when shown. */
  requiredIf: RuleSchema.optional(),
  /** Filled in when a draft starts, and marked so: changeable, except a verified value (./verified-prefill.ts). */
  prefill: z.enum(PREFILL_SOURCES).optional(),
};

/** A date bound: an ISO date, or "today" resolved when the schema is built. */
const DateBoundSchema = z.union([z.literal("today"), z.iso.date()]);

/** The fields that hold one answer (a group holds rows of them). */
const textField = z.object({
  ...base,
  type: z.literal("text"),
  minLength: z.number().int().min(0).optional(),
  maxLength: z.number().int().positive().max(2000).default(200),
});
const textareaField = z.object({ ...base, type: z.literal("textarea"), maxLength: z.number().int().positive().max(5000).default(1000) });
const dateField = z.object({ ...base, type: z.literal("date"), min: DateBoundSchema.optional(), max: DateBoundSchema.optional() });
const numberField = z.object({
  ...base,
  type: z.literal("number"),
  min: z.number().optional(),
  max: z.number().optional(),
  integer: z.boolean().default(true),
});
const selectField = z.object({ ...base, type: z.literal("select"), options: z.array(OptionSchema).min(1) });
const radioField = z.object({ ...base, type: z.literal("radio"), options: z.array(OptionSchema).min(2) });
/** Without options: one box that must be ticked when required (a declaration). With options: pick any. */
const checkboxField = z.object({ ...base, type: z.literal("checkbox"), options: z.array(OptionSchema).min(1).optional() });
const cccdField = z.object({ ...base, type: z.literal("cccd") });
const phoneField = z.object({ ...base, type: z.literal("phone") });
const emailField = z.object({ ...base, type: z.literal("email") });
const addressField = z.object({ ...base, type: z.literal("address") });
const fileField = z.object({
  ...base,
  type: z.literal("file"),
  accept: z
    .array(z.enum(["pdf", "jpeg", "png"]))
    .min(1)
    .default(["pdf", "jpeg", "png"]),
  /** Each file's limit. */
  maxSizeMb: z.number().positive().max(10).default(5),
  /** How many files the field takes (building drawings: several); with 1 a new file replaces the one on file. */
  maxFiles: z.number().int().min(1).max(20).default(1),
});

/** The fields that hold one answer, in one list for both unions below. */
const oneAnswerFields = [
  textField,
  textareaField,
  dateField,
  numberField,
  selectField,
  radioField,
  checkboxField,
  cccdField,
  phoneField,
  emailField,
  addressField,
] as const;

/** What a row of a repeating group may hold: one-answer fields, no files (a group's documents go in a file field of their own). */
export const GroupItemSchema = z.discriminatedUnion("type", [...oneAnswerFields]);
export type GroupItem = z.infer<typeof GroupItemSchema>;

/**
 * A repeating group (the founders of a household business, the owners of a plot): rows of the same
 * fields, from `minRows` to `maxRows` while it is required (an optional group may have none). Its
 * answer is a list of rows; a rule may read the list (its length, a row's value), not a row's field
 * by name. Rows are added and removed by posting back (the no-JavaScript way, ./rows.ts).
 */
const groupField = z
  .object({
    ...base,
    type: z.literal("group"),
    /** What one row is (a row's legend is this and its number: "Thành viên 2"); without it, the group's label. */
    rowLabel: LocalTextSchema.optional(),
    minRows: z.number().int().min(1).max(50).default(1),
    maxRows: z.number().int().min(1).max(50).default(10),
    fields: z.array(GroupItemSchema).min(1).max(30),
  })
  .refine((g) => g.minRows <= g.maxRows, { message: "minRows is more than maxRows", params: { check: "rows" } });

export const FieldSchema = z.discriminatedUnion("type", [...oneAnswerFields, fileField, groupField]);
export type Field = z.infer<typeof FieldSchema>;
export type GroupField = Extract<Field, { type: "group" }>;
export type FieldType = Field["type"];

export const FormDefinitionSchema = z
  .object({
    version: z.number().int().positive(),
    sections: z.array(z.object({ title: LocalTextSchema, visibleIf: RuleSchema.optional(), fields: z.array(FieldSchema).min(1) })).min(1),
    /** The fee in đồng from the answers and `procedure_fee` (core/payments/fees.ts dossierFee); without it, the procedure's fee. */
    fee: RuleSchema.optional(),
    /**
     * Answers that mean "not online": the first exit whose rule holds sends the citizen to its page —
     * why, and where to go instead — and is recorded (demand the portal could not serve).
     */
    exits: z
      .array(z.object({ id: z.string().regex(/^[a-z0-9_-]{1,40}$/), when: RuleSchema, message: LocalTextSchema }))
      .max(10)
      .optional(),
  })
  .superRefine((def, ctx) => {
    const seen = new Set<string>();
    // Names are unique across the form, a group's own fields included (they name errors and posts).
    const names = def.sections.flatMap((s) => s.fields.flatMap((f): { name: string }[] => (f.type === "group" ? [f, ...f.fields] : [f])));
    for (const field of names) {
      if (seen.has(field.name))
        ctx.addIssue({ code: "custom", message: `duplicate field name ${field.name}`, params: { check: "duplicate_name", name: field.name } });
      if (field.name === PROCEDURE_FEE_VAR)
        ctx.addIssue({
          code: "custom",
          message: `${PROCEDURE_FEE_VAR} is the procedure's fee in fee rules, not a field name`,
          params: { check: "reserved_name", name: field.name },
        });
      seen.add(field.name);
    }
    const exits = new Set<string>();
    for (const exit of def.exits ?? []) {
      if (exits.has(exit.id)) ctx.addIssue({ code: "custom", message: `duplicate exit ${exit.id}`, params: { check: "duplicate_exit", id: exit.id } });
      exits.add(exit.id);
    }
  });
export type FormDefinition = z.infer<typeof FormDefinitionSchema>;
export type FormDefinitionInput = z.input<typeof FormDefinitionSchema>;

// Helpers over a definition live in ./fields.ts (no zod there, so the browser can use them cheaply).
export { allFields, fileFields, groupFields } from "./fields";
export { localText } from "../text/local-text";
